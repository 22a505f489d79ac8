"""E-mails about supervision, each sent once.

Services call the short functions at the top while they write; each queues a job that runs
after the commit (``later``). The job (``deliver``) re-reads what it is about, checks it
still holds (the seat is still a seat, the session still starts when the reminder said),
claims a dispatch record unique on (kind, target, occurrence), and only then sends: a second
job, worker or tick finds the claim and does nothing. Reminders and escalations are found by
the tick (``due_notices``), which also catches up on a job that never ran.

Discreet by default: subjects and calendar entries say "Team meeting", never the team, the
organisation, supervision or a debrief; a debrief note is never in an e-mail."""

from datetime import UTC, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from website.services import dispatch_claim, dispatch_done, dispatched_targets

SEAT = "supervision_seat"
WAITLISTED = "supervision_waitlisted"
BOOKING_CANCELLED = "supervision_booking_cancelled"
SESSION_CANCELLED = "supervision_session_cancelled"
SESSION_CHANGED = "supervision_session_changed"
REMINDER = "supervision_reminder"
DEBRIEF_REQUESTED = "debrief_requested"
DEBRIEF_TAKEN = "debrief_taken"
DEBRIEF_OFFERED = "debrief_offered"
DEBRIEF_ESCALATED = "debrief_escalated"


def later(kind: str, target, occurrence: str = "") -> None:
    from .tasks import notice_send

    transaction.on_commit(
        lambda: notice_send.enqueue(kind=kind, target=str(target), occurrence=occurrence)
    )


def later_at(kind: str, target, occurrence: str, run_after) -> None:
    """A job for a notice due later (``run_after``: the worker holds it until then). The
    tick finds the same notice when it comes due, so a backend that cannot defer jobs, a
    lost job or a stopped worker only delays it; the dispatch claim keeps it to one."""
    from .tasks import notice_send

    if run_after <= timezone.now() or not notice_send.get_backend().supports_defer:
        return
    transaction.on_commit(
        lambda: notice_send.using(run_after=run_after).enqueue(
            kind=kind, target=str(target), occurrence=occurrence
        )
    )


def reminder_occurrence(session) -> str:
    """A reminder's occurrence: the session's start, in UTC. A start just set from a form
    carries the group's zone ("18:00+02:00") while the database gives back UTC: without one
    spelling, a reminder queued after a move would never match its session and never go."""
    return session.starts_at.astimezone(UTC).isoformat()


def reminder_at(session, booking=None):
    """When a seat's reminder is due: the team's reminder hours before the start. None when
    the seat was taken after that moment (its confirmation was reminder enough)."""
    from .models import TeamSupervisionSettings

    hours = (
        TeamSupervisionSettings.objects.filter(team_id=session.team_id)
        .values_list("reminder_hours", flat=True)
        .first()
    ) or 24
    moment = session.starts_at - timedelta(hours=hours)
    if booking is not None and booking.created_at >= moment:
        return None
    return moment


def seat(booking):
    later(SEAT, booking.pk)
    if (moment := reminder_at(booking.session, booking)) is not None:
        later_at(REMINDER, booking.pk, reminder_occurrence(booking.session), moment)


def waitlisted(booking):
    later(WAITLISTED, booking.pk)


def booking_cancelled(booking):
    later(BOOKING_CANCELLED, booking.pk)


def session_cancelled(session):
    for pk in session.bookings.filter(status__in=["confirmed", "waitlisted"]).values_list(
        "pk", flat=True
    ):
        later(SESSION_CANCELLED, pk)


def session_changed(session):
    for booking in session.bookings.filter(status__in=["confirmed", "waitlisted"]):
        later(SESSION_CHANGED, booking.pk, occurrence=f"sequence-{session.sequence}")
        if booking.status == "confirmed":
            booking.session = session
            if (moment := reminder_at(session, booking)) is not None:
                later_at(REMINDER, booking.pk, reminder_occurrence(session), moment)


def debrief_requested(request):
    from .services import debrief_escalate_after

    later(DEBRIEF_REQUESTED, request.pk)
    later_at(
        DEBRIEF_ESCALATED,
        request.pk,
        "",
        request.created_at + debrief_escalate_after(request.urgency),
    )


def debrief_taken(request):
    later(DEBRIEF_TAKEN, request.pk)


def debrief_offered(request, slot):
    later(DEBRIEF_OFFERED, slot.pk)


