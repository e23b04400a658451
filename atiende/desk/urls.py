from django.urls import include, path

from atiende.desk import tokens

app_name = "desk"
urlpatterns = [
    path("", include("atiende.desk.inbox.urls")),
    path("tickets/", include("atiende.desk.workspace.urls")),
    path("intake/", include("atiende.desk.intake.urls")),
    path("", include("atiende.desk.directory.urls")),
    path("setup/", include("atiende.desk.setup.urls")),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token-revoke"),
]
