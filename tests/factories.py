"""Factories for the shared cast. Tickets are made through the domain actions, so tests
start from states the product can actually reach."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from atiende.accounts.models import Agent, AgentRole, Contact, Location, Membership, Organization, User
from atiende.tickets import actions
from atiende.tickets.models import Channel, Queue, Service, Ticket

PASSWORD = "correct horse battery staple"


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    full_name = factory.Faker("name", locale="es_CO")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Empresa {n}")


class LocationFactory(DjangoModelFactory[Location]):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Sede {n}")


class QueueFactory(DjangoModelFactory[Queue]):
    class Meta:
        model = Queue

    name = factory.Sequence(lambda n: f"Cola {n}")
    slug = factory.Sequence(lambda n: f"cola-{n}")


class ServiceFactory(DjangoModelFactory[Service]):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Servicio {n}")


def make_contact(
    email: str, *organizations: Organization, sees_company: bool = False, **user: Any
) -> Contact:
    contact = Contact.objects.create(user=UserFactory.create(email=email, **user))
    for index, organization in enumerate(organizations):
        Membership.objects.create(
            contact=contact,
            organization=organization,
            is_primary=index == 0,
            sees_company_tickets=sees_company,
        )
    return contact


def make_agent(email: str, *queues: Queue, role: AgentRole = AgentRole.AGENT, **user: Any) -> Agent:
    agent = Agent.objects.create(user=UserFactory.create(email=email, **user), role=role)
    for queue in queues:
        queue.agents.add(agent)
    return agent


def open_ticket(
    requester: Contact,
    queue: Queue | None,
    *,
    organization: Organization | None = None,
    actor: User | None = None,
    subject: str = "La impresora no imprime",
    text: str = "Desde esta mañana la impresora del piso 2 no responde.",
    channel: Channel = Channel.WEB,
    **values: Any,
) -> Ticket:
    organization = organization or requester.memberships.get(is_primary=True).organization
    return actions.open_ticket(
        actor or requester.user,
        channel=channel,
        organization=organization,
        requester=requester,
        queue=queue,
        subject=subject,
        text=text,
        **values,
    )
