"""Writes for supervision: groups and their schedules, sessions, seats and the waiting list,
attendance, debrief requests and slots, calendar addresses.

Seats are given under a lock on the session row (``select_for_update``: PostgreSQL serialises
the bookers; SQLite's immediate transactions do the same), a person holds at most one active
seat per session (a unique constraint), and every change of a seat's state is a conditional
update that must change exactly one row. Each service checks its own permission, so a view
cannot forget it. E-mails go out after the commit, once each (``notifications.py``)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.continuity import audit_record
from people.models import AuditAction, Membership, Role
from people.permissions import team_role

from . import notifications
from .models import (
    ACTIVE_BOOKING,
    Attendance,
    AttendanceChange,
    Booking,
    BookingStatus,
    CalendarToken,
    DebriefRequest,
    DebriefStatus,
    Format,
    Session,
    SessionKind,
    SessionStatus,
    SupervisionGroup,
    TeamSupervisionSettings,
    Urgency,
)
from .permissions import (
    can_book,
    can_manage_supervision,
    can_mark_attendance,
    can_request_debrief,
    can_run_session,
    can_take_debrief,
)
from .recurrence import RuleError, occurrences, rule_parse

# How far ahead a schedule's sessions exist (the tick keeps the window rolling).
SCHEDULE_WINDOW = timedelta(days=92)


class SupervisionError(ValidationError):
    """Raised with a message the person can act on."""


def team_settings(team) -> TeamSupervisionSettings:
    found = getattr(team, "_supervision_settings", None)
    if found is None:
        found, _created = TeamSupervisionSettings.objects.get_or_create(team=team)
        team._supervision_settings = found
    return found


@transaction.atomic
def team_supervision_settings_save(
    *, team, by, sessions_per_month: int, reminder_hours: int
) -> TeamSupervisionSettings:
    from people.permissions import TeamAction, require_team_permission

    require_team_permission(user=by, team=team, action=TeamAction.MANAGE_TEAM_SETTINGS)
    current = team_settings(team)
    current.sessions_per_month = sessions_per_month
    current.reminder_hours = reminder_hours
    current.full_clean()
    current.save()
    return current


# --- Groups and schedules ----------------------------------------------------------------


@dataclass
class GroupData:
    name: str
    supervisors: list
    audience: str
    members: list
    capacity: int
    format: str
    meeting_link: str
    place: str
    rule: str
    series_start: object
    start_time: object
    time_zone: str
    duration_minutes: int
    booking_closes_hours: int


def group_check(*, team, data: GroupData) -> None:
    """Rules about people and the schedule that a form alone cannot check."""
    errors = {}
    roles = dict(Membership.objects.filter(team=team).values_list("user_id", "role"))
    if not data.supervisors:
        errors["supervisors"] = _("Choose at least one supervisor.")
    elif any(roles.get(user.pk) != Role.SUPERVISOR for user in data.supervisors):
        errors["supervisors"] = _("Supervisors must be supervisors of this team.")
    if any(user.pk not in roles for user in data.members):
        errors["members"] = _("Everyone chosen must be a member of this team.")
    if data.format == Format.ONLINE and not data.meeting_link:
        errors["meeting_link"] = _("Give the meeting link for an online group.")
    if data.format == Format.IN_PERSON and not data.place:
        errors["place"] = _("Say where the group meets.")
    if data.rule:
        if not (data.series_start and data.start_time):
            errors["series_start"] = _("A schedule needs its first date and a start time.")
        else:
            from zoneinfo import ZoneInfo

            from .recurrence import local_start

            try:
                rule_parse(
                    data.rule,
                    start=local_start(data.series_start, data.start_time, ZoneInfo(data.time_zone)),
                )
            except RuleError as error:
                errors["rule"] = str(error)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_save(*, team, data: GroupData, by, group: SupervisionGroup | None = None):
    """Create or change a group. A changed schedule or setting changes future sessions only;
    past ones keep their times and attendance."""
    if not can_manage_supervision(user=by, team=team):
        raise PermissionDenied
    if group is not None and group.team_id != team.pk:
        raise PermissionDenied
    group_check(team=team, data=data)
    now = timezone.now()
    if group is not None:
        most_booked = (
            group.sessions.scheduled()
            .filter(starts_at__gt=now)
            .annotate(seats=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)))
            .order_by("-seats")
            .values_list("seats", flat=True)
            .first()
        )
        if most_booked and data.capacity < most_booked:
            raise ValidationError(
                {
                    "capacity": _(
                        "A coming session already has %(count)s seats taken: the group needs "
                        "at least that many."
                    )
                    % {"count": most_booked}
                }
            )
    group = group or SupervisionGroup(team=team)
    for name in (
        "name",
        "audience",
        "capacity",
        "format",
        "meeting_link",
        "place",
        "rule",
        "series_start",
        "start_time",
        "time_zone",
        "duration_minutes",
        "booking_closes_hours",
    ):
        setattr(group, name, getattr(data, name))
    group.full_clean()
    group.save()
    group.supervisors.set(data.supervisors)
    group.members.set(data.members)
    group_schedule_apply(group=group, now=now)
    return group


def session_details_from(group: SupervisionGroup) -> dict:
    return {
        "capacity": group.capacity,
        "format": group.format,
        "meeting_link": group.meeting_link,
        "place": group.place,
    }


def group_schedule_apply(*, group: SupervisionGroup, now=None) -> int:
    """Bring the group's future scheduled sessions in line with its schedule and settings,
    for the coming ``SCHEDULE_WINDOW``. Sessions are matched to the schedule by their local
    day, so a new start time moves each coming session (seats kept, everyone told) instead
    of replacing it. Sessions changed by hand, and every past session, are left as they are.
    Idempotent: run it as often as you like (the tick does). Returns how many sessions were
    created, changed or cancelled."""
    now = now or timezone.now()
    zone = group.zone

    def day(moment):
        return moment.astimezone(zone).date()

    automatic = {
        day(session.occurrence): session
        for session in group.sessions.filter(
            occurrence__isnull=False, starts_at__gt=now, changed_by_hand=False
        )
    }
    # A day whose occurrence was moved or cancelled by hand is spoken for.
    by_hand = {
        day(moment)
        for moment in group.sessions.filter(
            occurrence__isnull=False, changed_by_hand=True
        ).values_list("occurrence", flat=True)
    }
    wanted = []
    if group.active and group.rule and group.series_start and group.start_time:
        try:
            wanted = occurrences(
                rule=group.rule,
                series_start=group.series_start,
                start_time=group.start_time,
                zone=zone,
                after=now,
                before=now + SCHEDULE_WINDOW,
            )
        except RuleError:
            wanted = []
    details = session_details_from(group)
    changed = 0
    for moment in wanted:
        if day(moment) in by_hand:
            continue
        existing = automatic.pop(day(moment), None)
        if existing is None:
            Session.objects.create(
                team=group.team,
                kind=SessionKind.GROUP,
                group=group,
                occurrence=moment,
                starts_at=moment,
                ends_at=moment + group.duration,
                **details,
            )
            changed += 1
            continue
        updates = {
            **details,
            "occurrence": moment,
            "starts_at": moment,
            "ends_at": moment + group.duration,
        }
        if existing.status == SessionStatus.CANCELLED:
            updates["status"] = SessionStatus.SCHEDULED
        if any(getattr(existing, name) != value for name, value in updates.items()):
            session_change(session=existing, changes=updates, by_hand=False)
            changed += 1
    for leftover in automatic.values():  # no longer in the schedule
        if leftover.status == SessionStatus.SCHEDULED:
            if leftover.bookings.filter(ACTIVE_BOOKING).exists():
                session_change(
                    session=leftover, changes={"status": SessionStatus.CANCELLED}, by_hand=False
                )
            else:
                leftover.delete()
            changed += 1
    return changed


def schedules_apply(*, now) -> int:
    """For the tick: keep every active group's coming sessions in place."""
    return sum(
        group_schedule_apply(group=group, now=now)
        for group in SupervisionGroup.objects.filter(active=True).exclude(rule="")
    )


