"""Requests per second and worker CPU per request over HTTP: gunicorn serving both libraries,
wrk loading one endpoint at a time, rounds interleaving the endpoints so drift hits all alike.

PostgreSQL + Redis (DATABASE_URL / REDIS_URL, or the bench defaults), Django's stock RedisCache.
CPU per request is the gunicorn workers' user + system time (from /proc) over the answers.
Writes bench/results/http.json, which bench/chart.py draws.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.pg import use_postgres_and_redis

use_postgres_and_redis()

from bench.common import ROOT, machine, setup_django, summary  # noqa: E402

setup_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework_simplejwt.tokens import AccessToken  # noqa: E402
from rest_framework_simplejwt.tokens import RefreshToken as SimpleRefreshToken  # noqa: E402

from jwtauth import families  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "8"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
# Refresh tokens made per library and round; each is spent once.
REFRESH_TOKENS = int(os.environ.get("BENCH_REFRESH_TOKENS", "1500"))
RESULTS = ROOT / "bench" / "results" / "http.json"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - loopback only
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


def start_gunicorn(port: int, workers: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "bench.wsgi", "-w", str(workers),
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", **(env or {})},
    )  # fmt: skip


def worker_cpu(master: int) -> float:
    """CPU seconds used so far by the gunicorn workers of ``master``."""
    total = 0.0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime
    return total


def wrk(url: str, token: str | None = None, script: str | None = None, tokens: str = "") -> dict:
    cmd = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", url]
    if token:
        cmd[1:1] = ["-H", f"Authorization: Bearer {token}"]
    if script:
        cmd[1:1] = ["-s", script]
    env = {**os.environ, "BENCH_TOKENS": tokens}
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stdout  # noqa: S603
    answered = int(re.search(r"(\d+) requests in", out).group(1))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    failed_count = int(failed.group(1)) if failed else 0
    if failed_count and not script:
        raise SystemExit(f"non-2xx answers from {url}:\n{out}")
    return {"ok": answered - failed_count, "seconds": SECONDS}


def refresh_tokens(user: object, library: str, path: Path) -> str:
    if library == "jwtauth":
        made = [families.start(user=user).refresh for _ in range(REFRESH_TOKENS)]
    else:
        made = [str(SimpleRefreshToken.for_user(user)) for _ in range(REFRESH_TOKENS)]
    path.write_text("\n".join(made) + "\n")
    return str(path)


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:  # both libraries start from empty token tables
        cursor.execute("TRUNCATE jwtauth_refreshtoken, jwtauth_tokenfamily CASCADE")
        cursor.execute("TRUNCATE token_blacklist_outstandingtoken CASCADE")
    user_model = get_user_model()
    user = user_model.objects.filter(username="bench").first() or user_model.objects.create_user(
        "bench", password="bench-password-1234"
    )
    ours = families.start(user=user).access
    theirs = str(AccessToken.for_user(user))
    lua = str(ROOT / "bench" / "refresh.lua")
    endpoints = {
        "open": ("/bench/open/", None, None),
        "jwtauth claims-only": ("/bench/jwtauth/", ours, None),
        "simplejwt stateless claims-only": ("/bench/simplejwt-stateless/", theirs, None),
        "jwtauth user": ("/bench/jwtauth-user/", ours, None),
        "simplejwt user": ("/bench/simplejwt-user/", theirs, None),
        "jwtauth refresh": ("/api/auth/refresh/", None, "jwtauth"),
        "simplejwt refresh": ("/bench/simplejwt/refresh/", None, "simplejwt"),
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, WORKERS)
    rates: dict[str, list[float]] = {name: [] for name in endpoints}
    cpu: dict[str, list[float]] = {name: [] for name in endpoints}
    scratch = Path(tempfile.mkdtemp())
    try:
        wait_until_up(f"{base}/bench/open/")
        for path, token, _ in endpoints.values():  # warm-up: every worker has read the log
            if token or path.endswith("open/"):
                wrk(base + path, token)
        for _ in range(ROUNDS):
            for name, (path, token, library) in endpoints.items():
                tokens = refresh_tokens(user, library, scratch / name) if library else ""
                # Requests queued by the previous load are answered before this one starts.
                wait_until_up(f"{base}/bench/open/")
                before = worker_cpu(server.pid)
                result = wrk(base + path, token, lua if library else None, tokens)
                used = worker_cpu(server.pid) - before
                rates[name].append(result["ok"] / result["seconds"])
                cpu[name].append(used / max(result["ok"], 1) * 1000)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)

    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"machine": machine(), "rates": rates, "cpu_ms": cpu}, indent=1))
    print(
        f"HTTP, gunicorn {WORKERS} sync workers, wrk {CONNECTIONS} connections, {ROUNDS} x "
        f"{SECONDS}s interleaved rounds, PostgreSQL + Redis (stock RedisCache) ({machine()})"
    )
    print(f"{'':34} {'min / median / max req/s':>28}   {'worker CPU ms/request':>24}")
    for name in endpoints:
        low, mid, high = summary(rates[name])
        clow, cmid, chigh = summary(cpu[name])
        print(
            f"{name:34} {low:8.0f} / {mid:7.0f} / {high:7.0f}   {clow:6.2f} / {cmid:5.2f} / {chigh:5.2f}"
        )
    med = {name: summary(samples)[1] for name, samples in rates.items()}
    for label, ours_name, theirs_name, target in (
        ("claims-only vs open", "jwtauth claims-only", "open", 0.9),
        ("user view vs simplejwt user view", "jwtauth user", "simplejwt user", 1.1),
        ("refresh vs simplejwt refresh", "jwtauth refresh", "simplejwt refresh", 1.5),
    ):
        ratio = med[ours_name] / med[theirs_name]
        verdict = "MET" if ratio >= target else "NOT MET"
        print(f"target jwtauth {label} >= {target} x: {ratio:.2f} {verdict}")


if __name__ == "__main__":
    main()
