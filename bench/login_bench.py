"""Login timing: unknown user vs wrong password, and the cost of a login beyond one bcrypt check.

Runs in-process with Django's test client, the sample settings, an in-memory SQLite database,
bcrypt first in PASSWORD_HASHERS and rate limits high enough never to trigger (their cache
round trips are still measured). Usage, from the repository root:

    python bench/login_bench.py [rounds]

Exits 1 when the unknown-user and wrong-password medians differ by more than 10%.
"""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "authproject.settings")
os.environ["SQLITE_PATH"] = ":memory:"
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

PASSWORD = "correct-horse-battery-staple"
HASHERS = [
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
UNLIMITED = {"LOGIN_RATE": "1000000/m", "LOGIN_FAILURE_RATE": "1000000/m"}


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def post_login(client: Client, username: str, password: str, expected: int) -> Callable[[], None]:
    body = json.dumps({"username": username, "password": password, "transport": "body"})

    def send() -> None:
        response = client.post("/api/auth/login/", body, content_type="application/json")
        assert response.status_code == expected, response.content

    return send


def main(rounds: int) -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench", "bench@example.com", PASSWORD)
    assert user.password.startswith("bcrypt_sha256$")
    client = Client()
    cases = {
        "unknown user": post_login(client, "nobody", PASSWORD, 401),
        "wrong password": post_login(client, "bench", "wrong-password", 401),
        "successful login": post_login(client, "bench", PASSWORD, 200),
        "one bcrypt check": lambda: user.check_password(PASSWORD),
    }
    for action in cases.values():  # warm up imports, caches, connections
        action()
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(rounds):  # interleaved, so drift hits every case alike
        for name, action in cases.items():
            samples[name].append(timed(action))
    median = {name: statistics.median(values) for name, values in samples.items()}
    bcrypt = median["one bcrypt check"]
    print(f"rounds: {rounds}, hasher: {settings.PASSWORD_HASHERS[0].rsplit('.', 1)[1]}")
    for name in cases:
        print(f"median {name:<17} {median[name] * 1000:8.2f} ms")
    gap = abs(median["unknown user"] - median["wrong password"]) / median["wrong password"]
    print(f"unknown user vs wrong password: {gap:.1%} apart (limit 10%)")
    for name in ("successful login", "wrong password", "unknown user"):
        overhead = (median[name] - bcrypt) * 1000
        print(f"overhead of {name} beyond one bcrypt check: {overhead:.2f} ms")
    return 0 if gap <= 0.10 else 1


if __name__ == "__main__":
    with override_settings(PASSWORD_HASHERS=HASHERS, JWTAUTH=UNLIMITED):
        sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 30))
