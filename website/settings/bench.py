"""For `make bench`: production-like (DEBUG off, compiled static files, database cache) but
served over plain HTTP on 127.0.0.1 with its own SQLite file unless DATABASE_URL is set."""

import os

import dj_database_url

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'bench.sqlite3'}", conn_max_age=600
    )
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": True}
STATIC_ROOT = BASE_DIR / "staticfiles"
os.environ.setdefault("BENCH", "1")
