"""The tamper-evident history chain (tickets/ledger.py): new columns, then every existing
ticket's history chained in time order, its opening event sealing the first message."""

import hashlib
import json

from django.db import migrations, models

from atiende.tickets.ledger import GENESIS, event_hash


def chain_existing_history(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    HistoryEvent = apps.get_model("tickets", "HistoryEvent")
    Message = apps.get_model("tickets", "Message")
    Attachment = apps.get_model("tickets", "Attachment")
    for ticket in Ticket.objects.only("pk", "number").iterator(chunk_size=500):
        first = (
            Message.objects.filter(ticket_id=ticket.pk, kind="public").order_by("created_at", "id").first()
        )
        digest = ""
        if first is not None:
            files = sorted(Attachment.objects.filter(message_id=first.pk).values_list("sha256", flat=True))
            payload = json.dumps(
                {"text": first.body_text, "files": files}, ensure_ascii=False, sort_keys=True
            )
            digest = hashlib.sha256(payload.encode()).hexdigest()
        previous = GENESIS
        sealed = False
        for sequence, event in enumerate(
            HistoryEvent.objects.filter(ticket_id=ticket.pk).order_by("created_at", "id"), start=1
        ):
            event.sequence, event.prev_hash = sequence, previous
            if event.action == "created" and not sealed:
                event.content_sha256, sealed = digest, True
            event.hash = event_hash(event, ticket.number)
            HistoryEvent.objects.filter(pk=event.pk).update(
                sequence=sequence,
                prev_hash=event.prev_hash,
                hash=event.hash,
                content_sha256=event.content_sha256,
            )
            previous = event.hash


class Migration(migrations.Migration):
    dependencies = [("tickets", "0009_open_ticket_indexes_in_desk_order")]

    operations = [
        migrations.AddField(
            model_name="historyevent",
            name="sequence",
            field=models.IntegerField(default=0, verbose_name="position"),
        ),
        migrations.AddField(
            model_name="historyevent",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="previous hash"),
        ),
        migrations.AddField(
            model_name="historyevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="hash"),
        ),
        migrations.AddField(
            model_name="historyevent",
            name="content_sha256",
            field=models.CharField(blank=True, max_length=64, verbose_name="content SHA-256"),
        ),
        migrations.RunPython(chain_existing_history, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="historyevent",
            constraint=models.UniqueConstraint(fields=("ticket", "sequence"), name="history_chain_position"),
        ),
    ]
