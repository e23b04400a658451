"""The monthly job: on the provider's first working day (a holiday on the 1st or a weekend
moves it), each enabled company's previous month goes to its chosen contacts once, with
the PDF attached and the portal link; a rerun sends nothing."""

import datetime as dt
import subprocess

import pytest
from django.core import mail
from django.urls import reverse

from atiende.errors import NotAllowed
from atiende.outbox.models import OutboundEmail
from atiende.outbox.outbox import deliver_due
from atiende.reviews import actions, schedule
from atiende.reviews.models import SentReview
from atiende.reviews.tasks import send_due
from tests.sla.conftest import make_calendar


@pytest.fixture
def provider_calendar(db):
    return make_calendar("Proveedor", "America/Bogota", "CO", [(dt.time(8), dt.time(17))], is_default=True)


@pytest.mark.parametrize(
    ("month", "first"),
    [
        (dt.date(2026, 1, 1), dt.date(2026, 1, 2)),  # Thursday 1 January is a holiday
        (dt.date(2026, 2, 1), dt.date(2026, 2, 2)),  # a Sunday
        (dt.date(2025, 11, 1), dt.date(2025, 11, 4)),  # Saturday, Sunday, then All Saints' Monday
        (dt.date(2025, 12, 1), dt.date(2025, 12, 1)),  # a plain Monday
    ],
)
def test_the_first_working_day_follows_the_providers_calendar(provider_calendar, month, first):
    assert schedule.first_working_day(month) == first


def test_without_a_default_calendar_weekdays_are_working_days(db):
    assert schedule.first_working_day(dt.date(2026, 2, 1)) == dt.date(2026, 2, 2)
    assert schedule.first_working_day(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)


def test_a_closed_date_of_the_calendar_moves_it_too(provider_calendar):
    provider_calendar.closed_dates.create(date=dt.date(2025, 12, 1))
    provider_calendar.touch()
    provider_calendar.refresh_from_db()
    assert schedule.first_working_day(dt.date(2025, 12, 1)) == dt.date(2025, 12, 2)


def _enable(world):
    actions.change_review_sending(world.supervisor.user, world.acme, enabled=True, contacts=[world.ana])


def test_nothing_goes_out_before_the_first_working_day_or_while_disabled(provider_calendar, world, november):
    assert actions.send_due_reviews(dt.date(2025, 12, 1)) == []  # not enabled yet
    _enable(world)
    assert actions.send_due_reviews(dt.date(2026, 1, 1)) == []  # the holiday
    assert OutboundEmail.objects.filter(kind="monthly_review").count() == 0


def test_the_review_goes_once_with_the_pdf_and_the_portal_link(provider_calendar, world, november, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    _enable(world)
    [sent] = actions.send_due_reviews(dt.date(2025, 12, 1))
    assert (sent.organization, sent.period, sent.recipients) == (world.acme, dt.date(2025, 11, 1), 1)
    assert actions.send_due_reviews(dt.date(2025, 12, 1)) == []  # a rerun
    assert actions.send_due_reviews(dt.date(2025, 12, 3)) == []  # a later run within the grace days
    assert actions.send_review(world.acme, dt.date(2025, 11, 1)) is None
    [email] = OutboundEmail.objects.filter(kind="monthly_review")
    assert reverse("portal:review", args=["2025-11"]) + f"?company={world.acme.pk}" in email.body_text
    deliver_due()
    [message] = [m for m in mail.outbox if "Acme" in m.subject]
    assert message.to == ["ana@acme.test"]
    [(name, content, kind)] = message.attachments
    assert name == f"revision-mensual-{world.acme.pk}-2025-11.pdf" and kind == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert "Acme S.A.S." in text and "Tardaron = demasiado" in text
    assert SentReview.objects.count() == 1


def test_the_periodic_task_sends_on_the_day(provider_calendar, world, november, clock):
    _enable(world)
    clock.move_to(dt.datetime(2025, 12, 1, 7, 0, tzinfo=dt.UTC) + dt.timedelta(hours=6))
    assert send_due() == {"sent": 1}
    assert send_due() == {"sent": 0}


def test_only_supervisors_change_the_sending(world, november):
    with pytest.raises(NotAllowed):
        actions.change_review_sending(world.agente.user, world.acme, enabled=True, contacts=[world.ana])
    with pytest.raises(NotAllowed):
        actions.change_review_sending(world.ana.user, world.acme, enabled=True, contacts=[world.ana])
