"""PostgreSQL: the open-ticket indexes of queues and assignees in the desk's order.

The desk sorts by last activity, most recent first with nulls last, then by id. An index
in exactly that order lets a list read its first 50 entries and stop; the model declares
them as `(queue, -last_activity_at)` because SQLite cannot declare NULLS LAST in an index.
The column is never null, so both say the same; only the planner sees the difference.
"""

from django.db import migrations

INDEXES = {
    "ticket_open_queue": "queue_id",
    "ticket_open_assignee": "assignee_id",
}


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX {name} ON tickets_ticket "
            f"({column}, last_activity_at DESC NULLS LAST, id DESC NULLS LAST) WHERE closed_at IS NULL"
        )


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(
            f"CREATE INDEX {name} ON tickets_ticket ({column}, last_activity_at DESC) WHERE closed_at IS NULL"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0008_search_columns_on_ticket"),
    ]

    operations = [migrations.RunPython(forward, backward)]
