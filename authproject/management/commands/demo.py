"""Prepare the demo database and users, then serve the sample site on 127.0.0.1:8000."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

DEMO_USERS = (
    # username, password, staff
    ("demo", "demo-password-2024", False),
    ("admin", "admin-password-2024", True),
)


class Command(BaseCommand):
    help = "Migrate, create the demo and admin users when absent, and run the demo server."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--no-serve", action="store_true", help="Prepare the database, do not serve."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        user_model = get_user_model()
        for username, password, staff in DEMO_USERS:
            if user_model._default_manager.filter(username=username).exists():
                continue
            user_model._default_manager.create_user(
                username=username,
                email=f"{username}@example.com",
                password=password,
                is_staff=staff,
                is_superuser=staff,
            )
        self.stdout.write("Demo users (created when absent):")
        for username, password, staff in DEMO_USERS:
            role = "admin, can use /admin/" if staff else "regular user"
            self.stdout.write(f"  {username} / {password}   ({role})")
        if not options["no_serve"]:
            call_command("runserver", options["addrport"], use_reloader=False)
