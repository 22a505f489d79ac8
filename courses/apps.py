from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from . import signals  # noqa: F401

    def tick(self, *, now) -> str:
        """Catch up on volunteers not yet told about extra attempts (the job enqueued at the
        grant is normally first; the claim in the job keeps it to one e-mail)."""
        from .services import attempt_grant_notifications_enqueue

        count = attempt_grant_notifications_enqueue(now=now)
        return f"{count} extra-attempt e-mails queued" if count else ""
