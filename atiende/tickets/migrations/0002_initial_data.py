"""What every installation starts with: the ticket-number sequence, the default ticket
types, priorities and workflow, and the built-in on-demand support service."""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TYPES = [
    ("Incidente", "Incident", True),
    ("Requerimiento", "Service request", False),
    ("Pregunta", "Question", False),
    ("Problema", "Problem", False),
]
PRIORITIES = [
    # level, Spanish, English, Covey code of the email subject, colour, default
    (1, "Urgente", "Urgent", 1, "red", False),
    (2, "Alta", "High", 2, "orange", False),
    (3, "Normal", "Normal", None, "blue", True),
    (4, "Baja", "Low", 3, "grey", False),
]
STATUSES = [
    # kind, Spanish, English, Spanish for contacts, English for contacts
    ("new", "Nuevo", "New", "", ""),
    ("open", "En proceso", "In progress", "", ""),
    (
        "pending",
        "Esperando cliente",
        "Waiting on customer",
        "Esperando su respuesta",
        "Waiting for your reply",
    ),
    ("resolved", "Resuelto", "Resolved", "", ""),
    ("closed", "Cerrado", "Closed", "", ""),
]


def create_number_source(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS tickets_ticket_number_seq START 1")
    else:
        apps.get_model("tickets", "TicketNumberCounter").objects.create(pk=1, last=0)


def drop_number_source(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS tickets_ticket_number_seq")


def create_catalog(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    TicketType = apps.get_model("tickets", "TicketType")
    Priority = apps.get_model("tickets", "Priority")
    Status = apps.get_model("tickets", "Status")
    Service = apps.get_model("tickets", "Service")
    for position, (es, en, default) in enumerate(TYPES):
        TicketType.objects.create(name_es=es, name_en=en, is_default=default, position=position)
    for level, es, en, covey, color, default in PRIORITIES:
        Priority.objects.create(
            level=level, name_es=es, name_en=en, covey=covey, color=color, is_default=default
        )
    for position, (kind, es, en, portal_es, portal_en) in enumerate(STATUSES):
        Status.objects.create(
            kind=kind,
            name_es=es,
            name_en=en,
            portal_name_es=portal_es,
            portal_name_en=portal_en,
            position=position,
            is_default=True,
        )
    Service.objects.create(
        name="Soporte por demanda",
        description="Soporte sin contrato vigente, facturado por horas según las tarifas vigentes.",
        is_on_demand=True,
    )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]

    operations = [
        migrations.RunPython(create_number_source, drop_number_source),
        migrations.RunPython(create_catalog, migrations.RunPython.noop),
    ]