def session_change(*, session: Session, changes: dict, by_hand: bool) -> Session:
    """Apply changes to one session, raise its calendar sequence, and tell everyone booked
    (a cancellation, or a change of time or place)."""
    was_cancelled = session.status == SessionStatus.CANCELLED
    moved = any(
        name in changes and changes[name] != getattr(session, name)
        for name in ("starts_at", "ends_at", "format", "meeting_link", "place")
    )
    for name, value in changes.items():
        setattr(session, name, value)
    session.sequence += 1
    if by_hand:
        session.changed_by_hand = True
    session.full_clean()
    session.save()
    if session.status == SessionStatus.CANCELLED and not was_cancelled:
        notifications.session_cancelled(session)
    elif moved:
        notifications.session_changed(session)
    if "capacity" in changes:
        waitlist_promote(session=session)
    return session


@transaction.atomic
def session_add(*, group: SupervisionGroup, starts_at: datetime, by, minutes=None) -> Session:
    """An extra session of the group, outside its schedule."""
    if not can_manage_supervision(user=by, team=group.team):
        raise PermissionDenied
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("An extra session must be in the future.")})
    length = timedelta(minutes=minutes) if minutes else group.duration
    session = Session(
        team=group.team,
        kind=SessionKind.GROUP,
        group=group,
        starts_at=starts_at,
        ends_at=starts_at + length,
        **session_details_from(group),
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_update(
    *, session: Session, by, starts_at, ends_at, capacity, meeting_link, place
) -> Session:
    """Move one session or change its details; the rest of the schedule stays as it is."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not can_run_session(user=by, session=session):
        raise PermissionDenied
    errors = {}
    if session.is_cancelled:
        errors["starts_at"] = _("This session is cancelled.")
    if ends_at <= starts_at:
        errors["ends_at"] = _("The end must be after the start.")
    if starts_at <= timezone.now() and starts_at != session.starts_at:
        errors["starts_at"] = _("A session can only be moved to a time in the future.")
    seats = session.bookings.filter(status=BookingStatus.CONFIRMED, over_capacity=False).count()
    if capacity < seats:
        errors["capacity"] = _("%(count)s seats are already taken: keep at least that many.") % {
            "count": seats
        }
    if session.format == Format.ONLINE and not meeting_link:
        errors["meeting_link"] = _("An online session needs its meeting link.")
    if errors:
        raise ValidationError(errors)
    return session_change(
        session=session,
        changes={
            "starts_at": starts_at,
            "ends_at": ends_at,
            "capacity": capacity,
            "meeting_link": meeting_link,
            "place": place,
        },
        by_hand=True,
    )


@transaction.atomic
def session_cancel(*, session: Session, by) -> Session:
    """Cancel the whole session (not a seat): everyone booked is told."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if not can_run_session(user=by, session=session):
        raise PermissionDenied
    if session.is_cancelled:
        return session
    if session.ends_at <= timezone.now():
        raise SupervisionError(_("A session that has taken place cannot be cancelled."))
    session = session_change(
        session=session, changes={"status": SessionStatus.CANCELLED}, by_hand=True
    )
    if on_audit_trail(session):
        audit_record(
            team=session.team,
            actor=by,
            action=AuditAction.SESSION_CANCELLED,
            details={"session": session.pk, "starts_at": session.starts_at.isoformat()},
        )
    return session


def on_audit_trail(session: Session) -> bool:
    """Group sessions go on the team's audit trail. A one-to-one debrief slot does not: that a
    volunteer had a debrief is theirs and their supervisor's (coordinators see counts only)."""
    return session.kind == SessionKind.GROUP


# --- Seats -------------------------------------------------------------------------------


def booking_closes_at(session: Session) -> datetime:
    hours = session.group.booking_closes_hours if session.group_id else 0
    return session.starts_at - timedelta(hours=hours)


@transaction.atomic
def booking_create(
    *, session: Session, user, by=None, over_capacity: bool = False, now=None
) -> Booking:
    """A seat for ``user``, or a place on the waiting list when the session is full.
    Booking again returns the seat already held. ``over_capacity``: a supervisor adds the
    person beyond the seats, on the record (``by``)."""
    by = by or user
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("group").get(pk=session.pk)
    )
    # The time is read holding the lock, so the order of the records (which decides the
    # waiting list) is the order in which the seats were given.
    now = now or timezone.now()
    if over_capacity:
        if not can_run_session(user=by, session=session):
            raise PermissionDenied
        if team_role(user=user, team=session.team) is None:
            raise SupervisionError(_("Only members of the team can be added."))
    elif by.pk != user.pk or not can_book(user=user, session=session):
        raise PermissionDenied
    if session.is_cancelled:
        raise SupervisionError(_("This session is cancelled."))
    if session.ends_at <= now:
        raise SupervisionError(_("This session has already taken place."))
    if not over_capacity and now >= booking_closes_at(session):
        raise SupervisionError(_("Booking for this session has closed."))
    held = session.bookings.filter(ACTIVE_BOOKING, user=user).first()
    if held is not None:
        if over_capacity and held.status == BookingStatus.WAITLISTED:
            updated = Booking.objects.filter(pk=held.pk, status=BookingStatus.WAITLISTED).update(
                status=BookingStatus.CONFIRMED, over_capacity=True, added_by=by, updated_at=now
            )
            if updated != 1:
                raise SupervisionError(_("The seat changed meanwhile: try again."))
            held.refresh_from_db()
            notifications.seat(held)
        return held
    seats = session.bookings.filter(status=BookingStatus.CONFIRMED, over_capacity=False).count()
    status = (
        BookingStatus.CONFIRMED
        if over_capacity or seats < session.capacity
        else BookingStatus.WAITLISTED
    )
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                session=session,
                user=user,
                status=status,
                over_capacity=over_capacity and seats >= session.capacity,
                added_by=by if over_capacity else None,
                created_at=now,
            )
    except IntegrityError:
        return session.bookings.get(ACTIVE_BOOKING, user=user)
    if status == BookingStatus.CONFIRMED:
        notifications.seat(booking)
    else:
        notifications.waitlisted(booking)
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by, now=None) -> Booking:
    """Give up one seat (or a place on the waiting list). Only that seat changes; the first
    on the waiting list gets it and is told."""
    now = now or timezone.now()
    session = Session.objects.select_for_update().get(pk=booking.session_id)
    if booking.user_id != by.pk and not can_run_session(user=by, session=session):
        raise PermissionDenied
    if session.ends_at <= now:
        raise SupervisionError(_("This session has already taken place."))
    changed = (
        Booking.objects.filter(pk=booking.pk)
        .filter(ACTIVE_BOOKING)
        .update(status=BookingStatus.CANCELLED, cancelled_at=now, updated_at=now)
    )
    booking.refresh_from_db()
    if changed == 1:
        if by.pk != booking.user_id:
            notifications.booking_cancelled(booking)
        waitlist_promote(session=session, now=now)
    return booking


