"""Run with the separate environment's Python (`var/peer/venv/bin/python`), with this
folder on the path; `python -m bench.peer` does it. Never imported by Atiende.

    peer_tool.py load SOURCE_URL    # the benchmark data of Atiende's database, into django-helpdesk
    peer_tool.py session EMAIL      # a signed-in session for that user: prints the cookie value
    peer_tool.py size               # what the peer holds, as JSON

`load` reads Atiende's generated data with plain SQL (psycopg, read only) and writes the
same people, queues, tickets and messages through django-helpdesk's own models with
`bulk_create`, keeping the ids (a ticket's id is its Atiende number), so both sides serve
the same tickets, the same text and the same 50-message thread:

- an agent becomes a staff user (an administrator a superuser), a contact a plain user
  whose e-mail is the tickets' `submitter_email`; Atiende's companies have no
  counterpart in django-helpdesk: they remain the contacts' e-mail domains;
- a queue keeps its name and slug; a ticket its subject, queue, assignee, dates and
  priority level (1 urgent … 4 low, the same scale); status new/open → Open, pending →
  Open on hold, resolved → Resolved, closed → Closed;
- each message becomes a follow-up (the first, "Ticket Opened", is also the ticket's
  description, as django-helpdesk stores a new ticket); internal notes are non-public.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peer_settings")

import django

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from helpdesk.models import FollowUp, Queue, Ticket, UserSettings  # noqa: E402

BATCH = 5000
STATUS = {
    "new": (1, False),
    "open": (1, False),
    "pending": (1, True),
    "resolved": (3, False),
    "closed": (4, False),
}

PEOPLE = """
SELECT u.id, u.email, u.full_name, a.role
FROM accounts_user u LEFT JOIN accounts_agent a ON a.user_id = u.id
WHERE a.id IS NOT NULL OR EXISTS (SELECT 1 FROM accounts_contact c WHERE c.user_id = u.id)
ORDER BY u.id
"""
TICKETS = """
SELECT t.number, t.subject, t.queue_id, ag.user_id, s.kind, p.level, t.created_at, t.last_activity_at,
       ru.email, t.id
FROM tickets_ticket t
JOIN tickets_status s ON s.id = t.status_id
JOIN tickets_priority p ON p.id = t.priority_id
JOIN accounts_contact c ON c.id = t.requester_id
JOIN accounts_user ru ON ru.id = c.user_id
LEFT JOIN accounts_agent ag ON ag.id = t.assignee_id
WHERE t.id > %s ORDER BY t.id LIMIT %s
"""
MESSAGES = """
SELECT ticket_id, kind, author_id, body_text, created_at FROM tickets_message
WHERE ticket_id BETWEEN %s AND %s ORDER BY ticket_id, created_at, id
"""


def wipe() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE helpdesk_followup, helpdesk_ticket, helpdesk_queue, helpdesk_usersettings,"
            " auth_user, django_session RESTART IDENTITY CASCADE"
        )


def load(source_url: str) -> None:
    started = time.monotonic()
    wipe()
    with psycopg.connect(source_url) as source, source.cursor() as cursor:
        cursor.execute("SET TRANSACTION READ ONLY")
        cursor.execute(PEOPLE)
        users, unusable = [], make_password(None)
        for pk, email, full_name, role in cursor.fetchall():
            first, _, last = full_name.partition(" ")
            users.append(
                User(
                    id=pk,
                    username=email[:150],
                    email=email,
                    first_name=first[:150],
                    last_name=last[:150],
                    password=unusable,
                    is_staff=role is not None,
                    is_superuser=role == "admin",
                )
            )
        User.objects.bulk_create(users, batch_size=BATCH)
        UserSettings.objects.bulk_create([UserSettings(user_id=u.id) for u in users if u.is_staff])
        cursor.execute("SELECT id, name, slug, email_address FROM tickets_queue ORDER BY id")
        Queue.objects.bulk_create(
            Queue(id=pk, title=name, slug=slug, email_address=email or None)
            for pk, name, slug, email in cursor.fetchall()
        )
        print(f"  {len(users)} people and the queues in {time.monotonic() - started:.0f}s", flush=True)
        last_id, tickets, followups = 0, 0, 0
        while True:
            cursor.execute(TICKETS, [last_id, BATCH])
            rows = cursor.fetchall()
            if not rows:
                break
            low, last_id = rows[0][-1], rows[-1][-1]
            cursor.execute(MESSAGES, [low, last_id])
            thread: dict[int, list[tuple]] = {}
            for message in cursor.fetchall():
                thread.setdefault(message[0], []).append(message)
            number_of = {row[-1]: row[0] for row in rows}
            batch_tickets, batch_followups = [], []
            for number, subject, queue, assignee, kind, level, created, last, email, pk in rows:
                messages = thread.get(pk, [])
                status, on_hold = STATUS[kind]
                batch_tickets.append(
                    Ticket(
                        id=number,
                        title=subject[:200],
                        queue_id=queue,
                        created=created,
                        modified=last,
                        submitter_email=email,
                        assigned_to_id=assignee,
                        status=status,
                        on_hold=on_hold,
                        description=messages[0][3] if messages else "",
                        priority=min(max(level, 1), 5),
                    )
                )
                for position, (ticket_pk, message_kind, author, body, when) in enumerate(messages):
                    batch_followups.append(
                        FollowUp(
                            ticket_id=number_of[ticket_pk],
                            date=when,
                            title="Ticket Opened" if position == 0 else "Comment",
                            comment=body,
                            public=message_kind == "public",
                            user_id=author,
                        )
                    )
            with transaction.atomic():
                Ticket.objects.bulk_create(batch_tickets, batch_size=BATCH)
                FollowUp.objects.bulk_create(batch_followups, batch_size=BATCH)
            tickets += len(batch_tickets)
            followups += len(batch_followups)
            print(f"  {tickets} tickets, {followups} follow-ups", end="\r", flush=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [User, Queue, Ticket, FollowUp]):
            cursor.execute(statement)
        cursor.execute("ANALYZE")
    print(f"\n  loaded in {time.monotonic() - started:.0f}s", flush=True)


def session(email: str) -> str:
    user = User.objects.get(email=email)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def size() -> dict[str, int]:
    emails = User.objects.filter(is_staff=False).values_list("email", flat=True)
    return {
        "tickets": Ticket.objects.count(),
        "followups": FollowUp.objects.count(),
        "queues": Queue.objects.count(),
        "staff": User.objects.filter(is_staff=True).count(),
        "users": len(emails),
        "domains": len({email.rpartition("@")[2].lower() for email in emails}),
    }


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "load":
        load(rest[0])
    elif command == "session":
        print(session(rest[0]))
    elif command == "size":
        print(json.dumps(size()))
    else:
        raise SystemExit(__doc__)
