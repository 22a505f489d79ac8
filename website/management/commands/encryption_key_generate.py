from django.core.management.base import BaseCommand

from website.encryption import key_generate


class Command(BaseCommand):
    help = "Print a new key for DJANGO_FIELD_ENCRYPTION_KEYS (put it first in the list)."

    def handle(self, *args, **options):
        self.stdout.write(key_generate())
