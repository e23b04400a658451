"""*Configuración*: the first-steps checklist reads the configuration itself."""

import pytest
from django.urls import reverse

from atiende.accounts.models import AgentRole
from atiende.desk.setup import checklist
from atiende.desk.setup.checklist import Step, first_steps
from atiende.mail.models import Mailbox
from tests.factories import make_agent


def _steps() -> dict[str, Step]:
    return {step.key: step for step in first_steps()}


def test_a_new_installation_shows_what_is_missing_with_where_to_do_it(client, db, settings):
    settings.ATIENDE_LOGO_URL = ""
    admin = make_agent("jefa@proveedor.test", role=AgentRole.ADMIN, full_name="Jefa")
    client.force_login(admin.user)

    page = client.get(reverse("desk:setup"))

    assert page.status_code == 200
    steps = {step.key: step for step in page.context["steps"]}
    assert set(steps) >= {
        "provider", "calendars", "queues", "services", "service_levels", "mailboxes", "whatsapp",
        "engineers", "companies",
    }  # fmt: skip
    assert not steps["companies"].done
    assert not steps["engineers"].done
    assert not steps["mailboxes"].done
    assert "logo" in steps["provider"].status
    assert steps["companies"].url == reverse("desk:setup-client-new")
    assert steps["engineers"].url == reverse("desk:setup-engineer-invite")
    html = page.content.decode()
    assert "Primeros pasos" in html
    assert reverse("desk:setup-client-new") in html


def test_steps_turn_ready_as_the_provider_sets_things_up(world, settings):
    settings.ATIENDE_SITE_NAME = "Soluciones TI"
    settings.ATIENDE_LOGO_URL = "https://soluciones.example/logo.svg"
    settings.ATIENDE_SUPPORT_EMAIL = "soporte@soluciones.example"
    Mailbox.objects.create(name="Soporte", queue=world.soporte, host="imap.example", username="soporte")

    steps = _steps()

    assert steps["provider"].done
    assert steps["queues"].done
    assert steps["mailboxes"].done
    assert steps["engineers"].done
    assert steps["companies"].done
    assert not steps["services"].done


def test_another_part_of_the_product_can_add_or_replace_a_step(db):
    original = checklist._registered["whatsapp"]

    @checklist.register("whatsapp")
    def connected() -> Step:
        return Step(key="whatsapp", title="WhatsApp", help="", done=True, status="+57 300")

    try:
        assert _steps()["whatsapp"].done
    finally:
        checklist._registered["whatsapp"] = original


@pytest.mark.parametrize("who", ["agente", "ana"])
def test_only_supervisors_and_admins_see_the_set_up(client, world, who):
    person = getattr(world, who)
    client.force_login(person.user)

    assert client.get(reverse("desk:setup")).status_code == 404
    home = client.get(reverse("desk:home"))
    assert reverse("desk:setup") not in home.content.decode()


def test_the_desk_menu_leads_supervisors_to_the_set_up(client, world):
    client.force_login(world.supervisor.user)

    html = client.get(reverse("desk:home")).content.decode()

    assert f'href="{reverse("desk:setup")}"' in html
