"""Queue one email through the outbox, as any change does, and print its id.

Run by the scale-out test in its own process (the workers' database, a real broker), so
the email is handed to a worker by the outbox's after-commit dispatch.
"""

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.jobs.worker_settings")
    django.setup()
    from django.db import transaction

    from atiende.outbox.outbox import Recipient, enqueue
    from atiende.outbox.tasks import deliver

    headers = {"X-Test-Slow": "1"} if "--slow" in sys.argv else {}
    context: dict[str, object] = {
        "user": {"get_short_name": "Ana", "email": "ana@acme.test"},
        "link": "-",
        "login": "-",
    }
    with transaction.atomic():
        email = enqueue("contact_invitation", Recipient("ana@acme.test", "es"), context, headers=headers)
    assert email is not None
    # `--again N`: hand the same email to the workers N more times, at once.
    for _ in range(int(sys.argv[sys.argv.index("--again") + 1]) if "--again" in sys.argv else 0):
        deliver.delay([email.pk])
    sys.stdout.write(f"{email.pk} {email.message_id}\n")


if __name__ == "__main__":
    main()
