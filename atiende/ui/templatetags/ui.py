"""Template filters shared by the portal and the desk."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def ago(value: datetime.datetime | None) -> str:
    """“hace 5 minutos”, or “hace un momento” within the first minute."""
    if value is None:
        return ""
    if timezone.now() - value < datetime.timedelta(minutes=1):
        return _("a moment ago")
    return _("%(when)s ago") % {"when": timesince(value, depth=1)}
