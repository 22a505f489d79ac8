"""Reads for supervision: a person's coming sessions with their seat, a session as one
person may see it, a team's groups and attendance, debrief requests, calendar feeds."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.models import Membership, Role
from people.permissions import user_team_roles

from .models import (
    ACTIVE_BOOKING,
    Attendance,
    Audience,
    Booking,
    BookingStatus,
    CalendarToken,
    DebriefRequest,
    DebriefStatus,
    Session,
    SessionKind,
    SessionStatus,
    SupervisionGroup,
)
from .permissions import can_book, can_run_session, can_see_meeting_details, is_group_member
from .services import booking_closes_at, calendar_token_hash, team_settings


def groups_of(*, user) -> list[SupervisionGroup]:
    """The active groups a person belongs to (by their role, or chosen by name)."""
    roles = user_team_roles(user=user)
    if not roles:
        return []
    groups = SupervisionGroup.objects.filter(active=True, team_id__in=roles).select_related("team")
    chosen = set(
        SupervisionGroup.members.through.objects.filter(user=user).values_list(
            "supervisiongroup_id", flat=True
        )
    )
    found = []
    for group in groups:
        role = roles.get(group.team_id)
        if group.audience == Audience.CHOSEN:
            if group.pk in chosen:
                found.append(group)
        elif is_group_member(user=user, group=group, role=role):
            found.append(group)
    return found


def groups_remember(*, user, groups) -> None:
    """Read the supervisors of many groups, and whether ``user`` is among their chosen
    members, in two queries, and remember both on each group object so that the permission
    functions ask nothing more."""
    pending = [g for g in groups if getattr(g, "_supervisor_ids", None) is None]
    if not pending:
        return
    ids = {g.pk for g in pending}
    supervisors = defaultdict(set)
    for group_id, user_id in SupervisionGroup.supervisors.through.objects.filter(
        supervisiongroup_id__in=ids
    ).values_list("supervisiongroup_id", "user_id"):
        supervisors[group_id].add(user_id)
    chosen = set(
        SupervisionGroup.members.through.objects.filter(
            supervisiongroup_id__in=ids, user_id=user.pk
        ).values_list("supervisiongroup_id", flat=True)
    )
    for group in pending:
        group._supervisor_ids = supervisors[group.pk]
        group._chosen_for = (user.pk, group.pk in chosen)


@dataclass
class SessionView:
    """A session as one person sees it: their seat, what they may do, what they may see."""

    session: Session
    booking: Booking | None
    seats_taken: int
    waiting: int
    can_book: bool
    can_run: bool
    details_visible: bool
    booking_open: bool

    @property
    def full(self) -> bool:
        return self.seats_taken >= self.session.capacity

    @property
    def seats_left(self) -> int:
        return max(0, self.session.capacity - self.seats_taken)


def session_views(*, user, sessions, now=None) -> list[SessionView]:
    """Many sessions for one person in a fixed number of queries."""
    now = now or timezone.now()
    sessions = list(sessions)
    for session in sessions:
        # A group belongs to its sessions' team: share the loaded team, not a query per group.
        if session.group_id and session.group.team_id == session.team_id:
            session.group.team = session.team
    ids = [s.pk for s in sessions]
    counts = {
        row["session_id"]: row
        for row in Booking.objects.filter(session_id__in=ids)
        .values("session_id")
        .annotate(
            seats=Count("pk", filter=Q(status=BookingStatus.CONFIRMED, over_capacity=False)),
            waiting=Count("pk", filter=Q(status=BookingStatus.WAITLISTED)),
        )
    }
    mine = {
        b.session_id: b
        for b in Booking.objects.filter(ACTIVE_BOOKING, session_id__in=ids, user=user)
    }
    groups_remember(user=user, groups=[s.group for s in sessions if s.group_id])
    views = []
    for session in sessions:
        booking = mine.get(session.pk)
        row = counts.get(session.pk, {})
        running = can_run_session(user=user, session=session)
        views.append(
            SessionView(
                session=session,
                booking=booking,
                seats_taken=row.get("seats", 0),
                waiting=row.get("waiting", 0),
                can_book=not session.is_cancelled and can_book(user=user, session=session),
                can_run=running,
                details_visible=can_see_meeting_details(
                    user=user, session=session, booking=booking
                ),
                booking_open=now < booking_closes_at(session) and not session.is_cancelled,
            )
        )
    return views


def upcoming_for(*, user, now=None, limit: int = 20) -> list[SessionView]:
    """The coming sessions of the person's groups, with their seats first."""
    now = now or timezone.now()
    groups = groups_of(user=user)
    booked = Booking.objects.filter(ACTIVE_BOOKING, user=user).values("session_id")
    sessions = (
        Session.objects.filter(ends_at__gt=now)
        .filter(Q(group__in=groups) | Q(pk__in=booked))
        .select_related("group", "team", "supervisor", "offered_for")
        .order_by("starts_at")[:limit]
    )
    return session_views(user=user, sessions=sessions, now=now)


