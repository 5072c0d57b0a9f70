"""Self-audit: a revocation committed here is refused by a second process of this site."""

import base64
import os
import pickle
import queue
import subprocess
import sys
import threading
import time
import uuid
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, transaction

from jwtauth import revocation, revocation_store
from jwtauth.audit_base import Failed, Site, check
from jwtauth.models import RevocationEntry, RevocationKind
from jwtauth.settings import jwtauth_settings

# How late another process may see a revocation before the audit calls it unsafe.
MAX_STALENESS_SECONDS = 5.0
# What the second process needs to start as this one did (a test's overrides included).
SHARED_SETTINGS = ("DATABASES", "DATABASE_ROUTERS", "CACHES", "JWTAUTH", "SECRET_KEY", "USE_TZ")
START_SECONDS = 60.0


def _settings_problem() -> tuple[str, str] | None:
    staleness = jwtauth_settings.REVOCATION_MAX_STALENESS.total_seconds()
    if staleness > MAX_STALENESS_SECONDS:
        return (
            f"other processes may accept a logged-out token for {staleness:g} s",
            f"REVOCATION_MAX_STALENESS: keep it under {MAX_STALENESS_SECONDS:g} s",
        )
    if jwtauth_settings.REVOCATION_FAIL_OPEN:
        return (
            "a process that cannot read the revocation log accepts every token",
            "REVOCATION_FAIL_OPEN: set it to False",
        )
    return None


@check("revocation seen by a second process", own_transaction=True)
def second_process(site: Site) -> str:
    problem = _settings_problem()
    if problem:
        raise Failed(*problem)
    feed = jwtauth_settings.REVOCATION_FEED_URL
    if jwtauth_settings.VERIFY_ONLY or jwtauth_settings.JWKS_URL:
        if not feed:
            raise Failed(
                "this verify-only service never sees the issuer's revocations",
                "REVOCATION_FEED_URL: point it at the issuer's revocations/ feed",
            )
        # Its revocations are the issuer's: run the audit on the issuer for this check.
        return f"verify-only: reads the issuer's log from {feed}"
    alias = revocation_store.alias()
    name = str(connections[alias].settings_dict["NAME"])
    if connections[alias].vendor == "sqlite" and (name == ":memory:" or "mode=memory" in name):
        return "in-memory SQLite database: no second process can share it"
    return _probe(alias)


def _probe(alias: str) -> str:
    session_id = f"jwtauth-audit-{uuid.uuid4()}"
    staleness = jwtauth_settings.REVOCATION_MAX_STALENESS.total_seconds()
    wait = staleness + 1.0
    child, lines = _start(session_id, wait)
    try:
        ready = _line(lines, START_SECONDS)
        if ready != "ready":
            raise Failed(
                f"the second process did not start: {ready or 'no answer'}",
                "run the audit where manage.py runs, with the site's settings and database",
            )
        committed = time.monotonic()
        _commit_probe(alias, session_id)
        answer = _line(lines, wait + 1.0)
        elapsed = time.monotonic() - committed
    finally:
        child.kill()
        child.wait()
        _delete_probe(alias, session_id)
    if answer != "refused":
        raise Failed(
            f"a second process still accepted a revoked session {wait:g} s after the commit",
            "the second process must read the same database's revocation log (DATABASES, "
            "DATABASE_ROUTERS); see docs/production.md",
        )
    return f"a second process refused a revoked session {elapsed * 1000:.0f} ms after the commit"


def _start(session_id: str, wait: float) -> tuple[subprocess.Popen[str], queue.Queue[str]]:
    values = {name: getattr(settings, name) for name in SHARED_SETTINGS if hasattr(settings, name)}
    # The databases this process uses (a test database's NAME is rewritten), not the module's.
    values["DATABASES"] = {key: dict(connections[key].settings_dict) for key in connections}
    shared = {name: value for name, value in values.items() if _picklable(value)}
    now = time.time()
    claims = {"sid": session_id, "sub": session_id, "iat": int(now) - 1, "exp": int(now) + 600}
    config = {"settings": shared, "claims": claims, "wait": wait}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    env.setdefault("DJANGO_SETTINGS_MODULE", os.environ.get("DJANGO_SETTINGS_MODULE", ""))
    child = subprocess.Popen(  # noqa: S603  our own interpreter and module
        [sys.executable, "-m", "jwtauth.audit_probe"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    stdin, stdout = child.stdin, child.stdout
    if stdin is None or stdout is None:  # pragma: no cover  both are pipes
        raise Failed("could not start a second process", "run the audit where manage.py runs")
    stdin.write(base64.b64encode(pickle.dumps(config)).decode() + "\n")
    stdin.close()
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stdout:
            lines.put(line.strip())

    threading.Thread(target=read, daemon=True).start()
    return child, lines


def _picklable(value: object) -> bool:
    # What cannot cross (a callable object in JWTAUTH, say) the child reads from its own module.
    try:
        pickle.dumps(value)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


def _line(lines: queue.Queue[str], timeout: float) -> str:
    try:
        return lines.get(timeout=timeout)
    except queue.Empty:
        return ""


def _in_thread(alias: str, work: Any) -> None:
    # A connection of its own: the audit's own connection may be inside a transaction.
    errors: list[DatabaseError] = []

    def run() -> None:
        try:
            work()
        except DatabaseError as exc:
            errors.append(exc)
        finally:
            connections[alias].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise Failed(f"could not write the revocation log: {errors[0]}", "check DATABASES")


def _commit_probe(alias: str, session_id: str) -> None:
    def commit() -> None:
        with transaction.atomic(using=alias):
            revocation.revoke_sessions([session_id])

    _in_thread(alias, commit)


def _delete_probe(alias: str, session_id: str) -> None:
    def delete() -> None:
        RevocationEntry.objects.using(alias).filter(
            kind=RevocationKind.SESSION, key=session_id
        ).delete()

    _in_thread(alias, delete)
