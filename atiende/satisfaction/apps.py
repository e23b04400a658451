from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    name = "atiende.satisfaction"
    verbose_name = _("Satisfaction")
    default_auto_field = "django.db.models.BigAutoField"
