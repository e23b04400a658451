"""How a demo ticket's story is written: who opened it, when, and what happened next, step
by step. Each step names its actor by email and how many hours after the previous step it
happened; `loader` plays every step through the domain actions."""

from __future__ import annotations

from dataclasses import dataclass

from atiende.tickets.models import Channel, SenderCheck, StatusKind

# Ticket types as the tickets migration names them.
INCIDENTE = "Incidente"
REQUERIMIENTO = "Requerimiento"
PREGUNTA = "Pregunta"
PROBLEMA = "Problema"

# Priority levels.
URGENTE = 1
ALTA = 2
NORMAL = 3
BAJA = 4

NEW = StatusKind.NEW
OPEN = StatusKind.OPEN
PENDING = StatusKind.PENDING
RESOLVED = StatusKind.RESOLVED

WEB = Channel.WEB
EMAIL = Channel.EMAIL
PHONE = Channel.PHONE
WHATSAPP = Channel.WHATSAPP


# How an email proved its sender (docs/security.md, "Mail authentication").
REPLY_TOKEN = SenderCheck.REPLY_TOKEN
MAIL_SERVER = SenderCheck.MAIL_SERVER
UNVERIFIED = SenderCheck.UNVERIFIED
HELD = SenderCheck.HELD


@dataclass(frozen=True)
class Reply:
    """A public message. A contact writes from the ticket's channel when it is email, by
    answering our notice (its signed reply address proves them) unless `sender` says how
    else it came: `HELD` is mail that proved nothing, waiting for an engineer."""

    by: str
    after: float
    text: str
    files: tuple[str, ...] = ()
    sender: SenderCheck = SenderCheck.REPLY_TOKEN


@dataclass(frozen=True)
class Note:
    by: str
    after: float
    text: str
    files: tuple[str, ...] = ()


@dataclass(frozen=True)
class Take:
    by: str
    after: float


@dataclass(frozen=True)
class Assign:
    by: str
    after: float
    to: str


@dataclass(frozen=True)
class Status:
    by: str
    after: float
    kind: StatusKind


@dataclass(frozen=True)
class Change:
    by: str
    after: float
    priority: int | None = None
    tags: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Close:
    by: str
    after: float


@dataclass(frozen=True)
class Link:
    """This ticket is related to the ticket of another story (opened earlier)."""

    by: str
    after: float
    to: str


# The requester's faces when rating a resolution (atiende.satisfaction.models.Score).
BAD = "bad"
NEUTRAL = "neutral"
GOOD = "good"


@dataclass(frozen=True)
class Rate:
    """The requester rates the resolution (from the link in the resolution email)."""

    by: str
    after: float
    face: str
    comment: str = ""


Step = Reply | Note | Take | Assign | Status | Change | Close | Link | Rate


@dataclass(frozen=True)
class Story:
    key: str
    requester: str
    opened: tuple[int, str]  # days ago, local time "HH:MM"
    subject: str
    text: str
    steps: tuple[Step, ...] = ()
    company: str | None = None  # the requester's primary company when not given
    queue: str = "soporte"
    channel: Channel = Channel.WEB
    registered_by: str | None = None  # the agent who took it by phone or WhatsApp
    type: str = INCIDENTE
    category: str | None = None  # "Parent/Child"
    site: str | None = None
    priority: int = NORMAL
    service: str | None = None
    files: tuple[str, ...] = ()
    continues: str | None = None  # the key of a closed story this one follows up
    sender: SenderCheck = SenderCheck.MAIL_SERVER  # how an email that opens it proved its sender
