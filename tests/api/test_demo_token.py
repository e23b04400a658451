"""`atiende load_demo` prints a working API token for the administrator, once."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from tests.api.conftest import ApiTestClient


@pytest.mark.django_db
def test_the_demo_prints_a_working_admin_token_once(api_client: ApiTestClient) -> None:
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    found = re.search(r"atd_[a-z0-9]{10}_[A-Za-z0-9]{40}", output.getvalue())
    assert found is not None
    me = api_client.bearer(found.group(0)).get("/api/v1/me/").json()
    assert me["email"] == "admin@atiende.test"
    assert me["token"]["scopes"] == ["read", "write"]
    again = io.StringIO()
    call_command("load_demo", stdout=again)
    assert "atd_" not in again.getvalue()
