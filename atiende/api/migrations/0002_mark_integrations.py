"""Mark the agents that were made to act through a token (service-token integration users
and monitoring sources' users, none of which has a usable password) as integrations, so
they stop being offered for assignment."""

from django.db import migrations
from django.db.models import Q


def mark(apps, schema_editor):
    Agent = apps.get_model("accounts", "Agent")
    ApiToken = apps.get_model("api", "ApiToken")
    service_owners = ApiToken.objects.filter(kind="service").values("owner_id")
    # Django's mark of an unusable password, which every integration user has.
    unusable = {"user__password__startswith": "!"}
    Agent.objects.filter(**unusable).filter(
        Q(user__in=service_owners) | Q(user__email__endswith="@integrations.invalid")
    ).update(is_integration=True)


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_tokens"),
        ("accounts", "0008_agent_is_integration"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