def running_for(*, user, now=None, days_back: int = 14, limit: int = 40) -> list[SessionView]:
    """Sessions a supervisor runs (their groups and debrief slots), from two weeks back so
    attendance can still be marked."""
    now = now or timezone.now()
    sessions = (
        Session.objects.filter(ends_at__gt=now - timedelta(days=days_back))
        .filter(Q(group__supervisors=user) | Q(kind=SessionKind.DEBRIEF, supervisor=user))
        .select_related("group", "team", "supervisor", "offered_for")
        .distinct()
        .order_by("starts_at")[:limit]
    )
    return session_views(user=user, sessions=sessions, now=now)


def session_for(*, user, session: Session) -> SessionView:
    return session_views(user=user, sessions=[session])[0]


def session_bookings(*, session: Session) -> list[Booking]:
    return list(
        session.bookings.filter(ACTIVE_BOOKING)
        .select_related("user", "added_by")
        .order_by("status", "created_at", "pk")
    )


# --- Attendance --------------------------------------------------------------------------


class AttendanceStatus:
    UP_TO_DATE = "up_to_date"
    DUE = "due"
    OVERDUE = "overdue"

    LABELS = {
        UP_TO_DATE: _("Up to date"),
        DUE: pgettext_lazy("attendance status", "Due"),
        OVERDUE: _("Overdue"),
    }


def attendance_status(*, attended: list[date], joined: date, today: date, per_month: int) -> str:
    """Against the team's expectation of ``per_month`` sessions a month: up to date when the
    last 30 days had enough; due when they had fewer but the person came at least once in
    the last 60 days (or joined less than 30 days ago); overdue when they have not come for
    60 days."""
    recent = sum(1 for day in attended if today - timedelta(days=30) < day <= today)
    lately = any(today - timedelta(days=60) < day <= today for day in attended)
    return attendance_status_from(
        recent=recent, lately=lately, joined=joined, today=today, per_month=per_month
    )


def attendance_status_from(
    *, recent: int, lately: bool, joined: date, today: date, per_month: int
) -> str:
    """The rule of ``attendance_status`` from its two counts: sessions attended in the last
    30 days and whether any in the last 60."""
    if recent >= per_month:
        return AttendanceStatus.UP_TO_DATE
    if lately or joined > today - timedelta(days=30):
        return AttendanceStatus.DUE
    return AttendanceStatus.OVERDUE


@dataclass
class MemberAttendance:
    membership: Membership
    attended: list[date] = field(default_factory=list)
    status: str = AttendanceStatus.OVERDUE

    @property
    def last(self) -> date | None:
        return max(self.attended) if self.attended else None

    @property
    def status_label(self):
        return AttendanceStatus.LABELS[self.status]


def team_attendance(*, team, now=None, user_ids=None) -> list[MemberAttendance]:
    """Each volunteer's and coordinator's group attendance against the team's expectation
    (or only of those in ``user_ids``), in a fixed number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    per_month = team_settings(team).sessions_per_month
    members = team.memberships.filter(role__in=[Role.VOLUNTEER, Role.COORDINATOR])
    bookings = Booking.objects.filter(
        session__team=team,
        session__kind=SessionKind.GROUP,
        attendance=Attendance.ATTENDED,
        session__starts_at__gte=now - timedelta(days=400),
    )
    if user_ids is not None:
        members = members.filter(user_id__in=list(user_ids))
        bookings = bookings.filter(user_id__in=list(user_ids))
    members = list(members.select_related("user").order_by("user__display_name"))
    attended = defaultdict(list)
    for user_id, starts_at in bookings.values_list("user_id", "session__starts_at"):
        attended[user_id].append(timezone.localdate(starts_at))
    return [
        MemberAttendance(
            membership=member,
            attended=sorted(attended[member.user_id]),
            status=attendance_status(
                attended=attended[member.user_id],
                joined=timezone.localdate(member.created_at),
                today=today,
                per_month=per_month,
            ),
        )
        for member in members
    ]


def my_attendance(*, user, team, now=None) -> MemberAttendance | None:
    rows = team_attendance(team=team, now=now, user_ids=[user.pk])
    return rows[0] if rows else None


@dataclass
class HomeSummary:
    """The home page's supervision card: the next seat, the next session with a free seat,
    the person's own attendance status per team, and whether they may ask for a debrief."""

    booked: SessionView | None = None
    bookable: SessionView | None = None
    statuses: list = field(default_factory=list)
    can_request_debrief: bool = False
    waiting_debriefs: int = 0


