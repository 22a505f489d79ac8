"""Funder reports: what a team did, month by month, in counts only — no names, no health data,
nothing from wellbeing. Composed from the apps' models in a fixed number of queries whatever
the size of the team: each figure is one GROUP BY month in the database.

Months are calendar months in the site's time zone (``DEFAULT_USER_TIMEZONE``; teams have no
zone of their own), so a course finished at 01:30 on 1 February in Riga counts in February
even though it was still January in UTC. Each month's start is worked out here and the
database sorts rows between them (``Period.month_index``): the same months as ``TruncMonth``
in that zone, without converting every row's time (2,000 volunteers × 24 months: 5 s → well
under 1 s on SQLite).

Definitions (the report page says them in plain words):

- **Active volunteers**: people who are volunteers of the team now, who had joined the team
  by then, and who did at least one of these in the month: read a module or passed a quiz,
  started a quiz attempt, completed a course, booked a seat in one of the team's sessions,
  attended one, asked the team for a debrief. A module's progress keeps only its latest
  reading, so earlier readings of the same module are not seen.
- **New volunteers**: volunteer memberships of the team created in the month.
- **Courses completed**: completions (refreshers included) by people who are members of the
  team now, in any role, made after they joined it.
- **Supervision sessions held**: the team's group sessions that were not cancelled and had
  started by the time of the report.
- **Attendances**: seats in those sessions marked *attended* (walk-ins included).
- **Attendance rate**: attendances ÷ seats whose attendance was marked (attended, absent or
  excused); seats nobody marked are left out.
- **Debriefs given**: one-to-one debrief requests met at a booked time that has begun (not
  cancelled, not marked absent or excused, not withdrawn), in the month of that time; or,
  without such a time, marked done by the supervisor, in the month it was marked done.

Memberships are deleted when people leave a team, so people who left are no longer counted
as active or new volunteers, and their course completions no longer count for the team; the
team's sessions, attendances and debriefs stay counted. Someone who deleted their account
left too, but their completions while a member stay counted (from the audit trail's record
of when they joined and left)."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from uuid import UUID
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from courses.models import CourseCompletion, CoursePage, ModuleProgress, QuizAttempt
from courses.selectors import course_titles_in_language
from people.models import AuditAction, AuditEntry, Membership, Role, Team
from supervision.models import (
    Attendance,
    Booking,
    BookingStatus,
    DebriefRequest,
    DebriefStatus,
    Session,
    SessionKind,
    SessionStatus,
)

MAX_MONTHS = 60


def report_zone() -> ZoneInfo:
    """The zone whose calendar months the report counts in."""
    return ZoneInfo(settings.DEFAULT_USER_TIMEZONE)


def month_add(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s to ``end``'s, both included."""
    count = (end.year - start.year) * 12 + end.month - start.month + 1
    return [month_add(date(start.year, start.month, 1), i) for i in range(max(count, 0))]


def default_period(*, now=None) -> tuple[date, date]:
    """The last twelve months, the current one included."""
    today = timezone.localtime(now or timezone.now(), report_zone()).date()
    end = date(today.year, today.month, 1)
    return month_add(end, -11), end


@dataclass(frozen=True)
class ReportCourse:
    key: UUID
    title: str


@dataclass
class ReportMonth:
    month: date
    active_volunteers: int = 0
    new_volunteers: int = 0
    completions: list[int] = field(default_factory=list)  # in ``TeamReport.courses`` order
    sessions_held: int = 0
    attendances: int = 0
    attendance_marked: int = 0
    debriefs_given: int = 0

    @property
    def completions_total(self) -> int:
        return sum(self.completions)

    @property
    def attendance_rate(self) -> float | None:
        """Attended ÷ marked, between 0 and 1; None when no seat was marked."""
        if not self.attendance_marked:
            return None
        return self.attendances / self.attendance_marked


