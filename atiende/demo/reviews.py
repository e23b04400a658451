"""The monthly service review in the demo: Acme's is emailed every month to Ana (who sees
all of Acme's tickets), as a supervisor would set it up after looking at the preview."""

from __future__ import annotations

from atiende.accounts.models import Contact, Organization, User
from atiende.demo import data
from atiende.reviews.actions import change_review_sending


def enable_reviews(companies: dict[str, Organization], contacts: dict[str, Contact]) -> None:
    supervisor = User.objects.get(email=data.PATRICIA)
    change_review_sending(supervisor, companies[data.ACME], enabled=True, contacts=[contacts[data.ANA]])
