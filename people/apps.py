from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = _("People")

    def ready(self):
        from . import signals  # noqa: F401

    def encrypted_data_reencrypt(self) -> int:
        """Called by ``manage.py encryption_rotate``: second-factor secrets."""
        from .services import authenticators_reencrypt

        return authenticators_reencrypt()
