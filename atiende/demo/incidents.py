"""The demo's major incidents: the mail server down right now (Acme's report declared
major, Acme's and Globex's reports gathered under it, one update sent, and a new report
flagged as possibly the same), and last week's VPN outage, resolved."""

from __future__ import annotations

import datetime

from django.utils import timezone

from atiende.accounts.models import Agent, Contact, Organization
from atiende.demo import data
from atiende.incidents import actions
from atiende.incidents import tasks as incident_tasks
from atiende.incidents.models import Incident
from atiende.tickets import actions as ticket_actions
from atiende.tickets.models import Channel, Queue, Ticket


def _report(contact: Contact, company: Organization, queue: Queue, subject: str, text: str) -> Ticket:
    return ticket_actions.open_ticket(
        contact.user,
        channel=Channel.WEB,
        organization=company,
        requester=contact,
        queue=queue,
        subject=subject,
        text=text,
    )


def create_incidents(
    agents: dict[str, Agent],
    contacts: dict[str, Contact],
    companies: dict[str, Organization],
    queues: dict[str, Queue],
) -> list[Incident]:
    soporte = queues[data.SOPORTE]
    andres = agents[data.ANDRES].user
    acme, globex = companies[data.ACME], companies[data.GLOBEX]

    vpn = _report(
        contacts[data.MATEO],
        acme,
        soporte,
        "La VPN no conecta desde la casa",
        "Desde las 7:30 la VPN de la empresa rechaza la conexión: dice que el servidor no responde.",
    )
    resolved = actions.declare_incident(andres, vpn, title="VPN sin conexión desde las 7:30")
    for contact, company in ((data.JULIAN, globex), (data.ANA, acme)):
        child = _report(
            contacts[contact],
            company,
            soporte,
            "No puedo entrar por VPN",
            "La VPN no conecta desde la mañana.",
        )
        actions.attach_ticket(andres, resolved, child)
    actions.post_update(
        andres, resolved, text="El proveedor de internet del centro de datos confirma una falla."
    )
    actions.resolve_incident(
        andres,
        resolved,
        text="La VPN funciona de nuevo desde las 10:05: el proveedor cambió el equipo dañado.",
    )
    week_ago = timezone.now() - datetime.timedelta(days=7)
    Incident.objects.filter(pk=resolved.pk).update(
        started_at=week_ago, resolved_at=week_ago + datetime.timedelta(hours=2, minutes=35)
    )

    mail = _report(
        contacts[data.ANA],
        acme,
        soporte,
        "Correo caído: no llegan mensajes a Outlook",
        "Desde las 9:10 nadie en la oficina recibe correo en Outlook; enviar tampoco funciona.",
    )
    active = actions.declare_incident(andres, mail, title="Correo caído desde las 9:10")
    for contact, company, subject in (
        (data.LUIS, acme, "Outlook no recibe correo"),
        (data.CARLA, globex, "Sin correo en Outlook desde esta mañana"),
    ):
        child = _report(
            contacts[contact],
            company,
            soporte,
            subject,
            "No llegan mensajes a Outlook desde las 9:10.",
        )
        actions.attach_ticket(andres, active, child)
    actions.post_update(
        andres,
        active,
        text="Identificamos una falla en el servidor de correo; estimamos restablecerlo antes de las 11:00.",
    )
    # A report that arrived after: the desk flags it as possibly the same incident (the
    # check a worker runs once the ticket commits, run here so the demo never waits on one).
    late = _report(
        contacts[data.SOFIA],
        acme,
        soporte,
        "No llegan mensajes a Outlook: correo caído",
        "Desde las 9:10 no recibo correo en Outlook.",
    )
    incident_tasks.flag_similar(late.pk)
    return [active, resolved]
