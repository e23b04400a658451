from django.urls import include, path

from atiende.desk import tokens, unidentified

app_name = "desk"
urlpatterns = [
    path("", include("atiende.desk.inbox.urls")),
    path("tickets/", include("atiende.desk.workspace.urls")),
    path("intake/", include("atiende.desk.intake.urls")),
    path("", include("atiende.desk.directory.urls")),
    path("whatsapp/unidentified/", unidentified.unidentified, name="whatsapp-unidentified"),
    path(
        "whatsapp/unidentified/<str:digits>/",
        unidentified.unidentified_number,
        name="whatsapp-unidentified-number",
    ),
    path(
        "whatsapp/unidentified/<str:digits>/link/",
        unidentified.unidentified_link,
        name="whatsapp-unidentified-link",
    ),
    path("kb/", include("atiende.desk.knowledge.urls")),
    path("", include("atiende.desk.incidents.urls")),
    path("setup/", include("atiende.desk.setup.urls")),
    path("account/tokens/", tokens.tokens, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.token_revoke, name="token-revoke"),
]
