"""The checks every browser test relies on do catch what they are meant to catch: the
Content Security Policy is enforced (a violation reaches the log), and axe-core really
runs on the page and reports what it finds."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.browser.conftest import BrowserLog, check_accessibility

pytestmark = pytest.mark.browser


def test_an_inline_script_is_refused_by_the_policy_and_reported_and_axe_reports_a_missing_alt(
    page: Page, browser_log: BrowserLog
) -> None:
    response = page.goto("/accounts/login/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy

    page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.inlineRan = true';
          document.body.appendChild(script);
          const img = document.createElement('img');
          img.src = '/static/atiende/icon.svg';
          document.querySelector('main').appendChild(img);
        }"""
    )
    page.wait_for_timeout(100)
    assert page.evaluate("() => window.inlineRan === undefined")
    violations = check_accessibility(page, "checks-sign-in-with-a-broken-image")

    assert any("Content Security Policy" in error for error in browser_log.errors), browser_log.errors
    assert "image-alt" in {v["id"] for v in violations}
    assert any("image-alt" in finding for finding in browser_log.accessibility)
    # Both were planted on purpose: they must not fail this test.
    browser_log.errors.clear()
    browser_log.accessibility.clear()
