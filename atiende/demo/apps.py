from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "atiende.demo"
    label = "demo"
    verbose_name = "Demo data"
