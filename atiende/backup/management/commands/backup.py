"""`atiende backup FILE.tar.gz`: database, files and a manifest, consistent."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from atiende.backup.archive import BackupError, create_backup


class Command(BaseCommand):
    help = "Write a consistent backup (database, stored files, manifest) to a .tar.gz file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = create_backup(options["file"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"backup written to {options['file']}: {len(manifest.counts)} tables, "
            f"{sum(manifest.counts.values())} rows, {len(manifest.files)} files"
        )
