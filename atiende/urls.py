from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from atiende import views

admin.site.site_header = _("Atiende configuration")
admin.site.site_title = _("Atiende configuration")
admin.site.index_title = _("Configuration")

urlpatterns = [
    path("favicon.ico", views.favicon),
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("healthz", views.health, name="healthz"),
    path("files/<int:pk>/<str:name>", views.attachment_download, name="attachment"),
    # The provider keeps each person's address: allauth's email management is not offered.
    path("accounts/email/", RedirectView.as_view(pattern_name="portal:details"), name="account_email"),
    path("accounts/", include("allauth.urls")),
    path("portal/", include("atiende.portal.urls")),
    path("desk/", include("atiende.desk.urls")),
    path("desk/billing/", include("atiende.desk.billing.urls")),
    path("portal/services/", include("atiende.portal.billing.urls")),
    path("desk/", include("atiende.reports.urls")),
    path("api/", include("atiende.api.urls")),
    path("whatsapp/", include("atiende.whatsapp.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
