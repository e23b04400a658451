"""Loads the demo into the database: the catalog and the people straight as rows, and every
ticket through the domain actions, so the demo only holds states the product can reach."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max, Model
from django.utils import timezone

from atiende.accounts.invitations import create_contact
from atiende.accounts.models import Agent, AgentRole, Contact, Location, Membership, Organization, User
from atiende.api.models import Scope
from atiende.api.tokens import create_token
from atiende.demo import billing as demo_billing
from atiende.demo import data, knowledge, service_levels
from atiende.demo import incidents as demo_incidents
from atiende.demo import reviews as demo_reviews
from atiende.demo.files import FILES
from atiende.demo.script import Assign, Change, Close, Link, Note, Rate, Reply, Status, Step, Story, Take
from atiende.demo.stories import STORIES
from atiende.demo.whatsapp import create_whatsapp
from atiende.rollups.compute import roll_up_days
from atiende.satisfaction.actions import rate_ticket
from atiende.tickets import actions, ledger
from atiende.tickets.actions.routing import add_routing_rule
from atiende.tickets.attachments import Upload
from atiende.tickets.models import (
    Attachment,
    CannedReply,
    Category,
    Channel,
    Contract,
    HistoryEvent,
    Message,
    Priority,
    Queue,
    SenderCheck,
    Service,
    Ticket,
    TicketLink,
    TicketType,
)


@dataclass(frozen=True)
class Summary:
    companies: int
    contacts: int
    agents: int
    tickets: int
    api_token: str = ""  # the administrator's demo API token, shown this once


def is_loaded() -> bool:
    return User.objects.filter(email=data.ADMIN_EMAIL).exists()


def load_demo() -> Summary | None:
    """Load the demo in one transaction; None when it was already loaded."""
    with transaction.atomic():
        if is_loaded():
            return None
        world = _create_world()
        clock = _Clock(timezone.now(), random.Random(data.SEED))  # noqa: S311 (timing, not security)
        for story in sorted(STORIES, key=clock.opening):
            world.tickets[story.key] = _play(world, clock, story)
        contact = world.contacts[data.CONTACTS[0].email]
        create_whatsapp(world.queues[data.SOPORTE], contact)
        # The conversation create_whatsapp just played: the routine history has older ones.
        world.tickets["whatsapp"] = Ticket.objects.filter(requester=contact, channel=Channel.WHATSAPP).latest(
            "created_at"
        )
        service_levels.compute_clocks(list(world.tickets.values()))
        for ticket in world.tickets.values():
            ledger.rechain(ticket)  # the stories were backdated after they were written
        # Now, not backdated: the mail outage is happening as the demo starts.
        demo_incidents.create_incidents(world.agents, world.contacts, world.companies, world.queues)
        first = min(timezone.localdate(ticket.created_at) for ticket in Ticket.objects.only("created_at"))
        roll_up_days(first, timezone.localdate())  # the reports' figures of the whole history
        demo_billing.create_billing(list(world.tickets.values()))
        demo_reviews.enable_reviews(world.companies, world.contacts)
        knowledge.create_articles(world.agents, world.companies)
        # From now on Initech's tickets go to Soporte TI, whatever the channel (Configuración ›
        # Enrutamiento shows the rule; Initech's contacts see it named on Nuevo Ticket).
        add_routing_rule(
            world.users[data.ADMIN_EMAIL],
            queue=world.queues[data.SOPORTE],
            organization=world.companies[data.INITECH],
        )
    return Summary(
        companies=len(world.companies),
        contacts=len(world.contacts),
        agents=len(world.agents),
        tickets=len(world.tickets),
        api_token=create_token(world.users[data.ADMIN_EMAIL], name="Demostración", scope=Scope.WRITE).secret,
    )


def signins_text(base_url: str) -> str:
    """The demo accounts, for the person who just loaded it."""
    width = max(len(person.email) for person in (*data.AGENTS, *data.CONTACTS))
    lines = [
        f"Abra {base_url}/ e inicie sesión con cualquiera de estas cuentas.",
        f"Contraseña de todas: {data.PASSWORD}",
        "",
        "Equipo de soporte (proveedor):",
        *(f"  {agent.email:<{width}}  {agent.described}" for agent in data.AGENTS),
        "",
        "Contactos de las empresas cliente (portal):",
        *(f"  {contact.email:<{width}}  {contact.described}" for contact in data.CONTACTS),
    ]
    return "\n".join(lines)


# --- people and catalog ------------------------------------------------------------------


@dataclass
class _World:
    users: dict[str, User] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    primary_company: dict[str, Organization] = field(default_factory=dict)
    companies: dict[str, Organization] = field(default_factory=dict)
    sites: dict[tuple[str, str], Location] = field(default_factory=dict)
    queues: dict[str, Queue] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    categories: dict[str, Category] = field(default_factory=dict)
    types: dict[str, TicketType] = field(default_factory=dict)
    priorities: dict[int, Priority] = field(default_factory=dict)
    tickets: dict[str, Ticket] = field(default_factory=dict)


def _create_world() -> _World:
    world = _World()
    _create_services(world)
    _create_companies(world)
    _create_team(world)
    _create_contacts(world)
    _create_callers(world)
    service_levels.create_service_levels()
    for name_es, name_en, children in data.CATEGORIES:
        parent = Category.objects.create(name_es=name_es, name_en=name_en)
        for child_es, child_en in children:
            child = Category.objects.create(name_es=child_es, name_en=child_en, parent=parent)
            world.categories[f"{name_es}/{child_es}"] = child
    for title, body in data.CANNED_REPLIES:
        CannedReply.objects.create(title=title, body=body)
    world.types = {ticket_type.name_es: ticket_type for ticket_type in TicketType.objects.all()}
    world.priorities = {priority.level: priority for priority in Priority.objects.all()}
    return world


def _create_services(world: _World) -> None:
    on_demand = Service.objects.get(is_on_demand=True)
    on_demand.hourly_rate = data.ON_DEMAND_RATE
    on_demand.save(update_fields=["hourly_rate"])
    world.services[data.ON_DEMAND] = on_demand
    for service in data.SERVICES:
        world.services[service.name] = Service.objects.create(
            name=service.name, description=service.description, hourly_rate=service.hourly_rate
        )


def _create_companies(world: _World) -> None:
    today = timezone.localdate()
    for company in data.COMPANIES:
        organization = Organization.objects.create(
            name=company.name,
            tax_id=company.tax_id,
            email_domains=company.domains,
            address=company.address,
            phone=company.phone,
            contacts_see_all_tickets=company.contacts_see_all_tickets,
        )
        world.companies[company.name] = organization
        for site, address in company.sites:
            world.sites[company.name, site] = Location.objects.create(
                organization=organization, name=site, address=address
            )
        for contract in company.contracts:
            Contract.objects.create(
                organization=organization,
                service=world.services[contract.service],
                reference=contract.reference,
                valid_from=today - datetime.timedelta(days=contract.started_days_ago),
                valid_to=(
                    None
                    if contract.ends_in_days is None
                    else today + datetime.timedelta(days=contract.ends_in_days)
                ),
            )


def _create_team(world: _World) -> None:
    for queue in data.QUEUES:
        world.queues[queue.slug] = Queue.objects.create(
            name=queue.name, slug=queue.slug, email_address=queue.email, description=queue.description
        )
    for person in data.AGENTS:
        if person.role == AgentRole.ADMIN:
            user = User.objects.create_superuser(person.email, data.PASSWORD, full_name=person.full_name)
        else:
            user = User.objects.create_user(person.email, data.PASSWORD, full_name=person.full_name)
        agent = Agent.objects.create(user=user, role=person.role, phone=person.phone)
        for slug in person.queues:
            world.queues[slug].agents.add(agent)
        world.users[person.email] = user
        world.agents[person.email] = agent


def _create_contacts(world: _World) -> None:
    for person in data.CONTACTS:
        user = User.objects.create_user(person.email, data.PASSWORD, full_name=person.full_name)
        contact = Contact.objects.create(
            user=user, phone=person.phone, extension=person.extension, area=person.area
        )
        for index, company in enumerate(person.companies):
            Membership.objects.create(
                contact=contact,
                organization=world.companies[company],
                is_primary=index == 0,
                sees_company_tickets=person.sees_company_tickets,
            )
        world.users[person.email] = user
        world.contacts[person.email] = contact
        world.primary_company[person.email] = world.companies[person.companies[0]]


def _create_callers(world: _World) -> None:
    """Callers without email, registered as the phone intake does it."""
    for caller in data.CALLERS:
        contact = create_contact(
            world.users[caller.registered_by],
            email="",
            full_name=caller.full_name,
            organization=world.companies[caller.company],
            phone=caller.whatsapp,
            area=caller.area,
            whatsapp=caller.whatsapp,
        )
        world.users[caller.key] = contact.user
        world.contacts[caller.key] = contact
        world.primary_company[caller.key] = world.companies[caller.company]


# --- tickets -----------------------------------------------------------------------------


class _Clock:
    """When each step of a story happened: stories open on their day and time, each step
    follows the previous one after its delay (varied a little, from a fixed seed), later
    work waits for office hours (Monday to Friday), and nothing happens later than now."""

    OFFICE_OPENS = datetime.time(7, 30)
    OFFICE_CLOSES = datetime.time(18, 30)

    def __init__(self, now: datetime.datetime, rng: random.Random) -> None:
        self.now = now
        self.rng = rng

    def opening(self, story: Story) -> datetime.datetime:
        days_ago, hh_mm = story.opened
        day = timezone.localdate(self.now) - datetime.timedelta(days=days_ago)
        hour, minute = (int(part) for part in hh_mm.split(":"))
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
        # Client offices are closed at the weekend; and a ticket of today at a time the day
        # has not reached yet is one of the day before.
        while when.weekday() >= 5 or when > self.now:
            when -= datetime.timedelta(days=1)
        return when

    def after(self, previous: datetime.datetime, hours: float) -> datetime.datetime:
        delay = datetime.timedelta(hours=hours * self.rng.uniform(0.8, 1.2), seconds=self.rng.randint(5, 240))
        when = previous + delay
        if hours >= 1:  # an immediate follow-up happens at once; anything later, in office hours
            when = self._in_office_hours(when)
        return max(previous, min(when, self.now))

    def _in_office_hours(self, when: datetime.datetime) -> datetime.datetime:
        local = timezone.localtime(when)
        if local.weekday() < 5 and self.OFFICE_OPENS <= local.time() < self.OFFICE_CLOSES:
            return when
        day = local.date() if local.time() < self.OFFICE_OPENS else local.date() + datetime.timedelta(days=1)
        while day.weekday() >= 5:
            day += datetime.timedelta(days=1)
        opening = timezone.make_aware(datetime.datetime.combine(day, self.OFFICE_OPENS))
        return opening + datetime.timedelta(minutes=self.rng.randint(0, 90))


def _play(world: _World, clock: _Clock, story: Story) -> Ticket:
    organization = world.companies[story.company] if story.company else world.primary_company[story.requester]
    when = clock.opening(story)
    marks = _marks()
    ticket = actions.open_ticket(
        world.users[story.registered_by or story.requester],
        channel=story.channel,
        organization=organization,
        requester=world.contacts[story.requester],
        queue=world.queues[story.queue],
        subject=story.subject,
        text=story.text,
        type=world.types[story.type],
        category=world.categories[story.category] if story.category else None,
        location=world.sites[organization.name, story.site] if story.site else None,
        priority=world.priorities[story.priority],
        service=world.services[story.service] if story.service else None,
        attachments=_uploads(story.files),
        continues=world.tickets[story.continues] if story.continues else None,
        sender_check=story.sender if story.channel == Channel.EMAIL else SenderCheck.NOT_EMAIL,
    )
    _backdate(ticket, marks, {}, when, opened=True)
    for step in story.steps:
        when = clock.after(when, step.after)
        marks, before = _marks(), _times(ticket)
        _perform(world, story, ticket, step, when)
        _backdate(ticket, marks, before, when)
    return ticket


def _perform(world: _World, story: Story, ticket: Ticket, step: Step, when: datetime.datetime) -> None:
    actor = world.users[step.by]
    match step:
        case Reply():
            # A contact answers from the channel the ticket came in by when it is email.
            from_email = step.by not in world.agents and story.channel == Channel.EMAIL
            actions.add_reply(
                actor,
                ticket,
                channel=Channel.EMAIL if from_email else Channel.WEB,
                text=step.text,
                attachments=_uploads(step.files),
                sender_check=step.sender if from_email else SenderCheck.NOT_EMAIL,
            )
        case Note():
            actions.add_note(actor, ticket, text=step.text, attachments=_uploads(step.files))
        case Take():
            actions.take_ticket(actor, ticket)
        case Assign():
            actions.assign_ticket(actor, ticket, world.agents[step.to])
        case Status():
            actions.change_status(actor, ticket, actions.default_status(step.kind))
        case Change():
            actions.change_ticket(
                actor,
                ticket,
                priority=actions.UNSET if step.priority is None else world.priorities[step.priority],
                tags=actions.UNSET if step.tags is None else step.tags,
            )
        case Close():
            actions.close_ticket(actor, ticket)
        case Link():
            actions.link_tickets(actor, ticket, world.tickets[step.to])
        case Rate():
            # Rated at the story's moment, within the window of the (backdated) resolution.
            resolution = Ticket.objects.values_list("resolved_at", flat=True).get(pk=ticket.pk)
            if resolution is None:
                raise ValueError(f"{story.key}: a rating follows a resolution")
            rate_ticket(actor, ticket, score=step.face, comment=step.comment, resolution=resolution, now=when)


def _uploads(names: tuple[str, ...]) -> list[Upload]:
    return [Upload(name=name, content=FILES[name]) for name in names]


# The actions stamp everything with the present moment. The demo should look lived-in,
# with tickets spread over the past six weeks, so after each action the rows it wrote get
# the moment the story says it happened.

_MARKED: tuple[type[Model], ...] = (Message, HistoryEvent, Attachment, TicketLink)
_TICKET_TIMES = ("first_response_at", "resolved_at", "closed_at", "last_activity_at")


def _marks() -> dict[type[Model], int]:
    """The highest id of each kind of row an action may write."""
    return {model: model._default_manager.aggregate(last=Max("pk"))["last"] or 0 for model in _MARKED}


def _times(ticket: Ticket) -> dict[str, Any]:
    times: dict[str, Any] = Ticket.objects.filter(pk=ticket.pk).values(*_TICKET_TIMES).get()
    return times


def _backdate(
    ticket: Ticket,
    marks: dict[type[Model], int],
    before: dict[str, Any],
    when: datetime.datetime,
    *,
    opened: bool = False,
) -> None:
    for model, last in marks.items():
        model._default_manager.filter(pk__gt=last).update(created_at=when)
    changed = {
        name: when
        for name, value in _times(ticket).items()
        if value is not None and value != before.get(name)
    }
    if opened:
        changed["created_at"] = when
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=when, **changed)
