"""History events seal what they changed (tickets/ledger.py): a `seal` column, then every
existing ticket's chain closed with one 'sealed' event that seals its fields, messages
and files as they are now, so `verify-history` can tell any later change."""

from django.db import migrations, models
from django.utils import timezone

from atiende.tickets.ledger import GENESIS, event_hash, message_seal, ticket_fields

CHUNK = 500


def seal_existing_tickets(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    HistoryEvent = apps.get_model("tickets", "HistoryEvent")
    Message = apps.get_model("tickets", "Message")
    Attachment = apps.get_model("tickets", "Attachment")
    TicketCc = apps.get_model("tickets", "TicketCc")
    Tagged = Ticket.tags.through
    now = timezone.now()
    ids = list(Ticket.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        files = {}
        for file in Attachment.objects.filter(message__ticket_id__in=chunk).order_by("pk"):
            files.setdefault(file.message_id, []).append(file)
        messages = {}
        for message in Message.objects.filter(ticket_id__in=chunk):
            seal = message_seal(message, files.get(message.pk, []))
            messages.setdefault(message.ticket_id, {})[str(message.pk)] = seal
        tags, cc, last = {}, {}, {}
        for ticket_id, name in Tagged.objects.filter(ticket_id__in=chunk).values_list(
            "ticket_id", "tag__name"
        ):
            tags.setdefault(ticket_id, []).append(name)
        for ticket_id, email in TicketCc.objects.filter(ticket_id__in=chunk).values_list(
            "ticket_id", "email"
        ):
            cc.setdefault(ticket_id, []).append(email)
        for ticket_id, sequence, hash_ in HistoryEvent.objects.filter(ticket_id__in=chunk).values_list(
            "ticket_id", "sequence", "hash"
        ):
            if ticket_id not in last or sequence > last[ticket_id][0]:
                last[ticket_id] = (sequence, hash_)
        events = []
        for ticket in Ticket.objects.filter(pk__in=chunk):
            sequence, previous = last.get(ticket.pk, (0, GENESIS))
            event = HistoryEvent(
                ticket_id=ticket.pk,
                actor=None,
                channel="system",
                action="sealed",
                created_at=now,
                sequence=sequence + 1,
                prev_hash=previous,
                seal={
                    "fields": ticket_fields(ticket, tags=tags.get(ticket.pk, []), cc=cc.get(ticket.pk, [])),
                    "messages": messages.get(ticket.pk, {}),
                },
            )
            event.hash = event_hash(event, ticket.number)
            events.append(event)
        HistoryEvent.objects.bulk_create(events)


def unseal(apps, schema_editor):
    apps.get_model("tickets", "HistoryEvent").objects.filter(action="sealed").delete()


class Migration(migrations.Migration):
    dependencies = [("tickets", "0013_message_sender_check")]

    operations = [
        migrations.AddField(
            model_name="historyevent",
            name="seal",
            field=models.JSONField(blank=True, default=dict, verbose_name="seal"),
        ),
        migrations.RunPython(seal_existing_tickets, unseal),
    ]
