"""POST /api/v1/alerts/<source>/: alerts open, note and resolve tickets through the actions."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from atiende.monitoring.models import AlertIncident, AlertStatus
from atiende.tickets import actions, ledger
from atiende.tickets.models import Channel, LinkKind, MessageKind, StatusKind, Ticket, TicketLink
from tests.conftest import World
from tests.monitoring.conftest import Source, alert, make_source, post, webhook

pytestmark = pytest.mark.django_db


def only_ticket() -> Ticket:
    (ticket,) = Ticket.objects.all()
    return ticket


def test_a_firing_alert_opens_one_incident_for_the_company(
    client: Client, world: World, acme_alerts: Source
) -> None:
    response = post(client, acme_alerts, webhook(alert()))

    assert response.status_code == 200
    ticket = only_ticket()
    assert response.json()["opened"] == [ticket.number]
    assert ticket.subject == "DiscoLleno: Disco casi lleno en db1"
    assert (ticket.organization, ticket.requester, ticket.queue) == (world.acme, world.ana, world.soporte)
    assert ticket.type.name_es == "Incidente"
    assert ticket.priority.level == 1  # severity=critical
    assert ticket.channel == Channel.API
    assert ticket.created_by == acme_alerts.source.actor
    text = ticket.messages.get().body_text
    assert "instance = db1.acme.test:9100" in text
    assert "http://prometheus.acme.test:9090/graph?g0.expr=disk" in text
    incident = AlertIncident.objects.get()
    assert (incident.ticket, incident.fingerprint, incident.status) == (ticket, "1a30ba71cca2921f", "firing")
    assert ledger.verify(ticket) == []


def test_the_severity_label_chooses_the_priority(client: Client, world: World, acme_alerts: Source) -> None:
    post(
        client,
        acme_alerts,
        webhook(alert(severity="warning", fingerprint="w"), alert(severity="?", fingerprint="x")),
    )
    levels = dict(Ticket.objects.values_list("messages__body_text", "priority__level"))
    assert sorted(levels.values()) == [2, 3]  # warning → 2; unknown → the default (Normal, 3)


def test_a_repeated_firing_alert_adds_nothing_to_its_ticket(client: Client, acme_alerts: Source) -> None:
    post(client, acme_alerts, webhook(alert()))
    response = post(client, acme_alerts, webhook(alert()))

    ticket = only_ticket()
    assert response.json()["unchanged"] == [ticket.number]
    assert ticket.messages.count() == 1


def test_a_resolved_alert_notes_the_recovery_and_resolves_the_ticket(
    client: Client, acme_alerts: Source
) -> None:
    post(client, acme_alerts, webhook(alert()))
    response = post(client, acme_alerts, webhook(alert("resolved", ends_at="2026-12-06T22:15:00Z")))

    ticket = only_ticket()
    assert response.json()["resolved"] == [ticket.number]
    assert ticket.status.kind == StatusKind.RESOLVED
    note = ticket.messages.get(kind=MessageKind.NOTE)
    assert "2026-12-06 17:15:00" in note.body_text  # 22:15 UTC in Bogotá
    assert note.author == acme_alerts.source.actor
    assert AlertIncident.objects.get().status == AlertStatus.RESOLVED
    assert ledger.verify(ticket) == []


def test_without_resolve_on_recovery_the_ticket_is_only_noted(client: Client, world: World) -> None:
    source = make_source(world, resolve_on_recovery=False)
    post(client, source, webhook(alert()))
    post(client, source, webhook(alert("resolved")))

    ticket = only_ticket()
    assert ticket.status.kind == StatusKind.NEW
    assert ticket.messages.filter(kind=MessageKind.NOTE).count() == 1


def test_firing_again_after_recovery_notes_it_and_reopens_the_ticket(
    client: Client, acme_alerts: Source
) -> None:
    post(client, acme_alerts, webhook(alert()))
    post(client, acme_alerts, webhook(alert("resolved")))
    response = post(client, acme_alerts, webhook(alert()))

    ticket = only_ticket()
    assert response.json()["noted"] == [ticket.number]
    assert ticket.status.kind == StatusKind.OPEN
    assert ticket.messages.filter(kind=MessageKind.NOTE).count() == 2
    assert ledger.verify(ticket) == []


def test_an_alert_whose_ticket_was_closed_opens_a_new_ticket_continuing_it(
    client: Client, world: World, acme_alerts: Source
) -> None:
    post(client, acme_alerts, webhook(alert()))
    old = only_ticket()
    actions.close_ticket(world.agente.user, old)

    post(client, acme_alerts, webhook(alert()))

    new = Ticket.objects.exclude(pk=old.pk).get()
    assert TicketLink.objects.filter(source=new, target=old, kind=LinkKind.CONTINUES).exists()
    incident = AlertIncident.objects.get()
    assert (incident.ticket, incident.tickets_opened) == (new, 2)
    assert ledger.verify(new) == []


def test_a_resolved_alert_never_seen_firing_is_ignored(client: Client, acme_alerts: Source) -> None:
    response = post(client, acme_alerts, webhook(alert("resolved")))
    assert response.status_code == 200
    assert response.json()["ignored"] == 1
    assert not Ticket.objects.exists()


def test_the_token_may_be_the_last_path_segment(client: Client, acme_alerts: Source) -> None:
    url = reverse("api:alerts-receive-token", args=[acme_alerts.source.pk, acme_alerts.token])
    response = client.post(url, data=webhook(alert()), content_type="application/json")
    assert response.status_code == 200
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("token", ["", "alrt_wrong", "Basic x"])
def test_a_wrong_token_is_refused(client: Client, acme_alerts: Source, token: str) -> None:
    response = post(client, acme_alerts, webhook(alert()), token=token)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Ticket.objects.exists()


def test_another_sources_token_is_refused(client: Client, world: World, acme_alerts: Source) -> None:
    other = make_source(world, name="Otro Prometheus")
    assert post(client, acme_alerts, webhook(alert()), token=other.token).status_code == 401
    assert not Ticket.objects.exists()


def test_a_source_that_does_not_exist_answers_like_a_wrong_token(client: Client, acme_alerts: Source) -> None:
    response = client.post(
        reverse("api:alerts-receive", args=[acme_alerts.source.pk + 100]),
        data=webhook(alert()),
        content_type="application/json",
        headers={"Authorization": f"Bearer {acme_alerts.token}"},
    )
    assert response.status_code == 401


def test_a_disabled_source_is_refused(client: Client, acme_alerts: Source) -> None:
    acme_alerts.source.is_active = False
    acme_alerts.source.save()
    assert post(client, acme_alerts, webhook(alert())).status_code == 403
    assert not Ticket.objects.exists()


def test_an_oversized_payload_is_refused(client: Client, acme_alerts: Source) -> None:
    body = webhook(alert(padding="x" * 1_000_001))
    response = post(client, acme_alerts, body)
    assert response.status_code == 413
    assert response.json()["status"] == 413
    assert not Ticket.objects.exists()


def test_malformed_json_is_a_problem_with_the_reason(client: Client, acme_alerts: Source) -> None:
    response = post(client, acme_alerts, b'{"alerts": [')
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "JSON" in response.json()["detail"]


def test_only_post_is_accepted(client: Client, acme_alerts: Source) -> None:
    response = client.get(acme_alerts.url, headers={"Authorization": f"Bearer {acme_alerts.token}"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_a_delivery_that_cannot_be_filed_changes_nothing_and_asks_to_retry(
    client: Client, world: World, acme_alerts: Source
) -> None:
    world.ana.user.is_active = False  # the contact the tickets are filed for left
    world.ana.user.save()
    body = webhook(alert(fingerprint="a"), alert(fingerprint="b"))

    response = post(client, acme_alerts, body)

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert not Ticket.objects.exists()
    assert not AlertIncident.objects.exists()


def test_labels_with_markup_are_shown_as_text(client: Client, world: World, acme_alerts: Source) -> None:
    post(
        client,
        acme_alerts,
        webhook(alert(job="<script>alert(1)</script>", summary="<img src=x onerror=alert(2)>")),
    )
    ticket = only_ticket()
    message = ticket.messages.get()
    assert message.body_html == ""

    client.force_login(world.agente.user)
    page = client.get(reverse("desk:ticket", args=[ticket.number])).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_the_generic_format_opens_and_resolves(client: Client, world: World) -> None:
    source = make_source(world, format="generic")
    firing = {
        "fingerprint": "backup-nas",
        "status": "firing",
        "title": "Backup failed",
        "severity": "warning",
    }
    post(client, source, json.dumps(firing).encode())
    post(client, source, json.dumps({**firing, "status": "resolved"}).encode())

    ticket = only_ticket()
    assert (ticket.subject, ticket.priority.level, ticket.status.kind) == (
        "Backup failed",
        2,
        StatusKind.RESOLVED,
    )
