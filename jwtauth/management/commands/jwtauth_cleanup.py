"""Delete expired and revoked refresh tokens and sessions older than the retention period."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from jwtauth import cleanup
from jwtauth.settings import jwtauth_settings


class Command(BaseCommand):
    help = (
        "Delete refresh tokens, sessions and revocation log entries that expired or were "
        "revoked longer ago than the retention period (JWTAUTH['CLEANUP_RETENTION']), in "
        "small batches; safe to run while the site serves traffic."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--retention-days",
            type=float,
            help="Keep rows that expired or were revoked more recently than this many days.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=5000, help="Rows per DELETE (default 5000)."
        )

    def handle(
        self, *args: Any, retention_days: float | None, batch_size: int, **options: Any
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if retention_days is not None and retention_days < 0:
            raise CommandError("--retention-days cannot be negative.")
        retention = (
            jwtauth_settings.CLEANUP_RETENTION
            if retention_days is None
            else timedelta(days=retention_days)
        )
        older_than = timezone.now() - retention
        show = options["verbosity"] > 0
        # On a terminal the progress line rewrites itself; in a log it is one line per batch.
        ending = "\r" if self.stdout.isatty() else "\n"

        def progress(kind: str, deleted: int) -> None:
            if show:
                self.stdout.write(f"{kind}: {deleted} deleted so far", ending=ending)

        result = cleanup.run(older_than=older_than, batch_size=batch_size, progress=progress)
        self.stdout.write(
            f"Deleted {result.tokens} refresh tokens and {result.sessions} sessions "
            f"that ended before {older_than:%Y-%m-%d %H:%M} UTC, and {result.revocations} "
            "revocation log entries."
        )
