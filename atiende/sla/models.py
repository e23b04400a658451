"""Service levels: business calendars, SLA policies, each ticket's clocks, and the notices
already sent about them. Configured in the admin; the clocks change only through
`sla.timers` (called by the ticket actions) and `sla.sweep`."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atiende.sla.business_time import BusinessCalendar, TimeRange
from atiende.tickets.models import Contract, Priority, Queue, Service, Ticket

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

TIME_ZONES = [
    ("America/Bogota", "America/Bogota"),
    ("America/Mexico_City", "America/Mexico_City"),
    ("America/Monterrey", "America/Monterrey"),
    ("America/Cancun", "America/Cancun"),
    ("America/Tijuana", "America/Tijuana"),
    ("America/Lima", "America/Lima"),
    ("America/Guayaquil", "America/Guayaquil"),
    ("America/Panama", "America/Panama"),
    ("America/Caracas", "America/Caracas"),
    ("America/Santiago", "America/Santiago"),
    ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ("America/New_York", "America/New_York"),
    ("Europe/Madrid", "Europe/Madrid"),
    ("UTC", "UTC"),
]


class Country(models.TextChoices):
    """Countries whose national holidays a calendar can follow (codes of `holidays`)."""

    COLOMBIA = "CO", _("Colombia")
    MEXICO = "MX", _("Mexico")
    PERU = "PE", _("Peru")
    ECUADOR = "EC", _("Ecuador")
    PANAMA = "PA", _("Panama")
    CHILE = "CL", _("Chile")
    ARGENTINA = "AR", _("Argentina")
    UNITED_STATES = "US", _("United States")
    SPAIN = "ES", _("Spain")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("“%(zone)s” is not a known time zone."), params={"zone": value}) from None


# Calendars built for arithmetic, per process, by the key `Calendar.business` reads them by.
_BUILT: dict[str, BusinessCalendar] = {}
_MAX_BUILT = 256


class Calendar(models.Model):
    """When the provider works for a company or a queue: hours per weekday in a time
    zone, closed on the national holidays of a country and on custom dates. A ticket uses
    its policy's calendar, else its contract's, else its queue's, else the default one."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONES, validators=[validate_time_zone]
    )
    country = models.CharField(
        _("national holidays of"),
        max_length=2,
        choices=Country.choices,
        blank=True,
        help_text=_("Days that are public holidays in this country count as closed."),
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Used for tickets whose contract and queue have none.")
    )
    queues = models.ManyToManyField(Queue, blank=True, related_name="sla_calendars", verbose_name=_("queues"))
    contracts = models.ManyToManyField(
        Contract,
        blank=True,
        related_name="sla_calendars",
        verbose_name=_("contracts"),
        help_text=_("A contract's calendar wins over its ticket's queue's."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    if TYPE_CHECKING:
        hours: RelatedManager[WorkingHours]
        closed_dates: RelatedManager[ClosedDate]

    class Meta:
        verbose_name = _("business calendar")
        verbose_name_plural = _("business calendars")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="calendar_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def business(self) -> BusinessCalendar:
        """The calendar for arithmetic. Its hours and dates are cached under a key that
        changes whenever the calendar is saved (editing its hours or dates saves it), and
        the calendar built from them is kept per process under the same key: a list asks
        it of every row."""
        key = f"sla:calendar:{self.pk}:{self.updated_at.timestamp() if self.updated_at else 0}"
        built = _BUILT.get(key)
        if built is not None and built.time_zone.key == self.time_zone and built.country == self.country:
            return built
        data: tuple[dict[int, list[TimeRange]], list[datetime.date]] | None = cache.get(key)
        if data is None:
            hours: dict[int, list[TimeRange]] = {}
            for row in self.hours.all():
                hours.setdefault(row.weekday, []).append((row.starts, row.ends))
            data = (hours, list(self.closed_dates.values_list("date", flat=True)))
            cache.set(key, data, timeout=24 * 3600)
        hours, closed = data
        built = BusinessCalendar.build(self.time_zone, hours, country=self.country, closed_dates=closed)
        if len(_BUILT) >= _MAX_BUILT:
            _BUILT.clear()
        _BUILT[key] = built
        return built

    def touch(self) -> None:
        Calendar.objects.filter(pk=self.pk).update(updated_at=timezone.now())


class WorkingHours(models.Model):
    calendar = models.ForeignKey(
        Calendar, on_delete=models.CASCADE, related_name="hours", verbose_name=_("calendar")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("to"), help_text=_("00:00 means until midnight."))

    class Meta:
        verbose_name = _("working hours")
        verbose_name_plural = _("working hours")
        ordering = ["weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")) | Q(ends=datetime.time(0)), name="workinghours_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.calendar.touch()

    def clean(self) -> None:
        if self.ends != datetime.time(0) and self.starts is not None and self.ends <= self.starts:
            raise ValidationError({"ends": _("The range must end after it starts.")})


class ClosedDate(models.Model):
    """A day the calendar is closed besides national holidays (a company's own holiday)."""

    calendar = models.ForeignKey(
        Calendar, on_delete=models.CASCADE, related_name="closed_dates", verbose_name=_("calendar")
    )
    date = models.DateField(_("date"))
    name = models.CharField(_("reason"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("closed date")
        verbose_name_plural = _("closed dates")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["calendar", "date"], name="closeddate_unique")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        self.calendar.touch()


class EscalateOn(models.TextChoices):
    NEVER = "", _("Never")
    WARNING = "warning", _("At the warning")
    BREACH = "breach", _("On breach")


class SlaPolicy(models.Model):
    """Targets in business minutes for the tickets it applies to. The most specific active
    policy wins when a ticket opens: a matching contract counts most, then the service,
    then the priority; an empty field matches any ticket."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    contract = models.ForeignKey(
        Contract,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contract"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    priority = models.ForeignKey(
        Priority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("priority"),
    )
    calendar = models.ForeignKey(
        Calendar,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="policies",
        verbose_name=_("calendar"),
        help_text=_(
            "The hours its targets count in. Empty: the contract's calendar, else the queue's, else the default."
        ),
    )
    first_response_minutes = models.PositiveIntegerField(
        _("first response within (business minutes)"), null=True, blank=True
    )
    resolution_minutes = models.PositiveIntegerField(
        _("resolution within (business minutes)"), null=True, blank=True
    )
    warning_percent = models.PositiveSmallIntegerField(
        _("warn at (% of the target)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    escalate_on = models.CharField(
        _("escalate"), max_length=10, choices=EscalateOn.choices, default=EscalateOn.BREACH, blank=True
    )
    escalate_raise_priority = models.BooleanField(_("raise the priority one level"), default=False)
    escalate_to_queue = models.ForeignKey(
        Queue,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("move to the queue"),
    )
    escalate_to_supervisor = models.BooleanField(_("assign to a supervisor of the queue"), default=False)
    is_active = models.BooleanField(_("active"), default=True)

    if TYPE_CHECKING:
        contract_id: int | None
        service_id: int | None
        priority_id: int | None
        calendar_id: int | None
        escalate_to_queue_id: int | None

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(warning_percent__gte=1, warning_percent__lte=99), name="slapolicy_warning_share"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_escalation(self) -> bool:
        return bool(
            self.escalate_on
            and (self.escalate_raise_priority or self.escalate_to_queue_id or self.escalate_to_supervisor)
        )


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("First response")
    RESOLUTION = "resolution", _("Resolution")


class TicketSla(models.Model):
    """One ticket's clocks. The targets are copied from the policy when the ticket opens,
    so editing a policy later does not move running deadlines. While `paused_since` is set
    (waiting on the customer, or resolved) no clock runs and the deadlines stand still;
    on resumption they move forward by the business time that is left."""

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="sla", verbose_name=_("ticket")
    )
    policy = models.ForeignKey(
        SlaPolicy,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("policy"),
    )
    calendar = models.ForeignKey(
        Calendar,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("calendar"),
    )
    started_at = models.DateTimeField(_("started"))
    warning_percent = models.PositiveSmallIntegerField(_("warn at (% of the target)"), default=80)
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)

    first_response_minutes = models.PositiveIntegerField(_("first response target"), null=True, blank=True)
    first_response_warn_at = models.DateTimeField(_("first response warning"), null=True, blank=True)
    first_response_due_at = models.DateTimeField(_("first response due"), null=True, blank=True)
    first_response_met_at = models.DateTimeField(_("first response met"), null=True, blank=True)
    first_response_elapsed = models.IntegerField(
        _("first response took (business minutes)"), null=True, blank=True
    )

    resolution_minutes = models.PositiveIntegerField(_("resolution target"), null=True, blank=True)
    resolution_warn_at = models.DateTimeField(_("resolution warning"), null=True, blank=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), null=True, blank=True)
    resolution_met_at = models.DateTimeField(_("resolution met"), null=True, blank=True)
    resolution_elapsed = models.IntegerField(_("resolution took (business minutes)"), null=True, blank=True)

    # The earliest deadline of a target not met yet: the order of the at-risk view.
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True, db_index=True)

    if TYPE_CHECKING:
        ticket_id: int
        policy_id: int | None
        calendar_id: int | None

    class Meta:
        verbose_name = _("ticket service level")
        verbose_name_plural = _("ticket service levels")
        # The daily figures and the monthly review read the targets met in a period.
        indexes = [
            models.Index(fields=["first_response_met_at"], name="sla_first_response_met"),
            models.Index(fields=["resolution_met_at"], name="sla_resolution_met"),
        ]

    def __str__(self) -> str:
        return f"SLA #{self.ticket_id}"


class NoticeKind(models.TextChoices):
    WARNING = "warning", _("Warning")
    BREACH = "breach", _("Breach")


class SlaNotice(models.Model):
    """A warning or breach already handled for one target of one ticket. The unique
    constraint is what makes two overlapping sweeps unable to notify twice."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="+", verbose_name=_("ticket"))
    target = models.CharField(_("target"), max_length=20, choices=Target.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=NoticeKind.choices)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    if TYPE_CHECKING:
        ticket_id: int

    class Meta:
        verbose_name = _("SLA notice")
        verbose_name_plural = _("SLA notices")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["ticket", "target", "kind"], name="slanotice_once")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.target} {self.kind}"
