"""A world for the security tests: the shared cast, plus one ticket per company with a file,
a saved view per queue agent, a canned reply, a contact who sees Globex's tickets through
the company's setting, and a superuser for the configuration site.

The people are named by their relation to the object a URL names (see `CAST`), so one
expectation row holds for Acme's objects and for Globex's alike.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.utils import timezone

from atiende.accounts.models import Contact, Organization, User
from atiende.billing import actions as billing
from atiende.billing.models import BillingProfile
from atiende.incidents.actions import declare_incident
from atiende.incidents.models import Incident
from atiende.knowledge.actions import ArticleDraft, Text, attach_article_files, save_article
from atiende.knowledge.models import Article, ArticleFile, ArticleState, Category, Visibility
from atiende.mail.inbound import store
from atiende.mail.models import InboundEmail
from atiende.tickets import actions
from atiende.tickets.attachments import Upload
from atiende.tickets.models import Attachment, CannedReply, Contract, Queue, SavedView, Service, Ticket
from tests.browser.conftest import (  # noqa: F401 - fixtures for the browser test here
    BrowserLog,
    _reload_initial_data,
    browser,
    browser_log,
)
from tests.browser.conftest import pytest_runtest_call as _browser_runtest_call
from tests.conftest import World
from tests.factories import UserFactory, make_contact, open_ticket

# Who plays each role against one company's objects.
CAST: dict[str, dict[str, str]] = {
    "acme": {
        "requester": "luis",
        "company_contact": "ana",
        "other_contact": "carla",
        "queue_agent": "agente",
        "other_agent": "otro",
    },
    "globex": {
        "requester": "carla",
        "company_contact": "gina",
        "other_contact": "luis",
        "queue_agent": "otro",
        "other_agent": "agente",
    },
}
SHARED_ROLES = {"supervisor": "supervisor", "admin": "admin", "superuser": "root"}


@dataclass
class Objects:
    """What one company's URLs name."""

    organization: Organization
    requester: Contact
    queue: Queue
    ticket: Ticket
    attachment: Attachment
    saved_view: SavedView
    inbound: InboundEmail
    article: Article  # for the company's contacts only
    article_file: ArticleFile
    incident: Incident  # declared on `ticket`, affecting the company
    statement: str = ""  # the number of an issued statement of the company
    contract: Contract | None = None  # one of the company's contracts


@dataclass
class SecurityWorld:
    world: World
    gina: Contact
    root: User
    canned: CannedReply
    objects: dict[str, Objects]

    def user(self, target: str, role: str) -> User | None:
        """The person playing `role` against `target`'s objects; None for anonymous."""
        if role == "anonymous":
            return None
        name = CAST[target].get(role) or SHARED_ROLES[role]
        if name == "root":
            return self.root
        if name == "gina":
            return self.gina.user
        person = getattr(self.world, name)
        user: User = person.user
        return user


def _company_objects(
    organization: Organization, requester: Contact, queue: Queue, agent_user: User, subject: str
) -> Objects:
    ticket = open_ticket(
        requester,
        queue,
        organization=organization,
        subject=subject,
        attachments=[Upload("plano.pdf", b"%PDF-1.4 plano")],
    )
    actions.add_note(agent_user, ticket, text="nota interna", attachments=[Upload("interno.txt", b"secreto")])
    article = save_article(
        agent_user,
        None,
        ArticleDraft(
            category=Category.objects.get_or_create(name_es="General")[0],
            visibility=Visibility.COMPANIES,
            state=ArticleState.PUBLISHED,
            companies=[organization],
            texts={"es": Text(f"Artículo de {organization.name}", "Solo para sus contactos.")},
        ),
    )
    return Objects(
        organization=organization,
        requester=requester,
        queue=queue,
        ticket=ticket,
        attachment=ticket.attachments.get(filename="plano.pdf"),
        saved_view=SavedView.objects.create(owner=agent_user, name="Urgentes", query="priority=1"),
        inbound=store(
            f"From: {requester.user.email}\nSubject: [#{ticket.number}] correo\nMessage-ID: <sec-{ticket.number}@x>\n\nHola".encode(),
            source="test",
        )[0],
        article=article,
        article_file=attach_article_files(agent_user, article, [Upload("plano.pdf", b"%PDF-1.4 plano")])[0],
        incident=declare_incident(agent_user, ticket, title=f"Incidente conocido de {organization.name}"),
    )


@pytest.fixture
def security_world(world: World) -> SecurityWorld:
    gina = make_contact("gina@globex.test", world.globex, full_name="Gina Globex")
    root = UserFactory.create(email="root@atiende.test", is_staff=True, is_superuser=True, full_name="Root")
    secured = SecurityWorld(
        world=world,
        gina=gina,
        root=root,
        canned=CannedReply.objects.create(title="Saludo", body="Hola {requester_first_name}"),
        objects={
            "acme": _company_objects(
                world.acme, world.luis, world.soporte, world.agente.user, "Caso de Acme"
            ),
            "globex": _company_objects(
                world.globex, world.carla, world.redes, world.otro.user, "Caso de Globex"
            ),
        },
    )
    last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    BillingProfile.objects.create(organization=world.globex).contacts.add(gina)
    BillingProfile.objects.create(organization=world.acme).contacts.add(world.ana)
    service = Service.objects.create(name="Mesa de ayuda")
    for objects in secured.objects.values():
        objects.contract = Contract.objects.create(
            organization=objects.organization, service=service, valid_from=last_month
        )
        objects.statement = billing.issue_statement(world.admin.user, objects.organization, last_month).number
    return secured


# --- the browser test in this folder ------------------------------------------------------
#
# tests/browser/conftest.py puts the database back around each browser test (a live server
# empties it) and fails a test on what the browser logged; the same, here, for the tests
# marked `browser` only.


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: drives the portal in Chromium against a live server")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    if item.get_closest_marker("browser"):
        _reload_initial_data(item.config)
    return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    try:
        return (yield)
    finally:
        if item.get_closest_marker("browser") and nextitem is not None:
            _reload_initial_data(item.config)


pytest_runtest_call = _browser_runtest_call
