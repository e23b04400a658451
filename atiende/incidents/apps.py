from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "atiende.incidents"
    label = "incidents"
    verbose_name = _("Major incidents")

    def ready(self) -> None:
        from atiende.incidents import access, holds

        holds.install()
        access.watch()
