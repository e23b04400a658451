"""The one place that decides who may see and do what with tickets.

- A contact sees the tickets they requested in the companies they belong to, and every
  ticket of a company whose tickets they may see as a whole (the company's flag, or their
  own membership's).
- An agent sees the tickets of the queues they belong to and those assigned to them.
- A supervisor or admin sees every ticket.
Every list, page, download and API call starts from `tickets_visible_to`.

It also bounds the desk's directory writes: a plain agent keeps only the contacts of the
companies their queues serve (`organizations_served_by`, `get_contact_to_change`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404

from atiende.accounts.models import Agent, AgentRole, Contact, Membership, Organization, User
from atiende.tickets import related, vocabulary
from atiende.tickets.models import Attachment, MessageKind, Queue, Ticket
from atiende.tickets.related import Question


def active_agent(user: User) -> Agent | None:
    if not (user.is_authenticated and user.is_active):
        return None
    return user.agent_or_none


def active_contact(user: User) -> Contact | None:
    if not (user.is_authenticated and user.is_active):
        return None
    return user.contact_or_none


def is_admin(user: User) -> bool:
    agent = active_agent(user)
    return agent is not None and agent.role == AgentRole.ADMIN


# A membership through which the contact sees every ticket of the company.
_COMPANY_WIDE = Q(contacts_see_all_tickets=True) | Q(memberships__sees_company_tickets=True)


@dataclass(frozen=True)
class Standing:
    """One of a contact's companies, and whether they see its every ticket."""

    organization: Organization
    sees_company: bool


def standings_of(user: User) -> list[Standing]:
    """`organizations_of` (primary first), each with what `company_wide_organizations`
    says of it, in one query."""
    contact = active_contact(user)
    if contact is None:
        return []
    companies = (
        Organization.objects.filter(memberships__contact=contact, is_active=True)
        .annotate(sees_company=ExpressionWrapper(_COMPANY_WIDE, output_field=BooleanField()))
        .order_by("-memberships__is_primary", "name")
    )
    return [Standing(company, bool(company.sees_company)) for company in companies]


def company_wide_organizations(user: User) -> QuerySet[Organization]:
    """The companies whose every ticket this contact sees (*Tickets de la Compañía*)."""
    contact = active_contact(user)
    if contact is None:
        return Organization.objects.none()
    return Organization.objects.filter(
        _COMPANY_WIDE,
        memberships__contact=contact,
        is_active=True,
    ).distinct()


def organizations_of(user: User) -> QuerySet[Organization]:
    """The companies a contact belongs to, primary first."""
    contact = active_contact(user)
    if contact is None:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__contact=contact, is_active=True).order_by(
        "-memberships__is_primary", "name"
    )


def tickets_visible_to(user: User) -> QuerySet[Ticket]:
    agent = active_agent(user)
    if agent is not None:
        if agent.sees_all_queues:
            return Ticket.objects.all()
        return Ticket.objects.filter(
            Q(queue_id__in=Queue.objects.filter(agents=agent).values("id")) | Q(assignee=agent)
        )
    contact = active_contact(user)
    if contact is not None:
        memberships = Membership.objects.filter(contact=contact, organization__is_active=True)
        company_wide = memberships.filter(
            Q(sees_company_tickets=True) | Q(organization__contacts_see_all_tickets=True)
        )
        return Ticket.objects.filter(
            Q(requester=contact, organization_id__in=memberships.values("organization_id"))
            | Q(organization_id__in=company_wide.values("organization_id"))
        )
    return Ticket.objects.none()


def can_view(user: User, ticket: Ticket) -> bool:
    # The same rule as the lists, so a page and a list can never disagree.
    return tickets_visible_to(user).filter(pk=ticket.pk).exists()


def engineers_who_see(ticket: Ticket) -> QuerySet[Agent]:
    """The engineers (never integrations) who see this ticket: `tickets_visible_to` read
    the other way round — supervisors and admins, the queue's agents, its assignee."""
    return (
        Agent.objects.engineers()
        .filter(
            Q(role__in=[AgentRole.SUPERVISOR, AgentRole.ADMIN])
            | Q(queues=ticket.queue_id)
            | Q(pk=ticket.assignee_id or 0)
        )
        .select_related("user")
        .distinct()
    )


def can_reply(user: User, ticket: Ticket) -> bool:
    """Whoever sees the ticket; and by email, an address copied on it (it never sees the
    ticket in the portal, but its answers belong in the thread)."""
    if can_view(user, ticket):
        return True
    return bool(
        user.is_authenticated and user.is_active and ticket.cc.filter(email__iexact=user.email).exists()
    )


