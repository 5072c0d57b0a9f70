"""Two gunicorn servers of the sample site sharing one PostgreSQL and one Redis.

A session revoked through one server (or by any other process) is refused by the other within
the freshness bound, and login failures count across both. Needs DATABASE_URL and REDIS_URL
(CI's second pass).
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
from django.db import connection

from tests.helpers.accounts import PASSWORD
from tests.helpers.servers import ROOT, free_port

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a shared Redis"),
    pytest.mark.django_db(transaction=True),
]


def _call(base: str, path: str, *, body: Any = None, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        base + path,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@contextmanager
def _gunicorn(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "authproject.wsgi", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn on {port} did not start") from None
                time.sleep(0.1)  # waiting for a process to listen, not for token expiry
        yield base
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def servers(settings: Any) -> Iterator[tuple[str, str]]:
    # Users made here must be readable by the servers, whose hashers do not include MD5.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.BCryptSHA256PasswordHasher"]
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "authproject.settings",
        # The test database that pytest-django created, so the servers see this test's rows.
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}",
        "DJANGO_DEBUG": "",
    }
    with ExitStack() as stack:
        yield stack.enter_context(_gunicorn(env)), stack.enter_context(_gunicorn(env))


def test_a_session_revoked_on_one_server_is_refused_by_the_other(
    servers: tuple[str, str], make_user: Any
) -> None:
    first, second = servers
    user = make_user()
    status, tokens = _call(
        first,
        "/api/auth/login/",
        body={"username": user.username, "password": PASSWORD, "transport": "body"},
    )
    assert status == 200
    assert _call(second, "/api/profile/", token=tokens["access"])[0] == 200

    assert _call(first, "/api/auth/logout/", body={"refresh": tokens["refresh"]})[0] == 204

    assert _refused_within(second, tokens["access"]) < BOUND


# REVOCATION_MAX_STALENESS (0.25 s) bounds propagation without a push; the rest is slack for a
# loaded machine. With LISTEN/NOTIFY it is usually a few milliseconds.
BOUND = 2.0


def _refused_within(base: str, access: str) -> float:
    """Seconds until ``base`` refuses ``access`` as revoked (fails past 10 s)."""
    start = time.monotonic()
    while time.monotonic() - start < 10:
        status, body = _call(base, "/api/profile/", token=access)
        if status == 401:
            assert body["code"] == "token_revoked"
            return time.monotonic() - start
        assert status == 200
    raise AssertionError(f"{base} still accepts a revoked token after 10 s")


def _login(base: str, user: Any) -> dict[str, Any]:
    body = {"username": user.username, "password": PASSWORD, "transport": "body"}
    status, tokens = _call(base, "/api/auth/login/", body=body)
    assert status == 200
    return tokens


def test_logout_everywhere_on_one_server_is_refused_by_the_other(
    servers: tuple[str, str], make_user: Any
) -> None:
    first, second = servers
    user = make_user()
    sessions = [_login(first, user), _login(second, user)]
    for tokens in sessions:  # both servers have read the log and accept both
        assert _call(first, "/api/profile/", token=tokens["access"])[0] == 200
        assert _call(second, "/api/profile/", token=tokens["access"])[0] == 200

    assert _call(first, "/api/auth/logout-all/", body={}, token=sessions[1]["access"])[0] == 204

    for tokens in sessions:
        assert _refused_within(second, tokens["access"]) < BOUND


def test_a_revocation_by_a_third_process_reaches_both_servers(
    servers: tuple[str, str], make_user: Any
) -> None:
    from jwtauth import families, tokens

    first, second = servers
    user = make_user()
    access = _login(first, user)["access"]
    assert _call(second, "/api/profile/", token=access)[0] == 200

    # As the admin action or a management command in another process would.
    families.revoke(family_ids=[tokens.verify_access(access)["sid"]], reason="admin")

    assert _refused_within(first, access) < BOUND
    assert _refused_within(second, access) < BOUND


def test_login_failures_count_across_servers(servers: tuple[str, str], make_user: Any) -> None:
    first, second = servers
    user = make_user()
    wrong = {"username": user.username, "password": "wrong password", "transport": "body"}
    for base in (first, second, first, second, first):  # five failures, the account's limit
        assert _call(base, "/api/auth/login/", body=wrong)[0] == 401

    right = {**wrong, "password": PASSWORD}
    status, body = _call(second, "/api/auth/login/", body=right)
    assert (status, body["code"]) == (429, "account_locked")
