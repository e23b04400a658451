from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "atiende.tickets"
    label = "tickets"
    verbose_name = _("Tickets")

    def ready(self) -> None:
        from atiende.tickets import routing, search, vocabulary

        search.install()
        vocabulary.watch()
        routing.watch()
