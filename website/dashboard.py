"""The coordinators' dashboard: one page per team that composes each app's own selectors
(training from courses, attendance and debriefs from supervision, totals from wellbeing,
continuity from people). No app imports this module.

A team may have 2,000 volunteers: every panel is a fixed number of queries, the grids are
filtered and sorted in memory and shown a page at a time, and the summary counts are over
everyone."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from courses.selectors.progress import CourseState
from courses.selectors.requirements import team_training_compliance, team_training_version
from people.continuity import Continuity, team_continuity
from people.selectors import team_members_version
from supervision.selectors import AttendanceStatus, MemberAttendance, team_attendance
from supervision.team_overview import (
    AttendanceMonths,
    DebriefsWaiting,
    FillRate,
    team_attendance_months,
    team_attendance_statuses,
    team_attendance_version,
    team_debriefs_waiting,
    team_fill_rate,
)
from wellbeing import instruments
from wellbeing.selectors import (
    MonthTotal,
    min_respondents,
    sharing_scores,
    team_totals,
    team_totals_version,
)

from .charts import CountChart, bar_chart, line_chart

ROWS_PER_PAGE = 50
SUMMARY_SECONDS = 26 * 3600  # a day's summary, at most (its key holds the date)


class TrainingFilter:
    """What a coordinator looks for in the training grid: people with at least one required
    course in that state."""

    ALL = ""
    OVERDUE = "overdue"
    DUE = "due"
    EXPIRING = "expiring"
    LOCKED_OUT = "locked_out"
    COMPLETE = "complete"

    CHOICES = (
        (ALL, _("Everyone")),
        (OVERDUE, _("Overdue")),
        (DUE, _("Due, not overdue")),
        (EXPIRING, _("Expiring soon")),
        (LOCKED_OUT, _("No attempts left")),
        (COMPLETE, _("Everything complete")),
    )


def cell_kind(cell) -> str:
    """One word for a volunteer × required course cell, in order of urgency."""
    if cell.locked_out:
        return TrainingFilter.LOCKED_OUT
    if cell.overdue:
        return TrainingFilter.OVERDUE
    if cell.state == CourseState.EXPIRING_SOON:
        return TrainingFilter.EXPIRING
    if cell.state == CourseState.COMPLETE:
        return TrainingFilter.COMPLETE
    return TrainingFilter.DUE


def kinds_match(kinds: tuple[str, ...], wanted: str) -> bool:
    """Whether a volunteer whose cells are ``kinds`` is one the filter looks for."""
    if wanted == TrainingFilter.ALL:
        return True
    if wanted == TrainingFilter.COMPLETE:
        return bool(kinds) and set(kinds) <= {TrainingFilter.COMPLETE, TrainingFilter.EXPIRING}
    return wanted in kinds


def kinds_done(kinds: tuple[str, ...]) -> int:
    return sum(1 for kind in kinds if kind in (TrainingFilter.COMPLETE, TrainingFilter.EXPIRING))


class TrainingSort:
    NAME = "name"
    LEAST_DONE = "least_done"
    MOST_DONE = "most_done"

    CHOICES = (
        (NAME, _("Name")),
        (LEAST_DONE, _("Fewest courses done first")),
        (MOST_DONE, _("Most courses done first")),
    )


@dataclass(frozen=True)
class Person:
    """What the filters, the sorting and the counts need of one person: kept in the cache."""

    user_id: int
    name: str
    kinds: tuple[str, ...] = ()  # training: one per required course, in due-date order
    status: str = ""  # supervision attendance status


@dataclass
class TeamSummary:
    """Every person's training and attendance standing, worked out once and kept in the
    cache until something it reads changes (``summary_version``) or the day changes."""

    trainees: list[Person]
    attendees: list[Person]
    months: AttendanceMonths


def training_pick(people: list[Person], *, wanted: str, sort: str, name: str = ""):
    picked = [p for p in people if kinds_match(p.kinds, wanted)]
    if name:
        needle = name.casefold()
        picked = [p for p in picked if needle in p.name.casefold()]
    if sort == TrainingSort.LEAST_DONE:
        picked.sort(key=lambda p: (kinds_done(p.kinds), p.name.casefold()))
    elif sort == TrainingSort.MOST_DONE:
        picked.sort(key=lambda p: (-kinds_done(p.kinds), p.name.casefold()))
    return picked


def summary_version(*, team, members_version: str) -> tuple:
    return (
        team_training_version(team=team),
        team_attendance_version(team=team),
        members_version,
    )


def summary_build(*, team, now) -> TeamSummary:
    compliance = team_training_compliance(team=team, now=now)
    return TeamSummary(
        trainees=[
            Person(
                row.member.user_id,
                row.member.user.display_name,
                kinds=tuple(cell_kind(cell) for cell in row.cells),
            )
            for row in compliance.rows
        ],
        attendees=[
            Person(user_id, name, status=status)
            for user_id, name, status in team_attendance_statuses(team=team, now=now)
        ],
        months=team_attendance_months(team=team, now=now),
    )


def team_summary(*, team, now, members_version: str | None = None) -> TeamSummary:
    """The team's summary from the cache when nothing it reads has changed since, today;
    otherwise built afresh (for 2,000 volunteers that takes seconds: once)."""
    day = timezone.localdate(now).isoformat()
    key = f"dashboard-summary:{team.pk}:{day}:{timezone.get_current_timezone_name()}"
    members_version = members_version or team_members_version(team=team)
    version = summary_version(team=team, members_version=members_version)
    kept = cache.get(key)
    if kept is not None and kept[0] == version:
        return kept[1]
    summary = summary_build(team=team, now=now)
    cache.set(key, (version, summary), SUMMARY_SECONDS)
    return summary


def in_order(rows, ids: list[int], id_of) -> list:
    position = {user_id: index for index, user_id in enumerate(ids)}
    return sorted((row for row in rows if id_of(row) in position), key=lambda r: position[id_of(r)])


@dataclass
class AttendanceRow:
    attendance: MemberAttendance
    months: list[int]


@dataclass
class Dashboard:
    team: object
    continuity: Continuity
    training_columns: list
    training_counts: Counter
    training_page: object
    volunteers: int
    attendance_months: list[date]
    attendance_page: object
    attendance_counts: Counter
    fill: FillRate
    debriefs: DebriefsWaiting
    wellbeing: "WellbeingPanel | None" = None
    charts: list[dict] = field(default_factory=list)


@dataclass
class WellbeingPanel:
    """The weekly pulse of the team per month, only where enough people answered, and how
    many volunteers chose to show their own results to the coordinators (who see them, and
    are recorded seeing them, on the wellbeing page, not here)."""

    months: list[MonthTotal]  # oldest first
    min_respondents: int
    sharing: int

    @property
    def shown(self) -> list[MonthTotal]:
        return [month for month in self.months if month.shown]


PULSE_MONTHS = 6


def wellbeing_panel(*, team, now, members_version: str) -> WellbeingPanel:
    """The pulse totals, kept in the cache like the summary (they read every check-in of six
    months: for 2,000 people about 50,000 rows)."""
    since = now - timedelta(days=31 * PULSE_MONTHS)
    day = timezone.localdate(now).isoformat()
    key = f"dashboard-pulse:{team.pk}:{day}:{timezone.get_current_timezone_name()}"
    version = (
        members_version,
        team_totals_version(team=team, instrument=instruments.PULSE, since=since),
    )
    kept = cache.get(key)
    if kept is not None and kept[0] == version:
        months = kept[1]
    else:
        months = team_totals(team=team, instrument=instruments.PULSE, months=PULSE_MONTHS, now=now)
        cache.set(key, (version, months), SUMMARY_SECONDS)
    return WellbeingPanel(
        months=list(reversed(months)),
        min_respondents=min_respondents(),
        sharing=sharing_scores(team=team).count(),
    )


def month_label(month: date) -> str:
    return date_format(month, "M y")


def attendance_chart(months: AttendanceMonths) -> CountChart:
    return bar_chart([(month_label(m), months.totals.get(m, 0)) for m in months.months])


def team_dashboard(
    *,
    team,
    training_filter: str = "",
    training_sort: str = TrainingSort.NAME,
    name: str = "",
    attendance_filter: str = "",
    training_page: int = 1,
    attendance_page: int = 1,
    with_wellbeing: bool = False,
    request=None,
    now=None,
) -> Dashboard:
    """Everything the page shows. ``with_wellbeing``: the viewer may see the team's
    wellbeing totals (coordinators; a site admin without a role in the team may not)."""
    now = now or timezone.now()
    members_version = team_members_version(team=team)
    summary = team_summary(team=team, now=now, members_version=members_version)
    counts = Counter(kind for person in summary.trainees for kind in person.kinds)
    picked = training_pick(summary.trainees, wanted=training_filter, sort=training_sort, name=name)
    training = Paginator(picked, ROWS_PER_PAGE).get_page(training_page)
    ids = [person.user_id for person in training.object_list]
    compliance = team_training_compliance(team=team, now=now, request=request, user_ids=ids)
    training.object_list = in_order(compliance.rows, ids, lambda row: row.member.user_id)

    months = summary.months
    attendance_counts = Counter(person.status for person in summary.attendees)
    attendees = summary.attendees
    if attendance_filter in AttendanceStatus.LABELS:
        attendees = [p for p in attendees if p.status == attendance_filter]
    if name:
        needle = name.casefold()
        attendees = [p for p in attendees if needle in p.name.casefold()]
    attended = Paginator(attendees, ROWS_PER_PAGE).get_page(attendance_page)
    ids = [person.user_id for person in attended.object_list]
    rows = team_attendance(team=team, now=now, user_ids=ids)
    attended.object_list = [
        AttendanceRow(row, months.row(row.membership.user_id))
        for row in in_order(rows, ids, lambda row: row.membership.user_id)
    ]
    dashboard = Dashboard(
        team=team,
        continuity=team_continuity(team=team),
        training_columns=compliance.columns,
        training_counts=counts,
        training_page=training,
        volunteers=len(summary.trainees),
        attendance_months=months.months,
        attendance_page=attended,
        attendance_counts=attendance_counts,
        fill=team_fill_rate(team=team, now=now),
        debriefs=team_debriefs_waiting(team=team, now=now),
    )
    dashboard.charts.append(
        {
            "key": "attendance",
            "title": _("Supervision attendances per month"),
            "chart": attendance_chart(months),
            "head": _("Attendances"),
            "rows": [(month_label(m), months.totals.get(m, 0)) for m in months.months],
        }
    )
    if with_wellbeing:
        panel = dashboard.wellbeing = wellbeing_panel(
            team=team, now=now, members_version=members_version
        )
        if panel.shown:
            items = [(month_label(m.month), m.means.get("pulse", 0)) for m in panel.shown]
            dashboard.charts.append(
                {
                    "key": "pulse",
                    "title": _("The team's weekly pulse, mean per month (0–100, higher is better)"),
                    "chart": line_chart(items),
                    "head": _("Mean"),
                    "rows": items,
                }
            )
    return dashboard
