from django.urls import include, path

from atiende.portal import incidents, rating, reviews, views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tickets/", views.ticket_list, name="tickets"),
    path("tickets/new/", views.ticket_new, name="ticket-new"),
    path("tickets/<int:number>/", views.ticket_detail, name="ticket-detail"),
    path("tickets/<int:number>/reply/", views.ticket_reply, name="ticket-reply"),
    path("tickets/<int:number>/resolution/", views.ticket_resolution, name="ticket-resolution"),
    path("tickets/<int:number>/edit/", views.ticket_edit, name="ticket-edit"),
    path("tickets/<int:number>/receipt/", views.ticket_receipt, name="ticket-receipt"),
    path("company/", views.company_ticket_list, name="company-tickets"),
    path("company/switch/", views.company_switch, name="company-switch"),
    path("rate/<str:token>/", rating.rating, name="rating"),
    path("search/", views.search, name="search"),
    path("incidents/<int:pk>/affects-me/", incidents.incident_affects_me, name="incident-affects-me"),
    path("review/", reviews.review_index, name="reviews"),
    path("review/<str:month>/", reviews.review, name="review"),
    path("review/<str:month>/<str:kind>/", reviews.review_download, name="review-download"),
    path("kb/", include("atiende.portal.knowledge.urls")),
    path("account/", include("atiende.portal.account_urls")),
]