@dataclass
class TeamReport:
    team: Team
    start: date
    end: date
    courses: list[ReportCourse]
    months: list[ReportMonth]
    # The whole period: active volunteers are people active in any month (each once), the
    # other figures are sums.
    total: ReportMonth

    @property
    def has_activity(self) -> bool:
        t = self.total
        return any(
            (
                t.active_volunteers,
                t.new_volunteers,
                t.completions_total,
                t.sessions_held,
                t.attendances,
                t.debriefs_given,
            )
        )


@dataclass(frozen=True)
class Period:
    """Calendar months in the report's zone and the moments where they begin and end."""

    months: list[date]
    bounds: list[datetime]  # the start of each month, then the end of the last one

    @classmethod
    def of(cls, *, start: date, end: date, zone: ZoneInfo) -> "Period":
        months = months_between(start, end)
        if not months or len(months) > MAX_MONTHS:
            raise ValueError(f"a report covers 1 to {MAX_MONTHS} months")
        bounds = [
            datetime(m.year, m.month, 1, tzinfo=zone) for m in [*months, month_add(months[-1], 1)]
        ]
        return cls(months=months, bounds=bounds)

    @property
    def start_at(self) -> datetime:
        return self.bounds[0]

    @property
    def end_at(self) -> datetime:
        return self.bounds[-1]

    def within(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start_at, f"{field}__lt": self.end_at})

    def month_index(self, field: str) -> Case:
        """The number of the month a moment falls in (0 for the first), for rows already kept
        ``within`` the period. Plain comparisons with each month's end, computed here in the
        zone (daylight saving included): the database groups by them without converting
        every row's time zone (SQLite would call back into Python for each row)."""
        return Case(
            *[
                When(**{f"{field}__lt": bound}, then=Value(number))
                for number, bound in enumerate(self.bounds[1:])
            ],
            default=None,
            output_field=IntegerField(),
        )


def _activity(
    queryset: QuerySet, *, team: Team, period: Period, user_field: str, at_field: str
) -> QuerySet:
    """(person, month) pairs of one kind of activity by the team's volunteers, done after
    they joined. A join through the membership (one per person and team), which lets the
    database start from the team's people rather than from everyone's activity."""
    person = user_field.removesuffix("_id")
    return (
        queryset.filter(period.within(at_field))
        .filter(
            **{
                f"{person}__memberships__team": team,
                f"{person}__memberships__role": Role.VOLUNTEER,
                f"{person}__memberships__created_at__lte": F(at_field),
            }
        )
        .order_by()
        .values(person=F(user_field), month=period.month_index(at_field))
    )


def _active_volunteers(*, team, period: Period, now) -> tuple[dict[int, int], int]:
    """Active volunteers per month and in the whole period, in one query: the union of every
    kind of activity as distinct (person, month) pairs, counted by month and by person."""
    kinds = {"team": team, "period": period}
    team_sessions = Booking.objects.filter(session__team=team)
    sources = [
        _activity(ModuleProgress.objects.all(), user_field="user_id", at_field="read_at", **kinds),
        _activity(
            ModuleProgress.objects.all(), user_field="user_id", at_field="passed_at", **kinds
        ),
        _activity(QuizAttempt.objects.all(), user_field="user_id", at_field="started_at", **kinds),
        _activity(
            CourseCompletion.objects.all(), user_field="user_id", at_field="completed_at", **kinds
        ),
        _activity(team_sessions, user_field="user_id", at_field="created_at", **kinds),
        _activity(
            team_sessions.filter(
                status=BookingStatus.CONFIRMED,
                attendance=Attendance.ATTENDED,
                session__status=SessionStatus.SCHEDULED,
                session__starts_at__lte=now,
            ),
            user_field="user_id",
            at_field="session__starts_at",
            **kinds,
        ),
        _activity(
            DebriefRequest.objects.filter(team=team),
            user_field="requester_id",
            at_field="created_at",
            **kinds,
        ),
    ]
    union = sources[0].union(*sources[1:])  # UNION, not UNION ALL: each pair once
    sql, params = union.query.get_compiler(using=union.db).as_sql()
    connection = connections[union.db]
    month, person = connection.ops.quote_name("month"), connection.ops.quote_name("person")
    # Per month, then (month NULL) the whole period, from the same pairs. The SQL is the ORM's
    # own, with its parameters; only the outer counting is written here.
    counting = (
        f"WITH active AS ({sql}) "  # noqa: S608 - composed from the ORM's SQL, values as parameters
        f"SELECT {month}, COUNT(*) FROM active GROUP BY {month} "
        f"UNION ALL SELECT NULL, COUNT(DISTINCT {person}) FROM active"
    )
    per_month, whole = {}, 0
    with connection.cursor() as cursor:
        cursor.execute(counting, params)
        for number, count in cursor.fetchall():
            if number is None:
                whole = count
            else:
                per_month[number] = count
    return per_month, whole


