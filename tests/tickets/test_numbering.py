import threading

import pytest
from django.db import connection

from atiende.tickets.models import Ticket
from tests.factories import open_ticket

THREADS = 6
TICKETS_PER_THREAD = 5


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_creation_yields_unique_numbers(world):
    """Several writers at once, each on its own database connection."""
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    requester_ids = [world.luis.pk, world.ana.pk, world.sofia.pk]

    def create_tickets(index: int) -> None:
        try:
            from atiende.accounts.models import Contact

            requester = Contact.objects.select_related("user").get(pk=requester_ids[index % 3])
            start.wait(timeout=10)
            for _ in range(TICKETS_PER_THREAD):
                open_ticket(requester, world.soporte, organization=world.acme)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_tickets, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    numbers = list(Ticket.objects.values_list("number", flat=True))
    assert len(numbers) == THREADS * TICKETS_PER_THREAD
    assert len(set(numbers)) == len(numbers)
