"""For `make bench`: production-like (DEBUG off, compiled static files, database cache) but
served over plain HTTP on 127.0.0.1 with its own SQLite file unless DATABASE_URL is set.

Every response carries its SQL query count (scripts/bench_querycount.py, which
scripts/bench.py puts on the path of the server it starts)."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR, MIDDLEWARE
from .base import DATABASES as BASE_DATABASES

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'bench.sqlite3'}", conn_max_age=600
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The same SQLite options as every other environment (WAL, IMMEDIATE transactions, lock
    # timeout): base.py sets them on its own DATABASES, which this one replaces.
    DATABASES["default"]["OPTIONS"] = dict(BASE_DATABASES["default"]["OPTIONS"])
# The database cache (as without REDIS_URL), even when REDIS_URL is set: the benchmark empties
# the cache before each cold request and must never flush a Redis that others use.
CACHES = {
    **CACHES,
    "default": {"BACKEND": "website.cache.LayeredDatabaseCache", "LOCATION": "atbalsts_cache"},
}
MIDDLEWARE = ["bench_querycount.QueryCountMiddleware", *MIDDLEWARE]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": True}
STATIC_ROOT = BASE_DIR / "staticfiles"
os.environ.setdefault("BENCH", "1")
