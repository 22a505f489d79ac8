"""A funder report as one table — the page, the CSV and the XLSX file all show it — and the
spreadsheet file. Counts only; course titles are the only words that come from the
database, and both files keep them as text (never a formula)."""

from dataclasses import dataclass
from io import BytesIO

import xlsxwriter
from django.http import HttpResponse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exports import csv_response
from .reports import ReportMonth, TeamReport, report_zone

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What each figure means, said once: on the page, and in the spreadsheet's second sheet.
DEFINITIONS = [
    (
        gettext_lazy("Active volunteers"),
        gettext_lazy(
            "Volunteers of the team who, that month, read a module or passed a quiz, started a "
            "quiz, completed a course, booked a seat in one of the team's sessions, attended "
            "one or asked the team for a debrief. Only activity after they joined the team "
            "counts. In the whole period, each person is counted once."
        ),
    ),
    (
        gettext_lazy("New volunteers"),
        gettext_lazy("People who joined the team as volunteers that month."),
    ),
    (
        gettext_lazy("Courses completed"),
        gettext_lazy(
            "Course completions, refreshers included, by the team's members (any role) after "
            "they joined the team."
        ),
    ),
    (
        gettext_lazy("Supervision sessions held"),
        gettext_lazy("The team's group supervision sessions that took place (not cancelled)."),
    ),
    (
        gettext_lazy("Attendances"),
        gettext_lazy("Seats in those sessions marked as attended, walk-ins included."),
    ),
    (
        gettext_lazy("Attendance rate"),
        gettext_lazy(
            "Attendances divided by the seats whose attendance was marked (attended, absent "
            "or excused). Seats nobody marked are left out; empty when none was marked."
        ),
    ),
    (
        gettext_lazy("Debriefs given"),
        gettext_lazy(
            "One-to-one debriefs: a request met at a booked time (counted in the month of that "
            "time) or, without one, marked done by the supervisor (in the month it was marked "
            "done)."
        ),
    ),
]

LEAVERS_NOTE = gettext_lazy(
    "People who leave a team are removed from it: they no longer count as active or new "
    "volunteers, and their course completions no longer count for the team. Someone who "
    "deletes their account leaves too, but what they completed while a member stays counted. "
    "Sessions, attendances and debriefs stay counted. Months are calendar months in %(zone)s "
    "time."
)


@dataclass
class Cell:
    value: object  # str, int, float or None: what the files hold
    display: str  # what the page shows
    numeric: bool = True


def count_cell(value: int) -> Cell:
    return Cell(value, formats.number_format(value, force_grouping=True))


def rate_cell(month: ReportMonth) -> Cell:
    rate = month.attendance_rate
    if rate is None:
        return Cell(None, "—")
    percent = round(rate * 100, 1)
    return Cell(percent, f"{formats.number_format(percent, 1)} %")


@dataclass
class ReportTable:
    """The header in three parts (the page groups the course columns under one heading; the
    files have one header row: ``header``), then one row per month and the whole period."""

    lead: list[str]
    courses: list[str]  # "All courses", then each course's title
    tail: list[str]
    rows: list[list[Cell]]
    total: list[Cell]

    @property
    def header(self) -> list[str]:
        return [
            *self.lead,
            f"{_('Courses completed')}: {self.courses[0]}",
            *self.courses[1:],
            *self.tail,
        ]


def month_label(month) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def report_table(report: TeamReport) -> ReportTable:
    def cells(month: ReportMonth, first: Cell) -> list[Cell]:
        return [
            first,
            count_cell(month.active_volunteers),
            count_cell(month.new_volunteers),
            count_cell(month.completions_total),
            *[count_cell(n) for n in month.completions],
            count_cell(month.sessions_held),
            count_cell(month.attendances),
            count_cell(month.attendance_marked),
            rate_cell(month),
            count_cell(month.debriefs_given),
        ]

    rows = [
        cells(m, Cell(m.month.strftime("%Y-%m"), month_label(m.month), numeric=False))
        for m in report.months
    ]
    whole = _("Whole period")
    return ReportTable(
        lead=[_("Month"), _("Active volunteers"), _("New volunteers")],
        courses=[_("all courses"), *[course.title for course in report.courses]],
        tail=[
            _("Supervision sessions held"),
            _("Attendances"),
            _("Seats with attendance marked"),
            _("Attendance rate (%)"),
            _("Debriefs given"),
        ],
        rows=rows,
        total=cells(report.total, Cell(whole, whole, numeric=False)),
    )


def report_filename(report: TeamReport, extension: str) -> str:
    """Neutral: in discreet mode the team's name stays out of it (a file name is seen in
    download lists and e-mail attachments)."""
    period = f"{report.start:%Y-%m}-{report.end:%Y-%m}"
    if report.team.discreet_mode:
        return f"report-{period}.{extension}"
    return f"report-{report.team.slug}-{period}.{extension}"


def report_csv(report: TeamReport) -> HttpResponse:
    table = report_table(report)
    return csv_response(
        filename=report_filename(report, "csv"),
        header=table.header,
        rows=[[cell.value for cell in row] for row in [*table.rows, table.total]],
    )


def report_xlsx_bytes(report: TeamReport) -> bytes:
    table = report_table(report)
    buffer = BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        # Text stays text: "=HYPERLINK(…)" in a course title is never a formula, a web
        # address never a link, "0012" never a number.
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False},
    )
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    whole_number = workbook.add_format({"num_format": "0"})
    one_decimal = workbook.add_format({"num_format": "0.0"})
    sheet = workbook.add_worksheet(_("Report")[:31])
    for column, label in enumerate(table.header):
        sheet.write_string(0, column, label, bold)
    for row_number, row in enumerate([*table.rows, table.total], start=1):
        for column, cell in enumerate(row):
            if cell.value is None:
                sheet.write_blank(row_number, column, None)
            elif not cell.numeric:
                sheet.write_string(row_number, column, str(cell.value))
            else:
                number_format = one_decimal if isinstance(cell.value, float) else whole_number
                sheet.write_number(row_number, column, cell.value, number_format)
    sheet.set_row(0, 45)
    sheet.set_column(0, 0, max(14, len(str(table.total[0].value)) + 2))
    sheet.set_column(1, len(table.header) - 1, 16)
    sheet.freeze_panes(1, 1)

    notes = workbook.add_worksheet(_("Definitions")[:31])
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    for row_number, (term, text) in enumerate(DEFINITIONS):
        notes.write_string(row_number, 0, str(term), bold)
        notes.write_string(row_number, 1, str(text), wrap)
    notes.write_string(len(DEFINITIONS) + 1, 1, str(LEAVERS_NOTE) % {"zone": report_zone_name()})
    notes.set_column(0, 0, 28)
    notes.set_column(1, 1, 90, wrap)
    workbook.close()
    return buffer.getvalue()


def report_zone_name() -> str:
    return str(report_zone()).replace("_", " ")


def report_xlsx(report: TeamReport) -> HttpResponse:
    response = HttpResponse(report_xlsx_bytes(report), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, "xlsx")}"'
    return response
