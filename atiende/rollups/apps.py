from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RollupsConfig(AppConfig):
    name = "atiende.rollups"
    verbose_name = _("Daily figures")
    default_auto_field = "django.db.models.BigAutoField"
