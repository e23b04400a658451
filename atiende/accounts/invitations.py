"""Accounts are issued by the provider: creating a contact sends them a link to choose
their password (never a password by email). The link is single-use and expires.

A plain agent issues accounts only to addresses of the company's email domains and never
with the company view (see `directory`); supervisors and admins to anyone."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from atiende.accounts.directory import may_grant_access, refuse_outside_domains
from atiende.accounts.models import (
    Agent,
    AgentRole,
    Contact,
    Membership,
    NotificationChannel,
    Organization,
    User,
    address_without_email,
)
from atiende.accounts.phones import to_e164
from atiende.errors import InvalidValue, NotAllowed
from atiende.outbox.outbox import Recipient, enqueue
from atiende.webhooks.contacts import contact_created


def set_password_link(user: User) -> str:
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": default_token_generator.make_token(user)},
    )
    return settings.ATIENDE_BASE_URL + path


def _may_manage_contacts(actor: User) -> bool:
    return actor.is_active and (actor.agent_or_none is not None or actor.is_superuser)


def create_contact(
    actor: User,
    *,
    email: str,
    full_name: str,
    organization: Organization,
    phone: str = "",
    extension: str = "",
    area: str = "",
    language: str = "",
    sees_company_tickets: bool = False,
    whatsapp: str = "",
    invite: bool = True,
) -> Contact:
    """A new contact of a client company, who receives the invitation to set a password
    (unless `invite` is off: an import sends invitations only when asked).
    A caller without email (known by phone or WhatsApp) gets no account to sign in with:
    their news go by WhatsApp when they gave a number, and the engineers tell them the rest."""
    if not _may_manage_contacts(actor):
        raise NotAllowed(_("Only the support team can create contacts."))
    email = User.objects.normalize_email(email.strip()).lower()
    whatsapp_number = to_e164(whatsapp) if whatsapp.strip() else ""
    if whatsapp.strip() and whatsapp_number is None:
        raise InvalidValue("whatsapp", _("Write the number with its country code, e.g. +57 300 123 4567."))
    if not email and not (phone.strip() or whatsapp_number):
        raise InvalidValue("email", _("Write an email address, or a phone or WhatsApp number to reach them."))
    if email and ("@" not in email or email.endswith(".invalid")):
        raise InvalidValue("email", _("Write a valid email address."))
    if email and User.objects.filter(email__iexact=email).exists():
        raise InvalidValue("email", _("There is already an account with this email address."))
    if not full_name.strip():
        raise InvalidValue("full_name", _("Write the contact's name."))
    if sees_company_tickets and not may_grant_access(actor):
        raise NotAllowed(_("Only supervisors and administrators decide who sees all company tickets."))
    if email:
        refuse_outside_domains(actor, email, [organization])
    with transaction.atomic():
        user = User.objects.create_user(
            email or address_without_email(),
            None,
            full_name=full_name.strip(),
            language=language or settings.LANGUAGE_CODE,
        )
        contact = Contact.objects.create(
            user=user,
            phone=phone,
            extension=extension,
            area=area,
            whatsapp=whatsapp_number or "",
            notify_by=NotificationChannel.WHATSAPP
            if whatsapp_number and not email
            else NotificationChannel.EMAIL,
        )
        Membership.objects.create(
            contact=contact,
            organization=organization,
            is_primary=True,
            sees_company_tickets=sees_company_tickets,
        )
        if email and invite:
            invite_contact(actor, contact)
        contact_created(contact)
    return contact


def invite_contact(actor: User, contact: Contact) -> None:
    """Send (again) the email with the link to choose a password. A plain agent sends it
    only to an address of one of the contact's companies' domains: the link opens the
    account, so it goes where the client's own mail server says the person is."""
    if not _may_manage_contacts(actor):
        raise NotAllowed(_("Only the support team can invite contacts."))
    user = contact.user
    if not user.is_active:
        raise InvalidValue("email", _("This contact is deactivated; activate it before inviting."))
    if not user.has_email:
        raise InvalidValue("email", _("This contact has no email address: add one before inviting."))
    try:
        refuse_outside_domains(actor, user.email, Organization.objects.filter(memberships__contact=contact))
    except InvalidValue as refused:
        raise NotAllowed(refused.message) from refused
    enqueue(
        "contact_invitation",
        Recipient(user.email, user.language),
        {
            "user": user,
            "link": set_password_link(user),
            "login": settings.ATIENDE_BASE_URL + reverse("account_login"),
        },
        kind="contact_invitation",
    )


def create_agent(actor: User, *, email: str, full_name: str, role: str) -> Agent:
    """A new member of the provider's team, who receives the invitation to choose their
    password (nobody types it for them). Supervisors and admins invite; only an admin
    makes another admin. The caller's transaction holds the account and the email."""
    if not may_grant_access(actor):
        raise NotAllowed(_("Only supervisors and administrators can invite engineers."))
    actor_agent = actor.agent_or_none
    if role == AgentRole.ADMIN and not (
        actor.is_superuser or (actor_agent is not None and actor_agent.role == AgentRole.ADMIN)
    ):
        raise NotAllowed(_("Only an administrator can invite another administrator."))
    if role not in AgentRole.values:
        raise InvalidValue("role", _("Choose a role."))
    email = User.objects.normalize_email(email.strip()).lower()
    if not email or "@" not in email:
        raise InvalidValue("email", _("Write a valid email address."))
    if User.objects.filter(email__iexact=email).exists():
        raise InvalidValue("email", _("There is already an account with this email address."))
    if not full_name.strip():
        raise InvalidValue("full_name", _("Write the engineer's name."))
    with transaction.atomic():
        user = User.objects.create_user(email, None, full_name=full_name.strip()[:150])
        agent = Agent.objects.create(user=user, role=role)
        enqueue(
            "agent_invitation",
            Recipient(user.email, user.language),
            {
                "user": user,
                "link": set_password_link(user),
                "login": settings.ATIENDE_BASE_URL + reverse("account_login"),
                "two_step": settings.ATIENDE_AGENTS_REQUIRE_2FA,
            },
            kind="agent_invitation",
        )
    return agent


def create_contact_from_email(email: str, full_name: str, organization: Organization) -> Contact:
    """A contact for someone who wrote to support from a company's domain (or into the
    catch-all company). No invitation is sent: their ticket's confirmation says how to
    follow it, and *Restablecer contraseña* gives them a password when they want one."""
    email = User.objects.normalize_email(email.strip()).lower()
    name = full_name.strip() or email.split("@", 1)[0]
    with transaction.atomic():
        user = User.objects.create_user(email, None, full_name=name[:150], language=settings.LANGUAGE_CODE)
        contact = Contact.objects.create(user=user)
        Membership.objects.create(contact=contact, organization=organization, is_primary=True)
        contact_created(contact)
    return contact


def create_reader_from_email(email: str, full_name: str) -> User:
    """An account for an address copied on a ticket that writes into it: its replies
    need an author, but a copied address is nobody's contact — it has no company, so the
    portal shows it nothing, and only staff can make it a contact."""
    email = User.objects.normalize_email(email.strip()).lower()
    name = full_name.strip() or email.split("@", 1)[0]
    return User.objects.create_user(email, None, full_name=name[:150], language=settings.LANGUAGE_CODE)
