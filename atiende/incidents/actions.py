"""Every change to a major incident: declare, attach and detach tickets, post updates,
resolve, and a contact's "me afecta". Each runs in one transaction, writes the history of
every ticket it touches and speaks to requesters through the tickets' own reply action,
so each hears in their own thread, by email or WhatsApp as they prefer.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from atiende.accounts.models import Organization, User
from atiende.incidents import access
from atiende.incidents.models import Incident, IncidentChild, IncidentState, IncidentUpdate
from atiende.sla import timers as sla_timers
from atiende.tickets import access as ticket_access
from atiende.tickets import actions as ticket_actions
from atiende.tickets import ledger
from atiende.tickets.exceptions import InvalidValue, NotAllowed
from atiende.tickets.models import Channel, StatusKind, Ticket

TITLE_MAX_LENGTH = 160
UPDATE_MAX_LENGTH = 20_000


def _clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise InvalidValue("title", _("Write the title the affected contacts will read."))
    if len(title) > TITLE_MAX_LENGTH:
        raise InvalidValue(
            "title", _("The title is limited to %(max)s characters.") % {"max": TITLE_MAX_LENGTH}
        )
    return title


def _lock(ticket: Ticket) -> None:
    Ticket.objects.select_for_update().filter(pk=ticket.pk).values_list("pk", flat=True).get()
    ticket.refresh_from_db()


def _history(ticket: Ticket, actor: User | None, channel: str, action: str, value: str) -> None:
    """An incident event in the ticket's sealed history (the caller holds its lock)."""
    ledger.append(ticket, actor=actor, channel=channel, action=action, field="incident", new_value=value)


def declare_incident(
    actor: User,
    ticket: Ticket,
    *,
    title: str = "",
    pause_children_sla: bool | None = None,
    channel: Channel = Channel.WEB,
) -> Incident:
    """Mark the ticket as a major incident: it can gather other tickets, and its company's
    contacts see its title in the portal until it is resolved. Declaring it again returns
    the same incident."""
    if not ticket_access.can_work(actor, ticket):
        raise NotAllowed(_("Only agents working this ticket can declare it a major incident."))
    existing = Incident.objects.filter(ticket=ticket).first()
    if existing is not None:
        return existing
    if IncidentChild.objects.filter(ticket=ticket).exists():
        raise InvalidValue("title", _("This ticket already belongs to a major incident."))
    title = _clean_title(title or ticket.subject[:TITLE_MAX_LENGTH])
    with transaction.atomic():
        _lock(ticket)
        if ticket.is_closed:
            raise InvalidValue("title", _("A closed ticket cannot become a major incident."))
        incident = Incident.objects.create(
            ticket=ticket,
            title=title,
            started_at=ticket.created_at,
            declared_by=actor,
            pause_children_sla=(
                settings.ATIENDE_INCIDENT_PAUSE_SLA if pause_children_sla is None else pause_children_sla
            ),
        )
        incident.organizations.add(ticket.organization_id)
        with translation.override(settings.LANGUAGE_CODE):
            _history(
                ticket, actor, channel, "incident-declared", _("Major incident: %(title)s") % {"title": title}
            )
    return incident


def attach_ticket(
    actor: User, incident: Incident, ticket: Ticket, *, channel: Channel = Channel.WEB
) -> IncidentChild:
    """Gather a ticket under the incident: its requester will hear the incident's updates in
    its thread, its company's contacts see the incident in the portal, and its clocks stand
    still while linked when the incident says so. Attaching it again changes nothing."""
    if not (ticket_access.can_work(actor, incident.ticket) and ticket_access.can_work(actor, ticket)):
        raise NotAllowed(_("You cannot attach this ticket to the incident."))
    return _attach(actor, incident, ticket, channel=channel)


