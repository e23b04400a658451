"""The side-by-side benchmark's pure parts: the data shape the peer must hold, the pairs of
pages, a page made of several requests, and the table with its ratios and verdicts.
(The install from PyPI and the wrk runs are not exercised here: they need the network.)"""

from __future__ import annotations

import math

from bench.peer.compare import (
    DATATABLES_QUERY,
    OTHER_PAGE_RATIO,
    PAIRS,
    TICKET_PAGE_RATIO,
    Measured,
    Side,
    peer_shape,
    ratio,
    shape_differences,
    table,
)
from bench.peer.runner import datatables_url, fill

OURS = {"tickets": 20000, "messages": 74876, "companies": 200, "contacts": 1998, "agents": 40, "queues": 6}


def test_our_data_size_maps_onto_the_peers_notions() -> None:
    expected = peer_shape(OURS)

    assert expected == {
        "tickets": 20000,
        "followups": 74876,  # every message a follow-up, the first one included
        "queues": 6,
        "staff": 40,
        "users": 1998,
        "domains": 200,  # no companies in django-helpdesk: the contacts' e-mail domains
    }
    assert shape_differences(expected, dict(expected)) == []
    assert shape_differences(expected, {**expected, "followups": 74875, "domains": 0}) == [
        "followups: ours 74876, peer 74875",
        "domains: ours 200, peer 0",
    ]
    assert shape_differences(expected, {}) != []  # an empty peer is reloaded


def test_the_ticket_page_must_win_by_three_and_every_other_page_by_five() -> None:
    targets = {pair.name: pair.target for pair in PAIRS}

    assert targets["Ticket page, 50 messages (desk / staff)"] == TICKET_PAGE_RATIO == 3
    others = [target for name, target in targets.items() if name != "Ticket page, 50 messages (desk / staff)"]
    assert others and all(target == OTHER_PAGE_RATIO == 5 for target in others)
    # Every peer URL fills from the targets alone.
    values = {"queue": 3, "ticket": 15001, "queue_slug": "bench-2", "email": "c@empresa1.bench.test"}
    for pair in PAIRS:
        for template in pair.peer:
            assert "{" not in fill(template, values)
    assert fill("/view/?ticket={queue_slug}-{ticket}&email={email}", values) == (
        "/view/?ticket=bench-2-15001&email=c@empresa1.bench.test"
    )


def test_the_list_json_call_is_read_from_the_page_as_a_browser_does() -> None:
    page = 'ajax: {\n "url": "/datatables_ticket_list/eyJhIjogMX0=",\n "type": "GET"}'

    url = datatables_url(page)

    assert url == f"/datatables_ticket_list/eyJhIjogMX0=?{DATATABLES_QUERY}"
    assert "length=50" in url and "start=0" in url


def _measured(url: str, requests: int, cpu_seconds: float, rate: float, p50: float, p95: float) -> Measured:
    return Measured(url, requests, cpu_seconds, rate, p50, p95)


def test_a_page_of_two_requests_costs_both() -> None:
    page = _measured("/tickets/", 40, 4.0, 20.0, 100.0, 150.0)  # 100 ms of CPU each
    json_call = _measured("/datatables_ticket_list/x", 100, 2.0, 50.0, 30.0, 60.0)  # 20 ms each

    side = Side([page, json_call])

    assert math.isclose(side.cpu_ms, 120.0)
    assert math.isclose(side.requests_per_second, 1 / (1 / 20 + 1 / 50))  # ~14.3 pages/s
    assert (side.p50_ms, side.p95_ms) == (130.0, 210.0)
    assert math.isnan(_measured("/slow/", 0, 1.0, 0.0, 0, 0).cpu_ms)  # nothing completed


def test_ratio_and_verdicts_in_the_table() -> None:
    ticket, inbox = PAIRS[3], PAIRS[0]
    assert ticket.target == 3 and inbox.list_json
    ours_ticket = Side([_measured("/desk/t/1/", 100, 1.0, 40.0, 20, 30)])  # 10 ms
    theirs_ticket = Side([_measured("/tickets/1/", 10, 0.35, 5.0, 200, 300)])  # 35 ms: 3.5×
    ours_inbox = Side([_measured("/desk/q/", 100, 1.0, 40.0, 20, 30)])  # 10 ms
    theirs_inbox = Side(
        [
            _measured("/tickets/?queue=1", 10, 0.3, 5.0, 200, 300),  # 30 ms
            _measured("/datatables_ticket_list/eyJ9?draw=1&length=50", 10, 0.1, 9.0, 50, 80),  # 10 ms
        ]
    )

    text = table([(ticket, ours_ticket, theirs_ticket), (inbox, ours_inbox, theirs_inbox)], (1.5, 2.0, 2.25))
    rows = text.splitlines()

    assert ratio(10.0, 35.0) == 3.5 and ratio(0.0, 35.0) == 0.0
    assert "| 10.0 | 35.0 | 3.5× | ≥ 3× ✓ |" in rows[2]
    assert "| 10.0 | 40.0 | 4.0× | ≥ 5× ✗ |" in rows[3]  # the page plus its JSON call
    assert "`/tickets/?queue=1` + `/datatables_ticket_list/<query>?…&length=50`" in rows[3]
    assert rows[-1] == "Load average at the end: 1.50 / 2.00 / 2.25."
