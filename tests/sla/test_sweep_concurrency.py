"""Two sweeps at once, each on its own database connection (PostgreSQL in CI, SQLite
here too): every crossing is still handled once."""

import threading

import pytest
import time_machine
from django.db import connection

from atiende.outbox.models import OutboundEmail
from atiende.sla import sweep as sweep_module
from atiende.sla.models import SlaNotice
from atiende.sla.sweep import SweepResult
from tests.factories import open_ticket
from tests.sla.conftest import bogota

SWEEPS = 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_overlapping_sweeps_notify_each_crossing_once(world, policy, monkeypatch):
    with time_machine.travel(bogota(2025, 11, 19, 9, 0), tick=False):
        tickets = [open_ticket(world.luis, world.soporte) for _ in range(3)]
    read_candidates = sweep_module.candidates
    both_read = threading.Barrier(SWEEPS)

    def candidates_then_wait(now, **options):
        # Both sweeps read the same work before either handles any of it.
        found = read_candidates(now, **options)
        both_read.wait(timeout=10)
        return found

    monkeypatch.setattr(sweep_module, "candidates", candidates_then_wait)
    results: list[SweepResult] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(sweep_module.sweep(bogota(2025, 11, 19, 9, 50)))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(SWEEPS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(result.warnings for result in results) == len(tickets)
    assert SlaNotice.objects.count() == len(tickets)
    # One warning per ticket to the only person responsible (the queue's supervisor).
    emails = OutboundEmail.objects.filter(kind="sla_warning")
    assert emails.count() == len(tickets)
    assert sorted(number or 0 for number in emails.values_list("ticket_number", flat=True)) == sorted(
        t.number for t in tickets
    )
