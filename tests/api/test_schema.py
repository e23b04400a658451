"""The OpenAPI schema and its documentation pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.security.test_csp import policy_problems

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_1_with_the_bearer_scheme(client: Client) -> None:
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"] == "3.1.0"
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "atd_<prefix>_<secret>",
        "description": "A personal or service token from the desk, the portal or the admin.",
    }
    assert "/api/v1/me/" in schema["paths"]
    assert {"bearerAuth": []} in schema["paths"]["/api/v1/me/"]["get"]["security"]


def test_the_schema_validates_as_openapi_3_1(client: Client) -> None:
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation import OpenAPIV31SpecValidator

    validate(client.get("/api/schema/?format=json").json(), cls=OpenAPIV31SpecValidator)


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_their_files_from_our_static_under_a_strict_policy(client: Client, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 200
    assert policy_problems(response) == []  # type: ignore[arg-type]
    html = response.content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert scripts
    assert all(src.startswith("/static/") for src in scripts)
    assert "/api/schema/" in html