def waitlist_promote(*, session: Session, now=None) -> list[Booking]:
    """Fill free seats from the waiting list, first come first served (call it holding the
    session's lock). Each move is a conditional update of one row."""
    now = now or timezone.now()
    if session.is_cancelled or session.ends_at <= now:
        return []
    promoted = []
    seats = session.bookings.filter(status=BookingStatus.CONFIRMED, over_capacity=False).count()
    for waiting in session.bookings.filter(status=BookingStatus.WAITLISTED).order_by(
        "created_at", "pk"
    ):
        if seats >= session.capacity:
            break
        moved = Booking.objects.filter(pk=waiting.pk, status=BookingStatus.WAITLISTED).update(
            status=BookingStatus.CONFIRMED, updated_at=now
        )
        if moved == 1:
            seats += 1
            waiting.refresh_from_db()
            notifications.seat(waiting)
            promoted.append(waiting)
    return promoted


# --- Attendance --------------------------------------------------------------------------


def attendance_audit(*, session: Session, by, user, before: str, after: str) -> None:
    if on_audit_trail(session):
        audit_record(
            team=session.team,
            actor=by,
            action=AuditAction.ATTENDANCE_CHANGED,
            subject=user,
            details={
                "session": session.pk,
                "starts_at": session.starts_at.isoformat(),
                "from": before,
                "to": after,
            },
        )