def debrief_escalated(request):
    later(DEBRIEF_ESCALATED, request.pk)


# --- What is due (for the tick) ----------------------------------------------------------


def due_notices(*, now) -> list[tuple[str, str, str]]:
    """(kind, target, occurrence) of every notice that is due and not yet claimed:
    reminders of sessions starting within each team's reminder window, escalations of
    debrief requests nobody took in time, and seat notices whose job never ran."""
    from .models import Booking, BookingStatus, DebriefRequest, DebriefStatus, SessionStatus
    from .services import debrief_escalate_after

    due = []
    soonest = now
    latest = now + timedelta(hours=168)
    for booking in (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=soonest,
            session__starts_at__lte=latest,
        )
        .select_related("session__team__supervision_settings")
        .only(
            "pk",
            "created_at",
            "session__starts_at",
            "session__team__supervision_settings__reminder_hours",
        )
    ):
        settings_row = getattr(booking.session.team, "supervision_settings", None)
        remind_at = booking.session.starts_at - timedelta(
            hours=settings_row.reminder_hours if settings_row else 24
        )
        # A seat taken after the reminder time needs no reminder: its confirmation just came.
        if remind_at <= now and booking.created_at < remind_at:
            due.append((REMINDER, str(booking.pk), reminder_occurrence(booking.session)))
    for request in DebriefRequest.objects.filter(status=DebriefStatus.OPEN):
        if request.created_at + debrief_escalate_after(request.urgency) <= now:
            due.append((DEBRIEF_ESCALATED, str(request.pk), ""))
    recent = Booking.objects.filter(
        created_at__gte=now - timedelta(days=2),
        updated_at__lte=now - timedelta(minutes=2),
        session__starts_at__gt=now,
        session__status=SessionStatus.SCHEDULED,
    )
    for pk, status in recent.values_list("pk", "status"):
        kind = {BookingStatus.CONFIRMED: SEAT, BookingStatus.WAITLISTED: WAITLISTED}.get(status)
        if kind:
            due.append((kind, str(pk), ""))
    claimed = set()
    for kind in {kind for kind, _t, _o in due}:
        targets = [t for k, t, _o in due if k == kind]
        claimed |= {(kind, t) for t in dispatched_targets(kind=kind, targets=targets)}
    from website.models import Dispatch

    reminder_claims = set(
        Dispatch.objects.filter(
            kind=REMINDER, target__in=[t for k, t, _o in due if k == REMINDER]
        ).values_list("target", "occurrence")
    )
    return [
        (kind, target, occurrence)
        for kind, target, occurrence in due
        if (kind == REMINDER and (target, occurrence) not in reminder_claims)
        or (kind != REMINDER and (kind, target) not in claimed)
    ]


def due_notices_enqueue(*, now) -> int:
    from .tasks import notice_send

    due = due_notices(now=now)
    for kind, target, occurrence in due:
        notice_send.enqueue(kind=kind, target=target, occurrence=occurrence)
    return len(due)


# --- Sending -----------------------------------------------------------------------------


def session_page(session, language: str) -> str:
    from .calendars import site_url

    with translation.override(language):
        return site_url(reverse("supervision:session", kwargs={"pk": session.pk}))


def debrief_page(request, language: str) -> str:
    from .calendars import site_url

    with translation.override(language):
        return site_url(reverse("supervision:debrief", kwargs={"pk": request.pk}))


def send(*, to, template: str, context: dict, attachment: bytes | None = None) -> None:
    """One e-mail in the recipient's language and time zone."""
    with translation.override(to.preferred_language), timezone.override(to.timezone):
        context = {**context, "recipient": to}
        if "session" in context:
            context["title_text"] = render_to_string("supervision/email/title.txt", context).strip()
        subject = " ".join(
            render_to_string(f"supervision/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"supervision/email/{template}_message.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to.email])
    if attachment is not None:
        message.attach("meeting.ics", attachment, "text/calendar; charset=utf-8")
    message.send()


def booking_mail(kind: str, booking, *, method: str) -> None:
    from .calendars import calendar_build
    from .models import BookingStatus
    from .permissions import can_see_meeting_details

    session = booking.session
    discreet = session.team.discreet_mode
    user = booking.user
    visible = can_see_meeting_details(user=user, session=session, booking=booking)
    attachment = None
    if booking.status == BookingStatus.CONFIRMED or method == "CANCEL":
        with timezone.override(user.timezone):
            attachment = calendar_build(
                [(session, visible)],
                discreet=discreet,
                language=user.preferred_language,
                method=method,
            )
    send(
        to=user,
        template=kind.removeprefix("supervision_"),
        context={
            "session": session,
            "booking": booking,
            "discreet": discreet,
            "details_visible": visible and not discreet,
            "url": session_page(session, user.preferred_language),
        },
        attachment=attachment,
    )


