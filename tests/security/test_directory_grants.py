"""Granting access is a privilege, proven by role: every role of the URL × role matrix
sends the hostile requests of the reproduced attack (a contact with the company view and an
address of the attacker's, an account's address changed to the attacker's, the company view
switched on, a deactivated account switched back on) against each company's objects, and
only supervisors and admins get what they asked for. The empty POSTs of
`test_url_matrix.py` prove who reaches each page; these prove what a full form achieves.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import reverse

from atiende.accounts.models import Contact, Membership, User
from tests.security.conftest import SecurityWorld
from tests.security.matrix import ROLES

INTRUDER = "intruso@evil.test"
MAY_GRANT = {"supervisor", "admin"}


@dataclass(frozen=True)
class Attempt:
    name: str
    url: Callable[[SecurityWorld, str], str]
    data: Callable[[SecurityWorld, str], dict[str, str]]
    prepare: Callable[[SecurityWorld, str], None]
    granted: Callable[[SecurityWorld, str], bool]


def _requester(sw: SecurityWorld, target: str) -> Contact:
    return sw.objects[target].requester


def _new_contact(sw: SecurityWorld, target: str) -> dict[str, str]:
    return {
        "full_name": "Intruso",
        "email": INTRUDER,
        "organization": str(sw.objects[target].organization.pk),
        "language": "es",
        "sees_company_tickets": "on",
    }


def _edit(sw: SecurityWorld, target: str, **values: str) -> dict[str, str]:
    contact = _requester(sw, target)
    return {"full_name": contact.user.full_name, "email": contact.user.email, "language": "es", **values}


def _company_wide_intruder(sw: SecurityWorld, target: str) -> bool:
    return Membership.objects.filter(
        Q(sees_company_tickets=True) | Q(organization__contacts_see_all_tickets=True),
        contact__user__email=INTRUDER,
    ).exists()


def _nothing(sw: SecurityWorld, target: str) -> None:
    return None


def _deactivate(sw: SecurityWorld, target: str) -> None:
    User.objects.filter(pk=_requester(sw, target).user_id).update(is_active=False)


def _sees_company(sw: SecurityWorld, target: str) -> bool:
    return Membership.objects.filter(contact=_requester(sw, target), sees_company_tickets=True).exists()


ATTEMPTS = [
    Attempt(
        "a company-wide contact with the attacker's address, from the directory",
        lambda sw, t: reverse("desk:contact-new"),
        _new_contact,
        _nothing,
        _company_wide_intruder,
    ),
    Attempt(
        "a company-wide contact with the attacker's address, from the phone intake",
        lambda sw, t: reverse("desk:intake"),
        _new_contact,
        _nothing,
        _company_wide_intruder,
    ),
    Attempt(
        "the requester's address changed to the attacker's",
        lambda sw, t: reverse("desk:contact-edit", args=[_requester(sw, t).pk]),
        lambda sw, t: _edit(sw, t, email=INTRUDER),
        _nothing,
        lambda sw, t: User.objects.filter(pk=_requester(sw, t).user_id, email=INTRUDER).exists(),
    ),
    Attempt(
        "the company view switched on for the requester",
        lambda sw, t: reverse("desk:contact-edit", args=[_requester(sw, t).pk]),
        lambda sw, t: _edit(sw, t, sees_company_tickets="on"),
        _nothing,
        _sees_company,
    ),
    Attempt(
        "a deactivated requester switched back on",
        lambda sw, t: reverse("desk:contact-active", args=[_requester(sw, t).pk]),
        lambda sw, t: {"active": "1"},
        _deactivate,
        lambda sw, t: User.objects.filter(pk=_requester(sw, t).user_id, is_active=True).exists(),
    ),
]


class _Undo(Exception):
    pass


def _achieved(client: Client, sw: SecurityWorld, attempt: Attempt, role: str, target: str) -> bool:
    """Whether `role` got what `attempt` asks for; everything it did is rolled back."""
    achieved = False
    try:
        with transaction.atomic():
            attempt.prepare(sw, target)
            user = sw.user(target, role)
            client.logout()
            if user is not None:
                client.force_login(user)
            client.post(attempt.url(sw, target), attempt.data(sw, target))
            achieved = attempt.granted(sw, target)
            raise _Undo
    except _Undo:
        pass
    return achieved


@pytest.mark.parametrize("attempt", ATTEMPTS, ids=lambda a: a.name)
def test_only_supervisors_and_admins_grant_access_whoever_asks(
    client: Client, security_world: SecurityWorld, attempt: Attempt
) -> None:
    results = {
        (role, target): _achieved(client, security_world, attempt, role, target)
        for role in ROLES
        for target in ("acme", "globex")
        if role != "superuser"  # no desk: the configuration site is its place
    }

    wrong = [
        f"{role} against {target}: {'granted' if got else 'refused'}"
        for (role, target), got in results.items()
        if got != (role in MAY_GRANT)
    ]
    assert not wrong, f"{attempt.name}:\n" + "\n".join(wrong)
