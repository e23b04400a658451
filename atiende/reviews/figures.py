"""One company's month, as the monthly service review shows it.

The counts, the service-level compliance, the business-minute durations and the ratings
are added up from the daily figures (`rollups`); what they do not keep — the site, the
breaches by ticket, the open items at the month's end, the ratings' comments and the hours
of the contracts — is read from that company's month through indexes that start with the
company (`ticket_company_opened`, `ticket_company_resolved`) or with the instant a target
was met (`sla_first_response_met`, `sla_resolution_met`). Nothing here scans the whole
ticket table, so the largest company's review takes the same few reads as the smallest.
"""

from __future__ import annotations

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from atiende.accounts.models import Agent, Location, Organization
from atiende.billing import statements
from atiende.reviews.models import month_start, next_month, previous_month
from atiende.rollups.compute import day_bounds
from atiende.rollups.models import EVENTS, MINUTES, DailyRollup, DailyTotal
from atiende.satisfaction import queries as satisfaction
from atiende.satisfaction.models import Rating
from atiende.sla.models import TicketSla
from atiende.tickets.models import Category, Channel, Ticket, TicketType

COUNTS = EVENTS
CARRIED_SHOWN = 50
BREACHES_SHOWN = 100
HOUR = Decimal(60)


def share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def hours(minutes: float | Decimal | None) -> Decimal | None:
    """Business minutes as hours with one decimal (what people read in a review)."""
    if minutes is None:
        return None
    return (Decimal(str(minutes)) / HOUR).quantize(Decimal("0.1"))


@dataclass
class MonthFigures:
    """The totals of a month, summed from its daily figures."""

    opened: int = 0
    reopened: int = 0
    resolved: int = 0
    first_response_count: int = 0
    first_response_on_time: int = 0
    resolution_count: int = 0
    resolution_on_time: int = 0
    rating_good: int = 0
    rating_neutral: int = 0
    rating_bad: int = 0
    backlog_at_end: int = 0
    first_response_minutes: list[int] = field(default_factory=list)
    resolution_minutes: list[int] = field(default_factory=list)

    @property
    def first_response_compliance(self) -> float | None:
        return share(self.first_response_on_time, self.first_response_count)

    @property
    def resolution_compliance(self) -> float | None:
        return share(self.resolution_on_time, self.resolution_count)

    @property
    def first_response_median(self) -> float | None:
        return median(self.first_response_minutes)

    @property
    def resolution_median(self) -> float | None:
        return median(self.resolution_minutes)

    @property
    def first_response_median_hours(self) -> Decimal | None:
        return hours(self.first_response_median)

    @property
    def resolution_median_hours(self) -> Decimal | None:
        return hours(self.resolution_median)

    @property
    def first_response_breached(self) -> int:
        return self.first_response_count - self.first_response_on_time

    @property
    def resolution_breached(self) -> int:
        return self.resolution_count - self.resolution_on_time

    @property
    def ratings(self) -> int:
        return self.rating_good + self.rating_neutral + self.rating_bad

    @property
    def satisfaction(self) -> float | None:
        """The share of 🙂 among the month's ratings (CSAT)."""
        return share(self.rating_good, self.ratings)


@dataclass(frozen=True)
class Line:
    """One row of a breakdown: a name and the requests opened under it."""

    label: str
    count: int
    percent: float | None


@dataclass(frozen=True)
class Breach:
    number: int
    subject: str
    target: str
    allowed_minutes: int
    taken_minutes: int

    @property
    def over_minutes(self) -> int:
        return self.taken_minutes - self.allowed_minutes

    @property
    def allowed_hours(self) -> Decimal | None:
        return hours(self.allowed_minutes)

    @property
    def over_hours(self) -> Decimal | None:
        return hours(self.over_minutes)


@dataclass(frozen=True)
class Carried:
    number: int
    subject: str
    opened_at: datetime.datetime
    status: str
    assignee: str


@dataclass(frozen=True)
class ContractHours:
    """An hour bank's month: what was available, what the month drew, what is left."""

    label: str
    opening: Decimal
    drawn: Decimal
    closing: Decimal


