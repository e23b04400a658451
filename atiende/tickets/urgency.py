"""The manual's Covey matrix: a subject that starts with 1_, 2_ or 3_ (also "1 -", "2-",
"3 ") names its urgency. One rule for every channel: email, portal, desk, API."""

from __future__ import annotations

import copy
import re

from django.utils.translation import gettext_lazy as _

from atiende.tickets import vocabulary
from atiende.tickets.models import Priority

COVEY_PREFIX = re.compile(r"^\s*([123])\s*[_\-]\s*|^\s*([123])\s+(?=\S)")

# The manual's own words for each level, shown where a contact chooses the urgency.
COVEY_LABELS = {
    1: _("1. Very urgent and important"),
    2: _("2. Not urgent, but important"),
    3: _("3. Neither urgent nor important"),
}


def split_subject(subject: str) -> tuple[int | None, str]:
    """The Covey level the subject starts with (or None) and the subject without it."""
    match = COVEY_PREFIX.match(subject)
    if match is None:
        return None, subject
    return int(match[1] or match[2]), subject[match.end() :].strip()


def priority_for(level: int | None) -> Priority | None:
    found = vocabulary.kept.load().priority_of_level(level) if level else None
    return copy.copy(found) if found is not None else None
