"""Requests per second over HTTP: gunicorn serving both libraries, wrk loading them in turn.

Endpoints answer {"id": ...} from the token alone. Runs on PostgreSQL + Redis (DATABASE_URL /
REDIS_URL, or the bench defaults). Rounds interleave the endpoints so drift hits all alike.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

from bench.pg import use_postgres_and_redis

use_postgres_and_redis()

from bench.common import ROOT, machine, setup_django, summary  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402

from jwtauth import families  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def _wrk(url: str, token: str | None) -> float:
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", url]
    if token:
        cmd[1:1] = ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in out:
        raise SystemExit(f"non-2xx answers from {url}:\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    user = user_model.objects.filter(username="bench").first() or user_model.objects.create_user(
        "bench", password="bench-password-1234"
    )
    ours = families.start(user=user).access
    theirs = str(AccessToken.for_user(user))

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    try:
        _wait_until_up(f"{base}/bench/open/")
        endpoints = {
            "unauthenticated": ("/bench/open/", None),
            "jwtauth": ("/bench/jwtauth/", ours),
            "simplejwt JWTAuthentication": ("/bench/simplejwt/", theirs),
            "simplejwt stateless": ("/bench/simplejwt-stateless/", theirs),
        }
        results: dict[str, list[float]] = {name: [] for name in endpoints}
        for path, token in endpoints.values():  # warm-up
            _wrk(base + path, token)
        for _ in range(ROUNDS):
            for name, (path, token) in endpoints.items():
                results[name].append(_wrk(base + path, token))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"HTTP requests/s, gunicorn {WORKERS} sync workers, wrk {CONNECTIONS} connections, "
        f"{ROUNDS} x {SECONDS}s interleaved, PostgreSQL + Redis ({machine()})"
    )
    print(f"{'':32} {'min / median / max req/s':>30}")
    for name, samples in results.items():
        low, mid, high = summary(samples)
        print(f"{name:32} {low:9.0f} / {mid:9.0f} / {high:9.0f}")
    med = {name: summary(samples)[1] for name, samples in results.items()}
    vs_open = med["jwtauth"] / med["unauthenticated"]
    vs_simple = med["jwtauth"] / med["simplejwt JWTAuthentication"]
    print(
        f"target jwtauth >= 0.9 x unauthenticated: {vs_open:.2f} {'MET' if vs_open >= 0.9 else 'NOT MET'}"
    )
    print(
        f"target jwtauth >= 1.5 x simplejwt: {vs_simple:.2f} {'MET' if vs_simple >= 1.5 else 'NOT MET'}"
    )


if __name__ == "__main__":
    main()
