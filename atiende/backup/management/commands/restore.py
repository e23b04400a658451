"""`atiende restore FILE.tar.gz`: into an empty instance, then verified."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atiende.backup.archive import BackupError, check_backup, restore_backup


class Command(BaseCommand):
    help = "Restore a backup into an empty instance and verify row counts and file checksums."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--check",
            action="store_true",
            help="Restore nothing: compare this instance with the backup's manifest.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = check_backup(options["file"]) if options["check"] else restore_backup(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        summary = f"{report.tables} tables, {report.rows} rows, {report.files} files"
        if not report.ok:
            raise CommandError(
                f"restored, but it does not match the backup ({summary}): " + "; ".join(report.problems)
            )
        self.stdout.write(
            f"{'matches the backup' if options['check'] else 'restored and verified'}: {summary}"
        )
