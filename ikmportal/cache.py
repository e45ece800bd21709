"""A Redis cache that fails soft: when Redis is unreachable a read misses and a write is dropped."""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class _SharedClients(RedisCacheClient):
    """Django builds a new redis.Redis for every cache call, some 0.3 ms of Python each with redis-py 8
    (it fills the client's table of response callbacks). One client per connection pool is enough: a
    client is safe to share between threads, it takes a connection from the pool for each command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, but a Redis outage is logged instead of raised to the page (and one Redis
    client per connection pool, not one per call)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _SharedClients

    def _soft(self, method: str, default, *args, **kwargs):
        try:
            return getattr(super(), method)(*args, **kwargs)
        except RedisError as exc:
            logger.warning("cache %s failed, carrying on without cache: %s", method, exc)
            return default

    def get(self, key, default=None, version=None):
        return self._soft("get", default, key, default, version)

    def set(self, key, value, timeout=None, version=None):
        return self._soft("set", None, key, value, timeout, version)

    def add(self, key, value, timeout=None, version=None):
        return self._soft("add", False, key, value, timeout, version)

    def delete(self, key, version=None):
        return self._soft("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._soft("get_many", {}, keys, version)

    def set_many(self, data, timeout=None, version=None):
        return self._soft("set_many", [], data, timeout, version)

    def incr(self, key, delta=1, version=None):
        return self._soft("incr", None, key, delta, version)

    def touch(self, key, timeout=None, version=None):
        return self._soft("touch", False, key, timeout, version)
