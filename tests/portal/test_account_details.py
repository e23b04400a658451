"""*Detalles*: a contact keeps their own data up to date and sees their company's."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from atiende.accounts.actions import update_contact_profile
from atiende.accounts.models import NotificationPreference

URL = reverse("portal:details")


def es(msgid: str) -> str:
    with translation.override("es"):
        return gettext(msgid)


def valid_details(**changes: str) -> dict[str, str]:
    return {
        "full_name": "Luis Alberto Acme",
        "phone": "+57 310 555 0199",
        "extension": "204",
        "area": "Contabilidad",
        "language": "es",
        "time_zone": "America/Bogota",
        "notifications": NotificationPreference.IMPORTANT,
        **changes,
    }


def test_details_shows_the_contacts_own_data_and_email_as_text(client, world):
    world.luis.phone = "601 555 0100"
    world.luis.extension = "12"
    world.luis.area = "Compras"
    world.luis.save()
    client.force_login(world.luis.user)

    page = client.get(URL)

    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="Luis Acme"' in html
    assert 'value="601 555 0100"' in html
    assert 'value="12"' in html
    assert 'value="Compras"' in html
    assert "luis@acme.test" in html
    assert 'name="email"' not in html


def test_a_contact_saves_their_details_and_sees_it_confirmed(client, world):
    client.force_login(world.luis.user)

    response = client.post(URL, valid_details())

    assert response.status_code == 302
    assert response["Location"] == URL
    world.luis.refresh_from_db()
    world.luis.user.refresh_from_db()
    assert world.luis.user.full_name == "Luis Alberto Acme"
    assert world.luis.phone == "+57 310 555 0199"
    assert world.luis.extension == "204"
    assert world.luis.area == "Contabilidad"
    assert world.luis.notifications == NotificationPreference.IMPORTANT
    assert es("Your details have been saved.") in client.get(URL).content.decode()


def test_choosing_english_switches_the_pages_and_confirms_in_english(client, world):
    client.force_login(world.luis.user)

    client.post(URL, valid_details(language="en"))
    page = client.get(URL)

    world.luis.user.refresh_from_db()
    assert world.luis.user.language == "en"
    assert page["Content-Language"] == "en"
    assert "Your details have been saved." in page.content.decode()


def test_a_too_long_extension_is_refused_next_to_the_field_keeping_what_was_typed(client, world):
    client.force_login(world.luis.user)

    page = client.post(URL, valid_details(extension="9" * 200))

    html = page.content.decode()
    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["extension"]
    assert 'value="Luis Alberto Acme"' in html
    assert 'value="+57 310 555 0199"' in html
    assert "9" * 200 in html
    assert 'class="field-error" id="id_extension_error"' in html
    world.luis.refresh_from_db()
    world.luis.user.refresh_from_db()
    assert world.luis.extension == ""
    assert world.luis.user.full_name == "Luis Acme"


def test_an_unknown_language_is_refused_and_nothing_is_saved(client, world):
    client.force_login(world.luis.user)

    page = client.post(URL, valid_details(language="xx"))

    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["language"]
    world.luis.user.refresh_from_db()
    assert world.luis.user.language == "es"
    assert world.luis.user.full_name == "Luis Acme"


def test_a_phone_with_letters_and_an_empty_name_are_refused(client, world):
    client.force_login(world.luis.user)

    page = client.post(URL, valid_details(phone="llamar a recepción", full_name="  "))

    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"phone", "full_name"}
    assert 'value="llamar a recepción"' in page.content.decode()


def test_an_unknown_notification_choice_is_refused(client, world):
    client.force_login(world.luis.user)

    page = client.post(URL, valid_details(notifications="sms"))

    assert list(page.context["form"].errors) == ["notifications"]
    world.luis.refresh_from_db()
    assert world.luis.notifications == NotificationPreference.ALL


def test_company_data_is_shown_read_only_with_how_to_ask_for_changes(client, world):
    world.acme.tax_id = "900.123.456-7"
    world.acme.address = "Calle 100 # 10-20\nBogotá"
    world.acme.phone = "601 555 0000"
    world.acme.save()
    client.force_login(world.luis.user)

    html = client.get(URL).content.decode()

    assert "Acme S.A.S." in html
    assert "900.123.456-7" in html
    assert "Calle 100 # 10-20<br>Bogotá" in html
    assert "601 555 0000" in html
    assert reverse("portal:ticket-new") in html
    for field in ("name", "tax_id", "address", "company"):
        assert f'name="{field}"' not in html


def test_posting_company_fields_changes_nothing_about_the_company(client, world):
    client.force_login(world.luis.user)

    client.post(URL, valid_details(name="Hackeada", tax_id="000", address="X", email_domains="evil.test"))

    world.acme.refresh_from_db()
    assert world.acme.name == "Acme S.A.S."
    assert world.acme.tax_id == ""
    assert world.acme.address == ""
    assert world.acme.email_domains == "acme.test"


def test_a_contact_of_two_companies_sees_both(client, world):
    client.force_login(world.sofia.user)

    html = client.get(URL).content.decode()

    assert "Acme S.A.S." in html
    assert "Globex Ltda." in html


@pytest.mark.parametrize("name", ["portal:details", "portal:security"])
def test_agents_get_not_found_on_the_contact_account_pages(client, world, name):
    client.force_login(world.agente.user)

    assert client.get(reverse(name)).status_code == 404
    assert client.post(reverse(name), valid_details()).status_code in {404, 405}


@pytest.mark.parametrize("name", ["portal:details", "portal:security"])
def test_anonymous_visitors_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_profile_action_refuses_agents(world):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        update_contact_profile(world.agente.user, **valid_details())


def test_the_profile_action_refuses_values_the_models_refuse(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        update_contact_profile(world.luis.user, **valid_details(language="xx", area="a" * 500))

    assert set(refused.value.message_dict) == {"language", "area"}
    world.luis.refresh_from_db()
    assert world.luis.area == ""


def test_dates_are_shown_in_the_zone_the_contact_chose(client, world):
    from tests.factories import open_ticket

    ticket = open_ticket(world.luis, world.soporte)
    client.force_login(world.luis.user)
    client.post(reverse("portal:details"), valid_details(time_zone="America/Mexico_City"))

    world.luis.user.refresh_from_db()
    assert world.luis.user.time_zone == "America/Mexico_City"
    html = client.get(reverse("portal:ticket-detail", args=[ticket.number])).content.decode()
    assert ticket.created_at.astimezone(ZoneInfo("America/Mexico_City")).isoformat()[:19] in html
