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

    def own_data_export(self, user) -> dict:
        """Called by ``people.own_data``: progress, attempts, completions, notes."""
        from .own_data import courses_data_export

        return courses_data_export(user)

    def own_data_erase(self, user) -> None:
        """Called by ``people.own_data`` when the account is deleted."""
        from .own_data import courses_data_erase

        courses_data_erase(user)
