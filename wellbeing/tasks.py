"""Background jobs for wellbeing: one job sends one reminder, once."""

from django_tasks import task

from . import notifications


@task()
def reminder_send(*, target: str, occurrence: str) -> bool:
    return notifications.deliver(target, occurrence)
