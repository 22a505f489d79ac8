"""Reminders a person asked for, each sent once.

The tick finds the reminders that are due (``reminders_due``): a reminder is due
``every_days`` after the person's last check-in with that questionnaire (or after they asked
for it), and again every ``every_days`` while they do not check in. The occurrence is the day
it fell due, so one reminder goes per period however often the tick or the worker runs; a
check-in moves the next due day.
Subjects and bodies are discreet: nothing about wellbeing, health or the organisation."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Max, OuterRef, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from website.services import dispatch_claim, dispatch_done

from .models import CheckIn, Reminder

REMINDER = "wellbeing_reminder"


def reminders_due(*, now) -> list[tuple[str, str]]:
    """(reminder id, due day) of each reminder due now."""
    last = (
        CheckIn.objects.filter(user=OuterRef("user"), instrument=OuterRef("instrument"))
        .values("user")
        .annotate(latest=Max("created_at"))
        .values("latest")
    )
    due = []
    for reminder in Reminder.objects.filter(user__is_active=True).annotate(last=Subquery(last)):
        start = max(moment for moment in (reminder.last, reminder.created_at) if moment)
        every = timezone.timedelta(days=reminder.every_days)
        if start + every <= now:
            # The latest due moment so far: one reminder per period, until a check-in.
            periods = (now - start) // every
            due.append((str(reminder.pk), (start + periods * every).date().isoformat()))
    return due


def reminders_enqueue(*, now) -> int:
    from website.models import Dispatch

    from .tasks import reminder_send

    due = reminders_due(now=now)
    claimed = set(
        Dispatch.objects.filter(kind=REMINDER, target__in=[t for t, _o in due]).values_list(
            "target", "occurrence"
        )
    )
    queued = 0
    for target, occurrence in due:
        if (target, occurrence) not in claimed:
            reminder_send.enqueue(target=target, occurrence=occurrence)
            queued += 1
    return queued


def deliver(target: str, occurrence: str) -> bool:
    """Send one reminder if it is still due on ``occurrence`` and nobody claimed it."""
    reminder = Reminder.objects.select_related("user").filter(pk=target).first()
    if reminder is None or not reminder.user.is_active:
        return False
    still = dict(reminders_due(now=timezone.now())).get(str(reminder.pk))
    if still != occurrence:
        return False
    claim = dispatch_claim(kind=REMINDER, target=target, occurrence=occurrence)
    if claim is None:
        return False
    user = reminder.user
    with translation.override(user.preferred_language):
        url = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("wellbeing:home")
        context = {"recipient": user, "url": url}
        subject = " ".join(
            render_to_string("wellbeing/email/reminder_subject.txt", context).split()
        )
        body = render_to_string("wellbeing/email/reminder_message.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()
    dispatch_done(claim)
    return True
