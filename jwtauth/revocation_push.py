"""Wake-ups for the revocation log: PostgreSQL LISTEN or Redis pub/sub, in a daemon thread.

A push only says "read the log now": a lost one costs freshness (the next poll finds the
entry), never a revocation. Each process (each gunicorn worker after the fork) starts its
own listener on first use, on a connection of its own.
"""

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connections

from jwtauth.revocation_store import CHANNEL

try:
    import psycopg
    from psycopg.conninfo import make_conninfo
except ImportError:  # psycopg is optional: only PostgreSQL sites listen
    psycopg = None  # type: ignore[assignment]
try:
    import redis
except ImportError:  # redis is optional: only sites that configure it publish through it
    redis = None  # type: ignore[assignment]

# What a lost database or Redis connection raises (socket errors are OSError).
_LOST: tuple[type[Exception], ...] = (
    OSError,
    *((psycopg.Error,) if psycopg else ()),
    *((redis.RedisError,) if redis else ()),
)

logger = logging.getLogger(__name__)

# Libpq parameters a site may set in a database's OPTIONS that a listener should share.
_LIBPQ_OPTIONS = frozenset(
    {
        "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "connect_timeout",
        "options", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count",
        "target_session_attrs", "passfile", "service",
    }
)  # fmt: skip
# How often an idle listener checks its connection is alive; how long it waits to reconnect.
_PING_SECONDS = 5.0
# How long a wait for a push may last before the thread looks at ``stopping`` again: a stop
# (process exit, a test's teardown) takes at most this long.
_POLL_SECONDS = 0.25
_RETRY_SECONDS = 1.0


def postgres_conninfo(alias: str, dsn: str | None) -> str:
    """``dsn`` when the site gave one (behind PgBouncer: a direct connection), else the
    connection settings of database ``alias``."""
    if dsn:
        return make_conninfo(dsn, application_name="jwtauth-revocation-listener")
    params = connections[alias].settings_dict
    extra = {k: v for k, v in params.get("OPTIONS", {}).items() if k in _LIBPQ_OPTIONS}
    given = {
        "dbname": params.get("NAME"),
        "user": params.get("USER"),
        "password": params.get("PASSWORD"),
        "host": params.get("HOST"),
        "port": params.get("PORT"),
    }
    return make_conninfo(
        **{k: v for k, v in given.items() if v},
        **extra,
        application_name="jwtauth-revocation-listener",
    )


class Listener:
    """A daemon thread calling ``wake()`` on every push, and once after each (re)connection."""

    def __init__(self, kind: str, target: str, wake: Callable[[], None]) -> None:
        self.kind, self.target, self.wake = kind, target, wake
        self.stopping = threading.Event()
        # Set while connected and listening; tests wait on it.
        self.listening = threading.Event()
        self.backend_pid: int | None = None
        self.connections = 0
        self.thread = threading.Thread(
            target=self._run, name=f"jwtauth-{kind}-listener", daemon=True
        )

    def start(self) -> "Listener":
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        listen = self._postgres if self.kind == "postgres" else self._redis
        while not self.stopping.is_set():
            try:
                listen()
            except _LOST:  # a lost push only costs freshness
                logger.warning("Revocation %s listener lost; polling until it is back", self.kind)
            finally:
                self.listening.clear()
            self.wake()
            self.stopping.wait(_RETRY_SECONDS)

    def _postgres(self) -> None:
        with psycopg.connect(self.target, autocommit=True) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self.backend_pid = conn.info.backend_pid
            self._connected()
            pinged = time.monotonic()
            while not self.stopping.is_set():
                for _ in conn.notifies(timeout=_POLL_SECONDS):
                    self.wake()
                    if self.stopping.is_set():
                        return
                if time.monotonic() - pinged >= _PING_SECONDS:
                    conn.execute("SELECT 1")  # a dead server is noticed within a ping
                    pinged = time.monotonic()

    def _redis(self) -> None:
        client = redis.Redis.from_url(self.target, socket_keepalive=True)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(CHANNEL)
            self._connected()
            pinged = time.monotonic()
            while not self.stopping.is_set():
                if pubsub.get_message(timeout=_POLL_SECONDS) is not None:
                    self.wake()
                elif time.monotonic() - pinged >= _PING_SECONDS:
                    pubsub.ping()
                    pinged = time.monotonic()
        finally:
            pubsub.close()
            client.close()

    def _connected(self) -> None:
        # After a lost connection, entries committed while not listening are read before the
        # next answer. The first connection needs no such read: the read that started this
        # listener is at most one poll older than it.
        if self.connections:
            self.wake()
        self.connections += 1
        self.listening.set()


_publishers: dict[str, Any] = {}


def publish(url: str) -> None:
    """Tell every process subscribed through Redis at ``url`` to read the log."""
    client = _publishers.get(url)
    if client is None:
        client = _publishers[url] = redis.Redis.from_url(url, socket_timeout=1.0)
    try:
        client.publish(CHANNEL, b"")
    except _LOST:
        logger.warning("Revocation wake-up not published to Redis; processes will poll")
