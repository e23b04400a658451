from django.urls import path

from atiende.desk.workspace import linking, mentions, senders, views

urlpatterns = [
    path("<int:number>/", views.ticket, name="ticket"),
    path("<int:number>/history/", views.ticket_history, name="ticket-history"),
    path("<int:number>/canned/<int:pk>/", views.canned_reply, name="ticket-canned"),
    path("<int:number>/compose/", views.ticket_compose, name="ticket-compose"),
    path("<int:number>/properties/<slug:field>/", views.ticket_property, name="ticket-property"),
    path("<int:number>/take/", views.ticket_take, name="ticket-take"),
    path("<int:number>/presence/", views.ticket_presence, name="ticket-presence"),
    path("<int:number>/time/", views.ticket_time, name="ticket-time"),
    path("<int:number>/link/", linking.ticket_link, name="ticket-link"),
    path("<int:number>/merge/", linking.ticket_merge, name="ticket-merge"),
    path("<int:number>/split/", linking.ticket_split, name="ticket-split"),
    path("<int:number>/mentions/", mentions.ticket_mentions, name="ticket-mentions"),
    path("<int:number>/messages/<int:pk>/accept/", senders.message_accept, name="ticket-message-accept"),
]
