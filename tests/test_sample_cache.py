"""The sample project's Redis cache keeps its client instead of building one per call."""

import os

import pytest

from authproject.cache import ReusingRedisCache

pytestmark = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="needs Redis: set REDIS_URL (CI runs it)"
)


def test_one_client_serves_every_call_and_values_round_trip() -> None:
    cache = ReusingRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "sample-cache-test"})
    cache.set_many({"a": 1, "b": [2]}, timeout=30)

    assert cache.get_many(["a", "b", "missing"]) == {"a": 1, "b": [2]}
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.delete_many(["a", "b"])
    assert cache.get_many(["a", "b"]) == {}
