"""The API surface: `/api/schema/` and `/api/docs/`, and version 1 under `/api/v1/`.

The last pattern catches every other URL under `/api/`, so an unknown one answers a 404
problem like the rest of the API (it comes last: it never hides a real route)."""

from django.urls import include, path, re_path

from atiende.api import errors

app_name = "api"

urlpatterns = [
    path("", include("atiende.api.core_urls")),
    path("v1/", include("atiende.api.resources.urls")),
    path("v1/alerts/", include("atiende.monitoring.urls")),
    # [\s\S], not ".": a path with a newline in it is unknown too.
    re_path(r"^[\s\S]*$", errors.not_found, name="not-found"),
]