def home_summary(*, user, memberships) -> HomeSummary:
    member_teams = [m.team for m in memberships if m.role in (Role.VOLUNTEER, Role.COORDINATOR)]
    summary = HomeSummary(can_request_debrief=bool(member_teams))
    if not memberships:
        return summary
    views = upcoming_for(user=user, limit=6)
    summary.booked = next((v for v in views if v.booking and not v.session.is_cancelled), None)
    summary.bookable = next(
        (v for v in views if not v.booking and v.can_book and v.booking_open), None
    )
    summary.statuses = [
        (team, status)
        for team in member_teams
        if (status := my_attendance(user=user, team=team)) is not None
    ]
    if any(m.role == Role.SUPERVISOR for m in memberships):
        summary.waiting_debriefs = DebriefRequest.objects.filter(
            team_id__in=[m.team_id for m in memberships if m.role == Role.SUPERVISOR],
            status=DebriefStatus.OPEN,
        ).count()
    return summary


# --- Debriefs ----------------------------------------------------------------------------


def debriefs_for_supervisor(*, user) -> list[DebriefRequest]:
    """Requests in the supervisor's teams that wait, and the ones they took and have not
    closed."""
    teams = [t for t, role in user_team_roles(user=user).items() if role == Role.SUPERVISOR]
    return list(
        DebriefRequest.objects.filter(team_id__in=teams)
        .filter(
            Q(status=DebriefStatus.OPEN)
            | Q(taken_by=user, status__in=[DebriefStatus.TAKEN, DebriefStatus.BOOKED])
        )
        .select_related("requester", "team", "taken_by")
        .defer("note")
        .order_by("created_at")
    )


def debriefs_escalated_for(*, user) -> list[DebriefRequest]:
    """For a coordinator: requests in their teams that nobody took in time (without notes)."""
    teams = [t for t, role in user_team_roles(user=user).items() if role == Role.COORDINATOR]
    if not teams:
        return []
    return list(
        DebriefRequest.objects.filter(
            team_id__in=teams, status=DebriefStatus.OPEN, escalated_at__isnull=False
        )
        .exclude(requester=user)
        .select_related("requester", "team")
        .defer("note")
        .order_by("created_at")
    )


def debriefs_of(*, user) -> list[DebriefRequest]:
    return list(
        DebriefRequest.objects.filter(requester=user)
        .select_related("team", "taken_by", "booking__session")
        .defer("note")
        .order_by("-created_at")[:10]
    )


def debrief_slots_for(*, request: DebriefRequest, now=None) -> list[Session]:
    """Free times the supervisor who took the request offers: slots offered to this request
    and slots open to their team."""
    now = now or timezone.now()
    if request.taken_by_id is None:
        return []
    return list(
        Session.objects.filter(
            kind=SessionKind.DEBRIEF,
            supervisor_id=request.taken_by_id,
            team=request.team,
            status=SessionStatus.SCHEDULED,
            starts_at__gt=now,
        )
        .filter(Q(offered_for__isnull=True) | Q(offered_for=request))
        .exclude(bookings__status=BookingStatus.CONFIRMED)
        .order_by("starts_at")
    )


def debrief_slots_of(*, supervisor, now=None) -> list[Session]:
    now = now or timezone.now()
    return list(
        Session.objects.filter(kind=SessionKind.DEBRIEF, supervisor=supervisor, ends_at__gt=now)
        .select_related("team", "offered_for__requester")
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.filter(status=BookingStatus.CONFIRMED).select_related(
                    "user"
                ),
                to_attr="seats",
            )
        )
        .order_by("starts_at")
    )


# --- Calendar feed -----------------------------------------------------------------------


def calendar_user(*, token: str):
    if not token or len(token) > 128:
        return None
    found = (
        CalendarToken.objects.select_related("user")
        .filter(token_hash=calendar_token_hash(token), user__is_active=True)
        .first()
    )
    return found.user if found else None


def feed_sessions(*, user, now=None) -> list[tuple[Session, bool]]:
    """What a person's calendar feed holds, from 90 days back: sessions they have a seat in,
    and, for supervisors, the sessions they run. Each with whether they may see its link."""
    now = now or timezone.now()
    since = now - timedelta(days=90)
    seats = {
        b.session_id: b
        for b in Booking.objects.filter(
            user=user, status=BookingStatus.CONFIRMED, session__ends_at__gt=since
        )
    }
    sessions = (
        Session.objects.filter(ends_at__gt=since)
        .filter(
            Q(pk__in=list(seats))
            | Q(group__supervisors=user)
            | Q(kind=SessionKind.DEBRIEF, supervisor=user)
        )
        .select_related("group", "team")
        .distinct()
        .order_by("starts_at")
    )
    running_groups = set(
        SupervisionGroup.supervisors.through.objects.filter(user=user).values_list(
            "supervisiongroup_id", flat=True
        )
    )
    return [
        (
            session,
            session.pk in seats
            or session.group_id in running_groups
            or session.supervisor_id == user.pk,
        )
        for session in sessions
    ]


def feed_is_discreet(*, user) -> bool:
    """A person's feed is discreet if any of their teams is."""
    return (
        Membership.objects.filter(user=user, team__discreet_mode=True).exists()
        or not Membership.objects.filter(user=user).exists()
    )
