"""The revocation log in the database: append in the revoking transaction, read above an id."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connections, router, transaction
from django.db.models import F, FloatField, Func, Max, Q

from jwtauth.models import RevocationEntry, RevocationKind
from jwtauth.revocation_memory import Entry
from jwtauth.settings import jwtauth_settings

CHANNEL = "jwtauth_revocation"
# Serialises appends on PostgreSQL from id to commit, so ids become visible in id order and a
# reader that has seen id N never later finds a smaller id committed.
_APPEND_LOCK = 0x6A77_7461_7574_68  # "jwtauth"
# Added to every entry's life: clock differences between the servers that write and read it.
MARGIN = timedelta(seconds=5)
PAGE = 50_000


class Epoch(Func):
    """A timestamp as seconds since the epoch, computed by PostgreSQL: parsing a million
    datetimes in Python was most of a starting process's catch-up time."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)::float8"
    output_field = FloatField()


@dataclass(frozen=True)
class Batch:
    entries: list[Entry]
    last_id: int
    horizon: float | None
    more: bool


def alias() -> str:
    """The database alias revocations are written to and read from: the primary."""
    return router.db_for_write(RevocationEntry)


def lifetime() -> timedelta:
    """How long a revocation written now can matter: the longest access token plus margins."""
    return jwtauth_settings.ACCESS_TOKEN_LIFETIME + jwtauth_settings.LEEWAY + MARGIN


def append(rows: Iterable[RevocationEntry]) -> list[RevocationEntry]:
    """Insert ``rows`` inside the caller's transaction; on PostgreSQL also queue a NOTIFY."""
    rows = list(rows)
    if not rows:
        return rows
    using = alias()
    connection = connections[using]
    postgres = connection.vendor == "postgresql"
    # The caller's transaction when there is one; else one of its own, so the lock is held
    # from the id to the commit either way.
    with transaction.atomic(using=using, savepoint=False):
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_APPEND_LOCK])
        created = RevocationEntry.objects.using(using).bulk_create(rows)
        if postgres:
            with connection.cursor() as cursor:
                # Delivered by PostgreSQL at commit, and never for a transaction rolled back.
                cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])
    return created


def session_rows(session_ids: Iterable[object], now: datetime) -> list[RevocationEntry]:
    expires = now + lifetime()
    return [
        RevocationEntry(
            kind=RevocationKind.SESSION, key=str(sid), created_at=now, expires_at=expires
        )
        for sid in dict.fromkeys(str(sid) for sid in session_ids)
    ]


def user_row(user_id: object, when: datetime, now: datetime) -> RevocationEntry:
    return RevocationEntry(
        kind=RevocationKind.USER,
        key=str(user_id),
        not_before=when,
        created_at=now,
        expires_at=now + lifetime(),
    )


def as_entry(row: RevocationEntry) -> Entry:
    return Entry(
        id=row.id,
        kind=row.kind,
        key=row.key,
        not_before=row.not_before.timestamp() if row.not_before is not None else None,
        created=row.created_at.timestamp(),
        expires=row.expires_at.timestamp(),
    )


def read_since(after: int, now: datetime, limit: int = PAGE) -> Batch:
    """Entries above id ``after`` that still matter, in id order; one indexed query.

    The newest row is always read (even when it no longer matters) so ``last_id`` moves past
    it; on the first read, so is the newest row that no longer matters, for the horizon.
    """
    log = RevocationEntry.objects.using(alias())
    newest = log.order_by("-id").values("id")[:1]
    wanted = Q(expires_at__gt=now) | Q(id=newest)
    if after == 0:
        wanted |= Q(id=log.filter(expires_at__lte=now).order_by("-id").values("id")[:1])
    # Tuples, not model instances: a starting process may read a million of them.
    rows = log.filter(wanted, id__gt=after).order_by("id")
    if connections[alias()].vendor == "postgresql":
        fields = ("id", "kind", "key", "before", "created", "expires")
        rows = rows.annotate(
            before=Epoch(F("not_before")),
            created=Epoch(F("created_at")),
            expires=Epoch(F("expires_at")),
        )
        entries = [Entry(*row) for row in rows.values_list(*fields)[: limit + 1]]
    else:
        fields = ("id", "kind", "key", "not_before", "created_at", "expires_at")
        entries = [
            Entry(
                id=row_id,
                kind=kind,
                key=key,
                not_before=not_before.timestamp() if not_before is not None else None,
                created=created.timestamp(),
                expires=expires.timestamp(),
            )
            for row_id, kind, key, not_before, created, expires in rows.values_list(*fields)[
                : limit + 1
            ]
        ]
    more = len(entries) > limit
    entries = entries[:limit]
    gone = [entry.created for entry in entries if entry.expires <= now.timestamp()]
    return Batch(
        entries=entries,
        last_id=entries[-1].id if entries else after,
        horizon=max(gone) if gone else None,
        more=more,
    )


def trim(before: datetime, batch_size: int) -> int:
    """Delete entries that stopped mattering before ``before``; the newest row always stays."""
    log = RevocationEntry.objects.using(alias())
    keep = log.aggregate(newest=Max("id"))["newest"]
    deleted = 0
    while True:
        ids = list(
            log.filter(expires_at__lt=before)
            .exclude(id=keep)
            .order_by("id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return deleted
        deleted += log.filter(id__in=ids).delete()[0]
