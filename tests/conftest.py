"""The shared world: two client companies, two queues, and a cast of people.

- ana: Acme contact who sees all of Acme's tickets
- luis: Acme contact who sees only his own tickets
- carla: Globex contact (Globex lets every contact see company tickets)
- sofia: contact of Acme (primary) and Globex, own tickets only at Acme
- agente: agent in the Soporte queue; otro: agent in the Redes queue
- supervisor and admin: see every queue
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.cache import caches

from atiende.accounts import signed_in
from atiende.accounts.models import Agent, AgentRole, Contact, Organization
from atiende.tickets.models import Queue
from tests.factories import LocationFactory, OrganizationFactory, QueueFactory, make_agent, make_contact


@dataclass
class World:
    acme: Organization
    globex: Organization
    soporte: Queue
    redes: Queue
    ana: Contact
    luis: Contact
    carla: Contact
    sofia: Contact
    agente: Agent
    otro: Agent
    supervisor: Agent
    admin: Agent


# Transactional tests with `serialized_rollback` reload the migrations' data from a copy
# Django keeps on the connection object. Once a browser test has started Playwright in
# this process, Django hands out another connection object (its connections are local to
# the running event loop), one without the copy: the copy is kept here and handed over.
_serialized_copy: list[str] = []


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    from django.db import connections

    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents and not _serialized_copy:
        _serialized_copy.append(contents)
    elif not contents and _serialized_copy:
        connection._test_serialized_contents = _serialized_copy[0]  # type: ignore[attr-defined]
    if _serialized_copy and _reloads_the_copy(item):
        _forget_content_types(item.config)
    return (yield)


def _reloads_the_copy(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(marker and marker.kwargs.get("serialized_rollback")) or (
        "django_db_serialized_rollback" in fixtures
    )


def _forget_content_types(config: pytest.Config) -> None:
    """A transactional test without the copy empties the database and lets Django create
    the content types again under new ids; the copy brings back the old ids, which would
    clash. Forgetting them first lets the copy put back exactly what it holds."""
    from django.contrib.contenttypes.models import ContentType
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        ContentType.objects.all().delete()
        ContentType.objects.clear_cache()


def fresh_caches() -> None:
    """Empty every cache and this process's kept copies: a new version for each kept list,
    so nothing read under an earlier test's rolled-back rows is used again."""
    for each in caches.all():
        each.clear()
    signed_in.forget()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters, presence and drawn messages live in caches: no test inherits
    another's."""
    fresh_caches()


@pytest.fixture
def world(db: None) -> World:
    acme = OrganizationFactory.create(name="Acme S.A.S.", email_domains="acme.test")
    globex = OrganizationFactory.create(
        name="Globex Ltda.", email_domains="globex.test", contacts_see_all_tickets=True
    )
    LocationFactory.create(organization=acme, name="Sede Norte")
    LocationFactory.create(organization=globex, name="Planta Sur")
    soporte = QueueFactory.create(name="Soporte", slug="soporte")
    redes = QueueFactory.create(name="Redes", slug="redes")
    return World(
        acme=acme,
        globex=globex,
        soporte=soporte,
        redes=redes,
        ana=make_contact("ana@acme.test", acme, sees_company=True, full_name="Ana Acme"),
        luis=make_contact("luis@acme.test", acme, full_name="Luis Acme"),
        carla=make_contact("carla@globex.test", globex, full_name="Carla Globex"),
        sofia=make_contact("sofia@acme.test", acme, globex, full_name="Sofía Ambas"),
        agente=make_agent("agente@atiende.test", soporte, full_name="Agente Soporte"),
        otro=make_agent("otro@atiende.test", redes, full_name="Otro Redes"),
        supervisor=make_agent("supervisor@atiende.test", role=AgentRole.SUPERVISOR, full_name="Supervisora"),
        admin=make_agent("admin@atiende.test", role=AgentRole.ADMIN, full_name="Admin", is_staff=True),
    )
