"""Redis restarts and FLUSHALL cost no revocation: the log is in the database.

A redis-server of the test's own (free loopback port, killed at the end) holds the rate-limit
counters and carries the revocation wake-ups, as a production Redis would.
"""

import shutil
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.test import override_settings
from rest_framework.test import APIClient

from jwtauth import revocation
from tests.helpers.accounts import PASSWORD
from tests.helpers.http import bearer
from tests.helpers.servers import free_port

REDIS_SERVER = shutil.which("redis-server") or "redis-server"
pytestmark = [
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
    pytest.mark.django_db(transaction=True),
]
WAIT = 15.0
REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + WAIT
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # waiting for the server to listen

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=WAIT)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def site(own_redis: RedisServer) -> Iterator[RedisServer]:
    """Every cache (rate limits included) and the revocation wake-ups on the test's own Redis,
    as a site following the README has them."""
    caches = {"default": {"BACKEND": REDIS_CACHE, "LOCATION": own_redis.url}}
    jwtauth = {"REVOCATION_REDIS_URL": own_redis.url}
    with override_settings(CACHES=caches, JWTAUTH=jwtauth):
        yield own_redis
    revocation.reset()


def _login(api: APIClient, user: Any, password: str = PASSWORD) -> dict[str, Any]:
    body = {"username": user.username, "password": password, "transport": "body"}
    response = api.post("/api/auth/login/", body, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _revoke_every_way(api: APIClient, admin_client: Any, make_user: Any) -> list[str]:
    """Logout, logout-all, admin action, password change; the access tokens they revoked."""
    from jwtauth.tokens import verify_access

    a, b, c, d = (make_user() for _ in range(4))
    logged_out = _login(api, a)
    assert (
        api.post("/api/auth/logout/", {"refresh": logged_out["refresh"]}, format="json").status_code
        == 204
    )
    everywhere = [_login(api, b), _login(api, b)]
    assert api.post("/api/auth/logout-all/", **bearer(everywhere[0]["access"])).status_code == 204
    by_admin = _login(api, c)
    sid = verify_access(by_admin["access"])["sid"]
    admin_client.post(
        "/admin/jwtauth/tokenfamily/", {"action": "revoke_sessions", "_selected_action": [sid]}
    )
    elsewhere, here = _login(api, d), _login(api, d)
    changed = api.post(
        "/api/auth/password/change/",
        {"old_password": PASSWORD, "new_password": "another-long-passphrase-42"},
        format="json",
        **bearer(here["access"]),
    )
    assert changed.status_code == 204
    return [t["access"] for t in (logged_out, *everywhere, by_admin, elsewhere)]


def _all_refused(api: APIClient, tokens: list[str]) -> None:
    for access in tokens:
        response = api.get("/api/profile/", **bearer(access))
        assert (response.status_code, response.json()["code"]) == (401, "token_revoked")


@pytest.mark.parametrize("fault", ["restart", "flushall"])
def test_revocations_survive_redis_losing_everything(
    api: APIClient, admin_client: Any, make_user: Any, site: RedisServer, fault: str
) -> None:
    revoked = _revoke_every_way(api, admin_client, make_user)
    _all_refused(api, revoked)

    if fault == "restart":
        site.restart()  # nothing saved: the new server starts empty
    else:
        redis.Redis.from_url(site.url).flushall()  # the test's own server only
    revocation.reset()  # and this process restarts too: memory gone, only the log is left

    _all_refused(api, revoked)


def test_redis_pubsub_wakes_the_process_and_survives_a_restart(
    api: APIClient, user: Any, site: RedisServer, settings: Any
) -> None:
    settings.JWTAUTH = {**settings.JWTAUTH, "REVOCATION_PUSH": "redis"}
    assert api.get("/api/auth/me/", **bearer(_login(api, user)["access"])).status_code == 200
    listener = revocation.listener()
    assert listener is not None and listener.kind == "redis"
    assert listener.listening.wait(WAIT)

    site.restart()
    deadline = time.monotonic() + WAIT
    while listener.connections < 2:  # subscribed again to the new server
        assert time.monotonic() < deadline, "the Redis listener did not come back"
        time.sleep(0.01)
    revocation.wakeups().clear()
    from jwtauth import revocation_push

    revocation_push.publish(site.url)
    assert revocation.wakeups().wait(WAIT)


def test_a_dead_redis_costs_no_revocation(
    api: APIClient, user: Any, site: RedisServer, revocation_clock: Any
) -> None:
    tokens = _login(api, user)
    site.stop()

    # The logout still commits (its wake-up is lost, logged) and is enforced.
    assert api.post("/api/auth/logout/", **bearer(tokens["access"])).status_code == 204
    revocation.reset()
    response = api.get("/api/profile/", **bearer(tokens["access"]))
    assert response.json()["code"] == "token_revoked"
