"""A strict Content-Security-Policy on every page: each URL pattern that answers a page
(200, HTML) to someone in the expectation table is opened as that person, and must carry
the policy with no 'unsafe-inline' or 'unsafe-eval' for scripts, and no script in the HTML
that runs without the request's nonce: no inline <script> without it, no event-handler
attribute, no `javascript:` link."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from django.http import HttpResponse
from django.test import Client

from tests.security.conftest import SecurityWorld
from tests.security.matrix import ROLES, Outcome, observe
from tests.security.test_url_matrix import EXPECTED, _expected, _targets
from tests.security.urls import Pattern, all_patterns


class ScriptFinder(HTMLParser):
    """Collects what would run in the page without a nonce."""

    def __init__(self, nonce: str) -> None:
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script" and "src" not in values and values.get("nonce") != self.nonce:
            self.problems.append(f"inline <script> without the nonce at line {self.getpos()[0]}")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler at line {self.getpos()[0]}")
            if name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...> at line {self.getpos()[0]}")


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


def policy_problems(response: HttpResponse) -> list[str]:
    policy = response.get("Content-Security-Policy", "")
    if not policy:
        return ["no Content-Security-Policy header"]
    found = []
    rules = directives(policy)
    scripts = rules.get("script-src", rules.get("default-src"))
    if scripts is None:
        return [f"no script-src or default-src in {policy!r}"]
    for word in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        if word in scripts:
            found.append(f"script-src allows {word}")
    if rules.get("object-src") != ["'none'"]:
        found.append("object-src is not 'none'")
    if rules.get("frame-ancestors") != ["'none'"]:
        found.append("frame-ancestors is not 'none'")
    nonces = [re.fullmatch(r"'nonce-(.+)'", word) for word in scripts]
    nonce = next((m.group(1) for m in nonces if m), "")
    finder = ScriptFinder(nonce)
    finder.feed(response.content.decode())
    return found + finder.problems


def _reader(pattern: Pattern) -> str | None:
    """The first role that gets the page."""
    return next((role for role in ROLES if _expected(pattern.key, "get", role) == 200), None)


def test_every_page_has_a_strict_policy_and_no_script_without_the_nonce(
    client: Client, security_world: SecurityWorld
) -> None:
    by_role: dict[str, list[Pattern]] = {}
    for pattern in all_patterns():
        role = _reader(pattern) if pattern.key in EXPECTED else None
        if role is not None:
            by_role.setdefault(role, []).append(pattern)
    problems: list[str] = []
    pages: list[str] = []

    def check(outcome: Outcome, response: HttpResponse) -> None:
        pages.append(outcome.path)
        problems.extend(f"{outcome.path} as {outcome.role}: {p}" for p in policy_problems(response))

    for role, patterns in by_role.items():
        observe(
            client, security_world, role, patterns, {p.key: _targets(p) for p in patterns}, check, ("get",)
        )

    assert not problems, "\n".join(problems)
    assert len(pages) >= 100, pages  # the portal, desk, account and configuration pages


def test_the_checker_finds_an_inline_script_a_handler_and_a_loose_policy() -> None:
    page = HttpResponse(
        '<script nonce="abc">ok()</script><script>bad()</script><img src=x onerror="bad()">'
        '<a href=" JavaScript:bad()">x</a><script src="/static/x.js"></script>',
        headers={
            "Content-Security-Policy": "default-src 'self'; script-src 'self' 'nonce-abc' 'unsafe-inline'"
        },
    )

    found = policy_problems(page)

    assert "script-src allows 'unsafe-inline'" in found
    assert "object-src is not 'none'" in found
    assert any("inline <script> without the nonce" in p for p in found)
    assert any("onerror" in p for p in found)
    assert any("javascript:" in p for p in found)
    assert len(found) == 6, found
    assert policy_problems(HttpResponse("<p>x</p>")) == ["no Content-Security-Policy header"]
