from django.urls import path

from atiende.desk.incidents import views

urlpatterns = [
    path("incidents/", views.incident_list, name="incidents"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("incidents/<int:pk>/update/", views.incident_update, name="incident-update"),
    path("incidents/<int:pk>/resolve/", views.incident_resolve, name="incident-resolve"),
    path("incidents/<int:pk>/tickets/<int:number>/detach/", views.incident_detach, name="incident-detach"),
    path("tickets/<int:number>/incident/", views.ticket_incident, name="ticket-incident"),
    path(
        "tickets/<int:number>/incident/declare/",
        views.ticket_incident_declare,
        name="ticket-incident-declare",
    ),
    path(
        "tickets/<int:number>/incident/attach/", views.ticket_incident_attach, name="ticket-incident-attach"
    ),
]
