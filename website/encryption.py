"""Secrets at rest: short texts encrypted with the keys in ``DJANGO_FIELD_ENCRYPTION_KEYS``.

The keys are Fernet keys (AES-128-CBC with an HMAC-SHA256 tag), listed newest first: the first
encrypts, all of them decrypt, so a new key can be put in front and the old rows re-encrypted
at leisure (``manage.py encryption_rotate``), after which the old key is dropped. They are
independent of ``SECRET_KEY``. A value that no key opens raises ``DecryptionError``: ciphertext
is never handed back as if it were the text."""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class DecryptionError(Exception):
    """No configured key opens this value: a wrong key, a missing key, or damaged data."""


def encryption_keys() -> list[Fernet]:
    keys = list(getattr(settings, "FIELD_ENCRYPTION_KEYS", []))
    if not keys:
        raise ImproperlyConfigured("Set DJANGO_FIELD_ENCRYPTION_KEYS (see README, Security).")
    try:
        return [Fernet(key) for key in keys]
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "DJANGO_FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64 bytes), "
            "comma-separated, newest first. Make one with: python manage.py "
            "encryption_key_generate"
        ) from error


def _fernet() -> MultiFernet:
    return MultiFernet(encryption_keys())


def encrypt(text: str) -> str:
    return _fernet().encrypt(text.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, AttributeError) as error:
        raise DecryptionError("No configured encryption key opens this value.") from error


def reencrypt(token: str) -> str:
    """The same text, encrypted with the newest key (raises like ``decrypt``)."""
    try:
        return _fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError, AttributeError) as error:
        raise DecryptionError("No configured encryption key opens this value.") from error


def key_generate() -> str:
    return Fernet.generate_key().decode("ascii")


class EncryptedTextField(models.TextField):
    """Text stored encrypted with ``encrypt`` and read back with ``decrypt``: the database
    column never holds the text. Only ``isnull`` and equality to "" make sense in queries.
    Reading a value no key opens raises ``DecryptionError``."""

    description = "Text encrypted at rest (DJANGO_FIELD_ENCRYPTION_KEYS)"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def rows_reencrypt(model, field_names: list[str]) -> int:
    """Re-encrypt the given encrypted fields of every row of ``model`` with the newest key
    (reading decrypts with whichever key opens it; saving encrypts with the first)."""
    from django.db import transaction

    count = 0
    with transaction.atomic():
        for row in model.objects.select_for_update().only("pk", *field_names):
            row.save(update_fields=field_names)
            count += 1
    return count
