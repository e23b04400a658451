"""What an alert does to tickets, through the same actions as an engineer's.

- A firing alert with a new fingerprint opens a ticket (type *Incidente*, priority by its
  severity) for the source's company and contact in its queue.
- The same alert firing again (Alertmanager repeats it every `repeat_interval`) while its
  ticket is open changes nothing but the time it was last seen; firing again after it had
  recovered adds a note (and takes a ticket resolved by the recovery back to *in progress*).
- A resolved alert adds a note "recovered at …" and, when the source says so, resolves
  the ticket.
- A firing alert whose ticket was closed opens a new ticket that continues the old one.
- An alert whose severity is one of `ATIENDE_INCIDENT_ALERT_SEVERITIES` declares its ticket
  a major incident (`incidents.actions`): other reports gather under it, and its recovery
  resolves them with the recovery note.

All alerts of one delivery are handled in one transaction, holding the source's row lock,
so two deliveries of the same alert never open two tickets; any failure rolls the whole
delivery back and the sender retries it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atiende.accounts.models import User
from atiende.incidents import actions as incident_actions
from atiende.incidents.models import Incident, IncidentState
from atiende.monitoring.models import AlertIncident, AlertSource, AlertStatus
from atiende.monitoring.payloads import Alert
from atiende.tickets import access, actions
from atiende.tickets.actions.core import SUBJECT_MAX_LENGTH
from atiende.tickets.models import Channel, Priority, StatusKind, Ticket, TicketType

INCIDENT_TYPE = "Incidente"


@dataclass
class Outcome:
    """What one delivery did, by ticket number (returned to the sender)."""

    opened: list[int] = field(default_factory=list)
    noted: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    ignored: int = 0


def receive(source: AlertSource, alerts: Sequence[Alert], *, now: datetime.datetime | None = None) -> Outcome:
    now = now or timezone.now()
    outcome = Outcome()
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        AlertSource.objects.select_for_update().filter(pk=source.pk).values_list("pk", flat=True).get()
        for alert in alerts:
            _handle(source, alert, now, outcome)
        source.last_received_at = now
        source.save(update_fields=["last_received_at"])
    return outcome


def _handle(source: AlertSource, alert: Alert, now: datetime.datetime, outcome: Outcome) -> None:
    incident = (
        AlertIncident.objects.select_related("ticket__status")
        .filter(source=source, fingerprint=alert.fingerprint)
        .first()
    )
    if incident is None:
        if alert.status == AlertStatus.RESOLVED:
            outcome.ignored += 1  # its firing came before this source existed, or was never sent
            return
        ticket = _open(source, alert)
        AlertIncident.objects.create(
            source=source,
            fingerprint=alert.fingerprint,
            ticket=ticket,
            alert_name=alert.name[:250],
            labels=alert.labels,
            status=alert.status,
            first_seen=now,
            last_seen=now,
        )
        outcome.opened.append(ticket.number)
        return

    ticket = incident.ticket
    if alert.status == AlertStatus.FIRING and ticket.is_closed:
        previous = ticket
        ticket = _open(source, alert, continues=previous)
        incident.ticket = ticket
        incident.tickets_opened += 1
        outcome.opened.append(ticket.number)
    elif ticket.is_closed or incident.status == alert.status:
        outcome.unchanged.append(ticket.number)
    elif not access.can_work(_actor(source), ticket):
        outcome.ignored += 1  # moved to a queue the integration does not work
    elif alert.status == AlertStatus.FIRING:
        _firing_again(source, ticket, alert, now)
        outcome.noted.append(ticket.number)
    else:
        if _recovered(source, ticket, alert, now):
            outcome.resolved.append(ticket.number)
        else:
            outcome.noted.append(ticket.number)
    incident.status = alert.status
    incident.labels = alert.labels
    incident.last_seen = now
    incident.save()


def _open(source: AlertSource, alert: Alert, continues: Ticket | None = None) -> Ticket:
    actor = _actor(source)
    if continues is not None and not access.can_view(actor, continues):
        continues = None
    ticket = _open_ticket(source, alert, actor, continues)
    severity = (alert.severity or alert.labels.get(source.priority_label, "")).strip().lower()
    if severity and severity in {value.lower() for value in settings.ATIENDE_INCIDENT_ALERT_SEVERITIES}:
        incident_actions.declare_incident(actor, ticket, title=ticket.subject, channel=Channel.API)
    return ticket


def _open_ticket(source: AlertSource, alert: Alert, actor: User, continues: Ticket | None) -> Ticket:
    return actions.open_ticket(
        actor,
        channel=Channel.API,
        organization=source.organization,
        requester=source.requester,
        queue=source.queue,
        subject=subject_for(alert),
        text=text_for(alert),
        type=source.ticket_type or _incident_type(),
        priority=_priority(source, alert),
        continues=continues,
    )


def _firing_again(source: AlertSource, ticket: Ticket, alert: Alert, now: datetime.datetime) -> None:
    actor = _actor(source)
    since = alert.starts_at or now
    actions.add_note(
        actor,
        ticket,
        channel=Channel.API,
        text=_("The alert is firing again since %(time)s.") % {"time": _when(since)}
        + "\n\n"
        + text_for(alert),
    )
    if ticket.status.kind == StatusKind.RESOLVED:
        actions.change_status(actor, ticket, actions.default_status(StatusKind.OPEN), channel=Channel.API)


def _recovered(source: AlertSource, ticket: Ticket, alert: Alert, now: datetime.datetime) -> bool:
    """Note the recovery; resolve the ticket when the source says so. True when resolved."""
    actor = _actor(source)
    actions.add_note(
        actor,
        ticket,
        channel=Channel.API,
        text=_("The alert recovered at %(time)s.") % {"time": _when(alert.ends_at or now)},
    )
    ticket.refresh_from_db()
    if not source.resolve_on_recovery or ticket.status.kind == StatusKind.RESOLVED:
        return False
    incident = Incident.objects.filter(ticket=ticket, state=IncidentState.ACTIVE).first()
    if incident is not None and all(
        access.can_reply(actor, child.ticket) for child in incident.children.select_related("ticket")
    ):
        # The tickets gathered under it hear the recovery and are resolved with it (when
        # an engineer moved one where the integration cannot write, an engineer resolves
        # the incident instead; the ticket itself is resolved below either way).
        incident_actions.resolve_incident(
            actor,
            incident,
            text=_("The alert recovered at %(time)s.") % {"time": _when(alert.ends_at or now)},
            channel=Channel.API,
        )
        return True
    actions.change_status(actor, ticket, actions.default_status(StatusKind.RESOLVED), channel=Channel.API)
    return True


def subject_for(alert: Alert) -> str:
    parts = [part for part in (alert.name, alert.summary) if part.strip()]
    subject = ": ".join(parts) or _("Alert %(fingerprint)s") % {"fingerprint": alert.fingerprint}
    subject = " ".join(subject.split())
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1] + "…"
    return subject


def text_for(alert: Alert) -> str:
    """The alert as plain text: shown escaped like any message, never as HTML."""
    lines = [_("Alert: %(name)s") % {"name": alert.name or alert.fingerprint}]
    if alert.starts_at:
        lines.append(_("Firing since: %(time)s") % {"time": _when(alert.starts_at)})
    for paragraph in (alert.summary, alert.description):
        if paragraph.strip():
            lines += ["", paragraph.strip()]
    for title, values in ((_("Labels"), alert.labels), (_("Annotations"), alert.annotations)):
        shown = {key: value for key, value in values.items() if key not in {"summary", "description"}}
        if shown:
            lines += ["", f"{title}:"] + [f"  {key} = {value}" for key, value in sorted(shown.items())]
    lines.append("")
    if alert.url:
        lines.append(_("Source: %(url)s") % {"url": alert.url})
    lines.append(_("Fingerprint: %(fingerprint)s") % {"fingerprint": alert.fingerprint})
    return "\n".join(lines)


def _priority(source: AlertSource, alert: Alert) -> Priority | None:
    value = (alert.severity or alert.labels.get(source.priority_label, "")).strip()
    mapping = source.priority_map if isinstance(source.priority_map, dict) else {}
    level = mapping.get(value, mapping.get(value.lower()))
    if not isinstance(level, int):
        return None
    return Priority.objects.filter(level=level).first()


def _incident_type() -> TicketType | None:
    return TicketType.objects.filter(name_es=INCIDENT_TYPE, is_active=True).first()


def _actor(source: AlertSource) -> User:
    if source.actor is None:
        raise RuntimeError(f"alert source {source.pk} has no integration user")
    return source.actor


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S %Z")
