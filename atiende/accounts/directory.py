"""The provider's directory of client companies and their contacts, kept by the desk.

Granting access is a privilege. Supervisors and admins keep companies and their sites,
decide who sees a company's tickets as a whole (*Tickets de la Compañía*), change the
address an account signs in with and activate contacts again. Plain agents register
contacts with an address of the company's own email domains and never with the company
view, correct names and phones, resend invitations to such addresses and deactivate; which
contacts they may touch at all (those of the companies their queues serve) is decided by
`tickets.access`, which knows the queues. Deactivating blocks sign-in and keeps history.
"""

from __future__ import annotations

from collections.abc import Iterable

from allauth.account.models import EmailAddress
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


def may_grant_access(actor: User) -> bool:
    """Who decides who sees what: supervisors and admins (and the configuration site's
    superusers). Only they grant the company view, choose the address an account answers
    to, invite outside the company's domains and activate a contact again."""
    return actor.is_active and (actor.is_superuser or may_keep_companies(actor))


def in_company_domains(email: str, organizations: Iterable[Organization]) -> bool:
    """Whether the address belongs to one of these companies' email domains: the client's
    own mail server vouches for it, as it does for mail that creates contacts."""
    domain = email.strip().rsplit("@", 1)[-1].lower() if "@" in email else ""
    return bool(domain) and any(domain in organization.domain_list() for organization in organizations)


def refuse_outside_domains(actor: User, email: str, organizations: Iterable[Organization]) -> None:
    """A plain agent may put an account (and its set-password link) only on an address of
    the company's domains: never on one they choose, such as their own."""
    companies = list(organizations)
    if may_grant_access(actor) or in_company_domains(email, companies):
        return
    domains = ", ".join(sorted({d for company in companies for d in company.domain_list()}))
    if not domains:
        raise InvalidValue(
            "email",
            _(
                "This company has no email domains: only a supervisor or an administrator can give it accounts."
            ),
        )
    raise InvalidValue(
        "email",
        _(
            "Agents can give accounts only to addresses of the company's email domains (%(domains)s); "
            "ask a supervisor for any other address."
        )
        % {"domains": domains},
    )


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
    email: str | None = None,
    sees_company_tickets: bool | None = None,
) -> Contact:
    """Correct a contact's data. Their email (how they sign in, where their reset links
    go) and their view of the company's tickets change only by a supervisor's or an
    admin's hand: an agent who could set either could make the account theirs or widen
    what it sees. None leaves either as it is."""
    if not may_keep_contacts(actor):
        raise NotAllowed(_("Only the support team can edit contacts."))
    if not full_name.strip():
        raise InvalidValue("full_name", _("Write the contact's name."))
    user = contact.user
    primary = Membership.objects.filter(contact=contact, is_primary=True).first()
    new_email = _changed_email(actor, user, email)
    if sees_company_tickets is not None and sees_company_tickets != bool(
        primary and primary.sees_company_tickets
    ):
        if not may_grant_access(actor):
            raise NotAllowed(_("Only supervisors and administrators decide who sees all company tickets."))
    else:
        sees_company_tickets = None
    user.full_name = full_name.strip()
    user.language = language
    contact.phone, contact.extension, contact.area = phone.strip(), extension.strip(), area.strip()
    with transaction.atomic():
        if new_email is not None:
            user.email = new_email
        user.full_clean(exclude=["password"])
        contact.full_clean(exclude=["user"])
        user.save(update_fields=["full_name", "language", "email"])
        contact.save(update_fields=["phone", "extension", "area"])
        if new_email is not None:
            # allauth finds accounts by these rows too: one left with the old address
            # would still send that address a link to this account.
            EmailAddress.objects.filter(user=user).exclude(email__iexact=new_email).delete()
        if sees_company_tickets is not None and primary is not None:
            primary.sees_company_tickets = sees_company_tickets
            primary.save(update_fields=["sees_company_tickets"])
    return contact


def _changed_email(actor: User, user: User, email: str | None) -> str | None:
    """The new address when it really changes (and the actor may change it); None otherwise."""
    if email is None:
        return None
    new_email = User.objects.normalize_email(email.strip()).lower()
    if new_email == user.email.lower():
        return None
    if not may_grant_access(actor):
        raise NotAllowed(_("Only supervisors and administrators can change a contact's email address."))
    if not new_email or "@" not in new_email:
        raise InvalidValue("email", _("Write a valid email address."))
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise InvalidValue("email", _("There is already an account with this email address."))
    return new_email


def set_contact_active(actor: User, contact: Contact, *, active: bool) -> Contact:
    """Deactivate (blocks sign-in; tickets and history stay) or activate again. Turning an
    account back on gives access again, so only supervisors and admins do it."""
    if not may_keep_contacts(actor):
        raise NotAllowed(_("Only the support team can deactivate contacts."))
    if active and not contact.user.is_active and not may_grant_access(actor):
        raise NotAllowed(_("Only supervisors and administrators can activate a contact again."))
    user = contact.user
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    return contact
