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

    def encrypted_data_reencrypt(self) -> int:
        """Called by ``manage.py encryption_rotate``: debrief notes."""
        from website.encryption import rows_reencrypt

        from .models import DebriefRequest

        return rows_reencrypt(DebriefRequest, ["note"])
