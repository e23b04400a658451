"""Putting every payload of `xss_payloads` into the product the way people do: through the
portal's and the desk's own forms (requests through the views, not rows written by hand)
and as HTML email through the mail-in path. Returns the pages that show what was put in."""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import quote

from django.http.response import HttpResponseBase
from django.test import Client, override_settings
from django.urls import reverse

from atiende.accounts.models import Contact, User
from atiende.mail.inbound import process, store
from atiende.tickets.models import CannedReply, Message, Ticket, TicketType
from tests.conftest import World
from tests.security.xss_payloads import PAYLOADS, short


@dataclass
class Seeded:
    thread: Ticket  # the ticket that carries every payload as a reply, a note and a subject edit
    tickets: list[Ticket] = field(default_factory=list)
    email_tickets: list[Ticket] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    submissions: int = 0  # payload submissions the product accepted and stored

    def portal_pages(self) -> list[str]:
        pages = [
            reverse("portal:home"),
            reverse("portal:tickets") + "?state=all&per_page=100",
            reverse("portal:company-tickets") + "?state=all",
            reverse("portal:search") + "?q=alert",
            reverse("portal:search") + "?q=script",
            reverse("portal:details"),
            reverse("portal:ticket-detail", args=[self.thread.number]),
            reverse("portal:ticket-edit", args=[self.thread.number]),
        ]
        pages += [reverse("portal:search") + "?q=" + quote(p) for p in PAYLOADS[:3]]
        pages += [reverse("portal:ticket-detail", args=[t.number]) for t in self.tickets[::12]]
        # The sanitized email bodies: all of them in the desk's pages, some in the portal's
        # (both draw a message with the same template tag).
        pages += [reverse("portal:ticket-detail", args=[t.number]) for t in self.email_tickets[::8]]
        return pages

    def desk_pages(self) -> list[str]:
        pages = [
            reverse("desk:home"),
            reverse("desk:all"),
            reverse("desk:unassigned"),
            reverse("desk:all") + "?q=alert",
            reverse("desk:contacts"),
            reverse("desk:contacts") + "?q=alert",
            reverse("desk:companies"),
            reverse("desk:ticket", args=[self.thread.number]),
            reverse("desk:ticket-history", args=[self.thread.number]),
            reverse("desk:contact", args=[self.thread.requester_id]),
            reverse("desk:company", args=[self.thread.organization_id]),
        ]
        pages += [reverse("desk:all") + "?q=" + quote(p) for p in PAYLOADS[:2]]
        pages += [reverse("desk:ticket", args=[t.number]) for t in self.tickets[1::12]]
        pages += [reverse("desk:ticket", args=[t.number]) for t in self.email_tickets]
        pages += [reverse("desk:contact", args=[c.pk]) for c in self.contacts[::32]]
        return pages


