import hashlib

import pytest

from atiende.tickets import actions
from atiende.tickets.attachments import Upload
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import (
    Channel,
    Contract,
    HistoryEvent,
    LinkKind,
    MessageKind,
    Priority,
    Service,
    StatusKind,
    TicketType,
)
from tests.factories import LocationFactory, open_ticket


def test_a_contact_opens_a_ticket_with_its_first_message(world):
    ticket = open_ticket(world.luis, world.soporte, subject="  Sin   internet en recepción ")

    assert ticket.number > 0
    assert ticket.subject == "Sin internet en recepción"
    assert ticket.organization == world.acme
    assert ticket.requester == world.luis
    assert ticket.created_by == world.luis.user
    assert ticket.channel == Channel.WEB
    assert ticket.status.kind == StatusKind.NEW
    assert ticket.type == TicketType.objects.get(is_default=True)
    assert ticket.type.name_es == "Incidente"
    assert ticket.priority == Priority.objects.get(is_default=True)
    message = ticket.messages.get()
    assert message.kind == MessageKind.PUBLIC
    assert message.author == world.luis.user
    assert "impresora" in message.body_text


def test_it_writes_the_creation_to_the_history(world):
    ticket = open_ticket(world.luis, world.soporte)

    event = HistoryEvent.objects.get(ticket=ticket)
    assert (event.action, event.actor, event.new_value) == ("created", world.luis.user, f"#{ticket.number}")


def test_ticket_numbers_grow_one_by_one(world):
    first = open_ticket(world.luis, world.soporte)
    second = open_ticket(world.ana, world.soporte)

    assert second.number == first.number + 1


def test_an_agent_registers_a_phone_ticket_on_a_contacts_behalf(world):
    ticket = open_ticket(world.carla, world.redes, actor=world.otro.user, channel=Channel.PHONE)

    assert ticket.requester == world.carla
    assert ticket.created_by == world.otro.user
    assert ticket.channel == Channel.PHONE
    assert ticket.messages.get().channel == Channel.PHONE


def test_a_contact_of_two_companies_picks_the_company(world):
    ticket = open_ticket(world.sofia, world.soporte, organization=world.globex)

    assert ticket.organization == world.globex


def test_a_contact_cannot_open_a_ticket_for_another_company(world):
    with pytest.raises(NotAllowed):
        open_ticket(world.luis, world.soporte, organization=world.globex)


def test_a_contact_cannot_open_a_ticket_in_someone_elses_name(world):
    with pytest.raises(NotAllowed):
        open_ticket(world.ana, world.soporte, actor=world.luis.user)


def test_an_agent_cannot_open_a_ticket_for_a_company_the_contact_is_not_in(world):
    with pytest.raises(NotAllowed):
        open_ticket(world.carla, world.soporte, organization=world.acme, actor=world.agente.user)


def test_an_inactive_contact_cannot_open_tickets(world):
    world.luis.user.is_active = False
    world.luis.user.save()

    with pytest.raises(NotAllowed):
        open_ticket(world.luis, world.soporte)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 251}, "subject"),
        ({"text": "  ", "html": ""}, "text"),
        ({"text": "", "html": "<script>alert(1)</script>"}, "text"),
    ],
)
def test_it_refuses_missing_or_invalid_values_naming_the_field(world, values, field):
    with pytest.raises(InvalidValue) as refused:
        open_ticket(world.luis, world.soporte, **values)

    assert refused.value.field == field
    assert not world.luis.tickets.exists()


def test_it_refuses_a_site_of_another_company(world):
    with pytest.raises(InvalidValue) as refused:
        open_ticket(world.luis, world.soporte, location=world.globex.locations.get())

    assert refused.value.field == "location"


def test_it_accepts_a_site_of_the_company(world):
    site = LocationFactory.create(organization=world.acme, name="Bodega")

    assert open_ticket(world.luis, world.soporte, location=site).location == site


