"""Production: refuses to start without a real secret; HTTPS-only cookies and HSTS."""

import os

from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    INSECURE_DEFAULT_FIELD_ENCRYPTION_KEY,
    INSECURE_DEFAULT_SECRET_KEY,
    env_bool,
    env_list,
)

DEBUG = False

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY or SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "Set DJANGO_SECRET_KEY to a long random value (50+ characters) for production, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(64))'."
    )
FIELD_ENCRYPTION_KEYS = env_list("DJANGO_FIELD_ENCRYPTION_KEYS")
if not FIELD_ENCRYPTION_KEYS or INSECURE_DEFAULT_FIELD_ENCRYPTION_KEY in FIELD_ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        "Set DJANGO_FIELD_ENCRYPTION_KEYS to one or more Fernet keys, newest first, e.g. "
        "python manage.py encryption_key_generate (see README, Security)."
    )
try:
    [Fernet(key) for key in FIELD_ENCRYPTION_KEYS]
except ValueError as error:
    raise ImproperlyConfigured(
        "DJANGO_FIELD_ENCRYPTION_KEYS holds a value that is not a Fernet key."
    ) from error
if not os.environ.get("DJANGO_ALLOWED_HOSTS"):
    raise ImproperlyConfigured("Set DJANGO_ALLOWED_HOSTS to the host names this site serves.")

SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
