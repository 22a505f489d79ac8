"""Second-factor secrets stored before encryption was turned on are encrypted in place."""

from django.db import migrations

FERNET_PREFIX = "gAAAAA"


def transform_all(apps, transform):
    from people.services import authenticator_data_transform

    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.exclude(type="webauthn"):
        authenticator.data = authenticator_data_transform(authenticator.data, transform)
        authenticator.save(update_fields=["data"])


def encrypt_clear_secrets(apps, schema_editor):
    from website import encryption

    transform_all(
        apps,
        lambda value: value if value.startswith(FERNET_PREFIX) else encryption.encrypt(value),
    )


def decrypt_secrets(apps, schema_editor):
    from website import encryption

    transform_all(
        apps,
        lambda value: encryption.decrypt(value) if value.startswith(FERNET_PREFIX) else value,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_clear_secrets, decrypt_secrets)]
