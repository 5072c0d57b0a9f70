"""Account lockout across two gunicorn servers (two workers each) sharing PostgreSQL and Redis.

20 wrong passwords for one account sent at the same moment, from 20 client addresses, spread
over both servers: at most LOGIN_FAILURE_RATE of them reach the password check.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from django.db import connection

from bench.lockout_race import SETTINGS, _wait_for, race
from tests.helpers.servers import ROOT, free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a shared Redis"),
    pytest.mark.django_db(transaction=True),
]


@contextmanager
def _gunicorn(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "authproject.wsgi", "-w", "2"]
        + ["-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_for(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_concurrent_wrong_passwords_on_two_servers_check_at_most_the_limit(
    settings: Any, make_user: Any
) -> None:
    # The servers read this user; their hashers do not include the tests' MD5.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.BCryptSHA256PasswordHasher"]
    user = make_user()
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
        "DJANGO_DEBUG": "",
    }
    with ExitStack() as stack:
        bases = [stack.enter_context(_gunicorn(env)) for _ in range(2)]
        answers = race(bases, user.username, 20)

    assert answers == {(401, "invalid_credentials"): 5, (429, "account_locked"): 15}
