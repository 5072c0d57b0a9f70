"""Revocation propagation between two gunicorn servers on one PostgreSQL: log out on A, poll B
until it refuses the access token. Default settings (LISTEN/NOTIFY wake-ups), then push off
(polling only, REVOCATION_MAX_STALENESS = 250 ms). Prints p50 / p99 / max in milliseconds.
"""

import json
import os
import signal
import statistics
import time
import urllib.error
import urllib.request

from bench.pg import use_postgres_and_redis

use_postgres_and_redis()

from bench.common import machine, setup_django  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402

from bench.http_bench import free_port, start_gunicorn, wait_until_up  # noqa: E402
from jwtauth import families  # noqa: E402

SAMPLES = int(os.environ.get("BENCH_PROPAGATION_SAMPLES", "100"))


def call(url: str, *, token: str | None = None, body: object = None) -> int:
    request = urllib.request.Request(  # noqa: S310 - loopback only
        url,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def measure(a: str, b: str, user: object) -> list[float]:
    times = []
    for _ in range(SAMPLES):
        pair = families.start(user=user)
        while call(f"{b}/bench/jwtauth/", token=pair.access) != 200:
            pass  # B has not read the login's session yet: nothing to measure
        call(f"{b}/bench/jwtauth/", token=pair.access)  # both workers, most likely
        assert call(f"{a}/api/auth/logout/", body={"refresh": pair.refresh}) == 204
        start = time.perf_counter()
        while call(f"{b}/bench/jwtauth/", token=pair.access) == 200:
            if time.perf_counter() - start > 10:
                raise SystemExit("B still accepts a revoked token after 10 s")
        times.append((time.perf_counter() - start) * 1000)
    return times


def run(push: str) -> list[float]:
    env = {"BENCH_REVOCATION_PUSH": push}
    ports = free_port(), free_port()
    servers = [start_gunicorn(port, 2, env) for port in ports]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            wait_until_up(f"{base}/bench/open/")
        user_model = get_user_model()
        user = user_model.objects.filter(
            username="bench"
        ).first() or user_model.objects.create_user("bench", password="bench-password-1234")
        return measure(*bases, user)
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)


def main() -> None:
    call_command("migrate", verbosity=0)
    print(
        f"Revocation propagation, logout on server A until server B refuses the token "
        f"({SAMPLES} samples each; 2 gunicorn servers x 2 workers; {machine()})"
    )
    print(f"{'':38} {'p50':>8} {'p99':>8} {'max':>8}  ms")
    for label, push in (
        ("default (LISTEN/NOTIFY + 250 ms poll)", "on"),
        ("push off (250 ms poll)", "off"),
    ):
        times = sorted(run(push))
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(f"{label:38} {statistics.median(times):8.1f} {p99:8.1f} {times[-1]:8.1f}")


if __name__ == "__main__":
    main()
