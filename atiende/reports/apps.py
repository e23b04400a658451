from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "atiende.reports"
    verbose_name = _("Reports")
    default_auto_field = "django.db.models.BigAutoField"
