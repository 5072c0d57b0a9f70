"""The revocation log over HTTP, for verify-only services without the issuer's database.

The issuer answers ``GET <feed>?after=N`` to a caller presenting the shared secret as
``Authorization: RevocationFeed <secret>``; the body is one page of the log above id N.
"""

import hashlib
import hmac
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from jwtauth.revocation_memory import Entry
from jwtauth.revocation_store import Batch

SCHEME = "RevocationFeed"


class FeedUnavailable(Exception):
    """The issuer's revocation feed could not be read or made no sense."""


def secret_matches(header: str, secret: str) -> bool:
    scheme, _, given = header.partition(" ")
    if scheme != SCHEME:
        return False
    # Digests have one length whatever was sent, and any text encodes.
    ours = hashlib.sha256(secret.encode("utf-8", "surrogateescape")).digest()
    theirs = hashlib.sha256(given.strip().encode("utf-8", "surrogateescape")).digest()
    return hmac.compare_digest(ours, theirs)


def serialize(batch: Batch) -> dict[str, Any]:
    return {
        "entries": [
            [e.id, e.kind, e.key, e.not_before, e.created, e.expires] for e in batch.entries
        ],
        "last_id": batch.last_id,
        "horizon": batch.horizon,
        "more": batch.more,
    }


def _parse(body: Any) -> Batch:
    try:
        entries = [
            Entry(
                id=int(row[0]),
                kind=str(row[1]),
                key=str(row[2]),
                not_before=None if row[3] is None else float(row[3]),
                created=float(row[4]),
                expires=float(row[5]),
            )
            for row in body["entries"]
        ]
        horizon = body["horizon"]
        return Batch(
            entries=entries,
            last_id=int(body["last_id"]),
            horizon=None if horizon is None else float(horizon),
            more=bool(body["more"]),
        )
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise FeedUnavailable("malformed revocation feed") from exc


def fetch(url: str, secret: str, after: int, timeout: float) -> Batch:
    """One page of the issuer's log above id ``after``."""
    query = urllib.parse.urlencode({"after": after})
    request = urllib.request.Request(  # noqa: S310 - the site's own configured URL
        f"{url}{'&' if '?' in url else '?'}{query}",
        headers={"Authorization": f"{SCHEME} {secret}", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            body = json.loads(response.read())
    except (OSError, ValueError) as exc:  # URLError and HTTPError are OSErrors
        raise FeedUnavailable(f"revocation feed unreadable: {exc}") from exc
    return _parse(body)
