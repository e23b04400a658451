from django.apps import AppConfig


class UiConfig(AppConfig):
    """Presentation helpers shared by every surface (template filters)."""

    name = "atiende.ui"
    label = "ui"
