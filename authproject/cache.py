"""Django's RedisCache, keeping one redis client per connection pool.

Django's backend builds a new ``redis.Redis`` object for every cache call, which costs more
than the network round trip itself (see bench/); jwtauth makes one cache call per Bearer
request, so the sample project reuses clients. Behaviour is otherwise Django's own.
"""

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            # redis.Redis is thread-safe: it takes a connection from the pool per command.
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