def _attach(actor: User, incident: Incident, ticket: Ticket, *, channel: str) -> IncidentChild:
    if ticket.pk == incident.ticket_id:
        raise InvalidValue("ticket", _("The incident ticket cannot be its own child."))
    if not incident.is_active:
        raise InvalidValue("ticket", _("This incident is already resolved."))
    if Incident.objects.filter(ticket=ticket).exists():
        raise InvalidValue("ticket", _("This ticket is itself a major incident."))
    with transaction.atomic():
        _lock(ticket)
        existing = IncidentChild.objects.filter(ticket=ticket).select_related("incident").first()
        if existing is not None:
            if existing.incident_id == incident.pk:
                return existing
            raise InvalidValue(
                "ticket",
                _("Ticket #%(number)s already belongs to incident #%(incident)s.")
                % {"number": ticket.number, "incident": existing.incident.ticket.number},
            )
        if ticket.is_closed:
            raise InvalidValue("ticket", _("A closed ticket cannot be attached."))
        now = timezone.now()
        child = IncidentChild.objects.create(
            incident=incident,
            ticket=ticket,
            attached_by=actor,
            attached_at=now,
            sla_held=incident.pause_children_sla,
        )
        if child.sla_held:
            sla_timers.hold(ticket, at=now)
        incident.organizations.add(ticket.organization_id)
        with translation.override(settings.LANGUAGE_CODE):
            _history(
                ticket,
                actor,
                channel,
                "incident-attached",
                _("Part of incident #%(number)s") % {"number": incident.ticket.number},
            )
            parent = incident.ticket
            _lock(parent)
            _history(
                parent,
                actor,
                channel,
                "incident-attached",
                _("Gathers #%(number)s") % {"number": ticket.number},
            )
    return child


def attach_as_same_incident(
    actor: User, ticket: Ticket, same_as: Ticket, *, channel: Channel = Channel.WEB
) -> IncidentChild:
    """The desk's one click on "posible mismo incidente que #N": gather this ticket under
    #N's incident, declaring #N a major incident first when it is not one yet."""
    incident = Incident.objects.filter(ticket=same_as).first()
    if incident is None:
        parent = IncidentChild.objects.filter(ticket=same_as).select_related("incident").first()
        incident = parent.incident if parent is not None else None
    with transaction.atomic():
        if incident is None:
            incident = declare_incident(actor, same_as, channel=channel)
        return attach_ticket(actor, incident, ticket, channel=channel)


def detach_ticket(actor: User, incident: Incident, ticket: Ticket, *, channel: Channel = Channel.WEB) -> None:
    """Take a ticket out of the incident (it was about something else): its clocks run
    again and it no longer hears the incident's updates."""
    if not ticket_access.can_work(actor, incident.ticket):
        raise NotAllowed(_("You cannot change this incident."))
    with transaction.atomic():
        _lock(ticket)
        child = IncidentChild.objects.filter(incident=incident, ticket=ticket).first()
        if child is None:
            return
        child.delete()
        if child.sla_held:
            sla_timers.release(ticket, at=timezone.now())
        with translation.override(settings.LANGUAGE_CODE):
            _history(
                ticket,
                actor,
                channel,
                "incident-detached",
                _("No longer part of incident #%(number)s") % {"number": incident.ticket.number},
            )
        _refresh_organizations(incident)


def _refresh_organizations(incident: Incident) -> None:
    companies = {incident.ticket.organization_id} | set(
        incident.children.values_list("ticket__organization_id", flat=True)
    )
    incident.organizations.set(companies)


def post_update(
    actor: User, incident: Incident, *, text: str, channel: Channel = Channel.WEB
) -> IncidentUpdate:
    """A public update: posted as the actor's reply on the incident ticket and on every
    open child, all in one transaction, so each requester gets it once in their own
    thread (email or WhatsApp, as they prefer) or nobody gets it at all."""
    return _broadcast(actor, incident, text=text, channel=channel, resolves=False)


