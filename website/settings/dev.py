"""Local development: DEBUG on, e-mails printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Security keys (WebAuthn) can be tried on http://127.0.0.1 in development only.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
