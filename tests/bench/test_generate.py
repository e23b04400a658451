"""The bench's generator makes coherent, searchable data."""

from __future__ import annotations

import argparse
import datetime
import random

import pytest
from django.db import connection

from atiende.tickets import search
from atiende.tickets.models import Message, MessageKind, Status, StatusKind, Ticket
from bench import generate


@pytest.fixture
def cast(db):
    args = argparse.Namespace(companies=5, contacts=30, agents=8, queues=3, years=3.0)
    return generate.create_people(args, random.Random(1))


def test_generated_tickets_cover_every_stage_and_keep_their_threads_in_order(cast):
    # The last 2,000 of 20,000 tickets: a month and a half of recent work and older, closed tickets.
    rows = list(generate.ticket_rows(cast, 1, 2000, 20000, 18000, seed=3))
    stages = {ticket[14] for ticket, _messages, _files in rows}
    assert stages == set(cast.statuses.values())
    for ticket, messages, _files in rows:
        created, last_activity = ticket[16], ticket[21]
        times = [message[9] for message in messages]
        assert times == sorted(times) and times[0] >= created - datetime.timedelta(minutes=1)
        assert last_activity >= times[-1]
        assert messages[0][2] == "public" and messages[0][3] == ticket[5]  # opened by the requester
    [(_ticket, long_thread, _files)] = generate.ticket_rows(cast, 1, 1, 20000, 15000, seed=3)
    assert len(long_thread) == generate.LONG_THREAD
    assert 3.0 < sum(len(m) for _t, m, _f in rows) / len(rows) < 5.0


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the PostgreSQL loader copies through its own connections"
)
def test_loaded_data_is_indexed_for_search(cast):
    generate.load_sqlite(cast, 1, 300, seed=5)
    generate.finish(1, 300)
    assert Ticket.objects.count() == 300
    message = Message.objects.filter(kind=MessageKind.PUBLIC).order_by("-id").first()
    assert message is not None
    word = max(message.body_text.replace("«", " ").replace("»", " ").split(), key=len).strip(".,;:")
    assert message.ticket_id in set(search.matching(Ticket.objects.all(), word).values_list("id", flat=True))
    open_kinds = Status.objects.exclude(kind=StatusKind.CLOSED).values("id")
    assert Ticket.objects.filter(status__in=open_kinds).exists()
