import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def add_round_the_clock_calendar(apps, schema_editor):
    """A ready "24x7" calendar, so a round-the-clock contract or policy only picks it."""
    Calendar = apps.get_model("sla", "Calendar")
    WorkingHours = apps.get_model("sla", "WorkingHours")
    if Calendar.objects.filter(name="24x7").exists():
        return
    zones = {"America/Bogota", "America/Mexico_City", "America/Lima", "UTC"}
    zone = settings.TIME_ZONE if settings.TIME_ZONE in zones else "UTC"
    calendar = Calendar.objects.create(name="24x7", time_zone=zone, country="")
    midnight = datetime.time(0)
    WorkingHours.objects.bulk_create(
        WorkingHours(calendar=calendar, weekday=day, starts=midnight, ends=midnight) for day in range(7)
    )


def remove_round_the_clock_calendar(apps, schema_editor):
    apps.get_model("sla", "Calendar").objects.filter(name="24x7", contracts=None, queues=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("sla", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="slapolicy",
            name="calendar",
            field=models.ForeignKey(
                blank=True,
                help_text="The hours its targets count in. Empty: the contract's calendar, else the queue's, else the default.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="policies",
                to="sla.calendar",
                verbose_name="calendar",
            ),
        ),
        migrations.RunPython(add_round_the_clock_calendar, remove_round_the_clock_calendar),
    ]
