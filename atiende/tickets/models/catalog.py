"""What a ticket is filed under: queues, services and contracts, types, categories,
priorities, statuses and tags. All configured in the admin site."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from atiende.accounts.models import Agent, Organization


class BilingualName(models.Model):
    """A name users see, configurable in Spanish and English."""

    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_es


class Queue(models.Model):
    """The manual's *Para*: a product or team that tickets are addressed to."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    email_address = models.EmailField(
        _("inbound address"), blank=True, help_text=_("Mail to this address lands in this queue.")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    agents = models.ManyToManyField(Agent, related_name="queues", blank=True, verbose_name=_("agents"))
    is_active = models.BooleanField(_("active"), default=True)
    offered_to_clients = models.BooleanField(
        _("offered in the portal"),
        default=True,
        help_text=_("Contacts may choose it in To on New Ticket. Internal teams stay unticked."),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_queues",
        verbose_name=_("only for the company"),
        help_text=_("A queue dedicated to one client: no other company's contacts see it."),
    )

    if TYPE_CHECKING:
        organization_id: int | None

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service the provider offers. The built-in on-demand service is offered when a
    company has no contract in force, billed at its hourly rate."""

    name = models.CharField(_("name"), max_length=160, unique=True)
    description = models.TextField(_("description"), blank=True)
    is_on_demand = models.BooleanField(
        _("on-demand support"),
        default=False,
        help_text=_("Offered to every company without a contract, billed at the rate below."),
    )
    hourly_rate = models.DecimalField(_("hourly rate"), max_digits=12, decimal_places=2, default=Decimal("0"))
    currency = models.CharField(_("currency"), max_length=3, default="COP")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["-is_on_demand", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_on_demand"], condition=Q(is_on_demand=True), name="service_one_on_demand"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ContractQuerySet(models.QuerySet["Contract"]):
    def in_force(self, on: datetime.date | None = None) -> ContractQuerySet:
        day = on or timezone.localdate()
        return self.filter(
            Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day), is_active=True
        )


class Contract(models.Model):
    """A service contracted by one company for a period."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contracts", verbose_name=_("organization")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="contracts", verbose_name=_("service")
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    hourly_rate = models.DecimalField(
        _("hourly rate"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["organization__name", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="contract_valid_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.organization}"

    def is_in_force(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.is_active and self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)


class TicketType(BilingualName):
    """The cause of a request: Incidente (default), Requerimiento, Pregunta, Problema."""

    is_default = models.BooleanField(_("default"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("ticket type")
        verbose_name_plural = _("ticket types")
        ordering = ["position", "name_es"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="tickettype_one_default"
            )
        ]


class Category(BilingualName):
    """What the ticket is about; categories nest (Red › Wi-Fi)."""

    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    if TYPE_CHECKING:
        parent_id: int | None

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name_es"]

    @property
    def name(self) -> str:
        own = super().name
        return f"{self.parent.name} › {own}" if self.parent_id and self.parent else own


class Priority(BilingualName):
    """Level 1 is the most urgent. `covey` maps the email subject prefix (1_, 2_, 3_)."""

    level = models.PositiveSmallIntegerField(_("level"), unique=True)
    covey = models.PositiveSmallIntegerField(
        _("Covey code"),
        null=True,
        blank=True,
        unique=True,
        help_text=_("Email subjects starting with this number and '_' get this priority."),
    )
    color = models.CharField(_("colour"), max_length=20, default="grey")
    is_default = models.BooleanField(_("default"), default=False)

    class Meta:
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="priority_one_default"
            )
        ]


class StatusKind(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending (waiting on the customer)")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class Status(BilingualName):
    """A stage of the workflow. Its kind drives behaviour; its names are configurable,
    with an optional wording for contacts (e.g. *Esperando su respuesta*)."""

    kind = models.CharField(_("kind"), max_length=10, choices=StatusKind.choices)
    portal_name_es = models.CharField(_("portal name (Spanish)"), max_length=120, blank=True)
    portal_name_en = models.CharField(_("portal name (English)"), max_length=120, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_default = models.BooleanField(
        _("default for its kind"),
        default=False,
        help_text=_("The status used when a ticket moves to this kind automatically."),
    )

    class Meta:
        verbose_name = _("status")
        verbose_name_plural = _("statuses")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_default=True), name="status_one_default_per_kind"
            )
        ]

    @property
    def portal_name(self) -> str:
        if translation.get_language() == "en":
            return self.portal_name_en or self.name_en or self.name
        return self.portal_name_es or self.name_es

    @property
    def is_closed(self) -> bool:
        return self.kind == StatusKind.CLOSED

    @property
    def is_active_work(self) -> bool:
        return self.kind in {StatusKind.NEW, StatusKind.OPEN}


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
