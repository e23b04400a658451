"""What a contact sends reaches the desk once, and a failed send loses nothing: one-time
form tokens, our own page for an expired session, the way back to a reply's draft."""

import pytest
from django.test import Client
from django.urls import reverse

from atiende.portal import once
from atiende.tickets.models import Message, MessageKind, Ticket, TicketType
from tests.factories import open_ticket


def _new_ticket_data(world, **values):
    data = {
        "type": TicketType.objects.get(is_default=True).pk,
        "queue": world.soporte.pk,
        "service": "on-demand",
        "subject": "Sin internet en recepción",
        "text": "Desde las 8:00 no hay internet en recepción.",
        "form_token": "a" * 24,
    }
    data.update(values)
    return data


def _public_messages(ticket):
    return Message.objects.filter(ticket=ticket, kind=MessageKind.PUBLIC).count()


def test_the_new_ticket_form_carries_a_fresh_token_each_time(client, world):
    client.force_login(world.luis.user)

    first = client.get(reverse("portal:ticket-new")).context["form_token"]
    second = client.get(reverse("portal:ticket-new")).context["form_token"]

    assert first != second
    assert len(first) >= 16


def test_sending_the_same_form_again_shows_the_first_ticket_instead_of_opening_another(client, world):
    client.force_login(world.luis.user)
    data = _new_ticket_data(world)

    first = client.post(reverse("portal:ticket-new"), data)
    again = client.post(reverse("portal:ticket-new"), data, follow=True)

    ticket = Ticket.objects.get()
    assert first["Location"].startswith(reverse("portal:ticket-detail", args=[ticket.number]))
    assert again.redirect_chain[-1][0] == reverse("portal:ticket-detail", args=[ticket.number])
    assert f"#{ticket.number}" in again.content.decode()
    assert "ya se había enviado" in again.content.decode()


def test_a_new_form_opens_a_new_ticket(client, world):
    client.force_login(world.luis.user)

    client.post(reverse("portal:ticket-new"), _new_ticket_data(world))
    client.post(reverse("portal:ticket-new"), _new_ticket_data(world, form_token="b" * 24))

    assert Ticket.objects.count() == 2


def test_a_refused_send_keeps_its_token_so_the_corrected_send_still_counts_once(client, world):
    client.force_login(world.luis.user)

    refused = client.post(reverse("portal:ticket-new"), _new_ticket_data(world, subject=""))
    client.post(reverse("portal:ticket-new"), _new_ticket_data(world))
    client.post(reverse("portal:ticket-new"), _new_ticket_data(world))

    assert refused.status_code == 400
    assert refused.context["form_token"] == "a" * 24
    assert Ticket.objects.count() == 1


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "<script>alert(1)</script>aaaaaaaa", "a b" * 10])
def test_a_forged_or_malformed_token_is_ignored_not_trusted(client, world, token):
    client.force_login(world.luis.user)

    client.post(reverse("portal:ticket-new"), _new_ticket_data(world, form_token=token))
    response = client.post(reverse("portal:ticket-new"), _new_ticket_data(world, form_token=token))

    # Without a usable token each send is its own: nothing is matched to a ticket.
    assert Ticket.objects.count() == 2
    assert response.status_code == 302


def test_another_persons_token_does_not_reveal_their_ticket(client, world):
    ana = Client()
    ana.force_login(world.ana.user)
    ana.post(reverse("portal:ticket-new"), _new_ticket_data(world))
    ticket = Ticket.objects.get()
    client.force_login(world.carla.user)

    response = client.post(reverse("portal:ticket-new"), _new_ticket_data(world))

    # Carla's send is judged on its own (her company has no queue choice problem here):
    # it never lands on Ana's ticket.
    assert response.get("Location", "") != reverse("portal:ticket-detail", args=[ticket.number])


