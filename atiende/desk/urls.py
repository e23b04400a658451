from django.urls import include, path

app_name = "desk"
urlpatterns = [
    path("", include("atiende.desk.inbox.urls")),
    path("tickets/", include("atiende.desk.workspace.urls")),
    path("intake/", include("atiende.desk.intake.urls")),
    path("", include("atiende.desk.directory.urls")),
]
