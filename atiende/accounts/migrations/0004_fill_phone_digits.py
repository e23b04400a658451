from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def fill_phone_digits(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Contact = apps.get_model("accounts", "Contact")
    for contact in Contact.objects.exclude(phone="").only("pk", "phone"):
        contact.phone_digits = "".join(ch for ch in contact.phone if ch.isdigit())
        contact.save(update_fields=["phone_digits"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_contact_phone_digits")]

    operations = [migrations.RunPython(fill_phone_digits, migrations.RunPython.noop)]
