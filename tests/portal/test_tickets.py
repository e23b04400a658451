"""The contacts' ticket pages: open, read, reply, modify, list, search, export."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from atiende.tickets import actions
from atiende.tickets.models import Channel, Contract, LinkKind, Service, StatusKind, Ticket, TicketType
from tests.factories import LocationFactory, open_ticket


@pytest.fixture
def on_demand(db):
    return Service.objects.get(is_on_demand=True)


def _new_ticket_data(world, **values):
    data = {
        "type": TicketType.objects.get(is_default=True).pk,
        "queue": world.soporte.pk,
        "service": "on-demand",
        "subject": "Sin internet en recepción",
        "text": "Desde las 8:00 no hay internet en recepción (Sede Norte).",
    }
    data.update(values)
    return data


def test_a_contact_opens_a_ticket_with_files_and_lands_on_its_page(client, world, on_demand):
    client.force_login(world.luis.user)
    files = [SimpleUploadedFile("captura.png", b"\x89PNG\r\n"), SimpleUploadedFile("ping.txt", b"timeout")]

    response = client.post(reverse("portal:ticket-new"), {**_new_ticket_data(world), "attachments": files})

    ticket = Ticket.objects.get()
    assert response["Location"] == reverse("portal:ticket-detail", args=[ticket.number]) + "?sent=new"
    assert (ticket.requester, ticket.service, ticket.channel) == (world.luis, on_demand, Channel.WEB)
    assert sorted(ticket.attachments.values_list("filename", flat=True)) == ["captura.png", "ping.txt"]
    page = client.get(response["Location"]).content.decode()
    assert f"#{ticket.number}" in page
    assert "Sin internet en recepción" in page


def test_the_form_offers_the_companys_contracts_and_on_demand_with_its_rate(client, world, on_demand):
    on_demand.hourly_rate = 120000
    on_demand.save()
    service = Service.objects.create(name="Mesa de ayuda 8x5")
    Contract.objects.create(organization=world.acme, service=service, valid_from="2020-01-01")
    Contract.objects.create(
        organization=world.globex, service=Service.objects.create(name="Otro"), valid_from="2020-01-01"
    )
    client.force_login(world.luis.user)

    html = client.get(reverse("portal:ticket-new")).content.decode()

    assert "Mesa de ayuda 8x5" in html
    assert "Otro" not in html
    assert "120.000" in html
    assert "Fecha, hora y lugar del incidente" in html


def test_missing_fields_rerender_with_messages_and_keep_what_was_typed(client, world):
    client.force_login(world.luis.user)

    response = client.post(reverse("portal:ticket-new"), _new_ticket_data(world, subject="", queue=""))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Desde las 8:00 no hay internet" in html
    assert response.context["form"].errors.keys() == {"subject", "queue"}
    assert not Ticket.objects.exists()


def test_a_refused_file_gives_its_reason_and_keeps_the_text(client, world):
    client.force_login(world.luis.user)
    data = {**_new_ticket_data(world), "attachments": [SimpleUploadedFile("setup.exe", b"MZ")]}

    response = client.post(reverse("portal:ticket-new"), data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "setup.exe" in html
    assert "Sin internet en recepción" in html
    assert not Ticket.objects.exists()


def test_a_site_of_another_company_is_not_accepted(client, world):
    client.force_login(world.luis.user)
    foreign = world.globex.locations.get()

    response = client.post(reverse("portal:ticket-new"), _new_ticket_data(world, location=foreign.pk))

    assert "location" in response.context["form"].errors


def test_a_new_ticket_can_reference_a_closed_one(client, world):
    old = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, old)
    client.force_login(world.luis.user)

    form = client.get(reverse("portal:ticket-new") + f"?continues={old.number}")
    assert f'value="{old.number}"' in form.content.decode()
    client.post(reverse("portal:ticket-new"), _new_ticket_data(world, continues=old.number))

    new = Ticket.objects.exclude(pk=old.pk).get()
    assert new.links_out.get().target == old
    assert new.links_out.get().kind == LinkKind.CONTINUES


def test_referencing_a_ticket_of_another_company_says_it_was_not_found(client, world):
    foreign = open_ticket(world.carla, world.soporte)
    client.force_login(world.luis.user)

    response = client.post(reverse("portal:ticket-new"), _new_ticket_data(world, continues=foreign.number))

    assert "continues" in response.context["form"].errors
    assert Ticket.objects.count() == 1


def test_the_ticket_page_shows_public_messages_and_never_internal_notes(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Estamos revisando el router.")
    actions.add_note(world.agente.user, ticket, text="El cliente no paga a tiempo")
    client.force_login(world.luis.user)

    html = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()

    assert "Estamos revisando el router." in html
    assert "no paga a tiempo" not in html


def test_a_contact_replies_with_a_file(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)

    response = client.post(
        reverse("portal:ticket-reply", args=[ticket.number]),
        {"text": "Adjunto el registro.", "attachments": [SimpleUploadedFile("error.log", b"E42")]},
    )

    assert response.status_code == 302
    last = ticket.messages.last()
    assert last is not None
    assert last.body_text == "Adjunto el registro."
    assert last.attachments.get().filename == "error.log"


def test_an_empty_reply_is_refused_with_a_message(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)

    response = client.post(reverse("portal:ticket-reply", args=[ticket.number]), {"text": "  "})

    assert response.status_code == 400
    assert "Escriba un mensaje" in response.content.decode()


def test_a_closed_ticket_offers_a_new_ticket_instead_of_a_reply_box(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.close_ticket(world.agente.user, ticket)
    client.force_login(world.luis.user)

    html = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    refused = client.post(
        reverse("portal:ticket-reply", args=[ticket.number]), {"text": "Otra vez"}, follow=True
    )

    assert f"?continues={ticket.number}" in html
    assert f"Abrir nuevo ticket referenciando #{ticket.number}" in html
    assert 'name="text"' not in html
    assert "está cerrado" in refused.content.decode()
    assert ticket.messages.count() == 1


def test_the_requester_modifies_subject_and_location_and_history_says_so(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    site = LocationFactory.create(organization=world.acme, name="Bodega")
    client.force_login(world.luis.user)

    client.post(
        reverse("portal:ticket-edit", args=[ticket.number]),
        {"subject": "Sin red en bodega", "type": ticket.type_id, "location": site.pk},
    )

    ticket.refresh_from_db()
    assert (ticket.subject, ticket.location) == ("Sin red en bodega", site)
    assert set(
        ticket.history.filter(actor=world.luis.user, action="changed").values_list("field", flat=True)
    ) == {
        "subject",
        "location",
    }


def test_a_colleague_cannot_modify_someone_elses_ticket(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.ana.user)

    assert client.get(reverse("portal:ticket-edit", args=[ticket.number])).status_code == 404


def test_my_tickets_splits_open_and_closed(client, world):
    open_one = open_ticket(world.luis, world.soporte, subject="Abierto uno")
    closed_one = open_ticket(world.luis, world.soporte, subject="Cerrado uno")
    actions.close_ticket(world.agente.user, closed_one)
    client.force_login(world.luis.user)

    open_page = client.get(reverse("portal:tickets"))
    closed_page = client.get(reverse("portal:tickets") + "?state=closed")

    assert [row.pk for row in open_page.context["page"].object_list] == [open_one.pk]
    assert [row.pk for row in closed_page.context["page"].object_list] == [closed_one.pk]
    assert open_page.context["state_counts"] == {"open": 1, "closed": 1}


def test_company_tickets_show_colleagues_tickets_with_who_created_them(client, world):
    open_ticket(world.luis, world.soporte, subject="Del colega")
    client.force_login(world.ana.user)

    page = client.get(reverse("portal:company-tickets"))

    assert "Del colega" in page.content.decode()
    assert "Luis Acme" in page.content.decode()


def test_company_tickets_are_a_404_without_company_view(client, world):
    client.force_login(world.luis.user)

    assert client.get(reverse("portal:company-tickets")).status_code == 404


@pytest.mark.parametrize("query", ["conexion", "CONEXIÓN", "router"])
def test_search_in_content_is_accent_and_case_insensitive(client, world, query):
    ticket = open_ticket(world.luis, world.soporte, subject="Pérdida de conexión")
    actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text="Reinicie el router.")
    open_ticket(world.luis, world.soporte, subject="Otra cosa")
    client.force_login(world.luis.user)

    page = client.get(reverse("portal:search"), {"q": query})

    assert [row.pk for row in page.context["page"].object_list] == [ticket.pk]


def test_filters_and_sort_live_in_the_url(client, world):
    question = TicketType.objects.get(name_es="Pregunta")
    first = open_ticket(world.luis, world.soporte, type=question)
    second = open_ticket(world.luis, world.soporte, type=question)
    open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)

    page = client.get(reverse("portal:tickets"), {"type": question.pk, "sort": "oldest"})

    assert [row.pk for row in page.context["page"].object_list] == [first.pk, second.pk]
    assert f"type={question.pk}" in page.context["query"]


def test_a_bad_filter_value_is_ignored_not_an_error(client, world):
    open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)

    page = client.get(reverse("portal:tickets"), {"type": "nope", "created_from": "ayer", "page": "999"})

    assert page.status_code == 200
    assert page.context["page"].paginator.count == 1


def test_lists_export_what_is_shown_to_excel_and_csv(client, world):
    open_ticket(world.luis, world.soporte, subject="Conexión lenta")
    open_ticket(world.luis, world.soporte, subject="Impresora")
    client.force_login(world.luis.user)

    xlsx = client.get(reverse("portal:tickets"), {"q": "conexion", "export": "xlsx"})
    csv = client.get(reverse("portal:tickets"), {"q": "conexion", "export": "csv"})

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("Número", "Asunto")
    assert [row[1] for row in rows[1:]] == ["Conexión lenta"]
    assert csv["Content-Type"].startswith("text/csv")
    assert "Conexión lenta" in csv.content.decode("utf-8-sig")
    assert "Impresora" not in csv.content.decode("utf-8-sig")


@pytest.mark.parametrize("name", ["portal:tickets", "portal:company-tickets", "portal:search"])
def test_lists_run_a_constant_number_of_queries(client, world, name, django_assert_max_num_queries):
    client.force_login(world.ana.user)
    open_ticket(world.ana, world.soporte)
    client.get(reverse(name))
    with django_assert_max_num_queries(30) as baseline:
        client.get(reverse(name))
    for _ in range(6):
        open_ticket(world.ana, world.soporte)
        open_ticket(world.luis, world.soporte)
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get(reverse(name))


def test_the_ticket_page_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)
    url = reverse("portal:ticket-detail", args=[ticket.number])
    client.get(url)
    with django_assert_max_num_queries(40) as baseline:
        client.get(url)
    kept_view = len(baseline.captured_queries)
    for index in range(5):
        actions.add_reply(world.agente.user, ticket, channel=Channel.WEB, text=f"Respuesta {index}")
    client.get(url)  # draws the new messages once (portal/thread.py), in one query whatever their number
    with django_assert_max_num_queries(kept_view):
        client.get(url)


def test_a_contact_of_two_companies_switches_company(client, world):
    open_ticket(world.sofia, world.soporte, organization=world.globex, subject="En Globex")
    client.force_login(world.sofia.user)
    assert "En Globex" not in client.get(reverse("portal:tickets")).content.decode()

    client.post(reverse("portal:company-switch"), {"company": world.globex.pk})

    assert "En Globex" in client.get(reverse("portal:tickets")).content.decode()
    client.post(reverse("portal:ticket-new"), _new_ticket_data(world))
    assert Ticket.objects.filter(organization=world.globex).count() == 2


def test_a_contact_cannot_switch_to_a_company_they_do_not_belong_to(client, world):
    client.force_login(world.luis.user)

    assert client.post(reverse("portal:company-switch"), {"company": world.globex.pk}).status_code in {
        302,
        404,
    }
    assert client.get(reverse("portal:tickets")).context["organization"] == world.acme


def test_status_changes_are_visible_with_the_portal_wording(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.PENDING))
    client.force_login(world.luis.user)

    assert (
        "Esperando su respuesta"
        in client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    )


def test_the_lists_take_the_queue_from_the_vocabulary_and_name_requesters_only_where_shown(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    open_ticket(world.ana, world.soporte, subject="Del colega")
    open_ticket(world.luis, world.soporte, subject="Mío")
    client.force_login(world.luis.user)
    client.get(reverse("portal:tickets"))
    world.soporte.name = "Mesa de Ayuda"
    world.soporte.save()

    with CaptureQueriesContext(connection) as captured:
        mine = client.get(reverse("portal:tickets")).content.decode()
    (listed,) = [
        query["sql"] for query in captured.captured_queries if '"tickets_ticket"."subject"' in query["sql"]
    ]
    assert '"tickets_queue"' not in listed and '"accounts_user"' not in listed
    assert "Mío" in mine and "Mesa de Ayuda" in mine and "Del colega" not in mine

    client.force_login(world.ana.user)  # sees the company's tickets
    company = client.get(reverse("portal:company-tickets")).content.decode()
    assert "Del colega" in company and "Mío" in company and world.luis.user.full_name in company
