"""Secrets at rest: encrypted with DJANGO_FIELD_ENCRYPTION_KEYS, newest first, never handed
back as text when no key opens them; second-factor secrets use it; keys can be rotated."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection

from people.models import Role
from tests.people.factories import UserFactory, enrol_totp, member, sign_in
from tests.people.test_mfa import current_code
from website import encryption

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()


def test_round_trip_and_no_plain_text_in_the_ciphertext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    token = encryption.encrypt("the caller's name is Anna")
    assert "Anna" not in token
    assert encryption.decrypt(token) == "the caller's name is Anna"
    assert encryption.encrypt("same") != encryption.encrypt("same")  # random IV each time


def test_a_wrong_key_raises_and_never_returns_the_ciphertext(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    token = encryption.encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt(token)
    for damaged in ("", "plain text", token[:-4] + "AAAA", "ünïcode"):
        with pytest.raises(encryption.DecryptionError):
            encryption.decrypt(damaged)


def test_missing_or_invalid_keys_are_a_configuration_error(settings):
    settings.FIELD_ENCRYPTION_KEYS = []
    with pytest.raises(ImproperlyConfigured):
        encryption.encrypt("x")
    settings.FIELD_ENCRYPTION_KEYS = ["not-a-key"]
    with pytest.raises(ImproperlyConfigured):
        encryption.encrypt("x")


def test_rotation_new_key_first_old_still_decrypts_then_reencrypt(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    token = encryption.encrypt("secret")
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    assert encryption.decrypt(token) == "secret"
    rotated = encryption.reencrypt(token)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert encryption.decrypt(rotated) == "secret"
    with pytest.raises(encryption.DecryptionError):
        encryption.decrypt(token)


def column_text(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
        return repr(cursor.fetchall())


@pytest.mark.django_db
def test_second_factor_secrets_are_encrypted_in_the_database():
    user = UserFactory()
    secret = enrol_totp(user)
    seed = encryption.decrypt(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).data["seed"]
    )
    stored = column_text(Authenticator._meta.db_table)
    assert secret not in stored
    assert seed not in stored
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert TOTP(totp).validate_code(current_code(secret))
    codes = RecoveryCodes(
        Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    ).get_unused_codes()
    assert len(codes) == 10


@pytest.mark.django_db
def test_rotation_command_reencrypts_second_factor_secrets(settings):
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    user = UserFactory()
    secret = enrol_totp(user)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    call_command("encryption_rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]  # the old key is gone
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert TOTP(totp).validate_code(current_code(secret))
    recovery = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert len(RecoveryCodes(recovery).get_unused_codes()) == 10


@pytest.mark.django_db
def test_secrets_stored_in_clear_before_this_release_are_encrypted_by_the_migration():
    user = UserFactory()
    clear = Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    migration = importlib.import_module("people.migrations.0002_encrypt_authenticator_secrets")
    migration.encrypt_clear_secrets(apps, None)
    clear.refresh_from_db()
    assert clear.data["secret"] != "JBSWY3DPEHPK3PXP"
    assert encryption.decrypt(clear.data["secret"]) == "JBSWY3DPEHPK3PXP"
    migration.encrypt_clear_secrets(apps, None)  # running it again changes nothing
    clear.refresh_from_db()
    assert encryption.decrypt(clear.data["secret"]) == "JBSWY3DPEHPK3PXP"


@pytest.mark.django_db
def test_site_admins_see_who_has_a_second_factor_but_not_its_secret(client, team):
    admin = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(admin)
    coordinator = member(team, Role.COORDINATOR)
    totp = Authenticator.objects.get(user=coordinator, type=Authenticator.Type.TOTP)
    sign_in(client, admin)
    listing = client.get("/django-admin/mfa/authenticator/")
    assert listing.status_code == 200
    page = client.get(f"/django-admin/mfa/authenticator/{totp.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert totp.data["secret"] not in html
    assert encryption.decrypt(totp.data["secret"]) not in html
    assert "secret" not in html.lower()
