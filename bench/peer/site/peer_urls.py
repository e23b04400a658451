"""URLs of the minimal host project: django-helpdesk at the root, as its docs suggest, and
the admin (its ticket page links the submitter's user in the admin)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("helpdesk.urls", namespace="helpdesk")),
]
