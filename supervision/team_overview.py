"""A team's supervision at a glance, for the coordinators' dashboard: attendance per person
per month, how full the coming sessions are, and debrief requests that waited too long
(counts and ages only: never who asked or why). Each is a fixed number of queries whatever
the team's size."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Case, Count, IntegerField, Max, Q, Value, When
from django.utils import timezone

from people.models import Role

from .models import (
    Attendance,
    Booking,
    BookingStatus,
    DebriefRequest,
    DebriefStatus,
    Session,
    SessionKind,
    SessionStatus,
)
from .services import debrief_escalate_after


def months_back(*, today: date, count: int) -> list[date]:
    """The first days of the last ``count`` months, oldest first, this month last."""
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


@dataclass
class AttendanceMonths:
    months: list[date]
    by_user: dict[int, dict[date, int]] = field(default_factory=dict)
    totals: dict[date, int] = field(default_factory=dict)

    def row(self, user_id: int) -> list[int]:
        counts = self.by_user.get(user_id, {})
        return [counts.get(month, 0) for month in self.months]


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def team_attendance_months(*, team, now=None, count: int = 12) -> AttendanceMonths:
    """Group sessions attended per person per month (in the current zone), for ``count``
    months up to this one: one query. The month of each session is a plain CASE over the
    months' local starts, so the database groups without converting every row's time."""
    now = now or timezone.now()
    months = months_back(today=timezone.localdate(now), count=count)
    starts = [local_midnight(month) for month in months]
    month_of = Case(
        *[
            When(session__starts_at__gte=start, then=Value(index))
            for index, start in reversed(list(enumerate(starts)))
        ],
        default=None,
        output_field=IntegerField(),
    )
    rows = (
        Booking.objects.filter(
            session__team=team,
            session__kind=SessionKind.GROUP,
            attendance=Attendance.ATTENDED,
            session__starts_at__gte=starts[0],
            session__starts_at__lte=now,
        )
        .annotate(month=month_of)
        .order_by()
        .values_list("user_id", "month")
        .annotate(n=Count("pk"))
    )
    by_user: dict[int, dict[date, int]] = defaultdict(dict)
    totals: dict[date, int] = defaultdict(int)
    for user_id, index, n in rows:
        if index is None:
            continue
        month = months[index]
        by_user[user_id][month] = n
        totals[month] += n
    return AttendanceMonths(months=months, by_user=dict(by_user), totals=dict(totals))


def team_attendance_statuses(*, team, now=None) -> list[tuple[int, str, str]]:
    """Each volunteer's and coordinator's (user id, display name, attendance status), by name,
    by the same
    rule as ``selectors.attendance_status``, from counts the database makes: one query
    whatever the team's size (for the dashboard's summary of everyone)."""
    from .selectors import attendance_status_from
    from .services import team_settings

    now = now or timezone.now()
    today = timezone.localdate(now)
    per_month = team_settings(team).sessions_per_month
    recent_from = local_midnight(today - timedelta(days=29))
    lately_from = local_midnight(today - timedelta(days=59))
    until = local_midnight(today + timedelta(days=1))
    attended = Q(
        user__supervision_bookings__session__team=team,
        user__supervision_bookings__session__kind=SessionKind.GROUP,
        user__supervision_bookings__attendance=Attendance.ATTENDED,
        user__supervision_bookings__session__starts_at__lt=until,
    )
    rows = (
        team.memberships.filter(role__in=[Role.VOLUNTEER, Role.COORDINATOR])
        .annotate(
            recent=Count(
                "user__supervision_bookings",
                filter=attended
                & Q(user__supervision_bookings__session__starts_at__gte=recent_from),
            ),
            lately=Count(
                "user__supervision_bookings",
                filter=attended
                & Q(user__supervision_bookings__session__starts_at__gte=lately_from),
            ),
        )
        .order_by("user__display_name", "user_id")
        .values_list("user_id", "user__display_name", "created_at", "recent", "lately")
    )
    return [
        (
            user_id,
            name,
            attendance_status_from(
                recent=recent,
                lately=bool(lately),
                joined=timezone.localdate(joined),
                today=today,
                per_month=per_month,
            ),
        )
        for user_id, name, joined, recent, lately in rows
    ]


def team_attendance_version(*, team) -> tuple:
    """Changes whenever the team's attendance grid or statuses could change: any seat of its
    sessions booked, marked or given up, or its expectation changed. One query, and the
    team's settings (read once per request)."""
    from .services import team_settings

    row = Booking.objects.filter(session__team=team).aggregate(n=Count("pk"), m=Max("updated_at"))
    return (row["n"], str(row["m"]), team_settings(team).sessions_per_month)


@dataclass(frozen=True)
class FillRate:
    sessions: int
    seats: int
    taken: int
    waiting: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.taken / self.seats) if self.seats else None


def team_fill_rate(*, team, now=None, days: int = 30) -> FillRate:
    """How full the team's group sessions of the next ``days`` are: one query."""
    now = now or timezone.now()
    sessions = Session.objects.filter(
        team=team,
        kind=SessionKind.GROUP,
        status=SessionStatus.SCHEDULED,
        starts_at__gt=now,
        starts_at__lte=now + timedelta(days=days),
    ).annotate(
        taken=Count("bookings", filter=Q(bookings__status=BookingStatus.CONFIRMED)),
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED)),
    )
    rows = list(sessions.values_list("capacity", "taken", "waiting"))
    return FillRate(
        sessions=len(rows),
        seats=sum(capacity for capacity, _t, _w in rows),
        taken=sum(min(taken, capacity) for capacity, taken, _w in rows),
        waiting=sum(waiting for _c, _t, waiting in rows),
    )


@dataclass(frozen=True)
class DebriefsWaiting:
    waiting: int  # open requests, however long
    overdue: int  # open longer than their urgency allows
    oldest_hours: int | None  # age of the oldest overdue one


def team_debriefs_waiting(*, team, now=None) -> DebriefsWaiting:
    """Open debrief requests and those nobody took within their urgency: one query, reading
    only urgency and age."""
    now = now or timezone.now()
    rows = list(
        DebriefRequest.objects.filter(team=team, status=DebriefStatus.OPEN).values_list(
            "urgency", "created_at"
        )
    )
    overdue = [
        created for urgency, created in rows if created + debrief_escalate_after(urgency) <= now
    ]
    oldest = min(overdue) if overdue else None
    return DebriefsWaiting(
        waiting=len(rows),
        overdue=len(overdue),
        oldest_hours=int((now - oldest).total_seconds() // 3600) if oldest else None,
    )
