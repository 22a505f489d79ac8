from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WellbeingConfig(AppConfig):
    name = "wellbeing"
    verbose_name = _("Wellbeing")

    def tick(self, *, now) -> str:
        """Send the reminders people asked for and delete what is past its keeping time."""
        from .notifications import reminders_enqueue
        from .services import retention_prune

        queued = reminders_enqueue(now=now)
        check_ins, records = retention_prune(now=now)
        done = []
        if queued:
            done.append(f"{queued} reminders queued")
        if check_ins or records:
            done.append(f"{check_ins} old check-ins and {records} access records deleted")
        return ", ".join(done)

    def own_data_export(self, user) -> dict:
        """Called by ``people.own_data``: check-ins, sharing, reminders, who saw what."""
        from .own_data import wellbeing_data_export

        return wellbeing_data_export(user)

    def own_data_erase(self, user) -> None:
        """Called by ``people.own_data`` when the account is deleted."""
        from .own_data import wellbeing_data_erase

        wellbeing_data_erase(user)

    def encrypted_data_reencrypt(self) -> int:
        """Called by ``manage.py encryption_rotate``: the notes kept with check-ins."""
        from website.encryption import rows_reencrypt

        from .models import CheckIn

        return rows_reencrypt(CheckIn, ["note"])
