"""Benchmark jwtauth_cleanup: delete 1,000,000 stale refresh tokens (and their sessions).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jwtauth_bench python bench/cleanup_bench.py

Give it a database of its own: it is created if missing and migrated, and jwtauth's
tables must be empty (``--reset`` empties them). The stale rows are written by
``INSERT ... SELECT generate_series`` in a few seconds; live rows are added beside them
and must survive. Prints rows deleted, seconds, rows/s and peak RSS.
"""

import argparse
import os
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "authproject.settings")

TOKENS_PER_SESSION = 10
LIVE_SESSIONS = 10_000


def create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def fill(rows: int, user_id: int) -> None:
    """``rows`` stale refresh tokens in ``rows / 10`` revoked sessions, plus live ones."""
    from django.db import connection

    sessions = rows // TOKENS_PER_SESSION
    with connection.cursor() as cursor:
        # Stale: sessions revoked 30 days ago; their tokens expired 33 days ago.
        cursor.execute(
            """
            INSERT INTO jwtauth_tokenfamily (id, user_id, created_at, last_used_at, expires_at,
                                             ip, user_agent, revoked_at, revoke_reason,
                                             credential, last_user_agent)
            SELECT md5('stale' || i)::uuid, %(user)s, now() - interval '40 days',
                   now() - interval '31 days', now() - interval '10 days', '192.0.2.1',
                   'bench', now() - interval '30 days', 'logout', '', ''
            FROM generate_series(1, %(sessions)s) AS i
            """,
            {"user": user_id, "sessions": sessions},
        )
        cursor.execute(
            """
            INSERT INTO jwtauth_refreshtoken (family_id, jti, digest, issued_at, expires_at,
                                              used_at, revoked_at)
            SELECT md5('stale' || (i %% %(sessions)s + 1))::uuid, 'stale-' || i,
                   md5(i::text) || md5('x' || i), now() - interval '40 days',
                   now() - interval '33 days', now() - interval '39 days',
                   now() - interval '30 days'
            FROM generate_series(1, %(rows)s) AS i
            """,
            {"sessions": sessions, "rows": rows},
        )
        # Live: recent sessions with one valid token each, interleaved in key order.
        cursor.execute(
            """
            INSERT INTO jwtauth_tokenfamily (id, user_id, created_at, last_used_at, expires_at,
                                             ip, user_agent, revoke_reason, credential,
                                             last_user_agent)
            SELECT md5('live' || i)::uuid, %(user)s, now(), now(), now() + interval '30 days',
                   '192.0.2.2', 'bench', '', '', ''
            FROM generate_series(1, %(live)s) AS i
            """,
            {"user": user_id, "live": LIVE_SESSIONS},
        )
        cursor.execute(
            """
            INSERT INTO jwtauth_refreshtoken (family_id, jti, digest, issued_at, expires_at)
            SELECT md5('live' || i)::uuid, 'live-' || i, md5(i::text) || md5('y' || i),
                   now(), now() + interval '7 days'
            FROM generate_series(1, %(live)s) AS i
            """,
            {"live": LIVE_SESSIONS},
        )
        cursor.execute("ANALYZE jwtauth_tokenfamily, jwtauth_refreshtoken")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="stale refresh tokens")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--reset", action="store_true", help="empty jwtauth's tables first")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL database of the benchmark's own.")
    create_database(url)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from jwtauth import cleanup
    from jwtauth.models import RefreshToken, TokenFamily

    call_command("migrate", verbosity=0)
    if args.reset:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE jwtauth_refreshtoken, jwtauth_tokenfamily CASCADE")
    elif TokenFamily.objects.exists():
        sys.exit("jwtauth's tables are not empty: give the benchmark its own database, or --reset.")
    user, _ = get_user_model().objects.get_or_create(username="cleanup-bench")

    started = time.perf_counter()
    fill(args.rows, user.pk)
    print(
        f"filled {args.rows:,} stale tokens in {args.rows // TOKENS_PER_SESSION:,} sessions "
        f"(+{LIVE_SESSIONS:,} live) in {time.perf_counter() - started:.1f} s"
    )

    rss_before = peak_rss_mb()
    started = time.perf_counter()
    result = cleanup.run(older_than=timezone.now() - timedelta(days=7), batch_size=args.batch_size)
    seconds = time.perf_counter() - started
    rows = result.tokens + result.sessions

    assert TokenFamily.objects.count() == LIVE_SESSIONS
    assert RefreshToken.objects.count() == LIVE_SESSIONS
    print(f"deleted {result.tokens:,} tokens + {result.sessions:,} sessions = {rows:,} rows")
    print(f"{seconds:.1f} s, {rows / seconds:,.0f} rows/s, batch size {args.batch_size}")
    print(f"peak RSS {peak_rss_mb():.0f} MB (before cleanup {rss_before:.0f} MB)")


if __name__ == "__main__":
    main()
