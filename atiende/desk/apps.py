from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "atiende.desk"
    label = "desk"
    verbose_name = _("Agent desk")

    def ready(self) -> None:
        from atiende.desk.inbox import catalog

        catalog.watch()
