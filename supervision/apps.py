from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("Supervision")

    def tick(self, *, now) -> str:
        """Keep each schedule's coming sessions in place and send what is due: reminders,
        escalations of debrief requests nobody took, notices whose job never ran."""
        from .notifications import due_notices_enqueue
        from .services import schedules_apply

        changed = schedules_apply(now=now)
        queued = due_notices_enqueue(now=now)
        done = []
        if changed:
            done.append(f"{changed} sessions created or updated")
        if queued:
            done.append(f"{queued} notices queued")
        return ", ".join(done)

    def own_data_export(self, user) -> dict:
        """Called by ``people.own_data``: seats, attendance, debrief requests, calendar."""
        from .own_data import supervision_data_export

        return supervision_data_export(user)

    def own_data_erase(self, user) -> None:
        """Called by ``people.own_data`` when the account is deleted."""
        from .own_data import supervision_data_erase

        supervision_data_erase(user)

    def calendar_access_revoke(self, user) -> None:
        """Called by ``people.emergency``: the person's calendar address stops at once."""
        from .services import calendar_token_revoke

        calendar_token_revoke(user=user)

    def encrypted_data_reencrypt(self) -> int:
        """Called by ``manage.py encryption_rotate``: debrief notes."""
        from website.encryption import rows_reencrypt

        from .models import DebriefRequest

        return rows_reencrypt(DebriefRequest, ["note"])