@dataclass(frozen=True)
class Comparison:
    label: str
    current: float | Decimal | None
    previous: float | Decimal | None
    higher_is_better: bool
    unit: str = ""

    @property
    def suffix(self) -> str:
        """What follows the figure on a page: " %" for shares."""
        return f" {self.unit}" if self.unit else ""

    @property
    def delta(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return round(float(self.current) - float(self.previous), 1)

    @property
    def direction(self) -> str:
        """up, down or same: the arrow beside the figure."""
        if not self.delta:
            return "same"
        return "up" if self.delta > 0 else "down"

    @property
    def is_better(self) -> bool | None:
        if not self.delta:
            return None
        return (self.delta > 0) == self.higher_is_better


@dataclass
class Review:
    organization: Organization
    period: datetime.date
    figures: MonthFigures
    previous: MonthFigures
    by_type: list[Line]
    by_category: list[Line]
    by_site: list[Line]
    by_channel: list[Line]
    breaches: list[Breach]
    comments: list[Rating]
    contract_hours: list[ContractHours]
    carried: list[Carried]
    carried_count: int

    @property
    def period_end(self) -> datetime.date:
        return next_month(self.period) - datetime.timedelta(days=1)

    @property
    def breakdowns(self) -> list[tuple[str, list[Line]]]:
        return [
            (_("By type"), self.by_type),
            (_("By category"), self.by_category),
            (_("By site"), self.by_site),
            (_("By channel"), self.by_channel),
        ]

    @property
    def comparisons(self) -> list[Comparison]:
        now, before = self.figures, self.previous
        return [
            Comparison(_("Requests opened"), now.opened, before.opened, higher_is_better=False),
            Comparison(_("Requests resolved"), now.resolved, before.resolved, higher_is_better=True),
            Comparison(
                _("First response on time"),
                now.first_response_compliance,
                before.first_response_compliance,
                higher_is_better=True,
                unit="%",
            ),
            Comparison(
                _("Resolution on time"),
                now.resolution_compliance,
                before.resolution_compliance,
                higher_is_better=True,
                unit="%",
            ),
            Comparison(
                _("Median first response (business hours)"),
                now.first_response_median_hours,
                before.first_response_median_hours,
                higher_is_better=False,
            ),
            Comparison(
                _("Median resolution (business hours)"),
                now.resolution_median_hours,
                before.resolution_median_hours,
                higher_is_better=False,
            ),
            Comparison(
                _("Satisfaction"), now.satisfaction, before.satisfaction, higher_is_better=True, unit="%"
            ),
            Comparison(
                _("Open at the end of the month"),
                now.backlog_at_end,
                before.backlog_at_end,
                higher_is_better=False,
            ),
        ]


def month_bounds(period: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The month's first instant and the next month's, in the installation's zone."""
    return day_bounds(month_start(period))[0], day_bounds(next_month(period))[0]


def _rollups(organization: Organization, period: datetime.date) -> Any:
    last = next_month(period) - datetime.timedelta(days=1)
    return DailyRollup.objects.filter(
        organization_id=organization.pk, day__gte=month_start(period), day__lte=last
    )


def month_figures(organization: Organization, period: datetime.date) -> MonthFigures:
    """The month's totals, from the company's daily totals: one row a day."""
    last = next_month(period) - datetime.timedelta(days=1)
    days = DailyTotal.objects.filter(
        dimension="organization_id", value=str(organization.pk), day__gte=month_start(period), day__lte=last
    )
    figures = MonthFigures()
    for row in days.values("day", "backlog", *COUNTS, *MINUTES):
        for name in COUNTS:
            setattr(figures, name, getattr(figures, name) + row[name])
        figures.first_response_minutes.extend(row["first_response_minutes"])
        figures.resolution_minutes.extend(row["resolution_minutes"])
        if row["day"] == last:
            figures.backlog_at_end = row["backlog"]
    figures.first_response_minutes.sort()
    figures.resolution_minutes.sort()
    return figures


def _lines(counts: dict[Any, int], names: dict[Any, str], total: int) -> list[Line]:
    lines = [
        Line(names.get(key, str(key)), count, share(count, total)) for key, count in counts.items() if count
    ]
    return sorted(lines, key=lambda line: (-line.count, line.label.lower()))


def _by(rows: Any, column: str) -> dict[Any, int]:
    return {row[column]: row["total"] for row in rows.values(column).annotate(total=Sum("opened")).order_by()}


def _breakdowns(organization: Organization, period: datetime.date, opened: int) -> dict[str, list[Line]]:
    rows = _rollups(organization, period)
    types = {item.pk: str(item) for item in TicketType.objects.all()}
    categories: dict[Any, str] = {
        None: _("No category"),
        **{item.pk: str(item) for item in Category.objects.all()},
    }
    channels = {choice.value: str(choice.label) for choice in Channel}
    start, end = month_bounds(period)
    by_site = {
        row["location_id"]: row["total"]
        for row in Ticket.objects.filter(organization=organization, created_at__gte=start, created_at__lt=end)
        .values("location_id")
        .annotate(total=Count("id"))
        .order_by()
    }
    sites: dict[Any, str] = {
        None: _("No site"),
        **{item.pk: item.name for item in Location.objects.filter(organization=organization)},
    }
    return {
        "type": _lines(_by(rows, "type_id"), types, opened),
        "category": _lines(_by(rows, "category_id"), categories, opened),
        "channel": _lines(_by(rows, "channel"), channels, opened),
        "site": _lines(by_site, sites, sum(by_site.values())),
    }


def breaches(organization: Organization, period: datetime.date) -> list[Breach]:
    """The targets met late in the month (counted late in the compliance), worst first."""
    start, end = month_bounds(period)
    found: list[Breach] = []
    for target, label in (("first_response", _("First response")), ("resolution", _("Resolution"))):
        clocks = TicketSla.objects.filter(
            **{
                "ticket__organization": organization,
                f"{target}_met_at__gte": start,
                f"{target}_met_at__lt": end,
                f"{target}_minutes__isnull": False,
                f"{target}_elapsed__gt": F(f"{target}_minutes"),
            }
        ).values_list("ticket__number", "ticket__subject", f"{target}_minutes", f"{target}_elapsed")
        found.extend(
            Breach(number, subject, label, allowed, taken) for number, subject, allowed, taken in clocks
        )
    found.sort(key=lambda breach: (-breach.over_minutes, breach.number))
    return found[:BREACHES_SHOWN]


def carried_over(organization: Organization, period: datetime.date) -> tuple[list[Carried], int]:
    """The requests still unresolved when the month ended (the oldest first), and how many."""
    _start, end = month_bounds(period)
    still_open = Ticket.objects.filter(
        Q(resolved_at__isnull=True) | Q(resolved_at__gte=end),
        Q(closed_at__isnull=True) | Q(closed_at__gte=end),
        organization=organization,
        created_at__lt=end,
    )
    count = still_open.count()
    rows = still_open.select_related("status", "assignee__user").order_by("created_at", "number")[
        :CARRIED_SHOWN
    ]
    return [
        Carried(
            ticket.number,
            ticket.subject,
            ticket.created_at,
            str(ticket.status),
            _engineer(ticket.assignee),
        )
        for ticket in rows
    ], count


def _engineer(agent: Agent | None) -> str:
    if agent is None:
        return _("Unassigned")
    return agent.user.get_full_name() or agent.user.email


def contract_hours(organization: Organization, period: datetime.date) -> list[ContractHours]:
    """The hour banks of the company's contracts in the month, as billing counts them."""
    draft = statements.build(organization, period)
    return [
        ContractHours(
            section.label,
            (section.account.opening_minutes / HOUR).quantize(Decimal("0.01")),
            (section.account.drawn_minutes / HOUR).quantize(Decimal("0.01")),
            (section.account.closing_minutes / HOUR).quantize(Decimal("0.01")),
        )
        for section in draft.sections
        if section.is_bank
    ]


def build(organization: Organization, period: datetime.date) -> Review:
    """The review of `organization` for the month of `period`."""
    period = month_start(period)
    figures = month_figures(organization, period)
    parts = _breakdowns(organization, period, figures.opened)
    carried, carried_count = carried_over(organization, period)
    return Review(
        organization=organization,
        period=period,
        figures=figures,
        previous=month_figures(organization, previous_month(period)),
        by_type=parts["type"],
        by_category=parts["category"],
        by_site=parts["site"],
        by_channel=parts["channel"],
        breaches=breaches(organization, period),
        comments=satisfaction.comments_between(
            period, next_month(period) - datetime.timedelta(days=1), {"ticket__organization": organization}
        ),
        contract_hours=contract_hours(organization, period),
        carried=carried,
        carried_count=carried_count,
    )
