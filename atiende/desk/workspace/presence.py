"""Who else has a ticket open, and whether they are writing a reply.

Kept in the cache, not the database: it is a few seconds of truth that nobody needs to
keep. Each person's entry is its own key that the cache expires by itself, so someone who
closes the laptop disappears without anyone cleaning up. A small index per ticket lists
who has pinged lately; two people joining at the same instant may overwrite each other's
index write, which their next ping (every few seconds) repairs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from atiende.accounts.models import User

# A page pings every ~10 s; three missed pings and the person is gone.
TTL_SECONDS = 30


@dataclass(frozen=True)
class Presence:
    user_id: int
    name: str
    typing: bool


def _entry_key(ticket_id: int, user_id: int) -> str:
    return f"desk:presence:{ticket_id}:{user_id}"


def _index_key(ticket_id: int) -> str:
    return f"desk:presence:{ticket_id}"


def ping(ticket_id: int, user: User, *, typing: bool) -> None:
    """This person has the ticket open now (and is or is not writing)."""
    cache.set(
        _entry_key(ticket_id, user.pk),
        {"name": user.get_full_name(), "typing": typing},
        TTL_SECONDS,
    )
    present = set(cache.get(_index_key(ticket_id)) or ())
    live = set(cache.get_many([_entry_key(ticket_id, pk) for pk in present]))
    # Drop those whose own entry expired, so the index does not grow with every visitor.
    ids = sorted({pk for pk in present if _entry_key(ticket_id, pk) in live} | {user.pk})
    cache.set(_index_key(ticket_id), ids, TTL_SECONDS)


def leave(ticket_id: int, user: User) -> None:
    """The person closed the page: stop showing them at once rather than in 30 s."""
    cache.delete(_entry_key(ticket_id, user.pk))


def others(ticket_id: int, user: User) -> list[Presence]:
    """Everyone else present on the ticket, by name."""
    ids = [pk for pk in cache.get(_index_key(ticket_id)) or () if pk != user.pk]
    entries = cache.get_many([_entry_key(ticket_id, pk) for pk in ids])
    found = [
        Presence(pk, str(entry["name"]), bool(entry["typing"]))
        for pk in ids
        if (entry := entries.get(_entry_key(ticket_id, pk))) is not None
    ]
    return sorted(found, key=lambda presence: presence.name.lower())
