"""The pure part of the side-by-side benchmark: which of our pages answers to which of
django-helpdesk's requests, the data shape each side should hold, and the table.

A page of ours is one request. django-helpdesk's ticket lists are two: the page, then the
JSON its DataTables script asks for (`/datatables_ticket_list/<query>`), and "my tickets"
is the page plus `/api/user_tickets/`; such a page costs the sum of its requests' CPU."""

from __future__ import annotations

from dataclasses import dataclass, field

TICKET_PAGE_RATIO = 3.0
OTHER_PAGE_RATIO = 5.0


@dataclass(frozen=True)
class Pair:
    """One of our pages (a `bench.scenarios` name, or a prefix of it) against the peer's
    requests for the same thing, asked by the same person (the same e-mail on both sides).
    `peer` holds URL templates filled from the targets (`{queue}`, `{ticket}`,
    `{queue_slug}`, `{email}`); `list_json` means the page's DataTables JSON call is
    measured too."""

    name: str
    ours: str
    peer: tuple[str, ...]
    target: float = OTHER_PAGE_RATIO
    list_json: bool = False


PAIRS: tuple[Pair, ...] = (
    Pair(
        "Agent inbox: one queue, open tickets",
        "Agent inbox",
        ("/tickets/?queue={queue}&status=1&status=2",),
        list_json=True,
    ),
    Pair("Agent's landing page (ours: the inbox; theirs: the dashboard)", "Agent inbox", ("/dashboard/",)),
    Pair(
        "Supervisor inbox: every queue, open tickets",
        "Supervisor inbox",
        ("/tickets/?status=1&status=2",),
        list_json=True,
    ),
    Pair(
        "Ticket page, 50 messages (desk / staff)",
        "Ticket page, 50 messages (desk)",
        ("/tickets/{ticket}/",),
        target=TICKET_PAGE_RATIO,
    ),
    Pair(
        "Full-text search in a queue, all states («impresora no imprime»)",
        "Full-text search, desk",
        ("/tickets/?queue={queue}&q=impresora+no+imprime",),
        list_json=True,
    ),
    Pair(
        "Contact's own tickets (portal / my tickets)",
        "Mis Tickets",
        ("/tickets/my-tickets/", "/api/user_tickets/?page=1"),
    ),
    Pair(
        "Ticket page, 50 messages (portal / public view, signed in)",
        "Ticket page, 50 messages (portal)",
        ("/view/?ticket={queue_slug}-{ticket}&email={email}",),
    ),
)

# What a person's browser adds to a ticket list page: DataTables' server-side call for the
# first page of 50 rows, newest first (their list's page length is the user's setting, 50 here).
DATATABLES_QUERY = "draw=1&order%5B0%5D%5Bcolumn%5D=5&order%5B0%5D%5Bdir%5D=desc&start=0&length=50&search%5Bvalue%5D=&search%5Bregex%5D=false"


@dataclass
class Measured:
    """wrk through gunicorn for one URL: requests the server completed while measured,
    the CPU they cost (workers plus their database processes), and wrk's figures."""

    url: str
    requests: int
    cpu_seconds: float
    requests_per_second: float
    p50_ms: float
    p95_ms: float
    non_2xx: int = 0

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / self.requests if self.requests else float("nan")


@dataclass
class Side:
    """One page on one side: one request, or several a browser makes for it."""

    parts: list[Measured] = field(default_factory=list)

    @property
    def cpu_ms(self) -> float:
        return sum(part.cpu_ms for part in self.parts)

    @property
    def requests_per_second(self) -> float:
        """Pages per second when the same server answers every request of the page."""
        seconds = sum(1 / part.requests_per_second for part in self.parts if part.requests_per_second)
        return 1 / seconds if seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return sum(part.p50_ms for part in self.parts)

    @property
    def p95_ms(self) -> float:
        return sum(part.p95_ms for part in self.parts)

    @property
    def non_2xx(self) -> int:
        return sum(part.non_2xx for part in self.parts)


def ratio(ours_ms: float, peer_ms: float) -> float:
    """How many times less CPU our page takes than theirs (0 when ours was not measured)."""
    return peer_ms / ours_ms if ours_ms > 0 else 0.0


def peer_shape(ours: dict[str, int]) -> dict[str, int]:
    """What django-helpdesk should hold after loading our data (`bench.run.data_size()`):
    tickets and their messages (follow-ups) one for one, the queues, agents as staff users,
    contacts as plain users, and our companies as the contacts' e-mail domains (the peer
    has no notion of a client company)."""
    return {
        "tickets": ours["tickets"],
        "followups": ours["messages"],
        "queues": ours["queues"],
        "staff": ours["agents"],
        "users": ours["contacts"],
        "domains": ours["companies"],
    }


def shape_differences(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    return [
        f"{key}: ours {expected[key]}, peer {found.get(key)}"
        for key in expected
        if found.get(key) != expected[key]
    ]


def short(url: str) -> str:
    """A DataTables call without its base64 query and its fixed parameters."""
    if url.startswith("/datatables_ticket_list/"):
        return "/datatables_ticket_list/<query>?…&length=50"
    return url


def _ms(value: float) -> str:
    return "—" if value != value else f"{value:.1f}"  # NaN: nothing was served


def table(rows: list[tuple[Pair, Side, Side]], load_average: tuple[float, float, float]) -> str:
    lines = [
        "| Page | ours CPU ms / page | django-helpdesk CPU ms / page | ratio | target | "
        "ours req/s · p50 · p95 ms | theirs pages/s · p50 · p95 ms | their requests |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for pair, ours, theirs in rows:
        times = ratio(ours.cpu_ms, theirs.cpu_ms)
        verdict = "✓" if times >= pair.target else "✗"
        errors = [f"{side.non_2xx} non-2xx" for side in (ours, theirs) if side.non_2xx]
        urls = " + ".join(f"`{short(part.url)}`" for part in theirs.parts)
        lines.append(
            f"| {pair.name} | {_ms(ours.cpu_ms)} | {_ms(theirs.cpu_ms)} | {times:.1f}× | "
            f"≥ {pair.target:g}× {verdict} | {ours.requests_per_second:.1f} · {ours.p50_ms:.0f} · "
            f"{ours.p95_ms:.0f} | {theirs.requests_per_second:.1f} · {theirs.p50_ms:.0f} · "
            f"{theirs.p95_ms:.0f} | {urls}{' (' + ', '.join(errors) + ')' if errors else ''} |"
        )
    one, five, fifteen = load_average
    lines.append(f"\nLoad average at the end: {one:.2f} / {five:.2f} / {fifteen:.2f}.")
    return "\n".join(lines)
