"""Deny-list keys: every id makes a key that any cache backend accepts."""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.cache.backends.base import memcache_key_warnings

from jwtauth import revocation


def claims(sub: str, sid: str, iat: int) -> Any:
    return {"sub": sub, "sid": sid, "iat": iat}


@pytest.mark.parametrize(
    "user_id",
    ["john doe", "tab\there", "x" * 300, "a\ud800b", "ünïcode", "#hash"],
)
def test_odd_user_ids_make_memcached_safe_keys_that_still_match(user_id: str) -> None:
    # Found by the property tests: a "sub" with a space made a key memcached refuses (a 500
    # on every request of a user whose pk is text with a space).
    key = revocation._user_key(user_id)
    assert list(memcache_key_warnings(":1:" + key)) == []
    revocation.revoke_user_before(user_id, datetime(2030, 1, 1, 12, tzinfo=UTC))
    before = int(datetime(2030, 1, 1, 11, tzinfo=UTC).timestamp())
    assert revocation.is_revoked(claims(user_id, str(uuid.uuid4()), before))
    assert not revocation.is_revoked(claims(user_id + "x", str(uuid.uuid4()), before))


def test_plain_ids_keep_their_keys() -> None:
    sid = str(uuid.uuid4())
    assert revocation._sid_key(sid) == f"jwtauth:rv:s:{sid}"
    assert revocation._user_key(42) == "jwtauth:rv:u:42"
