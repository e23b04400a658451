"""Spanish as written in Colombia and Mexico: 120.000 (Django's generic Spanish groups
thousands with a space)."""

from django.conf.locale.es.formats import *  # type: ignore[import-untyped]  # noqa: F403

THOUSAND_SEPARATOR = "."
DECIMAL_SEPARATOR = ","
NUMBER_GROUPING = 3
