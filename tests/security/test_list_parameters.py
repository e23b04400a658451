"""No URL parameter makes a list fail: every page of the portal, the desk and the SLA
reports, read from the URL resolver, is either a page that reads GET parameters (listed in
`READS` with the parameters its filter form or view reads) or named in `READS_NOTHING`; a
new page fails the first test until it is placed. Then, for each page that reads
parameters, Hypothesis sends hostile values (days in year 0, 9999 and 10000, huge and
negative numbers, NaN, non-ASCII digits, NUL, very long texts, SQL, repeated parameters,
unknown parameters) as the person who may open it, and any server error fails the test.

`?created_to=9999-12-31` on *Mis Tickets* was such an error: the day after it does not
exist (OverflowError)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from atiende.accounts.models import User
from atiende.desk.inbox.filters import InboxFilters
from atiende.portal.filters import TicketFilterForm
from atiende.satisfaction import links as rating_links
from atiende.tickets import actions
from atiende.tickets.models import Contract, SavedView, Service, StatusKind, Ticket
from tests.conftest import World
from tests.factories import open_ticket
from tests.security.matrix import request_and_undo
from tests.security.urls import all_patterns
from tests.whatsapp.factories import held_message

SURFACES = ("portal:", "desk:", "reports:", "billing:", "billing-portal:")
PORTAL_LIST = [*TicketFilterForm.base_fields, "page", "export"]
INBOX = [field.name for field in dataclasses.fields(InboxFilters)] + ["page", "shown"]


@dataclass(frozen=True)
class Page:
    params: list[str]
    who: str  # the cast member who may open it
    kwargs: Callable[[World, Ticket, SavedView], dict[str, object]] = lambda world, ticket, view: {}


def _contract(world: World) -> Contract:
    service = Service.objects.create(name="Soporte (parámetros)")
    return Contract.objects.create(
        organization=world.acme, service=service, reference="PARAM-1", valid_from=datetime.date(2025, 1, 1)
    )


def _rating_link(world: World, ticket: Ticket, view: SavedView) -> dict[str, object]:
    """The rating page answers only for a resolved ticket: resolve it, give its link."""
    actions.change_status(world.agente.user, ticket, actions.default_status(StatusKind.RESOLVED))
    ticket.refresh_from_db()
    return {"token": rating_links.token_for(ticket)}


READS: dict[str, Page] = {
    "portal:rating": Page(["face", "saved"], "ana", _rating_link),
    "portal:tickets": Page(PORTAL_LIST, "ana"),
    "portal:company-tickets": Page(PORTAL_LIST, "ana"),
    "portal:search": Page(PORTAL_LIST, "ana"),
    "portal:ticket-new": Page(["continues"], "ana"),
    "portal:ticket-detail": Page(["sent"], "ana", lambda world, ticket, view: {"number": ticket.number}),
    "desk:home": Page(INBOX, "admin"),
    "desk:unassigned": Page(INBOX, "admin"),
    "desk:all": Page(INBOX, "admin"),
    "desk:queue": Page(INBOX, "admin", lambda world, ticket, view: {"slug": world.soporte.slug}),
    "desk:saved-view": Page(INBOX, "admin", lambda world, ticket, view: {"pk": view.pk}),
    "desk:companies": Page(["q", "page"], "admin"),
    "desk:incidents": Page(["state"], "admin"),
    "desk:company-suggestions": Page(["company"], "admin"),
    "desk:contacts": Page(["q", "page"], "admin"),
    "desk:contact-new": Page(["company"], "admin"),
    "desk:intake": Page(["q"], "agente"),
    "desk:intake-ticket": Page(["company"], "agente", lambda world, ticket, view: {"contact": world.ana.pk}),
    "desk:whatsapp-unidentified-number": Page(
        ["q"], "agente", lambda world, ticket, view: {"digits": held_message(world).phone.lstrip("+")}
    ),
    "desk:ticket": Page(["sent"], "admin", lambda world, ticket, view: {"number": ticket.number}),
    "desk:ticket-merge": Page(["into"], "admin", lambda world, ticket, view: {"number": ticket.number}),
    "portal:kb": Page(["q", "category", "page"], "ana"),
    "portal:kb-suggestions": Page(["subject", "text"], "ana"),
    "desk:kb-articles": Page(["q", "state", "page"], "agente"),
    "desk:kb-article-new": Page(["message"], "agente"),
    "desk:kb-insert": Page(["q"], "agente"),
    "reports:dashboard": Page(
        ["from", "to", "by", "queue", "company", "category", "type", "priority", "channel", "engineer"],
        "admin",
    ),
    "reports:dashboard-xlsx": Page(
        ["from", "to", "by", "queue", "company", "category", "type", "priority", "channel", "engineer"],
        "admin",
    ),
    "reports:at-risk": Page(["sort", "page"], "admin"),
    "reports:reviews": Page(["q", "page"], "admin"),
    "reports:sla-report": Page(["month"], "admin"),
    "reports:sla-report-csv": Page(["month"], "admin"),
    "billing:index": Page(["month"], "admin"),
    "billing:export": Page(["month"], "admin"),
    "billing:draft": Page(
        ["month", "contract"], "admin", lambda world, ticket, view: {"company": world.acme.pk}
    ),
    "billing:contract": Page(["month"], "admin", lambda world, ticket, view: {"pk": _contract(world).pk}),
    # A company-wide contact's review pages read `?company=` (the email's link carries it),
    # all through the one function the index uses: the index stands for them.
    "portal:reviews": Page(["company"], "ana"),
}
# Pages that take no GET parameters (forms answer POST; one ticket's pages read its number
# from the path, checked by the URL matrix).
READS_NOTHING = {
    "desk:incident", "desk:incident-update", "desk:incident-resolve", "desk:incident-detach",
    "desk:ticket-incident", "desk:ticket-incident-declare", "desk:ticket-incident-attach",
    "portal:incident-affects-me",
    "portal:home", "portal:ticket-reply", "portal:ticket-edit", "portal:ticket-resolution",
    "portal:ticket-receipt", "portal:company-switch", "portal:details", "portal:security",
    "desk:saved-view-create", "desk:saved-view-delete", "desk:bulk", "desk:bulk-apply",
    "desk:ticket-history", "desk:ticket-canned", "desk:ticket-compose", "desk:ticket-property",
    "desk:ticket-take", "desk:ticket-presence", "desk:ticket-time", "desk:ticket-link",
    "desk:ticket-split", "desk:company-new", "desk:company", "desk:company-edit",
    "desk:company-add-site", "desk:contact", "desk:contact-edit", "desk:contact-invite",
    "desk:contact-active", "desk:ticket-message-accept",
    "reports:workload",
    "desk:setup", "desk:setup-engineer-invite", "desk:setup-client-new", "desk:setup-client-edit",
    "desk:setup-client-sites", "desk:setup-client-contracts", "desk:setup-client-service-level",
    "desk:setup-client-contacts",
    "desk:tokens", "desk:token-revoke", "portal:tokens", "portal:token-revoke",
    "desk:whatsapp-unidentified", "desk:whatsapp-unidentified-link",
    "portal:kb-article", "portal:kb-seen", "portal:kb-vote", "portal:kb-file",
    "desk:kb-article-edit", "desk:kb-report", "desk:kb-ticket-suggestions",
    "billing:statement", "billing:adjust", "billing:download",
    "billing-portal:services", "billing-portal:statement", "billing-portal:download",
    "desk:intake-registered", "desk:ticket-mentions", "portal:review", "portal:review-download",
    "desk:setup-import", "desk:setup-import-confirm", "desk:setup-import-template",
    "desk:setup-routing", "desk:setup-routing-rule-remove", "desk:setup-queue-offer",
    "reports:review-months", "reports:review", "reports:review-download",
    "reports:review-email", "reports:review-sending",
}  # fmt: skip
UNKNOWN = ["zzz", "created_at__gte", "format", "page_size", "q[]", ""]

# Every parameter of every page gets each of these once (see `sweep`); Hypothesis adds
# its own values and combinations on top.
HOSTILE = [
    "9999-12-31", "0000-01-01", "0001-01-01", "10000-01-01", "2025-02-30", "2025-13", "0", "-1",
    "99999999999999999999999", str(2**31), str(-(2**63) - 1), "1e309", "NaN", " 12", "²", "١٢",
    "a\x00b", "' OR 1=1 --", "%_\\", "\u202e💥", "x" * 5000, "-activity", "me", "all", "csv",
]  # fmt: skip

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
VALUE = st.one_of(
    st.sampled_from(HOSTILE),
    TEXT,
    st.integers().map(str),
    st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
    st.floats().map(str),
)


def queries(params: list[str]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """Some of the page's parameters and some unknown ones, each once or repeated."""
    names = st.sampled_from([*params, *UNKNOWN])
    pairs = st.tuples(names, st.lists(VALUE, min_size=1, max_size=3))
    return st.lists(pairs, max_size=6).map(lambda items: [(k, v) for k, values in items for v in values])


