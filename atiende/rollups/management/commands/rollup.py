"""`atiende rollup [--day D | --since D [--until D]]`: recount the reports' daily figures."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from atiende.rollups.compute import roll_up_days


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"not a date (YYYY-MM-DD): {text!r}") from error


class Command(BaseCommand):
    help = "Recount the reports' daily figures for a day or a range of days (default: today)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--day", help="one day, YYYY-MM-DD")
        parser.add_argument("--since", help="first day of a range, YYYY-MM-DD")
        parser.add_argument("--until", help="last day of the range (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["day"]:
            first = last = _date(options["day"])
        else:
            first = _date(options["since"]) if options["since"] else today
            last = _date(options["until"]) if options["until"] else today
        if first > last:
            raise CommandError("--since is after --until")
        rows = roll_up_days(first, last)
        self.stdout.write(f"{(last - first).days + 1} day(s) counted, {rows} row(s)")
