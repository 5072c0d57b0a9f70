"""Account lockout under concurrent wrong passwords: never more password checks than the limit.

20 logins of one account start at the same moment from 20 addresses (so the per-IP limit is not
what stops them), on PostgreSQL with the configured cache (Redis in CI), with the real bcrypt
hasher so each check takes as long as in production.
"""

import threading
from collections import Counter
from typing import Any

import pytest
from django.contrib.auth.hashers import BCryptSHA256PasswordHasher
from django.db import connection
from rest_framework.test import APIClient

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ATTEMPTS = 20
LIMIT = 5


class CountingBCrypt(BCryptSHA256PasswordHasher):
    """bcrypt, counting every password check."""

    checks = 0
    lock = threading.Lock()

    def verify(self, password: str, encoded: str) -> bool:
        with CountingBCrypt.lock:
            CountingBCrypt.checks += 1
        return super().verify(password, encoded)


def _race(user: Any, password: str) -> Counter[tuple[int, str]]:
    barrier = threading.Barrier(ATTEMPTS)
    answers: Counter[tuple[int, str]] = Counter()
    lock = threading.Lock()

    def attempt(number: int) -> None:
        try:
            client = APIClient(REMOTE_ADDR=f"198.51.100.{number + 1}")
            barrier.wait(timeout=30)
            response = client.post(
                "/api/auth/login/",
                {"username": user.username, "password": password, "transport": "body"},
                format="json",
            )
            with lock:
                answers[(response.status_code, response.json().get("code", ""))] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.fixture
def counted(settings: Any) -> type[CountingBCrypt]:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingBCrypt"]
    settings.JWTAUTH = {"LOGIN_FAILURE_RATE": f"{LIMIT}/15m"}
    CountingBCrypt.checks = 0
    return CountingBCrypt


def test_concurrent_wrong_passwords_check_at_most_the_limit(
    make_user: Any, counted: type[CountingBCrypt]
) -> None:
    user = make_user()
    counted.checks = 0

    answers = _race(user, "wrong password")

    assert counted.checks == LIMIT
    assert answers == {
        (401, "invalid_credentials"): LIMIT,
        (429, "account_locked"): ATTEMPTS - LIMIT,
    }
