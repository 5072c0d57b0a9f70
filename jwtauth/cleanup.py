"""Batched cleanup: delete the refresh tokens, sessions and log entries that stopped mattering."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q

from jwtauth import revocation
from jwtauth.models import RefreshToken, TokenFamily
from jwtauth.settings import jwtauth_settings


@dataclass(frozen=True)
class CleanupResult:
    tokens: int
    sessions: int
    revocations: int = 0


Progress = Callable[[str, int], None]


def run(
    *, older_than: datetime, batch_size: int = 5000, progress: Progress | None = None
) -> CleanupResult:
    """Delete refresh tokens, then sessions, that expired or were revoked before ``older_than``,
    and revocation log entries that stopped mattering before then.

    Each batch is its own short statement, so the site keeps serving while this runs;
    ``progress(kind, deleted_so_far)`` is called after every batch.
    """
    report = progress or (lambda kind, count: None)
    tokens_deleted = _delete_stale_tokens(older_than, batch_size, report)
    sessions_deleted = _delete_stale_sessions(older_than, batch_size, report)
    revocations_deleted = revocation.trim(before=older_than, batch_size=batch_size)
    report("revocations", revocations_deleted)
    return CleanupResult(
        tokens=tokens_deleted, sessions=sessions_deleted, revocations=revocations_deleted
    )


def _delete_stale_tokens(older_than: datetime, batch_size: int, report: Progress) -> int:
    # Walk the primary key in windows of batch_size rows: each DELETE is a bounded range
    # scan, whatever the share of stale rows and however large the table.
    stale = Q(expires_at__lt=older_than) | Q(revoked_at__lt=older_than)
    ids = RefreshToken.objects.order_by("pk").values_list("pk", flat=True)
    last = ids.last()
    low, deleted = ids.first(), 0
    while low is not None and last is not None and low <= last:  # None: no rows
        high = ids.filter(pk__gt=low)[batch_size - 1 : batch_size].first()
        window = Q(pk__gte=low) & (Q(pk__lt=high) if high is not None else Q(pk__lte=last))
        deleted += RefreshToken.objects.filter(window & stale).delete()[0]
        report("tokens", deleted)
        low = high
    return deleted


def _delete_stale_sessions(older_than: datetime, batch_size: int, report: Progress) -> int:
    idle_before = older_than - jwtauth_settings.SESSION_IDLE_TIMEOUT
    stale = (
        Q(revoked_at__lt=older_than)
        | Q(expires_at__lt=older_than)
        | Q(last_used_at__lt=idle_before)
    )
    # A session whose tokens are not all gone yet waits for a later run.
    empty = ~Exists(RefreshToken.objects.filter(family_id=OuterRef("pk")))
    candidates = TokenFamily.objects.filter(stale).order_by("pk").values_list("pk", flat=True)
    after, deleted = None, 0
    while True:
        page = candidates if after is None else candidates.filter(pk__gt=after)
        batch = list(page[:batch_size])
        if not batch:
            return deleted
        _, per_model = TokenFamily.objects.filter(empty, pk__in=batch).delete()
        deleted += per_model.get(TokenFamily._meta.label, 0)
        report("sessions", deleted)
        after = batch[-1]
