"""The API documentation really runs in a browser under our Content-Security-Policy:
Swagger UI and Redoc draw the operations from the schema, with nothing refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import BrowserLog

pytestmark = pytest.mark.browser


def test_swagger_ui_draws_the_operations_under_the_policy(page: Page, browser_log: BrowserLog) -> None:
    response = page.goto("/api/docs/")
    assert response is not None
    assert "unsafe" not in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for()
    assert page.locator("text=/api/v1/me/").count() >= 1
    assert not browser_log.problems(), browser_log.report()


def test_redoc_draws_the_reference_under_the_policy(page: Page, browser_log: BrowserLog) -> None:
    # Redoc's footer names a logo on its CDN: the policy refuses it, and nothing leaves.
    browser_log.expect(r"cdn\.redoc\.ly/redoc/logo-mini\.svg")
    response = page.goto("/api/redoc/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert policy.split("script-src")[1].split(";")[0].split() == ["'self'"]
    page.locator("text=/api/v1/me/").first.wait_for()
    assert not browser_log.problems(), browser_log.report()
