"""The self-audit's second process: starts like a worker, then reports when it refuses a session."""

import base64
import pickle
import sys
import time
from typing import Any

# Polling the in-memory check, as requests would; the wait is bounded by the parent's deadline.
POLL_SECONDS = 0.005


def main() -> int:
    # The parent's settings, so a test's overrides and its test database reach this process.
    config: dict[str, Any] = pickle.loads(base64.b64decode(sys.stdin.readline()))  # noqa: S301
    from django.conf import settings

    for name, value in config["settings"].items():
        setattr(settings, name, value)
    import django

    django.setup()
    from jwtauth import revocation

    claims = config["claims"]
    # A process that starts loads the log before it answers.
    revocation.catch_up()
    if revocation.is_revoked(claims):
        print("revoked before the probe", flush=True)
        return 1
    print("ready", flush=True)
    deadline = time.monotonic() + config["wait"]
    while time.monotonic() < deadline:
        if revocation.is_revoked(claims):
            print("refused", flush=True)
            return 0
        time.sleep(POLL_SECONDS)
    print("accepted", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
