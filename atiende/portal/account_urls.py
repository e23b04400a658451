from django.urls import path

from atiende.portal import account_views

urlpatterns = [
    path("details/", account_views.details, name="details"),
    path("security/", account_views.security, name="security"),
]
