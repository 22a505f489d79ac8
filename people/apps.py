from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from . import signals  # noqa: F401

    def tick(self, *, now) -> str:
        """Tell colleagues about coordinators who stopped signing in (once per absence)."""
        from .inactivity import inactivity_alerts_send

        sent = inactivity_alerts_send(now=now)
        return f"{sent} inactivity alerts sent" if sent else ""

    def encrypted_data_reencrypt(self) -> int:
        """Called by ``manage.py encryption_rotate``: second-factor secrets."""
        from .services import authenticators_reencrypt

        return authenticators_reencrypt()

    def own_data_export(self, user) -> dict:
        """Called by ``people.own_data``: the account, teams, addresses and team records.
        (People's erasure is not a hook: ``user_account_delete`` does it last.)"""
        from .own_data import people_data_export

        return people_data_export(user)
