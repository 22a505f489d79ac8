from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from . import signals  # noqa: F401

    def tick(self, *, now) -> str:
        """Tell colleagues about coordinators who stopped signing in (once per absence), and
        about suspensions whose notice job never ran (each recipient once, whoever sends)."""
        from .inactivity import inactivity_alerts_send
        from .tasks import suspension_notices_catch_up

        sent = inactivity_alerts_send(now=now)
        notices = suspension_notices_catch_up(now=now)
        done = []
        if sent:
            done.append(f"{sent} inactivity alerts sent")
        if notices:
            done.append(f"{notices} suspension notices sent")
        return ", ".join(done)

    def encrypted_data_reencrypt(self) -> int:
        """Called by ``manage.py encryption_rotate``: second-factor secrets."""
        from .services import authenticators_reencrypt

        return authenticators_reencrypt()

    def own_data_export(self, user) -> dict:
        """Called by ``people.own_data``: the account, teams, addresses and team records.
        (People's erasure is not a hook: ``user_account_delete`` does it last.)"""
        from .own_data import people_data_export

        return people_data_export(user)
