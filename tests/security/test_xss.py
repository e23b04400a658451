"""Every XSS payload, submitted through the portal, the desk, the configuration site and
as HTML email, comes back on every page that shows it as text: no element, attribute or
URL of the payload's survives as markup. (The browser test renders the same pages in
Chromium, with the policy switched off, and fails if anything runs.)"""

from __future__ import annotations

from django.test import Client

from tests.security.conftest import SecurityWorld
from tests.security.test_csp import ScriptFinder, directives
from tests.security.xss_payloads import PAYLOADS
from tests.security.xss_seed import seed


class HostileMarkup(ScriptFinder):
    """What a payload would leave if it were not escaped: besides scripts and handlers,
    frames, objects, meta refreshes, base URLs, style sheets from the text, htmx behaviour."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        where = f"line {self.getpos()[0]}"
        if tag in {"iframe", "object", "embed", "base", "frame", "frameset"}:
            self.problems.append(f"<{tag}> at {where}")
        if tag == "meta" and any(name == "http-equiv" for name, _ in attrs):
            self.problems.append(f"<meta http-equiv> at {where}")
        for name, value in attrs:
            if name.startswith(("hx-on", "data-hx-on")) or (
                name.startswith("hx-") and "alert(" in (value or "")
            ):
                self.problems.append(f"<{tag} {name}> at {where}")
            if name == "style" and any(
                word in (value or "").lower() for word in ("expression", "javascript:")
            ):
                self.problems.append(f"<{tag} style={value!r}> at {where}")
            if name in {"href", "src"} and (value or "").strip().lower().startswith("data:text/html"):
                self.problems.append(f"<{tag} {name}=data:text/html> at {where}")


def _problems(client: Client, url: str) -> tuple[int, list[str]]:
    response = client.get(url, follow=True)  # lists put their query in canonical order
    if response.status_code != 200:
        return response.status_code, []
    policy = directives(response.get("Content-Security-Policy", ""))
    nonce = next((w[7:-1] for w in policy.get("script-src", []) if w.startswith("'nonce-")), "")
    finder = HostileMarkup(nonce)
    finder.feed(response.content.decode())
    return 200, [f"{url}: {problem}" for problem in finder.problems]


def test_every_payload_is_shown_as_text_on_every_page_that_shows_it(
    client: Client, security_world: SecurityWorld
) -> None:
    world = security_world.world
    seeded = seed(world, security_world.root)
    problems: list[str] = []
    pages = 0

    for user, urls in (
        (world.luis.user, [u for u in seeded.portal_pages() if "/portal/company/" not in u]),
        (world.ana.user, [u for u in seeded.portal_pages() if "/portal/company/" in u]),
        (world.agente.user, [u.replace("/desk/all/", "/desk/queues/soporte/") for u in seeded.desk_pages()]),
        (world.supervisor.user, [u for u in seeded.desk_pages() if "/desk/all/" in u]),
    ):
        client.force_login(user)
        for url in urls:
            status, found = _problems(client, url)
            assert status == 200, f"{url} answered {status} to {user}"
            problems += found
            pages += 1

    assert not problems, "\n".join(problems)
    # Stored as typed and shown escaped, not dropped: the check above had something to find.
    client.force_login(world.agente.user)
    thread = client.get(f"/desk/tickets/{seeded.thread.number}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in thread
    assert "&lt;img src=x onerror=alert(11)&gt;" in thread
    assert len(PAYLOADS) >= 40
    assert seeded.submissions >= 10 * len(PAYLOADS)
    assert pages >= 60