def test_on_demand_support_is_offered_without_a_contract(world):
    on_demand = Service.objects.get(is_on_demand=True)

    ticket = open_ticket(world.luis, world.soporte, service=on_demand)

    assert (ticket.service, ticket.contract) == (on_demand, None)


def test_a_contracted_service_uses_the_contract_in_force(world):
    service = Service.objects.create(name="Mesa de ayuda 8x5")
    contract = Contract.objects.create(organization=world.acme, service=service, valid_from="2020-01-01")

    ticket = open_ticket(world.luis, world.soporte, service=service)

    assert (ticket.service, ticket.contract) == (service, contract)


def test_a_service_without_a_contract_in_force_is_refused(world):
    service = Service.objects.create(name="Mesa de ayuda 8x5")
    Contract.objects.create(
        organization=world.acme, service=service, valid_from="2020-01-01", valid_to="2020-12-31"
    )

    with pytest.raises(InvalidValue) as refused:
        open_ticket(world.luis, world.soporte, service=service)

    assert refused.value.field == "service"
    assert "demanda" in refused.value.message or "on-demand" in refused.value.message


def test_another_companys_contract_is_refused(world):
    service = Service.objects.create(name="Soporte de redes")
    contract = Contract.objects.create(organization=world.globex, service=service, valid_from="2020-01-01")

    with pytest.raises(InvalidValue):
        open_ticket(world.luis, world.soporte, contract=contract)


def test_files_are_stored_with_name_size_type_and_checksum(world):
    ticket = open_ticket(
        world.luis,
        world.soporte,
        attachments=[Upload("../../etc/registro.log", b"error 42\n"), Upload("captura.png", b"\x89PNG....")],
    )

    log, image = ticket.attachments.order_by("id")
    assert (log.filename, log.size, log.content_type) == ("registro.log", 9, "text/plain")
    assert log.sha256 == hashlib.sha256(b"error 42\n").hexdigest()
    assert log.file.read() == b"error 42\n"
    assert ".." not in log.file.name
    assert image.content_type == "image/png"


def test_a_refused_file_stores_nothing(world):
    with pytest.raises(InvalidValue) as refused:
        open_ticket(world.luis, world.soporte, attachments=[Upload("virus.exe", b"MZ")])

    assert "virus.exe" in refused.value.message
    assert not world.luis.tickets.exists()


def test_a_file_over_the_limit_is_refused_with_the_limit(world, settings):
    settings.ATIENDE_MAX_ATTACHMENT_MB = 1

    with pytest.raises(InvalidValue) as refused:
        open_ticket(world.luis, world.soporte, attachments=[Upload("big.zip", b"0" * (1024 * 1024 + 1))])

    assert "1 MB" in refused.value.message


def test_a_new_ticket_can_continue_a_closed_one(world):
    old = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.luis.user, old)

    new = open_ticket(world.luis, world.soporte, continues=old)

    link = new.links_out.get()
    assert (link.target, link.kind) == (old, LinkKind.CONTINUES)
    assert old.history.filter(action="linked").exists()
    assert new.history.filter(action="linked").exists()


def test_it_cannot_continue_a_ticket_the_contact_cannot_see(world):
    other = open_ticket(world.ana, world.soporte)

    with pytest.raises(InvalidValue) as refused:
        open_ticket(world.luis, world.soporte, continues=other)

    assert refused.value.field == "continues"


def test_the_default_type_is_kept_and_a_new_default_applies_at_once(world, django_assert_num_queries):
    first = open_ticket(world.luis, world.soporte)
    assert first.type.is_default
    # Read once per process: opening the next ticket asks nothing about types.
    with django_assert_num_queries(0):
        assert actions.default_type().pk == first.type_id
    request = TicketType.objects.create(name_es="Solicitud", name_en="Request", position=9)
    TicketType.objects.filter(is_default=True).update(is_default=False)  # no save: the watch does not see it
    request.is_default = True
    request.save()

    assert open_ticket(world.luis, world.soporte).type == request
    # Each ticket gets its own copy of the kept row.
    assert actions.default_type() is not actions.default_type()