def can_work(user: User, ticket: Ticket) -> bool:
    """Internal notes, field changes and assignment: agents who see the ticket."""
    return active_agent(user) is not None and can_view(user, ticket)


def can_edit_as_requester(user: User, ticket: Ticket) -> bool:
    """The requester may correct what they filed (*Modificar*) while the ticket is open."""
    contact = active_contact(user)
    return contact is not None and ticket.requester_id == contact.pk and can_view(user, ticket)


def can_close(user: User, ticket: Ticket) -> bool:
    contact = active_contact(user)
    if contact is not None:
        return ticket.requester_id == contact.pk and can_view(user, ticket)
    return can_work(user, ticket)


def can_open_ticket(user: User, organization: Organization, requester: Contact) -> bool:
    """Contacts open tickets for themselves in their companies; agents for any contact
    of the company (phone and WhatsApp intake)."""
    if not organization.is_active or not requester.user.is_active:
        return False
    is_member = Membership.objects.filter(contact=requester, organization=organization).exists()
    if active_agent(user) is not None:
        return is_member
    contact = active_contact(user)
    return contact is not None and contact.pk == requester.pk and is_member


def may_be_assigned(agent: Agent, queue: Queue) -> bool:
    """An engineer of the queue (or one who sees every queue); never an integration."""
    return (
        agent.user.is_active
        and not agent.is_integration
        and (agent.sees_all_queues or queue.agents.filter(pk=agent.pk).exists())
    )


def get_attachment_for_user(user: User, attachment_id: int) -> Attachment:
    """An attachment the user may download: on a ticket they see, and for contacts only on
    public messages (an internal note's files stay internal, and so do those of an email
    held because its sender is unverified). 404 otherwise."""
    attachment = (
        Attachment.objects.select_related("message")
        .filter(pk=attachment_id, ticket__in=tickets_visible_to(user))
        .first()
    )
    if attachment is None:
        raise Http404
    if active_agent(user) is None and (
        attachment.message.kind != MessageKind.PUBLIC or attachment.message.is_held
    ):
        raise Http404
    return attachment


def get_ticket_for_user(
    user: User, number: int, *, asking: Iterable[Question] = (), joining: Iterable[str] = ()
) -> Ticket:
    """The ticket with this number if the user may see it; 404 otherwise (never 403, so
    a number that exists in another company looks the same as one that does not).
    `asking`: which of its lists hold anything, read in the same statement (`related`);
    `joining`: related rows read with it (`select_related` paths).
    Its company and assignee come from the kept copies (`vocabulary.attach`)."""
    ticket = (
        tickets_visible_to(user)
        .select_related("requester__user", *joining)
        .annotate(**related.asked(asking))
        .filter(number=number)
        .first()
    )
    if ticket is None:
        raise Http404
    return vocabulary.attach(ticket)


# --- the directory: who may touch which contacts ------------------------------------------
#
# Queues are what bound a plain agent, and only tickets tie a queue to a company (services
# and contracts name no queue), so a company is *served* by an agent when it has a ticket
# the agent sees: in one of their queues or assigned to them. The role rules that do not
# depend on queues (the company view, addresses, activation) live in
# `accounts.directory`, which the actions apply.


def organizations_served_by(user: User) -> QuerySet[Organization]:
    """The companies whose contacts this agent may register and keep: every company for
    supervisors and admins; for a plain agent, those with a ticket the agent sees."""
    agent = active_agent(user)
    if agent is None:
        return Organization.objects.none()
    if agent.sees_all_queues:
        return Organization.objects.all()
    return Organization.objects.filter(pk__in=tickets_visible_to(user).values("organization_id"))


def serves(user: User, organization: Organization) -> bool:
    return organizations_served_by(user).filter(pk=organization.pk).exists()


def may_change_contact(user: User, contact: Contact) -> bool:
    """Correct, invite, deactivate: contacts of a company the agent serves."""
    agent = active_agent(user)
    if agent is None:
        return False
    if agent.sees_all_queues:
        return True
    return organizations_served_by(user).filter(memberships__contact=contact).exists()


def get_contact_to_change(user: User, pk: int) -> Contact:
    """The contact if this agent may change it; 404 otherwise (every agent may read the
    directory, but an agent of another queue's clients cannot edit them)."""
    contact = Contact.objects.select_related("user").filter(pk=pk).first()
    if contact is None or not may_change_contact(user, contact):
        raise Http404
    return contact
