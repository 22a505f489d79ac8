"""Re-encrypt every secret at rest with the newest key of DJANGO_FIELD_ENCRYPTION_KEYS.

Each app that keeps encrypted data says how to re-encrypt it with an
``encrypted_data_reencrypt()`` method on its AppConfig; this command calls them all."""

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Re-encrypt all encrypted data with the first key of DJANGO_FIELD_ENCRYPTION_KEYS. "
        "Run it after putting a new key first; then the old keys can be removed."
    )

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            reencrypt = getattr(config, "encrypted_data_reencrypt", None)
            if reencrypt is not None:
                count = reencrypt()
                self.stdout.write(f"{config.label}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS("Done. Keys after the first can now be removed."))
