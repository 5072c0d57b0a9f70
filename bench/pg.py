"""The benchmarks' own PostgreSQL database and Redis db, created when missing."""

import os
from urllib.parse import urlsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/jwtauth_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"


def use_postgres_and_redis() -> str:
    """Point the settings at PostgreSQL and Redis (env or defaults); returns the database URL."""
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    import psycopg

    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    return url
