"""The configuration site speaks gender-neutral Spanish: never "El compañía … fue agregado"."""

from django.urls import reverse

from atiende.accounts.models import Organization
from tests.factories import UserFactory


def test_adding_a_company_in_the_admin_reads_right_in_spanish(client, db):
    root = UserFactory.create(email="root@proveedor.test", is_staff=True, is_superuser=True)
    client.force_login(root)

    page = client.post(
        reverse("admin:accounts_organization_add"),
        {
            "name": "Initech",
            "tax_id": "",
            "email_domains": "",
            "address": "",
            "phone": "",
            "is_active": "on",
            "locations-TOTAL_FORMS": "0",
            "locations-INITIAL_FORMS": "0",
        },
        follow=True,
    )

    assert Organization.objects.filter(name="Initech").exists()
    html = page.content.decode()
    assert "Se agregó correctamente" in html
    assert "fue agregado" not in html
    assert "El compañía" not in html
