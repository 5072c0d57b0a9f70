#!/usr/bin/env python
"""Django's command-line utility for the jwtauth sample project."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "authproject.settings")
    if sys.argv[1:2] == ["demo"]:
        # The demo serves plain http on 127.0.0.1, where Secure cookies would not be sent back.
        os.environ.setdefault("DJANGO_DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
