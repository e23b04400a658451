from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "atiende.accounts"
    label = "accounts"
    verbose_name = _("People and companies")

    def ready(self) -> None:
        from atiende.accounts import signed_in

        signed_in.watch()