def resolve_incident(
    actor: User, incident: Incident, *, text: str, channel: Channel = Channel.WEB
) -> IncidentUpdate:
    """Resolve the incident with a note: the note is posted on the incident ticket and on
    every open child, which are resolved with it (each requester may still answer, which
    reopens their ticket); the clocks held by the incident are released and the banner
    leaves the portal."""
    return _broadcast(actor, incident, text=text, channel=channel, resolves=True)


def _broadcast(
    actor: User, incident: Incident, *, text: str, channel: Channel, resolves: bool
) -> IncidentUpdate:
    if not access.can_work(actor, incident):
        raise NotAllowed(_("Only agents working the incident ticket can speak for it."))
    text = text.strip()
    if not text:
        raise InvalidValue("text", _("Write the update the affected people will read."))
    if len(text) > UPDATE_MAX_LENGTH:
        raise InvalidValue(
            "text", _("The update is limited to %(max)s characters.") % {"max": UPDATE_MAX_LENGTH}
        )
    if not incident.is_active:
        raise InvalidValue("text", _("This incident is already resolved."))
    resolved = ticket_actions.default_status(StatusKind.RESOLVED) if resolves else None
    with transaction.atomic():
        Incident.objects.select_for_update().filter(pk=incident.pk).values_list("pk", flat=True).get()
        children = list(
            IncidentChild.objects.filter(incident=incident)
            .select_related(
                "ticket__status", "ticket__queue", "ticket__requester__user", "ticket__organization"
            )
            .order_by("pk")
        )
        refused = [
            child.ticket.number for child in children if not ticket_access.can_reply(actor, child.ticket)
        ]
        if refused:
            raise NotAllowed(
                _("You cannot reply to tickets %(numbers)s of this incident; ask a supervisor.")
                % {"numbers": ", ".join(f"#{number}" for number in refused)}
            )
        reached = 0
        now = timezone.now()
        for ticket in [incident.ticket, *(child.ticket for child in children)]:
            if ticket.is_closed:
                continue
            ticket_actions.add_reply(actor, ticket, channel=channel, text=text, then_status=resolved)
            reached += 1
        if resolves:
            for child in children:
                if child.sla_held:
                    child.sla_held = False
                    child.save(update_fields=["sla_held"])
                    child.ticket.refresh_from_db()
                    sla_timers.release(child.ticket, at=now)
            incident.state = IncidentState.RESOLVED
            incident.resolved_at = now
            incident.save(update_fields=["state", "resolved_at"])
        return IncidentUpdate.objects.create(
            incident=incident, author=actor, text=text, resolves=resolves, posted_at=now, reached=reached
        )


def report_affected(
    actor: User,
    incident: Incident,
    *,
    organization: Organization,
    text: str = "",
    channel: Channel = Channel.WEB,
) -> Ticket:
    """A contact's "me afecta": instead of a duplicate report they get their own ticket,
    gathered under the incident at once, where they will hear its updates. Saying it
    twice returns the ticket they already have."""
    contact = ticket_access.active_contact(actor)
    if contact is None or not access.active_for_contact(actor, organization).filter(pk=incident.pk).exists():
        raise NotAllowed(_("This incident does not affect your company."))
    mine = (
        IncidentChild.objects.filter(
            incident=incident, ticket__requester=contact, ticket__organization=organization
        )
        .select_related("ticket")
        .first()
    )
    if mine is not None and not mine.ticket.is_closed:
        return mine.ticket
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        ticket = ticket_actions.open_ticket(
            actor,
            channel=channel,
            organization=organization,
            requester=contact,
            queue=incident.ticket.queue,
            subject=incident.title,
            text=text.strip()[:UPDATE_MAX_LENGTH]
            or _("This incident affects me too: %(title)s") % {"title": incident.title},
            type=incident.ticket.type,
            priority=incident.ticket.priority,
        )
        _attach(actor, incident, ticket, channel=channel)
    return ticket
