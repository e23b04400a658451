"""The demo as `atiende load_demo` loads it: loaded once for this module (inside a
transaction that is rolled back at the end), each test looking at one side of it."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from pytest_django import DjangoDbBlocker

from atiende.accounts.models import (
    NO_EMAIL_DOMAIN,
    Agent,
    AgentRole,
    Contact,
    Location,
    Membership,
    NotificationChannel,
    Organization,
    User,
)
from atiende.demo import data as demo_data
from atiende.demo.stories.routine import ROUTINE_STORIES
from atiende.knowledge import access as knowledge_access
from atiende.knowledge.models import ArticleState, ArticleText
from atiende.outbox.models import OutboundEmail
from atiende.rollups.models import DailyRollup
from atiende.satisfaction.models import Rating
from atiende.tickets import ledger
from atiende.tickets.access import tickets_visible_to
from atiende.tickets.models import (
    Attachment,
    Category,
    Channel,
    Contract,
    HistoryEvent,
    LinkKind,
    Message,
    MessageKind,
    Priority,
    Queue,
    Service,
    StatusKind,
    Ticket,
    TicketLink,
    TicketType,
)
from atiende.whatsapp.models import MessageTemplate, TemplateUse
from tests.conftest import fresh_caches

PASSWORD = "atiende-demo"
SIGN_INS = [
    "admin@atiende.test",
    "supervisor@atiende.test",
    "agente@atiende.test",
    "ana@acme.test",
    "luis@acme.test",
    "carla@globex.test",
    "sofia@acme.test",
]


@pytest.fixture(scope="module")
def demo_output(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    # Set up before the first test's own fresh caches: the kept lists (SLA policies…) of
    # the test that ran before this module, whose rows were rolled back, must not be used.
    fresh_caches()
    with django_db_blocker.unblock(), transaction.atomic():
        output = io.StringIO()
        call_command("load_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_output")]


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _counts() -> dict[str, int]:
    models = (User, Organization, Location, Contact, Membership, Agent, Queue, Service, Contract, Category)
    ticket_models = (Ticket, Message, Attachment, HistoryEvent, TicketLink)
    return {model.__name__: model._default_manager.count() for model in (*models, *ticket_models)}


def test_the_demo_has_three_companies_eight_contacts_a_caller_without_email_and_two_queues():
    assert set(Organization.objects.values_list("name", flat=True)) >= {"Acme S.A.S.", "Globex Ltda."}
    assert Organization.objects.count() == 3
    assert Contact.objects.count() == 9
    assert Contact.objects.filter(user__email__endswith="@" + NO_EMAIL_DOMAIN).count() == 1
    assert set(Queue.objects.values_list("slug", flat=True)) == {"soporte", "redes"}
    assert all(
        organization.tax_id and organization.locations.exists() for organization in Organization.objects.all()
    )


def test_the_team_is_four_agents_and_one_admin():
    roles = sorted(Agent.objects.values_list("role", flat=True))
    assert roles == sorted(
        [AgentRole.ADMIN, AgentRole.SUPERVISOR, AgentRole.AGENT, AgentRole.AGENT, AgentRole.AGENT]
    )
    admin = _user("admin@atiende.test")
    assert admin.is_staff and admin.is_superuser and admin.agent.role == AgentRole.ADMIN
    assert Queue.objects.get(slug="soporte").agents.filter(user__email="agente@atiende.test").exists()
    supervisor = Agent.objects.get(role=AgentRole.SUPERVISOR)
    assert supervisor.queues.count() == 2


def test_a_caller_registered_by_phone_has_whatsapp_no_email_no_sign_in_and_a_ticket():
    caller = Contact.objects.get(user__full_name="Efraín Gutiérrez Mesa")
    assert not caller.user.has_email and caller.user.shown_email == ""
    assert caller.whatsapp == "+573185550191"
    assert caller.notify_by == NotificationChannel.WHATSAPP
    assert not caller.user.has_usable_password()
    assert Membership.objects.get(contact=caller).organization.name == "Globex Ltda."
    ticket = Ticket.objects.get(requester=caller)
    assert ticket.channel == Channel.PHONE
    assert not OutboundEmail.objects.filter(to__icontains=NO_EMAIL_DOMAIN).exists()
    assert authenticate(email=caller.user.email, password=PASSWORD) is None


def test_an_internal_note_mentions_an_engineer_who_is_emailed():
    ticket = Ticket.objects.get(subject="La cámara de la portería de la planta no aparece en el grabador")
    note = Message.objects.get(ticket=ticket, kind=MessageKind.NOTE)
    assert "@agente" in note.body_text
    assert OutboundEmail.objects.filter(
        kind="agent_mentioned", to=["agente@atiende.test"], ticket_number=ticket.number
    ).exists()


def test_the_contacts_see_what_their_memberships_say():
    ana = Membership.objects.get(contact__user__email="ana@acme.test")
    assert ana.sees_company_tickets and ana.organization.name == "Acme S.A.S."
    assert not Membership.objects.get(contact__user__email="luis@acme.test").sees_company_tickets
    sofia = Membership.objects.filter(contact__user__email="sofia@acme.test")
    assert {(m.organization.name, m.is_primary) for m in sofia} == {
        ("Acme S.A.S.", True),
        ("Globex Ltda.", False),
    }
    assert Organization.objects.get(name="Globex Ltda.").contacts_see_all_tickets
    assert not Organization.objects.get(name="Acme S.A.S.").contacts_see_all_tickets


def test_there_are_about_forty_written_tickets_in_every_status_kind_and_three_months_of_routine():
    # About forty written stories, and the eight reports of the two major incidents.
    assert 35 <= Ticket.objects.count() - len(ROUTINE_STORIES) <= 50
    oldest = Ticket.objects.order_by("created_at").first()
    assert oldest is not None and (timezone.now() - oldest.created_at).days >= 85
    kinds = set(Ticket.objects.values_list("status__kind", flat=True))
    assert kinds == set(StatusKind.values)


def test_the_reports_figures_cover_the_whole_history():
    from atiende.rollups.models import DailyRollup

    assert DailyRollup.objects.aggregate(total=Sum("opened"))["total"] == Ticket.objects.count()


def test_the_tickets_use_every_priority_type_and_intake_channel():
    assert set(Ticket.objects.values_list("priority", flat=True)) == set(
        Priority.objects.values_list("pk", flat=True)
    )
    assert set(Ticket.objects.values_list("type", flat=True)) == set(
        TicketType.objects.values_list("pk", flat=True)
    )
    channels = set(Ticket.objects.values_list("channel", flat=True))
    assert channels == {Channel.WEB, Channel.EMAIL, Channel.PHONE, Channel.WHATSAPP}
    registered_by_agents = Ticket.objects.filter(created_by__agent__isnull=False)
    assert set(registered_by_agents.values_list("channel", flat=True)) == {Channel.PHONE, Channel.WHATSAPP}


def test_the_company_without_a_contract_in_force_gets_on_demand_support():
    on_demand = Service.objects.get(is_on_demand=True)
    assert on_demand.hourly_rate > 0
    initech = Organization.objects.exclude(name__in=["Acme S.A.S.", "Globex Ltda."]).get()
    assert not Contract.objects.in_force().filter(organization=initech).exists()
    tickets = Ticket.objects.filter(organization=initech)
    assert tickets.exists()
    assert all(ticket.service == on_demand and ticket.contract is None for ticket in tickets)
    assert Ticket.objects.filter(contract__isnull=False).exists()


def test_tickets_are_filed_under_nested_categories_sites_and_tags():
    assert Category.objects.filter(parent__isnull=False, name_en__gt="").exists()
    assert Ticket.objects.filter(category__parent__isnull=False).count() >= 35
    assert Ticket.objects.filter(location__isnull=False).exists()
    assert Ticket.objects.filter(tags__isnull=False).distinct().count() >= 10


def test_the_threads_have_replies_internal_notes_and_attachments():
    assert Message.objects.filter(kind=MessageKind.NOTE).count() >= 10
    contacts_replies = Message.objects.filter(kind=MessageKind.PUBLIC, author__contact__isnull=False)
    assert contacts_replies.count() > Ticket.objects.count()
    assert Ticket.objects.filter(assignee__isnull=False).count() >= 30
    names = set(Attachment.objects.values_list("filename", flat=True))
    assert {name.rsplit(".", 1)[1] for name in names} >= {"png", "log", "txt", "csv"}
    screenshot = Attachment.objects.filter(content_type="image/png").first()
    assert screenshot is not None
    with screenshot.file.open("rb") as image:
        assert image.read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_closed_ticket_is_continued_and_two_tickets_are_related():
    continued = TicketLink.objects.get(kind=LinkKind.CONTINUES)
    assert continued.target.status.kind == StatusKind.CLOSED
    assert continued.target.closed_at is not None
    assert continued.source.created_at > continued.target.closed_at
    assert TicketLink.objects.filter(kind=LinkKind.RELATED).exists()


def test_the_tickets_spread_over_the_past_three_months_in_number_order():
    now = timezone.now()
    created = list(Ticket.objects.order_by("number").values_list("created_at", flat=True))
    assert created == sorted(created)
    # The written stories cover the past six weeks; the routine history three months.
    assert now - datetime.timedelta(days=100) < created[0] < now - datetime.timedelta(days=80)
    written = Ticket.objects.exclude(subject__in=[story.subject for story in ROUTINE_STORIES])
    oldest_written = written.order_by("created_at").values_list("created_at", flat=True).first()
    assert oldest_written is not None
    assert now - datetime.timedelta(days=45) < oldest_written < now - datetime.timedelta(days=28)
    assert not Message.objects.filter(created_at__gt=now).exists()
    assert not HistoryEvent.objects.filter(created_at__gt=now).exists()
    for ticket in Ticket.objects.all():
        thread = list(ticket.messages.values_list("created_at", flat=True))
        assert thread[0] == ticket.created_at
        assert ticket.last_activity_at >= thread[-1]
        if ticket.closed_at:
            assert ticket.created_at <= ticket.closed_at <= now


@pytest.mark.parametrize("email", SIGN_INS)
def test_the_demo_sign_ins_work_with_the_demo_password(email):
    assert authenticate(email=email, password=PASSWORD) == _user(email)


def test_every_demo_user_with_an_email_has_the_demo_password():
    users = User.objects.exclude(email__endswith="@" + NO_EMAIL_DOMAIN)
    assert users.count() == User.objects.count() - 1
    assert all(user.check_password(PASSWORD) for user in users)


def test_ana_sees_more_tickets_than_luis():
    ana, luis = _user("ana@acme.test"), _user("luis@acme.test")
    assert tickets_visible_to(ana).count() > tickets_visible_to(luis).count() > 0
    assert set(tickets_visible_to(luis).values_list("requester__user__email", flat=True)) == {
        "luis@acme.test"
    }


def test_carla_sees_globex_tickets_and_no_acme_ticket():
    visible = tickets_visible_to(_user("carla@globex.test"))
    assert (
        visible.filter(organization__name="Globex Ltda.").count()
        > visible.filter(requester__user__email="carla@globex.test").count()
    )
    assert not visible.filter(organization__name="Acme S.A.S.").exists()


def test_the_output_lists_the_sign_ins_with_the_password_and_address(demo_output):
    for email in SIGN_INS:
        assert email in demo_output
    assert PASSWORD in demo_output
    assert f"{settings.ATIENDE_BASE_URL}/" in demo_output
    assert "Administrador" in demo_output and "Supervisora" in demo_output


def test_loading_it_again_changes_nothing_and_lists_the_sign_ins_again():
    before = _counts()
    output = io.StringIO()
    call_command("load_demo", stdout=output)
    assert _counts() == before
    assert "ya estaban cargados" in output.getvalue()
    assert "admin@atiende.test" in output.getvalue() and PASSWORD in output.getvalue()


def test_the_demo_is_not_loaded_outside_demo_mode(settings):
    settings.DEMO = False
    before = _counts()
    with pytest.raises(CommandError, match="ATIENDE_DEMO"):
        call_command("load_demo", stdout=io.StringIO())
    assert _counts() == before


def test_the_readme_lists_every_demo_sign_in_the_loader_prints():
    from pathlib import Path

    from atiende.demo import data

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [person.email for person in (*data.AGENTS, *data.CONTACTS) if f"`{person.email}`" not in readme]
    assert not missing


def test_the_demo_has_a_spanish_knowledge_base_with_english_versions_and_each_reading_rule() -> None:
    assert ArticleText.objects.filter(language="es", article__state=ArticleState.PUBLISHED).count() >= 6
    assert ArticleText.objects.filter(language="en").count() >= 3
    acme = User.objects.get(email="luis@acme.test")
    globex = User.objects.get(email="carla@globex.test")
    acme_titles = set(knowledge_access.readable_texts(acme, "es").values_list("title", flat=True))
    globex_titles = set(knowledge_access.readable_texts(globex, "es").values_list("title", flat=True))
    assert "Conectarse a la VPN de Acme desde casa" in acme_titles - globex_titles
    assert "Reiniciar el túnel IPsec de Globex" not in acme_titles | globex_titles
    assert "Escanear a una carpeta compartida" not in acme_titles


def test_the_demo_has_an_active_incident_with_children_a_flagged_report_and_a_resolved_one() -> None:
    from atiende.incidents.models import Incident, IncidentState, SimilarTicket

    active = Incident.objects.get(state=IncidentState.ACTIVE)
    assert active.children.count() >= 2
    assert set(active.organizations.values_list("name", flat=True)) == {"Acme S.A.S.", "Globex Ltda."}
    assert active.updates.exists()
    assert (
        SimilarTicket.objects.filter(similar_to=active.ticket)
        .exclude(ticket__incident_child__isnull=False)
        .exists()
    )
    resolved = Incident.objects.get(state=IncidentState.RESOLVED)
    assert all(child.ticket.status.kind == StatusKind.RESOLVED for child in resolved.children.all())


def test_the_whatsapp_number_offers_reply_templates_to_choose_and_one_per_stage_notice():
    uses = list(MessageTemplate.objects.filter(approved=True).values_list("use", flat=True))
    assert uses.count(TemplateUse.NEW_REPLY) >= 2
    assert {TemplateUse.RECEIVED, TemplateUse.WAITING, TemplateUse.RESOLVED, TemplateUse.CLOSED} <= set(uses)
    assert all(MessageTemplate.objects.values_list("body", flat=True))


def test_resolved_tickets_carry_mixed_ratings_with_comments_and_one_low_rating_notice() -> None:
    faces = dict(Rating.objects.values("score").annotate(n=Count("id")).values_list("score", "n"))
    assert set(faces) == {"good", "neutral", "bad"}
    assert faces["bad"] == 1
    assert Rating.objects.exclude(comment="").count() >= 5
    low = list(OutboundEmail.objects.filter(kind="satisfaction_low"))
    assert [email.to for email in low] == [[demo_data.PATRICIA]]
    for rating in Rating.objects.select_related("ticket"):
        assert rating.ticket.resolved_at is not None
        assert rating.resolved_at <= rating.created_at <= rating.changeable_until()
    carla = Rating.objects.get(score="bad").ticket
    assert ledger.verify(carla) == []
    totals = DailyRollup.objects.aggregate(g=Sum("rating_good"), n=Sum("rating_neutral"), b=Sum("rating_bad"))
    assert (totals["g"], totals["n"], totals["b"]) == (faces["good"], faces["neutral"], 1)
    # Luis's printer was resolved days ago and waits for his rating, so a newcomer can try it.
    waiting = Ticket.objects.get(subject="La multifuncional del piso 5 atasca el papel")
    assert waiting.status.kind == StatusKind.RESOLVED and not Rating.objects.filter(ticket=waiting).exists()


def test_acmes_monthly_review_is_full_and_emailed_to_ana() -> None:
    from atiende.reviews.access import months_of
    from atiende.reviews.figures import build
    from atiende.reviews.models import ReviewSending

    acme = Organization.objects.get(name=demo_data.ACME)
    sending = ReviewSending.objects.get(organization=acme)
    assert sending.enabled and [c.user.email for c in sending.contacts.all()] == [demo_data.ANA]
    assert not ReviewSending.objects.exclude(organization=acme).filter(enabled=True).exists()
    months = months_of(acme)
    assert len(months) >= 2
    review = build(acme, months[0])
    assert review.figures.opened > 0 and review.by_channel and review.by_type
    assert review.figures.first_response_count > 0 and review.previous.opened > 0


def test_the_demo_routes_initechs_tickets_to_soporte_ti():
    from atiende.tickets.models import RoutingRule

    rule = RoutingRule.objects.select_related("organization", "queue").get()
    assert (rule.organization.name, rule.queue.slug) == ("Initech de México S.A. de C.V.", "soporte")  # type: ignore[union-attr]


def test_acmes_hour_bank_is_past_80_percent_this_month_and_its_alert_is_queued() -> None:
    from atiende.billing import banks
    from atiende.billing.models import BankAlert
    from atiende.tickets.models import Contract

    bank = Contract.objects.get(reference="ACM-MDA-01")
    balance = banks.bank_balance(bank)

    assert balance is not None and balance.used_percent == 85
    told = BankAlert.objects.filter(contract=bank, period=balance.period)
    assert list(told.values_list("threshold", flat=True)) == [80]
    key = f"bank:{bank.pk}:{balance.period:%Y-%m}:80:"
    assert OutboundEmail.objects.filter(dedupe_key__startswith=key).count() == 2  # Patricia and Ana
