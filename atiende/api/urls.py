"""The API surface: `/api/schema/` and `/api/docs/`, and version 1 under `/api/v1/`."""

from django.urls import include, path

app_name = "api"

urlpatterns = [
    path("", include("atiende.api.core_urls")),
    path("v1/", include("atiende.api.resources.urls")),
    path("v1/alerts/", include("atiende.monitoring.urls")),
]