def deliver(kind: str, target: str, occurrence: str = "") -> bool:
    """Send one notice if it still holds and nobody claimed it; True if it was sent."""
    from .models import Booking, BookingStatus, DebriefRequest, DebriefStatus, SessionStatus

    if kind in (SEAT, WAITLISTED, BOOKING_CANCELLED, SESSION_CANCELLED, SESSION_CHANGED, REMINDER):
        booking = (
            Booking.objects.select_related("session__team", "session__group", "user")
            .filter(pk=target)
            .first()
        )
        if booking is None or not booking.user.is_active:
            return False
        session = booking.session
        still = {
            SEAT: booking.status == BookingStatus.CONFIRMED
            and session.status == SessionStatus.SCHEDULED,
            WAITLISTED: booking.status == BookingStatus.WAITLISTED
            and session.status == SessionStatus.SCHEDULED,
            BOOKING_CANCELLED: booking.status == BookingStatus.CANCELLED,
            SESSION_CANCELLED: session.status == SessionStatus.CANCELLED,
            SESSION_CHANGED: session.status == SessionStatus.SCHEDULED
            and occurrence == f"sequence-{session.sequence}",
            REMINDER: booking.status == BookingStatus.CONFIRMED
            and session.status == SessionStatus.SCHEDULED
            and occurrence == reminder_occurrence(session)
            and session.starts_at > timezone.now(),
        }[kind]
        if not still:
            return False
        claim = dispatch_claim(kind=kind, target=target, occurrence=occurrence)
        if claim is None:
            return False
        method = "CANCEL" if kind in (SESSION_CANCELLED, BOOKING_CANCELLED) else "REQUEST"
        booking_mail(kind, booking, method=method)
        dispatch_done(claim)
        return True

    request = (
        DebriefRequest.objects.select_related("team", "requester", "taken_by")
        .filter(pk=target)
        .first()
        if kind != DEBRIEF_OFFERED
        else None
    )
    if kind == DEBRIEF_OFFERED:
        from .models import Session

        slot = (
            Session.objects.select_related("offered_for__requester", "team")
            .filter(pk=target)
            .first()
        )
        if slot is None or slot.offered_for is None:
            return False
        request = slot.offered_for
    if request is None:
        return False
    still = {
        DEBRIEF_REQUESTED: request.status == DebriefStatus.OPEN,
        DEBRIEF_ESCALATED: request.status == DebriefStatus.OPEN,
        DEBRIEF_TAKEN: request.status in (DebriefStatus.TAKEN, DebriefStatus.BOOKED),
        DEBRIEF_OFFERED: request.status == DebriefStatus.TAKEN,
    }[kind]
    if not still:
        return False
    claim = dispatch_claim(kind=kind, target=target, occurrence=occurrence)
    if claim is None:
        return False
    if kind == DEBRIEF_ESCALATED:
        # From now on the coordinators may see that the request waits (never its note).
        DebriefRequest.objects.filter(pk=request.pk, escalated_at__isnull=True).update(
            escalated_at=timezone.now()
        )
    for recipient in debrief_recipients(kind, request):
        send(
            to=recipient,
            template=kind,
            context={
                "request": request,
                "discreet": request.team.discreet_mode,
                "url": debrief_page(request, recipient.preferred_language),
            },
        )
    dispatch_done(claim)
    return True


def debrief_recipients(kind: str, request) -> list:
    from people.models import Membership

    if kind in (DEBRIEF_TAKEN, DEBRIEF_OFFERED):
        return [request.requester]
    supervisors = [
        m.user
        for m in Membership.objects.supervisors()
        .filter(team=request.team, user__is_active=True)
        .select_related("user")
        if m.user_id != request.requester_id
    ]
    if kind == DEBRIEF_REQUESTED:
        return supervisors
    coordinators = [
        m.user
        for m in Membership.objects.coordinators()
        .filter(team=request.team, user__is_active=True)
        .select_related("user")
        if m.user_id != request.requester_id
    ]
    return supervisors + coordinators