@transaction.atomic
def attendance_mark(*, session: Session, by, marks: dict, walk_ins=(), now=None) -> int:
    """Mark who came (attended, absent, excused) once the session has started, and add
    walk-ins. Every change is kept (``AttendanceChange``). Returns how many changed."""
    now = now or timezone.now()
    session = (
        Session.objects.select_for_update(of=("self",)).select_related("group").get(pk=session.pk)
    )
    if not can_mark_attendance(user=by, session=session):
        raise PermissionDenied
    if session.starts_at > now:
        raise SupervisionError(_("Attendance can be marked once the session has started."))
    if session.is_cancelled:
        raise SupervisionError(_("This session was cancelled."))
    valid = set(Attendance.values) | {""}
    bookings = {
        b.pk: b
        for b in session.bookings.filter(status=BookingStatus.CONFIRMED).select_related("user")
    }
    changed = 0
    for booking_id, value in marks.items():
        booking = bookings.get(booking_id)
        if booking is None or value not in valid:
            raise SupervisionError(_("Mark only the people with a seat, as listed."))
        if booking.attendance != value:
            AttendanceChange.objects.create(
                booking=booking, before=booking.attendance, after=value, changed_by=by
            )
            attendance_audit(
                session=session, by=by, user=booking.user, before=booking.attendance, after=value
            )
            booking.attendance = value
            booking.save(update_fields=["attendance", "updated_at"])
            changed += 1
    for user in walk_ins:
        if team_role(user=user, team=session.team) is None:
            raise SupervisionError(_("Walk-ins must be members of the team."))
        if session.bookings.filter(ACTIVE_BOOKING, user=user).exists():
            continue
        booking = Booking.objects.create(
            session=session,
            user=user,
            status=BookingStatus.CONFIRMED,
            walk_in=True,
            over_capacity=True,
            added_by=by,
            attendance=Attendance.ATTENDED,
        )
        AttendanceChange.objects.create(
            booking=booking, before="", after=Attendance.ATTENDED, changed_by=by
        )
        attendance_audit(session=session, by=by, user=user, before="", after=Attendance.ATTENDED)
        changed += 1
    return changed


