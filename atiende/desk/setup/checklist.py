"""*Primeros pasos*: what a new provider still has to set up, each step read from the
configuration itself (never a flag someone ticks), with the page where it is done.

Other parts of the product add their own steps with `register` (WhatsApp does when it
is configured in the installation): the checklist is a list of small functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atiende.accounts.models import Agent, AgentRole, Membership, Organization
from atiende.mail.models import Mailbox
from atiende.sla.models import Calendar, SlaPolicy
from atiende.tickets.models import Contract, Queue, RoutingRule, Service


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    help: str
    done: bool
    status: str
    url: str = ""
    action: str = ""


StepCheck = Callable[[], Step]
_registered: dict[str, StepCheck] = {}


def register(key: str) -> Callable[[StepCheck], StepCheck]:
    """Add a step (or replace the one with this key): `@register("whatsapp")`."""

    def add(check: StepCheck) -> StepCheck:
        _registered[key] = check
        return check

    return add


def _url(name: str, *args: object) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@register("provider")
def provider() -> Step:
    missing = [
        label
        for label, value in (
            (_("name"), settings.ATIENDE_SITE_NAME != "Atiende"),
            (_("logo"), bool(settings.ATIENDE_LOGO_URL)),
            (_("support address"), not settings.ATIENDE_SUPPORT_EMAIL.endswith(".test")),
        )
        if not value
    ]
    return Step(
        key="provider",
        title=_("Your company's name, logo and support addresses"),
        help=_(
            "Set by the server's settings ATIENDE_SITE_NAME, ATIENDE_LOGO_URL, ATIENDE_SUPPORT_EMAIL "
            "and DEFAULT_FROM_EMAIL; ask whoever installed Atiende."
        ),
        done=not missing,
        status=_("Missing: %(fields)s") % {"fields": ", ".join(missing)} if missing else _("Ready"),
    )


@register("calendars")
def calendars() -> Step:
    count = Calendar.objects.count()
    return Step(
        key="calendars",
        title=_("Business calendars"),
        help=_("Working hours and holidays the service levels count in; a ready 24x7 calendar is included."),
        done=Calendar.objects.filter(hours__isnull=False).exclude(name="24x7").exists(),
        status=ngettext("%(count)s calendar", "%(count)s calendars", count) % {"count": count},
        url=_url("admin:sla_calendar_changelist"),
        action=_("Open calendars"),
    )


@register("queues")
def queues() -> Step:
    count = Queue.objects.filter(is_active=True).count()
    return Step(
        key="queues",
        title=_("Queues"),
        help=_("The teams tickets go to (Soporte, Redes…); engineers belong to queues."),
        done=count > 0,
        status=ngettext("%(count)s queue", "%(count)s queues", count) % {"count": count},
        url=_url("admin:tickets_queue_changelist"),
        action=_("Open queues"),
    )


@register("routing")
def routing() -> Step:
    rules = RoutingRule.objects.count()
    offered = Queue.objects.filter(is_active=True, offered_to_clients=True, organization__isnull=True).count()
    return Step(
        key="routing",
        title=_("Routing and the portal's queues"),
        help=_(
            "Which queue each company's or domain's tickets go to, and which queues contacts may "
            "choose in To: internal teams and other clients' queues stay hidden."
        ),
        done=rules > 0,
        status=_("%(rules)s · %(offered)s")
        % {
            "rules": ngettext("%(count)s rule", "%(count)s rules", rules) % {"count": rules},
            "offered": ngettext(
                "%(count)s queue offered to every client", "%(count)s queues offered to every client", offered
            )
            % {"count": offered},
        },
        url=_url("desk:setup-routing"),
        action=_("Open routing"),
    )


@register("services")
def services() -> Step:
    service_count = Service.objects.filter(is_active=True).count()
    contract_count = Contract.objects.in_force().count()
    return Step(
        key="services",
        title=_("Services and contracts"),
        help=_("What you offer, and which client has it contracted from when to when."),
        done=service_count > 0 and contract_count > 0,
        status=_("%(services)s · %(contracts)s")
        % {
            "services": ngettext("%(count)s service", "%(count)s services", service_count)
            % {"count": service_count},
            "contracts": ngettext(
                "%(count)s contract in force", "%(count)s contracts in force", contract_count
            )
            % {"count": contract_count},
        },
        url=_url("admin:tickets_service_changelist"),
        action=_("Open services"),
    )


@register("service_levels")
def service_levels() -> Step:
    count = SlaPolicy.objects.filter(is_active=True).count()
    return Step(
        key="service_levels",
        title=_("Service levels"),
        help=_("How soon you answer and resolve, per contract, service or priority."),
        done=count > 0,
        status=ngettext("%(count)s active policy", "%(count)s active policies", count) % {"count": count},
        url=_url("admin:sla_slapolicy_changelist"),
        action=_("Open service levels"),
    )


@register("mailboxes")
def mailboxes() -> Step:
    count = Mailbox.objects.filter(is_active=True).count()
    return Step(
        key="mailboxes",
        title=_("Mailboxes"),
        help=_("The support addresses whose mail becomes tickets."),
        done=count > 0,
        status=ngettext("%(count)s mailbox", "%(count)s mailboxes", count) % {"count": count},
        url=_url("admin:mail_mailbox_changelist"),
        action=_("Open mailboxes"),
    )


@register("whatsapp")
def whatsapp() -> Step:
    # Replaced by the WhatsApp channel's own check once it is installed.
    return Step(
        key="whatsapp",
        title=_("WhatsApp"),
        help=_("Receive tickets from your WhatsApp Business number."),
        done=False,
        status=_("Not available in this installation yet"),
    )


@register("engineers")
def engineers() -> Step:
    count = Agent.objects.engineers().count()
    engineers_only = Agent.objects.engineers().filter(role=AgentRole.AGENT).count()
    return Step(
        key="engineers",
        title=_("Engineers"),
        help=_("Invite your team: each chooses a password from the invitation."),
        done=engineers_only > 0,
        status=ngettext("%(count)s person on the team", "%(count)s people on the team", count)
        % {"count": count},
        url=_url("desk:setup-engineer-invite"),
        action=_("Invite an engineer"),
    )


@register("companies")
def companies() -> Step:
    count = Organization.objects.filter(is_active=True).count()
    with_contacts = (
        Organization.objects.filter(is_active=True).filter(~Q(memberships=None)).distinct().count()
    )
    return Step(
        key="companies",
        title=_("Client companies"),
        help=_("Each client with its sites, contracts, service level and contacts."),
        done=with_contacts > 0,
        status=ngettext("%(count)s company", "%(count)s companies", count) % {"count": count},
        url=_url("desk:setup-client-new"),
        action=_("Add a client"),
    )


@register("import")
def import_contacts() -> Step:
    contacts = Membership.objects.values("contact_id").distinct().count()
    return Step(
        key="import",
        title=_("Import companies and contacts"),
        help=_(
            "Many clients at once from Excel or CSV: companies, sites and contacts, with a preview "
            "of every row before anything is saved."
        ),
        done=contacts > 0,
        status=ngettext("%(count)s contact", "%(count)s contacts", contacts) % {"count": contacts},
        url=_url("desk:setup-import"),
        action=_("Import from Excel or CSV"),
    )


def first_steps() -> list[Step]:
    return [check() for check in _registered.values()]
