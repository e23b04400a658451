"""The desk's incident card and pages, the portal's banner, suggestions and "me afecta",
including what another company's people get when they try."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from atiende.incidents import actions
from atiende.incidents.models import IncidentChild, IncidentState, SimilarTicket
from atiende.tickets.models import StatusKind, Ticket
from tests.factories import open_ticket

MAIL = "El correo no llega a Outlook"
MAIL_TEXT = "Desde las 9:10 el correo de Outlook no recibe mensajes en toda la oficina."


def test_the_desk_card_flags_a_similar_ticket_and_one_click_attaches_it(client, world, open_checked):
    first = open_checked(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    second = open_checked(world.carla, world.soporte, subject=MAIL, text=MAIL_TEXT)
    client.force_login(world.agente.user)
    card = client.get(reverse("desk:ticket-incident", args=[second.number]))
    assert f"#{first.number}" in card.content.decode()
    assert "Posible mismo incidente" in card.content.decode()
    response = client.post(
        reverse("desk:ticket-incident-attach", args=[second.number]), {"incident": first.number}
    )
    assert response.status_code == 302
    child = IncidentChild.objects.get(ticket=second)
    assert child.incident.ticket == first


def test_an_agent_cannot_attach_to_a_ticket_they_do_not_see(client, world):
    hidden = open_ticket(world.carla, world.redes, subject=MAIL, text=MAIL_TEXT)
    mine = open_ticket(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    client.force_login(world.agente.user)
    response = client.post(
        reverse("desk:ticket-incident-attach", args=[mine.number]), {"incident": hidden.number}
    )
    assert response.status_code == 404
    assert not IncidentChild.objects.exists()
    huge = client.post(reverse("desk:ticket-incident-attach", args=[mine.number]), {"incident": "9" * 40})
    assert huge.status_code == 404


def test_declaring_from_the_ticket_page_opens_the_incident_page(client, world):
    ticket = open_ticket(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    client.force_login(world.agente.user)
    response = client.post(
        reverse("desk:ticket-incident-declare", args=[ticket.number]),
        {"title": "Correo caído desde las 9:10", "pause_children_sla": "on"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Correo caído desde las 9:10" in response.content.decode()
    assert ticket.major_incident.pause_children_sla


def test_the_incident_page_sends_an_update_and_resolves(client, world, incident):
    child = open_ticket(world.carla, world.soporte)
    actions.attach_ticket(world.agente.user, incident, child)
    client.force_login(world.agente.user)
    page = client.get(reverse("desk:incident", args=[incident.pk]))
    assert child.subject in page.content.decode()
    sent = client.post(reverse("desk:incident-update", args=[incident.pk]), {"text": "Seguimos trabajando."})
    assert sent.status_code == 302
    assert child.messages.filter(body_text="Seguimos trabajando.").exists()
    empty = client.post(reverse("desk:incident-resolve", args=[incident.pk]), {"resolve-text": ""})
    assert empty.status_code == 400
    done = client.post(reverse("desk:incident-resolve", args=[incident.pk]), {"resolve-text": "Resuelto."})
    assert done.status_code == 302
    incident.refresh_from_db()
    child.refresh_from_db()
    assert incident.state == IncidentState.RESOLVED
    assert child.status.kind == StatusKind.RESOLVED


def test_an_agent_of_another_queue_gets_404_on_the_incident(client, world, incident):
    client.force_login(world.otro.user)
    assert client.get(reverse("desk:incident", args=[incident.pk])).status_code == 404
    assert client.post(reverse("desk:incident-update", args=[incident.pk]), {"text": "x"}).status_code == 404
    assert client.get(reverse("desk:incidents")).content.decode().count(incident.title) == 0


def test_the_portal_banner_shows_only_to_the_affected_companys_contacts(client, world, incident):
    client.force_login(world.ana.user)
    assert incident.title in client.get(reverse("portal:home")).content.decode()
    client.force_login(world.carla.user)
    assert incident.title not in client.get(reverse("portal:home")).content.decode()
    assert (
        incident.title
        not in client.get(reverse("portal:kb-suggestions"), {"subject": "correo"}).content.decode()
    )


def test_the_suggestions_on_new_ticket_list_the_companys_incident(client, world, incident):
    client.force_login(world.luis.user)
    response = client.get(reverse("portal:kb-suggestions"), {"subject": "impresora"})
    assert incident.title in response.content.decode()
    assert reverse("portal:incident-affects-me", args=[incident.pk]) in response.content.decode()


def test_me_afecta_gives_the_contact_one_ticket_under_the_incident(client, world, incident):
    client.force_login(world.luis.user)
    url = reverse("portal:incident-affects-me", args=[incident.pk])
    response = client.post(url, {"text": "x" * 50_000})
    ticket = Ticket.objects.get(requester=world.luis, incident_child__incident=incident)
    assert response.url == reverse("portal:ticket-detail", args=[ticket.number])
    assert len(ticket.messages.get().body_text) <= 2000
    assert client.post(url).url == response.url  # sent again: the same ticket
    assert Ticket.objects.filter(requester=world.luis, incident_child__incident=incident).count() == 1


def test_me_afecta_with_another_companys_incident_is_a_404(client, world, incident):
    client.force_login(world.carla.user)
    before = Ticket.objects.count()
    assert client.post(reverse("portal:incident-affects-me", args=[incident.pk])).status_code == 404
    assert client.post(reverse("portal:incident-affects-me", args=[10**9])).status_code == 404
    assert Ticket.objects.count() == before


def test_me_afecta_on_a_resolved_incident_is_a_404(client, world, incident):
    actions.resolve_incident(world.agente.user, incident, text="Listo.")
    client.force_login(world.ana.user)
    assert client.post(reverse("portal:incident-affects-me", args=[incident.pk])).status_code == 404
    assert incident.title not in client.get(reverse("portal:home")).content.decode()


def test_a_flag_on_a_ticket_the_agent_cannot_see_is_not_shown(client, world, open_checked):
    hidden = open_checked(world.carla, world.redes, subject=MAIL, text=MAIL_TEXT)
    mine = open_checked(world.luis, world.soporte, subject=MAIL, text=MAIL_TEXT)
    assert SimilarTicket.objects.get(ticket=mine).similar_to == hidden
    client.force_login(world.agente.user)
    card = client.get(reverse("desk:ticket-incident", args=[mine.number])).content.decode()
    assert f"#{hidden.number}" not in card


def test_a_contact_who_said_me_afecta_sees_their_ticket_instead_of_the_button(client, world, incident):
    ticket = actions.report_affected(world.ana.user, incident, organization=world.acme)
    client.force_login(world.ana.user)
    page = client.get(reverse("portal:home")).content.decode()
    assert reverse("portal:ticket-detail", args=[ticket.number]) in page
    assert reverse("portal:incident-affects-me", args=[incident.pk]) not in page


def test_a_childs_portal_page_says_it_is_part_of_the_known_incident(client, world, incident):
    ticket = actions.report_affected(world.ana.user, incident, organization=world.acme)
    client.force_login(world.ana.user)
    page = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    assert "Forma parte de un incidente conocido" in page


def test_the_banner_follows_the_incident_at_once_and_costs_no_query_without_one(client, world):
    """The companies an active incident affects are kept per process: a company without
    one reads nothing for the banner, and declaring, gathering another company's ticket
    and resolving show on the next page."""
    client.force_login(world.carla.user)
    client.get(reverse("portal:tickets"))  # this process reads the affected companies once
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("portal:tickets"))
    assert not [q for q in captured.captured_queries if "incidents_incident" in q["sql"]]

    cause = open_ticket(world.luis, world.soporte, subject="Correo caído")
    incident = actions.declare_incident(world.agente.user, cause, title="Correo caído en todas las sedes")
    assert incident.title not in client.get(reverse("portal:tickets")).content.decode()

    actions.attach_ticket(world.supervisor.user, incident, open_ticket(world.carla, world.redes))
    assert incident.title in client.get(reverse("portal:tickets")).content.decode()

    actions.resolve_incident(world.supervisor.user, incident, text="Ya funciona")
    assert incident.title not in client.get(reverse("portal:tickets")).content.decode()
