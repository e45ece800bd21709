"""A Redis cache that fails soft: when Redis is unreachable a read misses and a write is dropped."""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache, but a Redis outage is logged instead of raised to the page."""

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
