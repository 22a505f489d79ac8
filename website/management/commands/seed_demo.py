from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from website.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Create the demo team, accounts and courses (idempotent; refuses when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password; it only runs with "
                "DEBUG on (development settings)."
            )
        logins = demo_seed()
        self.stdout.write(self.style.SUCCESS("Demo data is ready. Log in at /accounts/login/"))
        self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(
            "Accounts with a TOTP secret need a code: add the secret to an authenticator app, "
            "or run: python manage.py demo_totp EMAIL"
        )
        for login in logins:
            secret = login.totp_secret or "(no second factor yet)"
            self.stdout.write(
                f"  {login.role:<12} {login.email:<22} {login.display_name:<11} {secret}"
            )