def test_a_reply_sent_twice_is_added_once(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)
    url = reverse("portal:ticket-reply", args=[ticket.number])
    data = {"text": "Sigue sin funcionar.", "form_token": "r" * 24}

    client.post(url, data)
    again = client.post(url, data, follow=True)

    assert _public_messages(ticket) == 2
    assert "no se agregó dos veces" in again.content.decode()


def test_a_reply_token_used_on_another_ticket_adds_the_reply_there(client, world):
    first = open_ticket(world.luis, world.soporte)
    second = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)
    data = {"text": "Sigue sin funcionar.", "form_token": "r" * 24}

    client.post(reverse("portal:ticket-reply", args=[first.number]), data)
    client.post(reverse("portal:ticket-reply", args=[second.number]), data)

    assert (_public_messages(first), _public_messages(second)) == (2, 2)


def test_the_ticket_page_after_a_send_names_the_draft_to_forget(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)
    url = reverse("portal:ticket-detail", args=[ticket.number])

    after_new = client.get(url + "?sent=new").content.decode()
    after_reply = client.get(url + "?sent=reply").content.decode()
    forged = client.get(url + '?sent="><script>').content.decode()

    assert f'data-draft-clear="atiende:portal:{world.luis.user.pk}:new"' in after_new
    assert f'data-draft-clear="atiende:portal:{world.luis.user.pk}:reply:{ticket.number}"' in after_reply
    assert "data-draft-clear" not in forged
    assert '<script>"' not in forged


def test_signing_in_again_after_an_expired_reply_leads_back_to_the_ticket(client, world):
    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)

    response = client.get(reverse("portal:ticket-reply", args=[ticket.number]))

    assert response["Location"] == reverse("portal:ticket-detail", args=[ticket.number]) + "#reply-title"


def test_the_reply_address_of_another_companys_ticket_is_not_found(client, world):
    ticket = open_ticket(world.carla, world.soporte)
    client.force_login(world.luis.user)

    assert client.get(reverse("portal:ticket-reply", args=[ticket.number])).status_code == 404
    assert client.post(reverse("portal:ticket-reply", args=[ticket.number]), {"text": "x"}).status_code == 404


def test_an_expired_session_shows_our_page_with_the_way_back_to_the_form(world):
    browser = Client(enforce_csrf_checks=True)
    form_url = reverse("portal:ticket-new")

    response = browser.post(form_url, _new_ticket_data(world), HTTP_REFERER=f"http://testserver{form_url}")

    html = response.content.decode()
    assert response.status_code == 403
    assert "Su sesión venció: inicie sesión de nuevo; lo que escribió se conservó" in html
    assert "CSRF" not in html
    assert response.context["sign_in"] == f"{reverse('account_login')}?next=%2Fportal%2Ftickets%2Fnew%2F"
    assert not Ticket.objects.exists()


def test_a_form_sent_after_signing_in_in_another_tab_returns_to_the_form(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.luis.user)
    form_url = reverse("portal:ticket-new")

    response = browser.post(
        form_url,
        _new_ticket_data(world, csrfmiddlewaretoken="stale"),
        HTTP_REFERER=f"http://testserver{form_url}",
    )

    assert response.status_code == 403
    assert response.context["back"] == form_url
    assert f'href="{form_url}"' in response.content.decode()


@pytest.mark.parametrize(
    "referer",
    ["https://evil.test/phish", "//evil.test/x", "javascript:alert(1)", "", "http://evil.test/portal/"],
)
def test_the_way_back_never_leads_to_another_site(world, referer):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.luis.user)

    response = browser.post(reverse("portal:ticket-new"), {}, HTTP_REFERER=referer)

    assert response.status_code == 403
    assert response.context["back"] == "/"


def test_once_remembers_only_the_latest_sends(rf, world):
    request = rf.post("/")
    request.session = {}
    for number in range(once._KEEP + 10):
        once.remember(request, f"token-{number:012d}", number)

    assert once.sent_ticket(request, f"token-{0:012d}") is None
    assert once.sent_ticket(request, f"token-{once._KEEP + 9:012d}") == once._KEEP + 9
