from django.db import migrations, models

# Added with plain SQL: on SQLite, Django's AddField would rebuild tickets_message, which
# the search triggers (0006) refer to by name. The column's database default stays ''
# (harmless, and it keeps the statement a metadata-only change on PostgreSQL).
ADD_COLUMN = "ALTER TABLE tickets_message ADD COLUMN sender_check varchar(10) NOT NULL DEFAULT ''"
DROP_COLUMN = "ALTER TABLE tickets_message DROP COLUMN sender_check"


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0012_open_tickets_by_recent_activity"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD_COLUMN, DROP_COLUMN)],
            state_operations=[
                migrations.AddField(
                    model_name="message",
                    name="sender_check",
                    field=models.CharField(
                        blank=True,
                        choices=[
                            ("", "Not an email"),
                            ("token", "Verified: signed reply address"),
                            ("mta", "Verified by the mail server (DMARC, DKIM or SPF)"),
                            ("dkim", "Verified: DKIM signature"),
                            ("unverified", "Unverified sender"),
                            ("held", "Unverified sender, held for an engineer"),
                            ("accepted", "Unverified sender, accepted by an engineer"),
                        ],
                        default="",
                        max_length=10,
                        verbose_name="sender verification",
                    ),
                ),
            ],
        ),
    ]
