"""The `atiende` console command: the same as `manage.py`."""

import os
import sys

# Commands spelled the way operators type them.
ALIASES = {"verify-history": "verify_history"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atiende.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and argv[1] in ALIASES:
        argv[1] = ALIASES[argv[1]]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