def _new_volunteers(*, team, period: Period) -> dict[int, int]:
    rows = (
        Membership.objects.filter(period.within("created_at"), team=team, role=Role.VOLUNTEER)
        .order_by()
        .values(month=period.month_index("created_at"))
        .annotate(count=Count("pk"))
    )
    return {row["month"]: row["count"] for row in rows}


def _completions(*, team, period: Period) -> dict[tuple[UUID, int], int]:
    rows = (
        CourseCompletion.objects.filter(
            period.within("completed_at"),
            user__memberships__team=team,
            user__memberships__created_at__lte=F("completed_at"),
        )
        .order_by()
        .values("course_key", month=period.month_index("completed_at"))
        .annotate(count=Count("pk"))
    )
    counts = {(row["course_key"], row["month"]): row["count"] for row in rows}
    # People who deleted their account are no longer members, but what they completed while
    # they were stays in the team's numbers: the audit trail says when they joined and left.
    former = Q()
    for user_id, details, left in AuditEntry.objects.filter(
        team=team, action=AuditAction.ACCOUNT_DELETED, subject_id__isnull=False
    ).values_list("subject_id", "details", "at"):
        joined = parse_date(str((details or {}).get("member_since", ""))) or date(2000, 1, 1)
        former |= Q(
            user_id=user_id,
            completed_at__gte=datetime.combine(joined, time.min, tzinfo=report_zone()),
            completed_at__lte=left,
        )
    if former:
        for row in (
            CourseCompletion.objects.filter(period.within("completed_at"))
            .filter(former)
            .order_by()
            .values("course_key", month=period.month_index("completed_at"))
            .annotate(count=Count("pk"))
        ):
            key = (row["course_key"], row["month"])
            counts[key] = counts.get(key, 0) + row["count"]
    return counts


def _course_titles(keys) -> list[ReportCourse]:
    """The courses in the reader's language (through the courses app's own title rule), by
    title. A course whose pages are gone is still counted, under a neutral name."""
    if not keys:
        return []
    chosen: dict[UUID, CoursePage] = {}
    pages = CoursePage.objects.filter(translation_key__in=keys).select_related("locale")
    for page in pages.order_by("pk"):
        current = chosen.get(page.translation_key)
        if current is None or (
            page.locale.language_code == settings.LANGUAGE_CODE
            and current.locale.language_code != settings.LANGUAGE_CODE
        ):
            chosen[page.translation_key] = page
    titles = course_titles_in_language(list(chosen.values())) if chosen else {}
    courses = [
        ReportCourse(
            key=key,
            title=titles.get(chosen[key].pk, chosen[key].title)
            if key in chosen
            else _("A course no longer on the site"),
        )
        for key in keys
    ]
    return sorted(courses, key=lambda c: (c.title.casefold(), str(c.key)))


