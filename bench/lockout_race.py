"""N concurrent wrong-password logins of one account against gunicorn: count 401s and 429s.

    DATABASE_URL=postgres://... REDIS_URL=redis://... \
        python -m bench.lockout_race --workers 4 --attempts 20

Starts gunicorn (the sample site behind one trusted proxy, ``bench.proxied_settings``) on a free
loopback port, creates a throwaway user, sends the attempts at the same moment, each from its
own address (X-Forwarded-For), prints the answers and exits non-zero when more wrong passwords
were checked (answered 401) than LOGIN_FAILURE_RATE allows.
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = "bench.proxied_settings"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.1)


def _login(base: str, username: str, address: str) -> tuple[int, str]:
    body = {"username": username, "password": "wrong password", "transport": "body"}
    request = urllib.request.Request(  # noqa: S310 - loopback only
        f"{base}/api/auth/login/",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": address},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}").get("code", "")


def race(bases: list[str], username: str, attempts: int) -> Counter[tuple[int, str]]:
    """Send ``attempts`` wrong passwords at once, spread over the servers at ``bases``."""
    barrier = threading.Barrier(attempts)
    answers: Counter[tuple[int, str]] = Counter()
    lock = threading.Lock()

    def one(number: int) -> None:
        barrier.wait(timeout=30)
        base = bases[number % len(bases)]
        answer = _login(base, username, f"10.{number // 250}.{number % 250}.1")
        with lock:
            answers[answer] += 1

    threads = [threading.Thread(target=one, args=(n,)) for n in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--attempts", type=int, default=20)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL (and REDIS_URL) first")
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from jwtauth.settings import jwtauth_settings

    call_command("migrate", verbosity=0)
    username = f"lockout-race-{secrets.token_hex(4)}"
    user = get_user_model().objects.create_user(username, password=secrets.token_urlsafe(16))
    port = _free_port()
    command = [sys.executable, "-m", "gunicorn", "authproject.wsgi"]
    command += ["-b", f"127.0.0.1:{port}", "-w", str(args.workers)]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "DJANGO_DEBUG": ""}
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        _wait_for(port, process)
        started = time.monotonic()
        answers = race([f"http://127.0.0.1:{port}"], username, args.attempts)
        elapsed = time.monotonic() - started
    finally:
        process.terminate()
        process.wait(timeout=15)
        user.delete()
    limit = int(jwtauth_settings.LOGIN_FAILURE_RATE.split("/")[0])
    cache = os.environ.get("REDIS_URL", "local memory (per worker!)")
    print(f"gunicorn -w {args.workers}, {args.attempts} concurrent wrong passwords, cache {cache}")
    print(f"LOGIN_FAILURE_RATE {jwtauth_settings.LOGIN_FAILURE_RATE}: limit {limit}")
    for (status, code), count in sorted(answers.items()):
        print(f"  {status} {code or '-'}: {count}")
    checked = answers[(401, "invalid_credentials")]
    print(
        f"password checks (401s): {checked}, refused unchecked (429s): "
        f"{sum(n for (status, _), n in answers.items() if status == 429)}, {elapsed:.2f}s"
    )
    return 0 if checked <= limit else 1


if __name__ == "__main__":
    sys.exit(main())
