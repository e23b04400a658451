from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "atiende.portal"
    label = "portal"
    verbose_name = _("Customer portal")

    def ready(self) -> None:
        from atiende.portal import catalog, company

        catalog.kept.watch(catalog.SOURCES)
        company.watch()
