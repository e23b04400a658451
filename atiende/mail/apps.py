from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailConfig(AppConfig):
    name = "atiende.mail"
    label = "mail"
    verbose_name = _("Incoming email")

    def ready(self) -> None:
        from atiende.mail import inbound

        inbound.watch()
