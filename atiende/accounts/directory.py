"""The provider's directory of client companies and their contacts, kept by the desk.

Agents keep contacts (create, correct, invite, deactivate); supervisors and admins also
keep companies and their sites. Deactivating a contact blocks sign-in and keeps history.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from atiende.accounts.models import AgentRole, Contact, Location, Membership, Organization, User
from atiende.errors import InvalidValue, NotAllowed

ORGANIZATION_FIELDS = ("name", "tax_id", "email_domains", "address", "phone", "contacts_see_all_tickets")


def _agent_role(actor: User) -> str | None:
    agent = actor.agent_or_none if actor.is_active else None
    return agent.role if agent is not None else None


def may_keep_contacts(actor: User) -> bool:
    return _agent_role(actor) is not None


def may_keep_companies(actor: User) -> bool:
    return _agent_role(actor) in {AgentRole.SUPERVISOR, AgentRole.ADMIN}


def save_organization(actor: User, organization: Organization | None, **values: object) -> Organization:
    """Create a company (None) or correct one; only the listed fields are taken."""
    if not may_keep_companies(actor):
        raise NotAllowed(_("Only supervisors and administrators can create or edit companies."))
    unknown = set(values) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise InvalidValue(sorted(unknown)[0], _("This field cannot be changed here."))
    name = str(values.get("name", organization.name if organization else "")).strip()
    if not name:
        raise InvalidValue("name", _("Write the company's name."))
    clash = Organization.objects.filter(name__iexact=name)
    if organization is not None:
        clash = clash.exclude(pk=organization.pk)
    if clash.exists():
        raise InvalidValue("name", _("There is already a company with this name."))
    target = organization or Organization()
    for field, value in values.items():
        setattr(target, field, value.strip() if isinstance(value, str) else value)
    target.name = name
    target.email_domains = ", ".join(
        domain.strip().lower().lstrip("@") for domain in target.email_domains.split(",") if domain.strip()
    )
    target.full_clean()
    target.save()
    return target


def add_location(actor: User, organization: Organization, *, name: str, address: str = "") -> Location:
    if not may_keep_companies(actor):
        raise NotAllowed(_("Only supervisors and administrators can add sites."))
    name = " ".join(name.split())
    if not name:
        raise InvalidValue("name", _("Write the site's name."))
    if organization.locations.filter(name__iexact=name).exists():
        raise InvalidValue("name", _("The company already has a site with this name."))
    return Location.objects.create(organization=organization, name=name, address=address.strip())


def update_contact(
    actor: User,
    contact: Contact,
    *,
    full_name: str,
    phone: str,
    extension: str,
    area: str,
    language: str,
    sees_company_tickets: bool | None = None,
) -> Contact:
    """Correct a contact's data (their email is their sign-in and stays)."""
    if not may_keep_contacts(actor):
        raise NotAllowed(_("Only the support team can edit contacts."))
    if not full_name.strip():
        raise InvalidValue("full_name", _("Write the contact's name."))
    user = contact.user
    user.full_name = full_name.strip()
    user.language = language
    contact.phone, contact.extension, contact.area = phone.strip(), extension.strip(), area.strip()
    with transaction.atomic():
        user.full_clean(exclude=["password"])
        contact.full_clean(exclude=["user"])
        user.save(update_fields=["full_name", "language"])
        contact.save(update_fields=["phone", "extension", "area"])
        if sees_company_tickets is not None:
            Membership.objects.filter(contact=contact, is_primary=True).update(
                sees_company_tickets=sees_company_tickets
            )
    return contact


def set_contact_active(actor: User, contact: Contact, *, active: bool) -> Contact:
    """Deactivate (blocks sign-in; tickets and history stay) or activate again."""
    if not may_keep_contacts(actor):
        raise NotAllowed(_("Only the support team can deactivate contacts."))
    user = contact.user
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return contact