# --- Debriefs ----------------------------------------------------------------------------


def debrief_escalate_after(urgency: str) -> timedelta:
    hours = getattr(
        settings, "DEBRIEF_ESCALATE_AFTER_HOURS", {Urgency.TODAY: 3, Urgency.THIS_WEEK: 48}
    )
    return timedelta(hours=hours[urgency])


@transaction.atomic
def debrief_request_create(*, team, requester, urgency: str, note: str = "") -> DebriefRequest:
    """Ask for a one-to-one debrief. The team's supervisors are told that someone asked and
    how urgent it is: never the note."""
    if not can_request_debrief(user=requester, team=team):
        raise PermissionDenied
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose how soon you need it.")})
    note = (note or "").strip()
    if len(note) > DebriefRequest.NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "note": _("Keep the note under %(limit)s characters.")
                % {"limit": DebriefRequest.NOTE_MAX_LENGTH}
            }
        )
    if DebriefRequest.objects.filter(
        requester=requester, team=team, status__in=[DebriefStatus.OPEN, DebriefStatus.TAKEN]
    ).exists():
        raise SupervisionError(
            _("You already have a request waiting. A supervisor will be in touch.")
        )
    request = DebriefRequest.objects.create(
        team=team, requester=requester, urgency=urgency, note=note
    )
    notifications.debrief_requested(request)
    return request


