"""Settings shared by every environment. Values that differ per deployment come from the
environment (see .env.example); the defaults here are safe for local development only."""

import os
from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A development-only key; production.py refuses to start with it.
INSECURE_DEFAULT_SECRET_KEY = "django-insecure-atbalsts-development-only-key"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", INSECURE_DEFAULT_SECRET_KEY)
# Secrets at rest (second-factor secrets, later wellbeing free text) are encrypted with
# these Fernet keys, newest first; see website/encryption.py. Independent of SECRET_KEY.
INSECURE_DEFAULT_FIELD_ENCRYPTION_KEY = "ZGV2ZWxvcG1lbnQtb25seS1hdGJhbHN0cy1rZXktMDA="
FIELD_ENCRYPTION_KEYS = env_list("DJANGO_FIELD_ENCRYPTION_KEYS") or [
    INSECURE_DEFAULT_FIELD_ENCRYPTION_KEY
]
DEBUG = False
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "website",
    "people",
    "courses",
    "supervision",
    "wellbeing",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    # Forms, jobs
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks",
    "django_tasks_db",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "website.middleware.SiteContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "people.middleware.UserPreferencesMiddleware",
    "people.middleware.SecondFactorMiddleware",
    "website.middleware.PrivateResponsesMiddleware",
    "website.middleware.MethodNotAllowedPageMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "website.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must take concurrent writers: write-ahead logging lets readers go
    # on while one writes, and IMMEDIATE transactions take the write lock at BEGIN, so a
    # second writer waits (up to the timeout) instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A real, shared cache: allauth's rate limits and TOTP replay protection live here. A few
# keys read on every request (Wagtail's site root paths) also get a copy in each process for
# LOCAL_CACHE_SECONDS (website/cache.py). "local" is per process, for memos of rarely
# changing page data that carry their own invalidation.
REDIS_URL = os.environ.get("REDIS_URL", "")
LOCAL_CACHE_SECONDS = 30
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "website.cache.LayeredRedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "website.cache.LayeredDatabaseCache", "LOCATION": "atbalsts_cache"}
    }
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "atbalsts-local",
    "OPTIONS": {"MAX_ENTRIES": 2000},
}

AUTH_USER_MODEL = "people.User"
# allauth's login by e-mail, loading the person with their second-factor status in one query.
AUTHENTICATION_BACKENDS = ["people.backends.AuthenticationBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- allauth ---------------------------------------------------------------------------
ACCOUNT_ADAPTER = "people.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "people.forms.InvitedSignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # Wrong passwords and wrong second-factor codes: strict per account (allauth counts both
    # under "login_failed", keyed by the account)...
    "login_failed": "5/5m/key",
    # ...and generous per address, so that one person's typos in an office or shelter behind
    # one address (or behind the proxy) do not lock everyone else out. Counted by
    # people.adapters for passwords only: a wrong code never blocks someone else's code step.
    "login_failed_address": "50/5m/ip",
    "login": "60/m/ip",
    "signup": "10/h/ip",
    "reset_password": "5/h/ip,3/h/key",
    "confirm_email": "3/10m/key",
}
# How many proxies in front of the site set X-Forwarded-For (nginx or Caddy: 1). With 0 the
# header is ignored, and every visitor behind a proxy would share one address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"

MFA_ADAPTER = "people.adapters.EncryptingMFAAdapter"
# A person's own list of signed-in devices (people.views.sessions): a record per login,
# without the address it came from (people.signals) and without a write on every request.
USERSESSIONS_TRACK_ACTIVITY = False
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TRUST_ENABLED = False  # "Trust this browser" stays off: a shared laptop is a real risk here.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Atbalsts"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False

# --- Languages and time -----------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("lv", _("Latvian")),
    ("ru", _("Russian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "atbalsts_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_USER_TIMEZONE = "Europe/Riga"

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = True

# --- Static and media -------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "website" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Wagtail ----------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Atbalsts"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail sends whoever may not enter its admin here: a signed-out visitor on to allauth's
# login, a signed-in person without admin rights to a 403 page (website.views.login_elsewhere).
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login_redirect"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"  # private pages ask for the same login
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False  # passwords are managed by allauth
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False  # no calls to other hosts
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # would send a hash of the user's e-mail to a third party
WAGTAILEMBEDS_FINDERS = []  # no oEmbed look-ups at run time: videos are self-hosted or links
# Documents (course videos) go through Django, which checks who is asking
# (courses/wagtail_hooks.py); the web server must never serve /media/documents/ itself.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_USER_EDIT_FORM = None

# --- Forms ------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Background jobs --------------------------------------------------------------------
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Finished jobs (their arguments, results and errors) are deleted by the tick after this.
TASK_RESULTS_KEEP_DAYS = int(os.environ.get("DJANGO_TASK_RESULTS_KEEP_DAYS", "1"))

# Wellbeing. Team totals are shown only when at least this many people answered in the period:
# the value may be raised, never lowered below 5 (smaller groups identify people).
WELLBEING_MIN_RESPONDENTS = max(5, int(os.environ.get("WELLBEING_MIN_RESPONDENTS", "5")))
# Check-ins older than this are deleted by the tick.
WELLBEING_KEEP_MONTHS = int(os.environ.get("WELLBEING_KEEP_MONTHS", "24"))
# Records of who looked at someone's wellbeing data are kept this long (as the law requires
# where the organisation works), then pruned by the tick. Fixed on each record when written.
WELLBEING_ACCESS_LOG_KEEP_MONTHS = int(os.environ.get("WELLBEING_ACCESS_LOG_KEEP_MONTHS", "60"))

# --- E-mail -----------------------------------------------------------------------------
_email = dj_email_url.parse(os.environ.get("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Atbalsts <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security baseline (production.py tightens further) ----------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The site: nothing inline, nothing from another host.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "media-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'none'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}
# The Wagtail admin runs inline scripts and styles; it gets its own, looser policy, still
# limited to this host.
ADMIN_URL_PREFIXES = ("/admin/", "/django-admin/")
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "media-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {"wagtail": {"level": "WARNING"}},
}

INVITATION_VALID_DAYS = 7
# A coordinator who has not signed in for this many days: the other coordinators and the
# site admins are told (people.inactivity, once per absence).
COORDINATOR_INACTIVE_DAYS = int(os.environ.get("DJANGO_COORDINATOR_INACTIVE_DAYS", "14"))
