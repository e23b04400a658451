"""The XSS corpus in a real browser: every payload is submitted through the portal, the
desk, the configuration site and as HTML email (see xss_seed.py), then Chromium renders
every page that shows them — with the Content-Security-Policy switched off, so that what
is proven here is the escaping itself (the policy is a second wall, checked on its own).
`alert`, `confirm`, `prompt` and `console.log` are hooked in every frame before any script
of the page runs, and any dialog is caught: if anything a payload carries runs, it fails.
The canned replies (titles and texts from the configuration site) are also inserted in
the desk's composer, one by one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Dialog, Page, Response
from pytest_django.live_server_helper import LiveServer

from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP, sign_in, sign_in_to_desk
from tests.conftest import World
from tests.factories import PASSWORD
from tests.security.conftest import SecurityWorld
from tests.security.xss_seed import Seeded, seed

pytestmark = pytest.mark.browser
assert CHROMIUM_ARGS  # the browser is launched as in tests/browser

HOOKS = """
(() => {
  const ran = [];
  Object.defineProperty(window, '__xssRan', { value: ran });
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => { ran.push(name + '(' + args.join(',') + ')'); return null; };
  }
  console.log = (...args) => { ran.push('console.log(' + args.join(',') + ')'); };
  try { if (window.parent !== window) { window.parent.__xssFrames = true; } } catch (e) {}
})();
"""

# What an unescaped payload would leave in the live document, after htmx has done its swaps.
INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim().toLowerCase();
      if (name.startsWith('on') || name.startsWith('hx-on')) found.push(el.tagName + ' ' + name);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name)
          && (value.startsWith('javascript:') || value.startsWith('data:text/html'))) {
        found.push(el.tagName + ' ' + name + '=' + value.slice(0, 40));
      }
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'BASE'].includes(el.tagName)) found.push(el.tagName);
  }
  for (const script of document.scripts) {
    if (!script.src && !script.nonce) found.push('inline script: ' + script.textContent.slice(0, 40));
  }
  return found;
}"""


@pytest.fixture
def hooked_page(
    browser: Browser, live_server: LiveServer, django_db_serialized_rollback: None
) -> Iterator[tuple[Page, list[str]]]:
    """A fresh context with the policy off and the hooks in place; what ran, in the list."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        locale="es-CO",
        bypass_csp=True,
        timezone_id="America/Bogota",
    )
    context.set_default_timeout(10_000)
    context.add_init_script(HOOKS)
    ran: list[str] = []
    tab = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        ran.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    tab.on("dialog", on_dialog)
    tab.on("pageerror", lambda error: ran.append(f"page error: {error.message}"))
    yield tab, ran
    context.close()


def _visit(page: Page, ran: list[str], urls: list[str]) -> list[str]:
    found: list[str] = []
    for url in urls:
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{url}: {response and response.status}"
        page.wait_for_timeout(50)  # handlers such as onload/onfocus fire right after load
        executed = page.evaluate("() => window.__xssRan.slice()")
        found += [f"{url}: ran {what}" for what in executed + ran]
        found += [f"{url}: {what}" for what in page.evaluate(INJECTED)]
        ran.clear()
    return found


def _insert_every_canned_reply(page: Page, ran: list[str], seeded: Seeded) -> list[str]:
    page.goto(f"/desk/tickets/{seeded.tickets[1].number}/")
    picker = page.locator("select[data-canned]")
    options = picker.locator("option").evaluate_all("(os) => os.map(o => o.value).filter(Boolean)")
    assert len(options) >= 40, options
    area = page.locator("form#composer textarea")
    for value in options:

        def answers_it(response: Response, url: str = value) -> bool:
            return response.url.endswith(url)

        with page.expect_response(answers_it):
            picker.select_option(value)
    page.wait_for_timeout(100)
    assert "alert(" in area.input_value()  # the texts did arrive, as text
    executed = page.evaluate("() => window.__xssRan.slice()")
    return [f"canned reply: ran {what}" for what in executed + ran] + [
        f"canned reply: {what}" for what in page.evaluate(INJECTED)
    ]


def test_no_payload_runs_in_any_page_that_shows_it(
    hooked_page: tuple[Page, list[str]], security_world: SecurityWorld
) -> None:
    page, ran = hooked_page
    world: World = security_world.world
    seeded = seed(world, security_world.root)
    found: list[str] = []

    sign_in(page, "luis@acme.test", PASSWORD)
    found += _visit(page, ran, [u for u in seeded.portal_pages() if "/portal/company/" not in u])
    page.context.clear_cookies()
    sign_in(page, "ana@acme.test", PASSWORD)
    found += _visit(page, ran, [u for u in seeded.portal_pages() if "/portal/company/" in u])
    page.context.clear_cookies()
    sign_in_to_desk(page, "supervisor@atiende.test")
    found += _visit(page, ran, seeded.desk_pages())
    found += _insert_every_canned_reply(page, ran, seeded)

    assert not found, "\n".join(found)
