"""The ticket's JSON is written out directly for speed; it must say exactly what DRF's
walk over the declared fields (the schema's source) says, for every shape of ticket."""

from __future__ import annotations

import itertools

import pytest
from django.utils import timezone

from atiende.api.resources.serializers import EXPANDABLE, TicketOut
from atiende.api.resources.views.common import tickets_for_api
from atiende.tickets import actions
from atiende.tickets.models import Category, Channel, StatusKind, Ticket
from tests.factories import open_ticket


@pytest.fixture
def shapes(world) -> list[int]:
    """A bare ticket; one with everything set (category, assignee, tags, a reply, resolved
    and closed times); one from a contact with an empty phone."""
    bare = open_ticket(world.luis, world.soporte, subject="Solo el asunto")
    full = open_ticket(world.ana, world.soporte, subject="Con todo «comillas» y ñ")
    full.category = Category.objects.create(name_es="Correo", name_en="Mail")
    full.save(update_fields=["category"])
    actions.assign_ticket(world.agente.user, full, world.agente)
    actions.change_ticket(world.agente.user, full, tags=["vpn", "correo"])
    actions.add_reply(world.agente.user, full, channel=Channel.WEB, text="Lo revisamos.")
    actions.change_status(world.agente.user, full, actions.default_status(StatusKind.RESOLVED))
    Ticket.objects.filter(pk=full.pk).update(closed_at=timezone.now())
    other = open_ticket(world.carla, world.redes, subject="Otra compañía")
    return [bare.pk, full.pk, other.pk]


@pytest.mark.parametrize("contact_view", [False, True])
@pytest.mark.parametrize(
    "expand",
    [frozenset(c) for n in range(len(EXPANDABLE) + 1) for c in itertools.combinations(EXPANDABLE, n)],
)
def test_the_direct_representation_equals_the_declared_fields(world, shapes, expand, contact_view):
    rows = tickets_for_api(world.admin.user, Ticket.objects.filter(pk__in=shapes).order_by("pk"), expand)
    context = {"expand": expand, "contact_view": contact_view}
    for ticket in rows:
        serializer = TicketOut(context=context)
        direct, declared = serializer.to_representation(ticket), serializer.declared_representation(ticket)
        assert direct == declared
        assert list(direct) == list(declared)  # same keys, same order
        assert ("messages" in direct) == ("messages" in expand)
