"""The scheduled tick: run it every minute (``make run`` does; in production a cron line or a
systemd timer, see README). It finds the work that is due and does or enqueues it, so that
running it twice, late, or from two machines changes nothing: each app's ``tick(now=…)``
(a method on its AppConfig) must be idempotent and catch up on what a missed run left."""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "Do the scheduled work that is due (idempotent; run every minute)."

    def handle(self, *args, **options):
        now = timezone.now()
        for config in apps.get_app_configs():
            tick = getattr(config, "tick", None)
            if tick is not None:
                done = tick(now=now)
                if done and options["verbosity"] > 1:
                    self.stdout.write(f"{config.label}: {done}")
