"""Billing: a contract's terms over time, who receives statements, the statements issued
and the corrections waiting for the next one. Drafts are not stored: a draft is computed
from the time recorded whenever it is looked at; issuing freezes it here."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Agent, Contact, Organization
from atiende.billing import pricing
from atiende.tickets.models import Contract, Ticket, TimeEntry

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class TermsKind(models.TextChoices):
    SERVICE_LEVEL = pricing.Kind.SERVICE_LEVEL.value, _("Service level only (hours not limited)")
    HOUR_BANK = pricing.Kind.HOUR_BANK.value, _("Hour bank")
    ON_DEMAND = pricing.Kind.ON_DEMAND.value, _("On demand (every hour at the rate)")


class BankPeriod(models.TextChoices):
    MONTHLY = pricing.BankPeriod.MONTHLY.value, _("Every month")
    TERM = pricing.BankPeriod.TERM.value, _("For the whole term")


class ContractTerms(models.Model):
    """How a contract bills time from a date on. A change of terms is a new row from a
    later date, so months already issued keep the terms they were priced with."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="billing_terms", verbose_name=_("contract")
    )
    effective_from = models.DateField(
        _("in force from"),
        help_text=_(
            "The terms apply to time worked from this day. To change terms, add new terms "
            "from a later day; months already issued are never priced again."
        ),
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=TermsKind.choices,
        help_text=_(
            "Service level: time is recorded but not charged. Hour bank: prepaid hours, then "
            "the overage rate. On demand: every hour at the hourly rate."
        ),
    )
    currency = models.CharField(
        _("currency"), max_length=3, default="COP", help_text=_("ISO code: COP, MXN, USD…")
    )
    hourly_rate = models.DecimalField(
        _("hourly rate"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("On demand: the price of one hour."),
    )
    bank_hours = models.DecimalField(
        _("hours in the bank"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Hour bank: prepaid hours for each month or for the whole term."),
    )
    bank_period = models.CharField(
        _("the bank is granted"),
        max_length=8,
        choices=BankPeriod.choices,
        default=BankPeriod.MONTHLY,
    )
    rollover = models.BooleanField(
        _("unused hours roll over"),
        default=False,
        help_text=_(
            "Monthly bank: hours left at the end of a month add to the next one; otherwise they expire."
        ),
    )
    overage_rate = models.DecimalField(
        _("overage rate"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Hour bank: the price of each hour once the bank is used up."),
    )
    increment_minutes = models.PositiveSmallIntegerField(
        _("billing increment (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Each entry is rounded up to blocks of this many minutes (15: 7 minutes bill 15)."),
    )
    minimum_minutes = models.PositiveSmallIntegerField(
        _("minimum per ticket (minutes)"),
        default=0,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("A ticket with less billable time in the month is billed this much."),
    )
    after_hours_multiplier = models.DecimalField(
        _("after-hours multiplier"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("5"))],
        help_text=_(
            "Time worked outside the contract's business calendar (nights, weekends, holidays) "
            "counts this many times: 1.5 bills an hour at night as an hour and a half."
        ),
    )
    tax_rate = models.DecimalField(
        _("tax rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("19"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("IVA: 19 in Colombia, 16 in Mexico."),
    )

    class Meta:
        verbose_name = _("billing terms")
        verbose_name_plural = _("billing terms")
        ordering = ["contract", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "effective_from"], name="terms_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.effective_from:%Y-%m-%d}"

    def clean(self) -> None:
        """Issued months keep the terms they were priced with."""
        if self.contract_id is None or self.effective_from is None:
            return
        contract = self.contract
        issued = (
            Statement.objects.filter(
                Q(contract=contract) | Q(contract__isnull=True, organization=contract.organization_id)
            )
            .filter(period__gte=month_start(self.effective_from))
            .order_by("-period")
            .first()
        )
        if issued is not None:
            raise ValidationError(
                {
                    "effective_from": _(
                        "%(month)s was already issued (statement %(number)s): new terms can start on "
                        "%(first)s at the earliest."
                    )
                    % {
                        "month": issued.period.strftime("%Y-%m"),
                        "number": issued.number,
                        "first": next_month(issued.period).isoformat(),
                    }
                }
            )

    def as_terms(self) -> pricing.Terms:
        return pricing.Terms(
            kind=pricing.Kind(self.kind),
            effective_from=self.effective_from,
            currency=self.currency,
            hourly_rate=self.hourly_rate,
            bank_minutes=int(self.bank_hours * 60),
            bank_period=pricing.BankPeriod(self.bank_period),
            rollover=self.rollover,
            overage_rate=self.overage_rate,
            increment_minutes=self.increment_minutes,
            minimum_minutes=self.minimum_minutes,
            after_hours_multiplier=self.after_hours_multiplier,
            tax_rate=self.tax_rate,
        )


class BillingProfile(models.Model):
    """Who hears about a company's billing: the provider's account manager and the
    company's billing contacts (statements, bank alerts)."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="billing", verbose_name=_("organization")
    )
    account_manager = models.ForeignKey(
        Agent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account manager"),
    )
    contacts = models.ManyToManyField(
        Contact,
        blank=True,
        related_name="+",
        verbose_name=_("billing contacts"),
        help_text=_("They receive the statements and the hour bank alerts."),
    )

    class Meta:
        verbose_name = _("billing profile")
        verbose_name_plural = _("billing profiles")

    def __str__(self) -> str:
        return str(self.organization)


class Statement(models.Model):
    """An issued monthly statement of a company (or of one of its contracts). Its lines and
    totals are frozen; `content_sha256` seals them and each ticket's history records it."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="statements", verbose_name=_("organization")
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        verbose_name=_("contract"),
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month billed."))
    currency = models.CharField(_("currency"), max_length=3)
    subtotal = models.DecimalField(_("subtotal"), max_digits=16, decimal_places=2)
    tax = models.DecimalField(_("tax"), max_digits=16, decimal_places=2)
    total = models.DecimalField(_("total"), max_digits=16, decimal_places=2)
    opening_minutes = models.DecimalField(_("bank at the start"), max_digits=12, decimal_places=2, default=0)
    drawn_minutes = models.DecimalField(_("drawn from the bank"), max_digits=12, decimal_places=2, default=0)
    closing_minutes = models.DecimalField(_("bank at the end"), max_digits=12, decimal_places=2, default=0)
    # Each hour bank's balances as issued, by contract id: the next month starts from here.
    banks = models.JSONField(default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("issued by")
    )
    content_sha256 = models.CharField(_("seal"), max_length=64)

    if TYPE_CHECKING:
        lines: RelatedManager[StatementLine]
        organization_id: int
        contract_id: int | None

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-period", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "period"],
                condition=Q(contract__isnull=True),
                name="statement_one_company_month",
            ),
            models.UniqueConstraint(fields=["contract", "period"], name="statement_one_contract_month"),
        ]
        indexes = [models.Index(fields=["organization", "period"], name="statement_company_month")]

    def __str__(self) -> str:
        return self.number

    @property
    def period_end(self) -> datetime.date:
        return next_month(self.period) - datetime.timedelta(days=1)


class LineKind(models.TextChoices):
    ENTRY = "entry", _("Time entry")
    MINIMUM = "minimum", _("Minimum per ticket")
    OVERAGE = "overage", _("Overage")
    ON_DEMAND = "on_demand", _("On demand")
    ADJUSTMENT = "adjustment", _("Adjustment")


class StatementLine(models.Model):
    """One line as issued. Entry lines carry the time (no money of their own); overage,
    on-demand and adjustment lines carry the amounts that add up to the subtotal."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    kind = models.CharField(max_length=12, choices=LineKind.choices)
    ticket = models.ForeignKey(Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    ticket_number = models.PositiveIntegerField(null=True, blank=True)
    time_entry = models.ForeignKey(
        TimeEntry, on_delete=models.SET_NULL, null=True, blank=True, related_name="statement_lines"
    )
    work_date = models.DateField(null=True, blank=True)
    engineer = models.CharField(max_length=200, blank=True)
    description = models.CharField(max_length=400, blank=True)
    minutes = models.PositiveIntegerField(default=0)
    billed_minutes = models.PositiveIntegerField(default=0)
    after_hours_minutes = models.PositiveIntegerField(default=0)
    weighted_minutes = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    bank_minutes = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    charged_minutes = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    rate = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    amount = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    if TYPE_CHECKING:
        ticket_id: int | None
        time_entry_id: int | None
        statement_id: int

    class Meta:
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="statementline_position"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.position}"


class Adjustment(models.Model):
    """A correction to an issued month, billed (or credited) on the company's next
    statement with its reason, so the issued one stays as it was."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="billing_adjustments",
        verbose_name=_("organization"),
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contract"),
    )
    corrects = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects statement"),
    )
    amount = models.DecimalField(
        _("amount"), max_digits=14, decimal_places=2, help_text=_("Negative for a credit.")
    )
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    statement = models.ForeignKey(
        Statement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
        verbose_name=_("billed on"),
    )

    class Meta:
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.amount} — {self.reason}"


class BankAlert(models.Model):
    """An hour bank alert told: one per contract, month and threshold, so it is told once."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    threshold = models.PositiveSmallIntegerField()  # percent of the bank used: 80 or 100
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contract", "period", "threshold"], name="bankalert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.period:%Y-%m} {self.threshold} %"

    if TYPE_CHECKING:
        contract_id: int


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