def _sessions(*, team, period: Period, now) -> dict[int, dict]:
    confirmed = Q(bookings__status=BookingStatus.CONFIRMED)
    rows = (
        Session.objects.filter(
            period.within("starts_at"),
            team=team,
            kind=SessionKind.GROUP,
            status=SessionStatus.SCHEDULED,
            starts_at__lte=now,
        )
        .order_by()
        .values(month=period.month_index("starts_at"))
        .annotate(
            held=Count("pk", distinct=True),
            attended=Count(
                "bookings", filter=confirmed & Q(bookings__attendance=Attendance.ATTENDED)
            ),
            marked=Count(
                "bookings", filter=confirmed & Q(bookings__attendance__in=Attendance.values)
            ),
        )
    )
    return {row["month"]: row for row in rows}


def _debriefs(*, team, period: Period, now) -> dict[int, int]:
    """Requests met at a booked time, by the month of that time; the others marked done, by
    the month they were marked done. One query (two groupings, united)."""
    met = Q(
        status__in=[DebriefStatus.BOOKED, DebriefStatus.CLOSED],
        booking__status=BookingStatus.CONFIRMED,
        booking__attendance__in=["", Attendance.ATTENDED],
        booking__session__status=SessionStatus.SCHEDULED,
        booking__session__starts_at__lte=now,
    )
    requests = DebriefRequest.objects.filter(team=team).annotate(
        met=Case(When(met, then=Value(True)), default=Value(False), output_field=BooleanField())
    )
    at_meeting = (
        requests.filter(period.within("booking__session__starts_at"), met=True)
        .order_by()
        .values(month=period.month_index("booking__session__starts_at"))
        .annotate(count=Count("pk"))
    )
    marked_done = (
        requests.filter(period.within("closed_at"), met=False, status=DebriefStatus.CLOSED)
        .order_by()
        .values(month=period.month_index("closed_at"))
        .annotate(count=Count("pk"))
    )
    counts: dict[int, int] = {}
    for row in at_meeting.union(marked_done, all=True):
        counts[row["month"]] = counts.get(row["month"], 0) + row["count"]
    return counts


def team_report(*, team: Team, start: date, end: date, now=None) -> TeamReport:
    """The team's figures for every month from ``start``'s to ``end``'s (first days of
    months; at most ``MAX_MONTHS``), in a fixed number of queries (six, one more when the
    reader's language is not the courses' own)."""
    now = now or timezone.now()
    period = Period.of(start=start, end=end, zone=report_zone())
    active, active_whole = _active_volunteers(team=team, period=period, now=now)
    new = _new_volunteers(team=team, period=period)
    completions = _completions(team=team, period=period)
    courses = _course_titles(sorted({key for key, _month in completions}, key=str))
    sessions = _sessions(team=team, period=period, now=now)
    debriefs = _debriefs(team=team, period=period, now=now)

    rows = []
    for number, month in enumerate(period.months):
        held = sessions.get(number, {})
        rows.append(
            ReportMonth(
                month=month,
                active_volunteers=active.get(number, 0),
                new_volunteers=new.get(number, 0),
                completions=[completions.get((c.key, number), 0) for c in courses],
                sessions_held=held.get("held", 0),
                attendances=held.get("attended", 0),
                attendance_marked=held.get("marked", 0),
                debriefs_given=debriefs.get(number, 0),
            )
        )
    total = ReportMonth(
        month=period.months[0],
        active_volunteers=active_whole,
        new_volunteers=sum(r.new_volunteers for r in rows),
        completions=[sum(r.completions[i] for r in rows) for i in range(len(courses))],
        sessions_held=sum(r.sessions_held for r in rows),
        attendances=sum(r.attendances for r in rows),
        attendance_marked=sum(r.attendance_marked for r in rows),
        debriefs_given=sum(r.debriefs_given for r in rows),
    )
    return TeamReport(
        team=team,
        start=period.months[0],
        end=period.months[-1],
        courses=courses,
        months=rows,
        total=total,
    )
