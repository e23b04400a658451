"""The pages this foundation serves: sign-in, the landing redirect, the first portal
and desk pages, health."""

import pytest
from django.urls import reverse

from atiende.tickets import actions, freshness
from tests.factories import PASSWORD, open_ticket


def test_the_sign_in_page_speaks_spanish_and_offers_password_reset(client, db):
    page = client.get(reverse("account_login"))

    assert page.status_code == 200
    html = page.content.decode()
    assert "Iniciar sesión" in html
    assert "¿Olvidó su contraseña?" in html
    assert "sign up" not in html.lower()


def test_the_sign_in_page_has_a_strict_content_security_policy(client, db):
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]

    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_contact_signs_in_with_email_and_lands_on_the_portal(client, world):
    response = client.post(
        reverse("account_login"), {"login": "luis@acme.test", "password": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("portal:home")
    assert "Hola, Luis" in response.content.decode()


def test_a_wrong_password_says_so_without_revealing_whether_the_account_exists(client, world):
    known = client.post(reverse("account_login"), {"login": "luis@acme.test", "password": "nope"})
    unknown = client.post(reverse("account_login"), {"login": "nadie@acme.test", "password": "nope"})

    assert known.status_code == unknown.status_code == 200
    assert "no son correctas" in known.content.decode()
    assert known.context["form"].errors == unknown.context["form"].errors


def test_self_sign_up_is_closed(client, db):
    page = client.get(reverse("account_signup"))

    assert 'name="password1"' not in page.content.decode()


def test_an_agent_lands_on_the_desk(client, world):
    client.force_login(world.agente.user)

    assert client.get("/")["Location"] == reverse("desk:home")


def test_the_portal_home_counts_own_and_company_tickets(client, world):
    open_ticket(world.ana, world.soporte, subject="Sin acceso a la VPN")
    open_ticket(world.luis, world.soporte, subject="Pantalla azul")
    client.force_login(world.ana.user)

    page = client.get(reverse("portal:home"))

    assert page.context["counts"].open == 1
    assert page.context["counts"].company == 2
    html = page.content.decode()
    assert "Tickets de la Compañía" in html
    assert "Sin acceso a la VPN" in html
    assert "Pantalla azul" not in html  # the home lists *Mis Tickets* only


def test_a_contact_without_company_view_sees_no_company_count(client, world):
    client.force_login(world.luis.user)

    page = client.get(reverse("portal:home"))

    assert page.context["counts"].company is None
    assert "Tickets de la Compañía" not in page.content.decode()


def test_the_portal_home_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.luis.user)
    for _ in range(3):
        open_ticket(world.luis, world.soporte)
    client.get(reverse("portal:home"))
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("portal:home"))
    for _ in range(7):
        open_ticket(world.luis, world.soporte)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("portal:home"))


def test_the_desk_lists_the_agents_queue_only(client, world):
    open_ticket(world.luis, world.soporte, subject="Impresora atascada")
    open_ticket(world.carla, world.redes, subject="Switch caído")
    client.force_login(world.agente.user)

    html = client.get(reverse("desk:unassigned")).content.decode()

    assert "Impresora atascada" in html
    assert "Switch caído" not in html


def test_the_desk_runs_a_constant_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.agente.user)
    actions.take_ticket(world.agente.user, open_ticket(world.luis, world.soporte))
    client.get(reverse("desk:home"))
    freshness.touch()  # both measured as after a change: the views' counts counted each time
    with django_assert_max_num_queries(20) as few:
        assert len(client.get(reverse("desk:home")).context["rows"]) == 1
    for _ in range(8):
        actions.take_ticket(world.agente.user, open_ticket(world.ana, world.soporte))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("desk:home")).context["rows"]) == 9


@pytest.mark.parametrize(("who", "page"), [("luis", "desk:home"), ("agente", "portal:home")])
def test_each_surface_is_a_404_for_the_other_role(client, world, who, page):
    client.force_login(getattr(world, who).user)

    assert client.get(reverse(page)).status_code == 404


def test_a_user_who_chose_english_reads_english(client, world):
    world.luis.user.language = "en"
    world.luis.user.save()
    client.force_login(world.luis.user)

    html = client.get(reverse("portal:home")).content.decode()

    assert "My Tickets" in html
    assert 'lang="en"' in html


def test_the_health_check_answers(client, db):
    assert client.get(reverse("health")).json() == {"status": "ok"}


def test_an_english_browser_still_gets_spanish_unless_english_is_chosen(client, db):
    page = client.get(reverse("account_login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert "Iniciar sesión" in page.content.decode()

    client.cookies["django_language"] = "en"
    page = client.get(reverse("account_login"), headers={"accept-language": "es-CO"})
    assert "Sign in" in page.content.decode()
    assert page["Content-Language"] == "en"


def test_the_configuration_site_carries_our_name_and_admins_reach_it(client, world):
    client.force_login(world.admin.user)

    page = client.get(reverse("admin:index"))

    assert page.status_code == 200
    assert "Configuración de Atiende" in page.content.decode()


def test_agents_who_are_not_staff_cannot_reach_the_configuration_site(client, world):
    client.force_login(world.agente.user)

    assert client.get(reverse("admin:index")).status_code == 302


def test_the_browser_finds_a_favicon(client, db):
    assert client.get("/favicon.ico").status_code == 301


def test_a_missing_page_says_so_in_spanish_with_a_way_back(client, world):
    client.force_login(world.luis.user)

    response = client.get("/portal/tickets/999999/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "No encontramos esa página" in html
    assert 'href="/"' in html
