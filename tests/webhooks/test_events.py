"""Every event is queued by the real action, in the action's transaction, and reaches a
receiver that verifies its signature."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from atiende.accounts.invitations import create_contact, create_contact_from_email
from atiende.tickets import actions
from atiende.tickets.models import Channel, Priority, SenderCheck, Status, StatusKind
from atiende.webhooks import events
from atiende.webhooks.models import DeliveryStatus, EventType
from tests.factories import open_ticket
from tests.webhooks.conftest import queued


def test_a_new_ticket_reaches_the_receiver_signed(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(EventType.TICKET_CREATED)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_ticket(world.luis, world.soporte, subject="Sin internet")

    (request,) = receiver.requests
    payload = request.verified
    assert isinstance(payload, dict), payload  # the signature verified
    assert payload["type"] == "ticket.created"
    data = payload["data"]
    assert data["ticket"]["number"] == ticket.number
    assert data["ticket"]["subject"] == "Sin internet"
    assert data["ticket"]["company"]["name"] == "Acme S.A.S."
    assert data["ticket"]["requester"]["email"] == "luis@acme.test"
    assert data["ticket"]["queue"]["name"] == "Soporte"
    assert data["ticket"]["url"].endswith(f"/{ticket.number}/")
    assert data["message"]["kind"] == "public"
    assert request.headers["webhook-id"] == queued()[0].webhook_id
    assert request.headers["webhook-signature"].startswith("v1,")
    assert queued()[0].status == DeliveryStatus.SENT


def test_a_change_names_the_fields_that_changed(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    ticket = open_ticket(world.luis, world.soporte)
    subscribe(EventType.TICKET_UPDATED, EventType.TICKET_CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.change_ticket(world.agente.user, ticket, subject="Impresora piso 2", tags=["hardware"])

    assert receiver.events() == ["ticket.updated"]
    data = receiver.requests[0].verified["data"]
    assert sorted(data["changed"]) == ["subject", "tags"]
    assert data["ticket"]["subject"] == "Impresora piso 2"


def test_closing_is_a_change_and_a_closing(world, subscribe, receiver, django_capture_on_commit_callbacks):
    ticket = open_ticket(world.luis, world.soporte)
    subscribe(EventType.TICKET_UPDATED, EventType.TICKET_CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.close_ticket(world.luis.user, ticket)

    assert receiver.events() == ["ticket.updated", "ticket.closed"]
    closed = receiver.requests[1].verified["data"]["ticket"]
    assert closed["status"]["kind"] == "closed"
    assert closed["closed_at"]


def test_replies_and_notes_are_messages_with_their_kind(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    ticket = open_ticket(world.luis, world.soporte)
    subscribe(EventType.MESSAGE_CREATED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Ya vamos para allá.")
        actions.add_note(world.agente.user, ticket, text="Revisar el tóner.")

    messages = [request.verified["data"]["message"] for request in receiver.requests]
    assert [(message["kind"], message["text"]) for message in messages] == [
        ("public", "Ya vamos para allá."),
        ("note", "Revisar el tóner."),
    ]
    assert messages[0]["author"]["email"] == "agente@atiende.test"


def test_a_reply_that_moves_the_stage_is_a_message_and_a_change(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    ticket = open_ticket(world.luis, world.soporte)
    waiting = Status.objects.filter(kind=StatusKind.PENDING).first()
    subscribe(EventType.MESSAGE_CREATED, EventType.TICKET_UPDATED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(
            world.agente.user, ticket, channel=Channel.WEB, text="¿Ya reinició?", then_status=waiting
        )
        actions.add_reply(world.luis.user, ticket, channel=Channel.WEB, text="Sí, y sigue igual.")

    assert receiver.events() == ["message.created", "ticket.updated", "message.created", "ticket.updated"]
    first_change, reopening = receiver.requests[1].verified["data"], receiver.requests[3].verified["data"]
    assert first_change["changed"] == ["status"]
    assert first_change["ticket"]["status"]["kind"] == "pending"
    assert reopening["ticket"]["status"]["kind"] == "open"


def test_a_reply_that_leaves_the_stage_is_only_a_message(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    ticket = open_ticket(world.luis, world.soporte)
    subscribe(EventType.MESSAGE_CREATED, EventType.TICKET_UPDATED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_reply(
            world.agente.user, ticket, channel=Channel.WEB, text="Lo reviso.", then_status=ticket.status
        )

    assert receiver.events() == ["message.created"]


def test_a_held_message_says_nothing_until_an_engineer_accepts_it(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    ticket = open_ticket(world.luis, world.soporte)
    subscribe(EventType.MESSAGE_CREATED)
    with django_capture_on_commit_callbacks(execute=True):
        held = actions.add_reply(
            world.luis.user,
            ticket,
            channel=Channel.EMAIL,
            text="Soy Luis: cierren el caso.",
            sender_check=SenderCheck.HELD,
        )
    assert held.is_held
    assert queued() == []
    assert receiver.requests == []

    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_message(world.agente.user, held)

    assert receiver.events() == ["message.created"]
    assert receiver.requests[0].verified["data"]["message"]["id"] == held.pk


def test_a_merge_names_both_tickets_and_closes_the_duplicate(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    survivor = open_ticket(world.luis, world.soporte, subject="Sin internet")
    duplicate = open_ticket(world.ana, world.soporte, subject="No hay red")
    subscribe(EventType.TICKET_MERGED, EventType.TICKET_CLOSED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.merge_tickets(world.agente.user, duplicate, survivor)

    assert receiver.events() == ["ticket.merged", "ticket.closed"]
    merged = receiver.requests[0].verified["data"]
    assert merged["ticket"]["number"] == survivor.number
    assert merged["duplicate"]["number"] == duplicate.number
    assert receiver.requests[1].verified["data"]["ticket"]["number"] == duplicate.number


def test_a_contact_created_by_staff_or_by_email_is_announced(
    world, subscribe, receiver, django_capture_on_commit_callbacks
):
    subscribe(EventType.CONTACT_CREATED)
    with django_capture_on_commit_callbacks(execute=True):
        create_contact(
            world.agente.user, email="pedro@acme.test", full_name="Pedro Pérez", organization=world.acme
        )
        create_contact_from_email("marta@acme.test", "Marta", world.acme)

    assert receiver.events() == ["contact.created", "contact.created"]
    contacts = [request.verified["data"]["contact"] for request in receiver.requests]
    assert [contact["email"] for contact in contacts] == ["pedro@acme.test", "marta@acme.test"]
    assert contacts[0]["companies"] == [{"id": world.acme.pk, "name": "Acme S.A.S.", "primary": True}]


def test_only_the_subscribed_events_are_queued(world, subscribe):
    subscribe(EventType.TICKET_CLOSED)
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_note(world.agente.user, ticket, text="Nada que contar.")
    assert queued() == []


def test_a_turned_off_subscription_gets_nothing(world, subscribe):
    subscription = subscribe()
    subscription.is_active = False
    subscription.save()
    open_ticket(world.luis, world.soporte)
    assert queued() == []


def test_a_rolled_back_change_queues_nothing(world, subscribe, receiver, django_capture_on_commit_callbacks):
    subscribe()
    ticket = open_ticket(world.luis, world.soporte)
    before = len(queued())

    class Abort(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Abort), transaction.atomic():
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Esto no se envía.")
        actions.change_status(world.agente.user, ticket, Status.objects.get(kind=StatusKind.PENDING))
        assert len(queued()) > before  # written in the change's own transaction…
        raise Abort

    assert len(queued()) == before  # …and gone with it
    assert receiver.requests == []


def test_the_deliveries_are_written_in_the_actions_transaction(world, subscribe, monkeypatch):
    """A crash between the ticket's commit and a later write cannot lose the event: the
    delivery is written before the action's own transaction ends."""
    subscribe(EventType.TICKET_CREATED, EventType.MESSAGE_CREATED, EventType.TICKET_UPDATED)
    depths: list[int] = []
    queue_for = events.queue_for

    def watched(event):
        depths.append(len(connection.savepoint_ids))
        queue_for(event)

    monkeypatch.setattr(events, "queue_for", watched)
    outside = len(connection.savepoint_ids)
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Voy.")
    actions.close_ticket(world.agente.user, ticket)

    assert len(depths) == 3
    assert all(depth > outside for depth in depths)


def test_a_change_costs_no_query_more_without_subscriptions(world, monkeypatch):
    """Every ticket change asks whether anyone subscribes: the answer comes from the cache."""
    ticket = open_ticket(world.luis, world.soporte)  # the first change reads the subscriptions once
    urgent = Priority.objects.exclude(pk=ticket.priority_id).order_by("level").first()
    assert urgent is not None

    def change(priority) -> int:
        ticket.refresh_from_db()
        with CaptureQueriesContext(connection) as queries:
            actions.change_ticket(
                world.agente.user, ticket, priority=priority, subject=f"Asunto {priority.pk}"
            )
        return len(queries)

    with_webhooks = change(urgent)
    monkeypatch.setattr(events, "queue_for", lambda event: None)
    without_webhooks = change(Priority.objects.exclude(pk=urgent.pk).get(is_default=True))

    assert with_webhooks == without_webhooks
