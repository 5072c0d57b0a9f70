"""Revocation log: written with the revocation, read from process memory.

Every revocation is a row appended in the transaction that revokes (revocation_store).
Each process keeps the entries that can still matter in memory (revocation_memory) and
remembers the last id it has read; a Bearer request looks there only. The process reads the
entries above that id when its last read is older than ``REVOCATION_MAX_STALENESS`` and as
soon as a push wakes it (revocation_push); a process reads the whole live log before it
answers its first request.
"""

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from django.db import DatabaseError, connections, transaction
from django.utils import timezone

from jwtauth import revocation_http, revocation_push, revocation_store
from jwtauth.exceptions import RevocationUnavailable
from jwtauth.revocation_memory import LiveSet
from jwtauth.revocation_store import Batch
from jwtauth.settings import jwtauth_settings
from jwtauth.tokens import AccessClaims

logger = logging.getLogger(__name__)

# Seconds for freshness; tests replace it to move time without sleeping.
clock: Callable[[], float] = time.monotonic
# What a read of the log raises when its source cannot be reached.
UNREADABLE = (DatabaseError, OSError, revocation_http.FeedUnavailable)


class _Process:
    """What one process knows of the log; rebuilt in a forked child (see ``_current``)."""

    def __init__(self, live: LiveSet | None = None, last_id: int = 0) -> None:
        self.pid = os.getpid()
        self.live = live or LiveSet()
        self.last_id = last_id
        self.read_at: float | None = None
        self.woken = False
        # Set by every wake-up; tests of the cross-process push wait on it.
        self.wakeups = threading.Event()
        self.lock = threading.Lock()
        self.listener: revocation_push.Listener | None = None
        self.listener_target: tuple[str, str] | None = None


_state = _Process()


def _current() -> _Process:
    global _state
    state = _state
    if state.pid != os.getpid():
        # A forked child (gunicorn worker) inherits the memory but neither the listener
        # thread nor a usable lock; it reads the log again before answering.
        state = _state = _Process(state.live, state.last_id)
    return state


def _staleness() -> float:
    return jwtauth_settings.REVOCATION_MAX_STALENESS.total_seconds()


def is_revoked(claims: AccessClaims) -> bool:
    """True when the token's session or its user was revoked; memory only, unless a read
    of the log is due.

    Raises RevocationUnavailable when a due read fails, unless ``REVOCATION_FAIL_OPEN``.
    """
    state = _current()
    if state.woken or state.read_at is None or clock() - state.read_at >= _staleness():
        try:
            catch_up()
        except UNREADABLE as exc:
            if not jwtauth_settings.REVOCATION_FAIL_OPEN:
                raise RevocationUnavailable() from exc
            logger.warning("Revocation log unreadable; answering from memory (fail open)")
    return state.live.is_revoked(
        session_id=claims["sid"], user_id=claims["sub"], issued_at=claims["iat"]
    )


def _verify_only_without_feed() -> bool:
    verify_only = jwtauth_settings.VERIFY_ONLY or jwtauth_settings.JWKS_URL
    return bool(verify_only) and not jwtauth_settings.REVOCATION_FEED_URL


def _read(after: int, now: datetime) -> Batch:
    url = jwtauth_settings.REVOCATION_FEED_URL
    if url:
        timeout = jwtauth_settings.REVOCATION_FEED_TIMEOUT.total_seconds()
        secret = jwtauth_settings.REVOCATION_FEED_SECRET or ""
        return revocation_http.fetch(url, secret, after, timeout)
    return revocation_store.read_since(after, now)


def catch_up() -> None:
    """Read the log entries above the last id this process has seen."""
    state = _current()
    with state.lock:
        if _verify_only_without_feed():
            state.read_at = clock()  # no source: the service cannot see revocations
            return
        _ensure_listener(state)
        state.woken = False  # before reading: a push during the read brings another read
        now = timezone.now()
        stamp = now.timestamp()
        while True:
            batch = _read(state.last_id, now)
            for entry in batch.entries:
                state.live.add(entry, stamp)
            if batch.horizon is not None:
                state.live.horizon = max(state.live.horizon, batch.horizon)
            state.last_id = max(state.last_id, batch.last_id)
            if not batch.more:
                break
        state.live.prune(stamp)
        state.read_at = clock()


def _push_target() -> tuple[str, str] | None:
    """Which push wakes this process: ("postgres", conninfo), ("redis", url) or None."""
    if jwtauth_settings.REVOCATION_FEED_URL:
        return None
    mode = jwtauth_settings.REVOCATION_PUSH
    redis_url = jwtauth_settings.REVOCATION_REDIS_URL
    alias = revocation_store.alias()
    if mode == "auto":
        postgres = connections[alias].vendor == "postgresql"
        mode = "redis" if redis_url else "postgres" if postgres else None
    if mode == "postgres":
        dsn = jwtauth_settings.REVOCATION_LISTEN_DSN
        return "postgres", revocation_push.postgres_conninfo(alias, dsn)
    if mode == "redis" and redis_url:
        return "redis", redis_url
    return None


def _ensure_listener(state: _Process) -> None:
    target = _push_target()
    listener = state.listener
    if listener is not None and state.listener_target == target and listener.thread.is_alive():
        return
    if listener is not None:
        listener.stopping.set()
    state.listener, state.listener_target = None, target
    if target is not None:
        state.listener = revocation_push.Listener(*target, wake=lambda: _wake(state)).start()


def _wake(state: _Process) -> None:
    state.woken = True
    state.wakeups.set()


def listener() -> revocation_push.Listener | None:
    """This process's running push listener, if any."""
    return _current().listener


def wakeups() -> threading.Event:
    """Set whenever a push wakes this process (clear it to wait for the next)."""
    return _current().wakeups


def reset() -> None:
    """Forget everything read (as a new process would); stops the listener."""
    global _state
    stop_listener()
    _state = _Process()


def stop_listener() -> None:
    state = _current()
    if state.listener is not None:
        state.listener.stop()
        state.listener, state.listener_target = None, None


def trim(*, before: datetime, batch_size: int) -> int:
    """Delete log entries that stopped mattering before ``before``; returns how many."""
    return revocation_store.trim(before, batch_size)


# -- writing -------------------------------------------------------------------------------


def revoke_sessions(session_ids: Iterable[object], *, now: datetime | None = None) -> None:
    """Log that these sessions are revoked; call inside the transaction that revokes them."""
    _append(revocation_store.session_rows(session_ids, now or timezone.now()))


def revoke_user_before(user_id: object, when: datetime) -> None:
    """Log that the user's access tokens issued in an earlier second than ``when`` are
    refused; call inside the transaction that changes the account."""
    _append([revocation_store.user_row(user_id, when, timezone.now())])


def _append(rows: list) -> None:
    created = revocation_store.append(rows)
    if not created:
        return
    state = _current()
    # This process reads the log before its next answer, even before commit (its own
    # connection sees the rows), and holds them at once when the transaction commits.
    state.woken = True
    entries = [revocation_store.as_entry(row) for row in created]
    redis_url = jwtauth_settings.REVOCATION_REDIS_URL

    def committed() -> None:
        current = _current()
        stamp = time.time()
        with current.lock:
            for entry in entries:
                current.live.add(entry, stamp)
        if redis_url:
            revocation_push.publish(redis_url)

    transaction.on_commit(committed, using=revocation_store.alias())