def sweep(params: list[str]) -> list[list[tuple[str, str]]]:
    """As many queries as hostile values, every parameter in each, so that each parameter
    meets every value once: the value shifts by one parameter from query to query."""
    names = [*params, UNKNOWN[0]]
    return [
        [(name, HOSTILE[(turn + index) % len(HOSTILE)]) for index, name in enumerate(names)]
        for turn in range(len(HOSTILE))
    ]


def answer(client: Client, path: str, query: list[tuple[str, str]]) -> int:
    """The page's status for the query; when the page first sends to the short form of its
    address (the desk's inbox does), the status of that address."""
    response = request_and_undo(client, "get", f"{path}?{urlencode(query)}")
    if response.status_code == 302 and response["Location"].startswith(path):
        response = request_and_undo(client, "get", response["Location"])
    return response.status_code


def test_every_page_of_the_portal_desk_and_reports_is_checked_here_or_reads_nothing():
    names = {p.key for p in all_patterns() if p.key.startswith(SURFACES)}
    assert names - READS.keys() - READS_NOTHING == set(), "new pages: add them to READS or READS_NOTHING"
    assert (READS.keys() | READS_NOTHING) - names == set(), "pages that no longer exist"


@pytest.mark.parametrize("name", list(READS))
def test_hostile_values_in_any_parameter_never_make_a_page_fail(world: World, name: str):
    page = READS[name]
    ticket = open_ticket(world.ana, world.soporte, subject="Conexión lenta")
    view = SavedView.objects.create(owner=world.admin.user, name="Urgentes", query="priority=1")
    user: User = getattr(world, page.who).user
    client = Client()
    client.force_login(user)
    path = reverse(name, kwargs=page.kwargs(world, ticket, view))
    assert request_and_undo(client, "get", path).status_code == 200
    for query in sweep(page.params):
        assert answer(client, path, query) < 500, query

    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(query=queries(page.params))
    def answers_without_error(query: list[tuple[str, str]]) -> None:
        assert answer(client, path, query) < 500, query

    answers_without_error()


@pytest.mark.parametrize("name", ["portal:tickets", "portal:company-tickets", "portal:search"])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "3000-01-01"])
def test_a_day_out_of_bounds_is_shown_as_an_error_of_the_field(
    client: Client, world: World, name: str, day: str
):
    client.force_login(world.ana.user)
    for field in ("created_from", "created_to"):
        response = client.get(reverse(name), {field: day, "state": "all"})
        assert response.status_code == 200
        errors = response.context["filters"].errors
        assert list(errors) == [field]
        assert "1900-01-01" in str(errors[field]) or "2999-12-31" in str(errors[field])
        assert "field-error" in response.content.decode()


@pytest.mark.parametrize("name", ["desk:home", "desk:all"])
def test_the_desk_drops_a_day_out_of_bounds(client: Client, world: World, name: str):
    open_ticket(world.ana, world.soporte)
    client.force_login(world.admin.user)
    for field in ("created_from", "created_to", "active_from", "active_to"):
        query = {field: "9999-12-31", "requester": "9" * 30, "state": "all"}
        response = client.get(reverse(name), query, follow=True)
        assert response.status_code == 200
        assert response.context["filters"] == InboxFilters(state="all", requester="9" * 30)
