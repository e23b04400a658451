from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "atiende.reviews"
    verbose_name = _("Monthly service reviews")
    default_auto_field = "django.db.models.BigAutoField"
