"""``manage.py jwtauth_audit``: attack this site's own jwtauth setup and report what to change."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jwtauth import audit


class Command(BaseCommand):
    help = (
        "Run the attacks jwtauth defends against on this site's settings and URLs (in process, "
        "in a rolled-back transaction) and print check, result, what to change. Exits 1 if any "
        "check fails."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="append", dest="only", metavar="NAME", help="run only this check"
        )

    def handle(self, *args: Any, only: list[str] | None = None, **options: Any) -> None:
        results = audit.run(only=only)
        width = max([len(r.check) for r in results] + [5])
        self.stdout.write(f"{'check':<{width}}  result  what to change")
        for result in results:
            label = self.style.SUCCESS("PASS  ") if result.ok else self.style.ERROR("FAIL  ")
            advice = result.fix if not result.ok else "-"
            self.stdout.write(f"{result.check:<{width}}  {label}  {advice}")
            self.stdout.write(f"{'':<{width}}          ({result.detail})")
        failed = [r.check for r in results if not r.ok]
        if failed:
            raise CommandError(
                f"{len(failed)} of {len(results)} checks failed: {', '.join(failed)}"
            )
        self.stdout.write(f"All {len(results)} checks passed.")
