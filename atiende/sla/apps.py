from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "atiende.sla"
    label = "sla"
    verbose_name = _("Service levels")

    def ready(self) -> None:
        from atiende.sla import policies

        policies.watch()
