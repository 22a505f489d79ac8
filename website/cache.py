"""The shared cache (database, or Redis with ``REDIS_URL``), with a process-local copy of the
few keys that every request reads and that rarely change.

Wagtail reads its site root paths from the cache for every page address it writes; with the
database cache that is a query per request. This backend answers such reads from a copy kept
in the process for ``LOCAL_CACHE_SECONDS``. A change made through this process (Wagtail deletes
the key when a site or a home page changes) drops the copy at once; other processes see it
within those seconds. Every other key (rate limits, used codes) goes straight to the shared
cache, as it must."""

import time

from django.conf import settings
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache

LOCAL_KEYS = frozenset({"wagtail_site_root_paths"})
_copies: dict = {}  # (key, version) -> (expires at, value), for this process


def local_seconds() -> float:
    return float(getattr(settings, "LOCAL_CACHE_SECONDS", 30))


class LocalCopiesMixin:
    def get(self, key, default=None, version=None):
        if key not in LOCAL_KEYS:
            return super().get(key, default, version=version)
        copy = _copies.get((key, version))
        if copy is not None and copy[0] > time.monotonic():
            return copy[1]
        value = super().get(key, default, version=version)
        if value is not default and value is not None:
            _copies[(key, version)] = (time.monotonic() + local_seconds(), value)
        return value

    def set(self, key, value, timeout=None, version=None):
        if key in LOCAL_KEYS:
            _copies[(key, version)] = (time.monotonic() + local_seconds(), value)
        return super().set(key, value, timeout=timeout, version=version)

    def delete(self, key, version=None):
        _copies.pop((key, version), None)
        return super().delete(key, version=version)

    def clear(self):
        _copies.clear()
        return super().clear()


class LayeredDatabaseCache(LocalCopiesMixin, DatabaseCache):
    pass


class LayeredRedisCache(LocalCopiesMixin, RedisCache):
    pass