@transaction.atomic
def debrief_take(*, request: DebriefRequest, by) -> DebriefRequest:
    """A supervisor takes the request; only one can (a conditional update of one row)."""
    if not can_take_debrief(user=by, request=request):
        raise PermissionDenied
    taken = DebriefRequest.objects.filter(pk=request.pk, status=DebriefStatus.OPEN).update(
        status=DebriefStatus.TAKEN, taken_by=by, taken_at=timezone.now()
    )
    request.refresh_from_db()
    if taken != 1:
        raise SupervisionError(_("Another supervisor has just taken this request."))
    notifications.debrief_taken(request)
    return request


@transaction.atomic
def debrief_slot_publish(
    *,
    supervisor,
    team,
    starts_at: datetime,
    minutes: int,
    format: str,
    meeting_link="",
    place="",
    offered_for: DebriefRequest | None = None,
) -> Session:
    """A one-seat slot for a debrief: open to volunteers whose request this supervisor took,
    or offered to one request."""
    if team_role(user=supervisor, team=team) != Role.SUPERVISOR:
        raise PermissionDenied
    if offered_for is not None and (
        offered_for.team_id != team.pk or offered_for.taken_by_id != supervisor.pk
    ):
        raise PermissionDenied
    errors = {}
    if starts_at <= timezone.now():
        errors["starts_at"] = _("A slot must be in the future.")
    if not 15 <= minutes <= 240:
        errors["minutes"] = _("A slot lasts between 15 and 240 minutes.")
    if format == Format.ONLINE and not meeting_link:
        errors["meeting_link"] = _("Give the meeting link for an online slot.")
    if format == Format.IN_PERSON and not place:
        errors["place"] = _("Say where to meet.")
    if errors:
        raise ValidationError(errors)
    session = Session(
        team=team,
        kind=SessionKind.DEBRIEF,
        supervisor=supervisor,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        capacity=1,
        format=format,
        meeting_link=meeting_link,
        place=place,
        offered_for=offered_for,
    )
    session.full_clean()
    session.save()
    if offered_for is not None:
        notifications.debrief_offered(offered_for, session)
    return session


@transaction.atomic
def debrief_book(*, request: DebriefRequest, slot: Session, by) -> Booking:
    """The volunteer picks a time the supervisor who took their request offers."""
    if request.requester_id != by.pk or request.status != DebriefStatus.TAKEN:
        raise PermissionDenied
    if slot.kind != SessionKind.DEBRIEF or slot.supervisor_id != request.taken_by_id:
        raise PermissionDenied
    booking = booking_create(session=slot, user=by)
    if booking.status != BookingStatus.CONFIRMED:
        raise SupervisionError(_("This time has just been taken: choose another."))
    updated = DebriefRequest.objects.filter(pk=request.pk, status=DebriefStatus.TAKEN).update(
        status=DebriefStatus.BOOKED, booking=booking
    )
    if updated != 1:
        raise SupervisionError(_("This request changed meanwhile: reload the page."))
    request.refresh_from_db()
    return booking


@transaction.atomic
def debrief_close(*, request: DebriefRequest, by) -> DebriefRequest:
    """The volunteer withdraws their request, or the supervisor who took it closes it."""
    if by.pk == request.requester_id:
        status = DebriefStatus.WITHDRAWN
    elif by.pk == request.taken_by_id:
        status = DebriefStatus.CLOSED
    else:
        raise PermissionDenied
    DebriefRequest.objects.filter(
        pk=request.pk,
        status__in=[DebriefStatus.OPEN, DebriefStatus.TAKEN, DebriefStatus.BOOKED],
    ).update(status=status, closed_at=timezone.now())
    request.refresh_from_db()
    return request


# --- Calendar addresses ------------------------------------------------------------------


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_token_create(*, user) -> str:
    """A new secret calendar address for ``user``, replacing any old one (which stops
    working at once). The token is returned once; only its hash is kept."""
    token = secrets.token_urlsafe(24)
    CalendarToken.objects.update_or_create(
        user=user,
        defaults={"token_hash": calendar_token_hash(token), "created_at": timezone.now()},
    )
    return token


def calendar_token_revoke(*, user) -> None:
    CalendarToken.objects.filter(user=user).delete()
