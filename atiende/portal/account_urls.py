from django.urls import path

from atiende.portal import account_views, token_views

urlpatterns = [
    path("details/", account_views.details, name="details"),
    path("security/", account_views.security, name="security"),
    path("security/tokens/", token_views.tokens, name="tokens"),
    path("security/tokens/<int:pk>/revoke/", token_views.token_revoke, name="token-revoke"),
]
