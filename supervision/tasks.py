"""Background jobs for supervision: one job sends one notice, once (notifications.deliver)."""

from django_tasks import task

from . import notifications


@task()
def notice_send(*, kind: str, target: str, occurrence: str = "") -> bool:
    return notifications.deliver(kind, target, occurrence)
