from django.contrib import admin
from django.urls import include, path

from atiende import views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("portal/", include("atiende.portal.urls")),
    path("desk/", include("atiende.desk.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
