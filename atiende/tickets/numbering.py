"""Human ticket numbers (#195): unique, gap-tolerant, safe under concurrent creation.

PostgreSQL hands them out from a sequence, which never blocks concurrent writers (a
rolled-back transaction leaves a gap, which is fine). SQLite has no sequences, but its
writers are serialized by the database lock (transactions are IMMEDIATE), so a counter
row incremented inside the creating transaction is just as safe there.
"""

from django.db import connection, transaction
from django.db.models import F, Max

from atiende.tickets.models import Ticket, TicketNumberCounter

SEQUENCE_NAME = "tickets_ticket_number_seq"


def next_ticket_number() -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s)", [SEQUENCE_NAME])
            row = cursor.fetchone()
        if row is None:
            raise RuntimeError(f"the sequence {SEQUENCE_NAME} returned nothing")
        return int(row[0])
    # No savepoint: nothing here fails but the database itself, which ends the caller's
    # transaction anyway.
    with transaction.atomic(savepoint=False):
        if not TicketNumberCounter.objects.filter(pk=1).update(last=F("last") + 1):
            highest = Ticket.objects.aggregate(highest=Max("number"))["highest"] or 0
            TicketNumberCounter.objects.create(pk=1, last=highest + 1)
        return TicketNumberCounter.objects.values_list("last", flat=True).get(pk=1)
