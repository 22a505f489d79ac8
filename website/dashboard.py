"""The coordinators' dashboard: one page per team that composes each app's own selectors
(training from courses, attendance and debriefs from supervision, totals from wellbeing,
continuity from people). No app imports this module.

A team may have 2,000 volunteers: every panel is a fixed number of queries, the grids are
filtered and sorted in memory and shown a page at a time, and the summary counts are over
everyone."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from courses.selectors.progress import CourseState
from courses.selectors.requirements import ComplianceRow, team_training_compliance
from people.continuity import Continuity, team_continuity
from supervision.selectors import AttendanceStatus, MemberAttendance, team_attendance
from supervision.team_overview import (
    AttendanceMonths,
    DebriefsWaiting,
    FillRate,
    team_attendance_months,
    team_debriefs_waiting,
    team_fill_rate,
)
from wellbeing import instruments
from wellbeing.selectors import MonthTotal, min_respondents, sharing_scores, team_totals

from .charts import CountChart, bar_chart, line_chart

ROWS_PER_PAGE = 50


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


def training_row_matches(row: ComplianceRow, wanted: str) -> bool:
    kinds = {cell_kind(cell) for cell in row.cells}
    if wanted == TrainingFilter.ALL:
        return True
    if wanted == TrainingFilter.COMPLETE:
        return bool(kinds) and kinds <= {TrainingFilter.COMPLETE, TrainingFilter.EXPIRING}
    return wanted in kinds


def training_row_done(row: ComplianceRow) -> int:
    return sum(1 for cell in row.cells if cell_kind(cell) in ("complete", "expiring"))


class TrainingSort:
    NAME = "name"
    LEAST_DONE = "least_done"
    MOST_DONE = "most_done"

    CHOICES = (
        (NAME, _("Name")),
        (LEAST_DONE, _("Fewest courses done first")),
        (MOST_DONE, _("Most courses done first")),
    )


def training_rows(rows: list[ComplianceRow], *, wanted: str, sort: str, name: str = ""):
    picked = [row for row in rows if training_row_matches(row, wanted)]
    if name:
        needle = name.casefold()
        picked = [row for row in picked if needle in row.member.user.display_name.casefold()]
    if sort == TrainingSort.LEAST_DONE:
        picked.sort(key=lambda r: (training_row_done(r), r.member.user.display_name.casefold()))
    elif sort == TrainingSort.MOST_DONE:
        picked.sort(key=lambda r: (-training_row_done(r), r.member.user.display_name.casefold()))
    return picked


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


def wellbeing_panel(*, team, now) -> WellbeingPanel:
    months = team_totals(team=team, instrument=instruments.PULSE, months=6, now=now)
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
    compliance = team_training_compliance(team=team, now=now, request=request)
    counts = Counter(cell_kind(cell) for row in compliance.rows for cell in row.cells)
    rows = training_rows(compliance.rows, wanted=training_filter, sort=training_sort, name=name)
    training = Paginator(rows, ROWS_PER_PAGE).get_page(training_page)

    months = team_attendance_months(team=team, now=now)
    attendance = team_attendance(team=team, now=now)
    attendance_counts = Counter(row.status for row in attendance)
    if attendance_filter in AttendanceStatus.LABELS:
        attendance = [row for row in attendance if row.status == attendance_filter]
    if name:
        needle = name.casefold()
        attendance = [
            row for row in attendance if needle in row.membership.user.display_name.casefold()
        ]
    attended = Paginator(attendance, ROWS_PER_PAGE).get_page(attendance_page)
    attended.object_list = [
        AttendanceRow(row, months.row(row.membership.user_id)) for row in attended.object_list
    ]
    dashboard = Dashboard(
        team=team,
        continuity=team_continuity(team=team),
        training_columns=compliance.columns,
        training_counts=counts,
        training_page=training,
        volunteers=len(compliance.rows),
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
        panel = dashboard.wellbeing = wellbeing_panel(team=team, now=now)
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
