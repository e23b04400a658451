"""The configuration site makes alert sources: the token is shown once, with the address and
an Alertmanager configuration, and only its hash is kept."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from atiende.accounts.models import User
from atiende.monitoring.models import AlertSource
from atiende.monitoring.sources import hash_token
from atiende.tickets.models import Ticket
from tests.conftest import World
from tests.monitoring.conftest import alert, webhook

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("root@atiende.test", "x"))
    return client


def form(world: World, **values: Any) -> dict[str, Any]:
    return {
        "name": "Prometheus Acme",
        "format": "alertmanager",
        "is_active": "on",
        "organization": world.acme.pk,
        "requester": world.ana.pk,
        "queue": world.soporte.pk,
        "ticket_type": "",
        "resolve_on_recovery": "on",
        "priority_label": "severity",
        "priority_map": json.dumps({"critical": 1, "warning": 2}),
        **values,
    }


def test_a_new_source_shows_its_token_once_and_it_works(root: Client, world: World) -> None:
    page = root.post(reverse("admin:monitoring_alertsource_add"), form(world))

    assert page.status_code == 200
    html = page.content.decode()
    token = re.search(r'<pre id="alert-token">(alrt_[\w-]+)</pre>', html)
    assert token
    source = AlertSource.objects.get()
    assert source.token_hash == hash_token(token.group(1))
    assert token.group(1) not in source.token_hash
    assert f"/api/v1/alerts/{source.pk}/" in html
    assert "send_resolved: true" in html
    assert "no-store" in page["Cache-Control"]
    assert source.actor is not None
    assert re.fullmatch(r"Integra(tion|ción) Prometheus Acme", source.actor.full_name)
    assert not source.actor.has_usable_password()
    assert world.soporte.agents.filter(user=source.actor).exists()

    change = root.get(reverse("admin:monitoring_alertsource_change", args=[source.pk])).content.decode()
    assert token.group(1) not in change

    response = Client().post(
        f"/api/v1/alerts/{source.pk}/",
        data=webhook(alert()),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token.group(1)}"},
    )
    assert response.status_code == 200
    assert Ticket.objects.get().created_by == source.actor


def test_the_requester_must_belong_to_the_company(root: Client, world: World) -> None:
    page = root.post(reverse("admin:monitoring_alertsource_add"), form(world, requester=world.carla.pk))
    assert page.status_code == 200
    assert not AlertSource.objects.exists()
    assert "requester" in page.context["adminform"].form.errors


def test_the_priority_map_names_existing_levels(root: Client, world: World) -> None:
    page = root.post(reverse("admin:monitoring_alertsource_add"), form(world, priority_map='{"critical": 9}'))
    assert not AlertSource.objects.exists()
    assert "priority_map" in page.context["adminform"].form.errors


def test_a_new_token_replaces_the_old_one(root: Client, world: World) -> None:
    root.post(reverse("admin:monitoring_alertsource_add"), form(world))
    source = AlertSource.objects.get()
    old_hash = source.token_hash

    page = root.post(
        reverse("admin:monitoring_alertsource_changelist"),
        {"action": "make_new_token", "_selected_action": [source.pk]},
    )

    token = re.search(r'<pre id="alert-token">(alrt_[\w-]+)</pre>', page.content.decode())
    assert token
    source.refresh_from_db()
    assert source.token_hash == hash_token(token.group(1)) != old_hash
