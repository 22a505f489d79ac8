from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self):
        from .converters import converters_register
        from .signals import signals_connect

        converters_register()
        signals_connect()

    def tick(self, *, now) -> str:
        """Finished background jobs are deleted after ``TASK_RESULTS_KEEP_DAYS``: their
        arguments may name people and teams, and nobody needs them afterwards."""
        from .services import task_results_prune

        pruned = task_results_prune(now=now)
        return f"{pruned} finished job results pruned" if pruned else ""