def _ok(response: HttpResponseBase, *expected: int, payload: str = "") -> None:
    """The form took the payload (a NUL character is refused by Django's forms, by design)."""
    if "\x00" in payload:
        return
    context = getattr(response, "context", None)
    form = context.get("form") if context else None
    errors = form.errors if form is not None else ""
    assert response.status_code in expected, f"the form refused a payload: {response.status_code} {errors}"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def seed(world: World, root: User) -> Seeded:
    luis = _signed_in(world.luis.user)
    agente = _signed_in(world.agente.user)
    admin_site = _signed_in(root)
    default_type = TicketType.objects.get(is_default=True).pk
    counted = 0

    # Portal: one ticket per payload, subject and text.
    for payload in PAYLOADS:
        response = luis.post(
            reverse("portal:ticket-new"),
            {
                "type": default_type,
                "queue": world.soporte.pk,
                "service": "on-demand",
                "subject": payload,
                "text": f"Texto: {payload}",
            },
        )
        _ok(response, 302, payload=payload)
        counted += 2
    tickets = list(Ticket.objects.filter(requester=world.luis).order_by("number"))
    seeded = Seeded(thread=tickets[0], tickets=tickets)
    thread = seeded.thread

    # Portal: replies and subject edits; account details.
    for payload in PAYLOADS:
        reply = {"text": payload}
        _ok(luis.post(reverse("portal:ticket-reply", args=[thread.number]), reply), 302, payload=payload)
        edit = {"subject": payload, "type": default_type}
        _ok(luis.post(reverse("portal:ticket-edit", args=[thread.number]), edit), 302, payload=payload)
        counted += 2
    details = {
        "full_name": short(PAYLOADS[10], 150),
        "phone": "",
        "extension": "",
        "area": short(PAYLOADS[45], 120),
        "language": "es",
        "time_zone": "America/Bogota",
        "notifications": "all",
    }
    _ok(luis.post(reverse("portal:details"), details), 302)
    counted += 2

    # Desk: a public reply and an internal note per payload, tags, contacts, a split.
    for index, payload in enumerate(PAYLOADS):
        for kind in ("public", "note"):
            composed = {"kind": kind, "text": payload, "then": ""}
            answer = agente.post(reverse("desk:ticket-compose", args=[thread.number]), composed)
            _ok(answer, 302, payload=payload)
        tags = {"value": short(payload, 50).replace(",", " ")}
        answer = agente.post(reverse("desk:ticket-property", args=[tickets[index].number, "tags"]), tags)
        _ok(answer, 200, 302, payload=payload)
        new_contact = {
            "full_name": short(payload, 150),
            "email": f"xss{index}@acme.test",
            "organization": world.acme.pk,
            "area": short(payload, 120),
            "language": "es",
        }
        _ok(agente.post(reverse("desk:contact-new"), new_contact), 302, payload=payload)
        counted += 5
    edited = {
        "full_name": "Ana Acme",
        "area": short(PAYLOADS[0], 120),
        "language": "es",
        "sees_company_tickets": "on",
    }
    _ok(agente.post(reverse("desk:contact-edit", args=[world.ana.pk]), edited), 302)
    # Split: Luis's last replies become new tickets, each named with a payload.
    replies = list(Message.objects.filter(ticket=thread, author=world.luis.user).order_by("-pk")[:8])
    for reply_message, payload in zip(replies, PAYLOADS[:8], strict=True):
        split = {"message": reply_message.pk, "subject": payload}
        _ok(agente.post(reverse("desk:ticket-split", args=[thread.number]), split), 302, payload=payload)
        counted += 1
    seeded.contacts = list(Contact.objects.filter(user__email__startswith="xss").order_by("pk"))

    # Configuration: canned replies (title and text), inserted in the desk composer.
    for payload in PAYLOADS:
        canned = {"title": short(payload, 120), "body": payload, "is_active": "on"}
        _ok(admin_site.post(reverse("admin:tickets_cannedreply_add"), canned), 302, payload=payload)
        counted += 2
    assert CannedReply.objects.count() >= len(PAYLOADS)

    # Email: every payload as the subject and in the HTML body of a message from Luis.
    for index, payload in enumerate(PAYLOADS):
        message = EmailMessage()
        message["From"] = '"Luis Acme" <luis@acme.test>'
        message["To"] = "soporte@atiende.test"
        message["Subject"] = f"Correo {index}: {payload}".replace("\n", " ")
        message["Message-ID"] = f"<xss-{index}@acme.test>"
        message.set_content(f"Texto {index}: {payload}")
        message.add_alternative(f"<html><body><p>Correo {index}</p>{payload}</body></html>", subtype="html")
        # One sender, many tickets: above the daily limit they would wait in quarantine.
        with override_settings(ATIENDE_MAIL_TICKETS_PER_DAY=1000, ATIENDE_MAIL_AUTOREPLIES_PER_HOUR=1000):
            inbound, _new = store(message.as_bytes(), source="pipe")
            outcome = process(inbound)
        assert Ticket.objects.filter(subject__startswith=f"Correo {index}:").exists(), outcome
        counted += 2
    seeded.email_tickets = list(Ticket.objects.filter(subject__startswith="Correo ").order_by("number"))
    assert len(seeded.email_tickets) == len(PAYLOADS)
    seeded.submissions = counted
    return seeded
