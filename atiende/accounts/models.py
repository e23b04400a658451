"""People and the companies they belong to: users, client organizations, contacts, agents."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from atiende.accounts import signed_in
from atiende.accounts.phones import to_e164

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


# Where our users work; dates and times are shown in the user's own zone.
TIME_ZONES = [
    ("America/Bogota", "Bogotá"),
    ("America/Mexico_City", "Ciudad de México"),
    ("America/Monterrey", "Monterrey"),
    ("America/Cancun", "Cancún"),
    ("America/Tijuana", "Tijuana"),
    ("America/Lima", "Lima"),
    ("America/Guayaquil", "Guayaquil"),
    ("America/Panama", "Panamá"),
    ("America/Caracas", "Caracas"),
    ("America/Santiago", "Santiago de Chile"),
    ("America/Argentina/Buenos_Aires", "Buenos Aires"),
    ("America/Sao_Paulo", "São Paulo"),
    ("America/New_York", "New York"),
    ("Europe/Madrid", "Madrid"),
    ("UTC", "UTC"),
]


def default_time_zone() -> str:
    return settings.TIME_ZONE


# A caller known by phone or WhatsApp only still needs a unique address to be a user:
# one in this reserved domain (RFC 2606: `.invalid` never resolves), which the outbox
# never sends to and the pages never show.
NO_EMAIL_DOMAIN = "sin-correo.invalid"


def address_without_email() -> str:
    return f"tel-{uuid.uuid4().hex[:20]}@{NO_EMAIL_DOMAIN}"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def by_email(self, email: str, *related: str) -> User | None:
        """The account with this address, whatever its case, with `related` joined.
        Unordered on purpose: `first()` would order by id and let PostgreSQL walk the
        primary key instead of the `user_email_upper` index."""
        return next(iter(self.filter(email__iexact=email).select_related(*related)[:1]), None)


class SignedInUserQuerySet(models.QuerySet["User"]):
    def select_for_update(
        self, nowait: bool = False, skip_locked: bool = False, of: Sequence[str] = (), no_key: bool = False
    ) -> SignedInUserQuerySet:
        """Locks the users' rows alone unless told otherwise: PostgreSQL refuses to lock the
        nullable side of the roles' outer joins (allauth locks the user this way when it
        regenerates recovery codes)."""
        return super().select_for_update(
            nowait=nowait, skip_locked=skip_locked, of=of or ("self",), no_key=no_key
        )


class SignedInUsers(UserManager):
    """The users' default manager, declared first: Django's sign-in backends read the
    signed-in user through it on every request (`_default_manager.get(pk=…)`), and the
    page asks next whether they are an agent or a contact. Both come in the same query.
    Kept out of migrations, where `objects` stands for the users."""

    use_in_migrations = False

    def get_queryset(self) -> models.QuerySet[User]:
        return SignedInUserQuerySet(self.model, using=self._db).select_related("agent", "contact")

    def get(self, *args: Any, **kwargs: Any) -> User:
        """A read by key alone (the backends' `get(pk=…)` on every request) comes from this
        process's copy while no account changed since (`accounts.signed_in`)."""
        if not args and kwargs.keys() == {"pk"}:
            return signed_in.read(self.get_queryset(), kwargs["pk"])
        return self.get_queryset().get(*args, **kwargs)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: a contact of a client company or an agent of the provider."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    time_zone = models.CharField(_("time zone"), max_length=64, choices=TIME_ZONES, default=default_time_zone)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("May use the configuration (admin) site.")
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    signed_in = SignedInUsers()
    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    if TYPE_CHECKING:
        contact: Contact
        agent: Agent

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        # Mail, sign-in and the directory find people by email whatever its case
        # (`email__iexact`, which PostgreSQL compares as UPPER(email)).
        indexes = [models.Index(Upper("email"), name="user_email_upper")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    @property
    def has_email(self) -> bool:
        """False for a caller registered with a phone or WhatsApp only."""
        return not self.email.endswith("@" + NO_EMAIL_DOMAIN)

    @property
    def shown_email(self) -> str:
        """The address as pages show it: nothing for a caller without email."""
        return self.email if self.has_email else ""

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def agent_or_none(self) -> Agent | None:
        return getattr(self, "agent", None)

    @property
    def contact_or_none(self) -> Contact | None:
        return getattr(self, "contact", None)


class Organization(models.Model):
    """A client company of the provider."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    tax_id = models.CharField(_("tax id"), max_length=40, blank=True)
    email_domains = models.CharField(
        _("email domains"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated, e.g. acme.com, acme.com.co"),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    contacts_see_all_tickets = models.BooleanField(
        _("contacts see all company tickets"),
        default=False,
        help_text=_("Every contact of this company sees the company's tickets, not only their own."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    if TYPE_CHECKING:
        locations: RelatedManager[Location]

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def domain_list(self) -> list[str]:
        return [d.strip().lower() for d in self.email_domains.split(",") if d.strip()]


class Location(models.Model):
    """A client site: where an incident happened (the manual's *Localización*)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="locations", verbose_name=_("organization")
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["organization__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="location_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization})"


class NotificationPreference(models.TextChoices):
    ALL = "all", _("Every change to my tickets")
    IMPORTANT = "important", _("Only replies and closing")
    NONE = "none", _("No email notifications")


class NotificationChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    WHATSAPP = "whatsapp", _("WhatsApp")
    BOTH = "both", _("Email and WhatsApp")


class Contact(models.Model):
    """A person at a client company who opens and follows tickets."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact", verbose_name=_("user")
    )
    organizations: models.ManyToManyField[Organization, Membership] = models.ManyToManyField(
        Organization,
        through="Membership",
        related_name="contacts",
        verbose_name=_("organizations"),
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_digits = models.CharField(
        _("phone digits"), max_length=40, blank=True, editable=False, db_index=True,
        help_text=_("The phone without spaces or signs, for finding callers."),
    )  # fmt: skip
    extension = models.CharField(_("extension"), max_length=20, blank=True)
    area = models.CharField(_("area"), max_length=120, blank=True)
    notifications = models.CharField(
        _("email notifications"),
        max_length=12,
        choices=NotificationPreference.choices,
        default=NotificationPreference.ALL,
    )
    whatsapp = models.CharField(
        _("WhatsApp"),
        max_length=20,
        blank=True,
        db_index=True,
        help_text=_("The number in international format (+57…), when it differs from the phone."),
    )
    notify_by = models.CharField(
        _("notifications by"),
        max_length=10,
        choices=NotificationChannel.choices,
        default=NotificationChannel.EMAIL,
    )

    if TYPE_CHECKING:
        memberships: RelatedManager[Membership]

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.phone_digits = "".join(ch for ch in self.phone if ch.isdigit())
        self.whatsapp = to_e164(self.whatsapp) or self.whatsapp.strip()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "phone" in update_fields:
            kwargs["update_fields"] = {*update_fields, "phone_digits"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.whatsapp and to_e164(self.whatsapp) is None:
            raise ValidationError(
                {"whatsapp": _("Write the number with its country code, e.g. +57 300 123 4567.")}
            )

    @property
    def primary_organization(self) -> Organization | None:
        membership = self.memberships.select_related("organization").filter(is_primary=True).first()
        return membership.organization if membership else None


class Membership(models.Model):
    """A contact's link to one company. A contact may belong to several (consultants,
    group companies); one is primary. Company-wide ticket visibility is granted by the
    company for everyone or here for one person."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("contact")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    is_primary = models.BooleanField(_("primary"), default=False)
    sees_company_tickets = models.BooleanField(
        _("sees all company tickets"),
        default=False,
        help_text=_("This contact sees every ticket of this company (Tickets de la Compañía)."),
    )

    class Meta:
        verbose_name = _("company membership")
        verbose_name_plural = _("company memberships")
        constraints = [
            models.UniqueConstraint(fields=["contact", "organization"], name="membership_unique"),
            models.UniqueConstraint(
                fields=["contact"], condition=Q(is_primary=True), name="membership_one_primary"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} @ {self.organization}"


class AgentRole(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


class AgentQuerySet(models.QuerySet["Agent"]):
    def engineers(self) -> AgentQuerySet:
        """The people who work tickets: active, and not an integration acting through a
        token. Only they are offered for assignment, ownership and the team's figures."""
        return self.filter(user__is_active=True, is_integration=False)


class Agent(models.Model):
    """An engineer or contact-center member of the provider. Queue membership lives on
    the queue (`Queue.agents`), so this module does not depend on tickets.

    An *integration* is an agent that never signs in: a monitoring source or a service
    token acts as it, so the history names it, but it is never given tickets."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=12, choices=AgentRole.choices, default=AgentRole.AGENT)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email_notifications = models.BooleanField(
        _("email me"),
        default=True,
        help_text=_(
            "Email this agent about new tickets in their queues, tickets assigned to them and "
            "customer replies."
        ),
    )
    is_integration = models.BooleanField(
        _("integration"),
        default=False,
        editable=False,
        help_text=_("Acts only through a token; never assigned tickets nor listed among engineers."),
    )

    objects = AgentQuerySet.as_manager()

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def sees_all_queues(self) -> bool:
        return self.role in {AgentRole.SUPERVISOR, AgentRole.ADMIN}
