"""Atiende: a help desk for IT service providers that support many client companies."""

# Loaded with Django so that `@shared_task` functions bind to Atiende's Celery application.
from atiende.celery import app as celery_app

__all__ = ["celery_app"]
