"""Local development: DEBUG on, e-mails printed to the console."""

from .base import *  # noqa: F403

DEBUG = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
