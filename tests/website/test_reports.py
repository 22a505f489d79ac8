"""Funder reports: every figure of a small seeded team checked cell by cell, months counted in
Riga time, the CSV and XLSX files (a course title that looks like a formula stays text), who
may see a report, bad periods answered with a form error, and a number of queries that does
not grow with the team."""

import csv
import io
import re
import uuid
import zipfile
from datetime import UTC, date, datetime
from xml.etree import ElementTree

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from courses.models import CourseCompletion, ModuleProgress, QuizAttempt
from people.models import Membership, Role
from supervision.models import (
    Attendance,
    Booking,
    BookingStatus,
    DebriefRequest,
    DebriefStatus,
    Format,
    Session,
    SessionKind,
    SessionStatus,
)
from tests.courses.factories import make_course, translate, translate_tree
from tests.people.factories import TeamFactory, UserFactory, enrol_totp, member, sign_in
from tests.supervision.factories import make_group, make_session
from website.charts import bar_chart, line_chart, nice_maximum
from website.report_exports import report_xlsx_bytes
from website.reports import team_report

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 20, 10, 0, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://evil.example/","Click")'
JAN, FEB, MAR, APR = (date(2026, m, 1) for m in (1, 2, 3, 4))


def utc(month, day, hour=12, minute=0, year=2026):
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def joined(user, team, role, at):
    """``user`` is a member of ``team`` since ``at``."""
    membership, _created = Membership.objects.get_or_create(
        user=user, team=team, defaults={"role": role}
    )
    Membership.objects.filter(pk=membership.pk).update(created_at=at, role=role)
    return user


def person(team, role, at, **kwargs):
    return joined(UserFactory(**kwargs), team, role, at)


def completion(user, course, at):
    return CourseCompletion.objects.create(
        user=user, course=course, course_key=course.translation_key, completed_at=at
    )


def session(group, at, *, status=SessionStatus.SCHEDULED):
    return make_session(group, starts_at=at, status=status)


def seat(session, user, *, booked, attendance="", walk_in=False):
    return Booking.objects.create(
        session=session,
        user=user,
        status=BookingStatus.CONFIRMED,
        attendance=attendance,
        walk_in=walk_in,
        created_at=booked,
    )


def slot(team, supervisor, at):
    return Session.objects.create(
        team=team,
        kind=SessionKind.DEBRIEF,
        supervisor=supervisor,
        starts_at=at,
        ends_at=at.replace(hour=at.hour + 1),
        capacity=1,
        format=Format.ONLINE,
        meeting_link="https://meet.example.org/one",
    )


@pytest.fixture
def courses(db):
    listening = make_course(title="Listening", slug="listening", modules=1, questions_per_module=1)
    formula = make_course(title=FORMULA, slug="formula", modules=1, questions_per_module=1)
    return listening, formula


@pytest.fixture
def seeded(courses):
    """A team whose every figure from January to April 2026 is known (see the comments);
    March is a month where nothing happened."""
    listening, formula = courses
    team = TeamFactory(name="Night line", slug="night-line")
    other = TeamFactory(name="Other line", slug="other-line")
    coordinator = person(team, Role.COORDINATOR, utc(6, 1, year=2025))
    enrol_totp(coordinator)
    supervisor = person(team, Role.SUPERVISOR, utc(6, 1, year=2025), display_name="Dace Sup")
    enrol_totp(supervisor)
    a = person(team, Role.VOLUNTEER, utc(12, 10, year=2025), display_name="Aija Vol")
    e = person(team, Role.VOLUNTEER, utc(11, 1, year=2025))
    b = person(team, Role.VOLUNTEER, utc(1, 20))  # new in January
    d = person(team, Role.VOLUNTEER, utc(4, 2))  # new in April
    late = person(team, Role.VOLUNTEER, utc(4, 5))  # new in April
    stranger = person(other, Role.VOLUNTEER, utc(1, 1, year=2025))
    group = make_group(team, supervisors=[supervisor])
    other_group = make_group(other)

    # January: A completes Listening; two sessions held (a third cancelled); a debrief met.
    completion(a, listening, utc(1, 10))
    completion(late, listening, utc(1, 15))  # before joining: not the team's
    completion(stranger, listening, utc(1, 16))  # another team's volunteer
    s1 = session(group, utc(1, 15, 16))
    seat(s1, a, booked=utc(1, 5), attendance=Attendance.ATTENDED)
    seat(s1, coordinator, booked=utc(1, 5), attendance=Attendance.EXCUSED)
    s2 = session(group, utc(1, 28, 16))
    seat(s2, b, booked=utc(1, 21), attendance=Attendance.ATTENDED)
    seat(s2, a, booked=utc(1, 6), attendance=Attendance.ABSENT)
    seat(s2, e, booked=utc(1, 22))  # nobody marked it
    seat(s2, coordinator, booked=utc(1, 28, 18), attendance=Attendance.ATTENDED, walk_in=True)
    cancelled = session(group, utc(1, 20, 16), status=SessionStatus.CANCELLED)
    seat(cancelled, a, booked=utc(1, 7), attendance=Attendance.ATTENDED)
    met = slot(team, supervisor, utc(1, 25, 10))  # a debrief slot is no group session
    request = DebriefRequest.objects.create(
        team=team,
        requester=a,
        urgency="today",
        created_at=utc(1, 24),
        status="taken",
        taken_by=supervisor,
    )
    request.booking = seat(met, a, booked=utc(1, 24, 13))
    request.status = DebriefStatus.BOOKED
    request.save()

    # February: B's completion at 23:30 UTC on 31 January is 01:30 on 1 February in Riga;
    # a session nobody booked; a debrief marked done without a booked time; one withdrawn;
    # one booked for March but marked absent.
    completion(b, formula, utc(1, 31, 23, 30))
    session(group, utc(2, 18, 16))
    DebriefRequest.objects.create(
        team=team,
        requester=e,
        urgency="this_week",
        created_at=utc(2, 10),
        status=DebriefStatus.CLOSED,
        taken_by=supervisor,
        closed_at=utc(2, 12),
    )
    DebriefRequest.objects.create(
        team=team,
        requester=b,
        urgency="today",
        created_at=utc(2, 20),
        status=DebriefStatus.WITHDRAWN,
        closed_at=utc(2, 20, 14),
    )
    missed = slot(team, supervisor, utc(3, 10, 9))
    DebriefRequest.objects.create(
        team=team,
        requester=a,
        urgency="this_week",
        created_at=utc(2, 25),
        status=DebriefStatus.BOOKED,
        taken_by=supervisor,
        booking=seat(missed, a, booked=utc(2, 26), attendance=Attendance.ABSENT),
    )

    # April (the current month): D and the late joiner are new; D attends; a session still
    # to come; the other team's session is not this team's.
    s5 = session(group, utc(4, 10, 15))
    seat(s5, d, booked=utc(4, 3), attendance=Attendance.ATTENDED)
    coming = session(group, utc(4, 25, 15))
    seat(coming, d, booked=utc(4, 19))
    ModuleProgress.objects.create(
        user=d, module_key=uuid.uuid4(), course_key=uuid.uuid4(), read_at=utc(4, 3)
    )
    attempt = QuizAttempt.objects.create(
        user=late, module_key=uuid.uuid4(), course_key=uuid.uuid4(), pass_mark=80
    )
    QuizAttempt.objects.filter(pk=attempt.pk).update(started_at=utc(4, 6))
    elsewhere = session(other_group, utc(4, 11, 15))
    seat(elsewhere, stranger, booked=utc(4, 1), attendance=Attendance.ATTENDED)
    return {
        "team": team,
        "other": other,
        "coordinator": coordinator,
        "supervisor": supervisor,
        "volunteer": a,
        "courses": courses,
    }


# Month: active, new, completions (formula, Listening), held, attended, marked, rate, debriefs
EXPECTED = {
    JAN: (3, 1, [0, 1], 2, 3, 5, 0.6, 1),  # active: A, B, E
    FEB: (3, 0, [1, 0], 1, 0, 0, None, 1),  # active: A, B, E
    MAR: (0, 0, [0, 0], 0, 0, 0, None, 0),
    APR: (2, 2, [0, 0], 1, 1, 1, 1.0, 0),  # active: D, the late joiner
}


def figures(month):
    return (
        month.active_volunteers,
        month.new_volunteers,
        month.completions,
        month.sessions_held,
        month.attendances,
        month.attendance_marked,
        month.attendance_rate,
        month.debriefs_given,
    )


def test_every_figure_of_every_month(seeded):
    report = team_report(team=seeded["team"], start=JAN, end=APR, now=NOW)
    assert [c.title for c in report.courses] == [FORMULA, "Listening"]  # by title
    assert [m.month for m in report.months] == [JAN, FEB, MAR, APR]
    for month in report.months:
        assert figures(month) == EXPECTED[month.month], month.month
    total = report.total
    assert total.active_volunteers == 5  # A, B, E, D, the late joiner: each once
    assert (total.new_volunteers, total.completions, total.completions_total) == (3, [1, 1], 2)
    assert (total.sessions_held, total.attendances, total.attendance_marked) == (4, 4, 6)
    assert total.attendance_rate == pytest.approx(4 / 6)
    assert total.debriefs_given == 2
    assert report.has_activity


def test_a_period_counts_only_its_own_months(seeded):
    report = team_report(team=seeded["team"], start=FEB, end=MAR, now=NOW)
    # Only the courses completed in the period have a column.
    assert [c.title for c in report.courses] == [FORMULA]
    assert [figures(m) for m in report.months] == [
        (3, 0, [1], 1, 0, 0, None, 1),
        (0, 0, [0], 0, 0, 0, None, 0),
    ]
    assert report.total.active_volunteers == 3


def test_another_team_sees_only_its_own(seeded):
    report = team_report(team=seeded["other"], start=JAN, end=APR, now=NOW)
    assert report.total.active_volunteers == 1  # the stranger: booked and attended in April
    assert [c.title for c in report.courses] == ["Listening"]
    assert report.total.completions == [1]
    assert (report.total.sessions_held, report.total.attendances) == (1, 1)


def test_months_are_riga_months(courses):
    """Riga is UTC+2 in winter: 21:59 UTC on 31 January is still January there, 22:00 UTC
    is already February; 23:30 UTC on the last day of a month counts in the next."""
    listening, _formula = courses
    team = TeamFactory()
    volunteer = person(team, Role.VOLUNTEER, utc(1, 1, year=2025))
    completion(volunteer, listening, utc(1, 31, 21, 59))
    completion(volunteer, listening, utc(1, 31, 22, 0))
    completion(volunteer, listening, utc(2, 28, 23, 30))
    person(team, Role.VOLUNTEER, utc(12, 31, 22, 30, year=2025))  # 1 January in Riga
    report = team_report(team=team, start=JAN, end=MAR, now=NOW)
    assert [m.completions for m in report.months] == [[1], [1], [1]]
    assert [m.new_volunteers for m in report.months] == [1, 0, 0]
    # One month's report starts and ends at Riga's midnight.
    february = team_report(team=team, start=FEB, end=FEB, now=NOW)
    assert february.months[0].completions == [1]
    assert february.total.new_volunteers == 0


def test_what_someone_completed_stays_counted_after_they_delete_their_account(courses):
    """Their completions while they were a member stay in the team's numbers; what they did
    before joining does not count, as for everyone."""
    from people.own_data import user_account_delete

    listening, _formula = courses
    team = TeamFactory()
    member(team, Role.COORDINATOR)
    volunteer = person(team, Role.VOLUNTEER, utc(1, 10, year=2026))
    completion(volunteer, listening, utc(1, 5))  # before joining
    completion(volunteer, listening, utc(2, 10))
    before = team_report(team=team, start=JAN, end=MAR, now=NOW)
    assert [m.completions for m in before.months] == [[0], [1], [0]]
    user_account_delete(user=volunteer, by=volunteer, now=utc(3, 1))
    after = team_report(team=team, start=JAN, end=MAR, now=NOW)
    assert [m.completions for m in after.months] == [[0], [1], [0]]


def test_summer_months_use_summer_time(courses):
    """In summer Riga is UTC+3: 21:30 UTC on 30 June is already July there."""
    listening, _formula = courses
    team = TeamFactory()
    volunteer = person(team, Role.VOLUNTEER, utc(1, 1, year=2025))
    completion(volunteer, listening, utc(6, 30, 21, 30, year=2025))
    report = team_report(team=team, start=date(2025, 6, 1), end=date(2025, 7, 1), now=NOW)
    assert [m.completions for m in report.months] == [[0], [1]]


def test_course_titles_are_in_the_readers_language(seeded):
    listening, _formula = seeded["courses"]
    translate_tree(listening, "lv", modules=False)
    translate(listening, "lv", title="Klausīšanās")
    with translation.override("lv"):
        report = team_report(team=seeded["team"], start=JAN, end=APR, now=NOW)
    assert {c.title for c in report.courses} == {"Klausīšanās", FORMULA}
    report = team_report(team=seeded["team"], start=JAN, end=APR, now=NOW)
    assert {c.title for c in report.courses} == {"Listening", FORMULA}


def test_an_empty_team_gets_zeros(db):
    report = team_report(team=TeamFactory(), start=JAN, end=APR, now=NOW)
    assert [figures(m) for m in report.months] == [(0, 0, [], 0, 0, 0, None, 0)] * 4
    assert report.courses == []
    assert not report.has_activity


# --- The page and its files ----------------------------------------------------------------


def report_url(team, **query):
    url = reverse("reports:team_report", kwargs={"slug": team.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.fixture
def coordinator_client(seeded):
    client = Client()
    sign_in(client, seeded["coordinator"])
    return client


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_page_shows_the_table_charts_and_definitions(seeded, coordinator_client, frozen):
    response = coordinator_client.get(report_url(seeded["team"]))
    assert response.status_code == 200
    html = response.content.decode()
    # The default period: the last twelve months, this one included.
    assert [m.month for m in response.context["report"].months][0] == date(2025, 5, 1)
    assert response.context["report"].end == APR
    assert 'role="img"' in html and "<title" in html
    assert html.count('class="count-chart"') == 2
    assert "website/report.css" in html
    assert "Active volunteers" in html and "Attendance rate" in html
    assert "Whole period" in html
    assert "People who leave a team" in html
    assert "style=" not in html
    # Counts only: nobody's name is on the page.
    for key in ("volunteer", "supervisor"):
        assert seeded[key].display_name not in html


def test_the_table_on_the_page(seeded, coordinator_client, frozen):
    response = coordinator_client.get(report_url(seeded["team"], start="2026-01", end="2026-04"))
    table = response.context["table"]
    assert [[c.display for c in row] for row in table.rows] == [
        ["January 2026", "3", "1", "1", "0", "1", "2", "3", "5", "60.0 %", "1"],
        ["February 2026", "3", "0", "1", "1", "0", "1", "0", "0", "—", "1"],
        ["March 2026", "0", "0", "0", "0", "0", "0", "0", "0", "—", "0"],
        ["April 2026", "2", "2", "0", "0", "0", "1", "1", "1", "100.0 %", "0"],
    ]
    assert [c.display for c in table.total] == [
        "Whole period",
        "5",
        "3",
        "2",
        "1",
        "1",
        "4",
        "4",
        "6",
        "66.7 %",
        "2",
    ]


EXPECTED_FILE_ROWS = [
    ["2026-01", 3, 1, 1, 0, 1, 2, 3, 5, 60.0, 1],
    ["2026-02", 3, 0, 1, 1, 0, 1, 0, 0, None, 1],
    ["2026-03", 0, 0, 0, 0, 0, 0, 0, 0, None, 0],
    ["2026-04", 2, 2, 0, 0, 0, 1, 1, 1, 100.0, 0],
    ["Whole period", 5, 3, 2, 1, 1, 4, 4, 6, 66.7, 2],
]
HEADER = [
    "Month",
    "Active volunteers",
    "New volunteers",
    "Courses completed: all courses",
    FORMULA,
    "Listening",
    "Supervision sessions held",
    "Attendances",
    "Seats with attendance marked",
    "Attendance rate (%)",
    "Debriefs given",
]


def test_csv_download(seeded, coordinator_client, frozen):
    response = coordinator_client.get(
        report_url(seeded["team"], start="2026-01", end="2026-04", format="csv")
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="report-2026-01-2026-04.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    # The formula-looking title is neutralised: a spreadsheet shows it as text.
    assert rows[0] == [*HEADER[:4], "'" + FORMULA, *HEADER[5:]]
    expected = [["" if v is None else str(v) for v in row] for row in EXPECTED_FILE_ROWS]
    assert rows[1:] == expected


def xlsx_cells(content: bytes, sheet: int = 1) -> dict[str, tuple[str, str]]:
    """Cell reference -> (type, value) of a sheet, shared strings resolved; a formula would
    show as type "formula"."""
    namespace = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        strings = [
            "".join(t.text or "" for t in item.iter(f"{{{namespace['m']}}}t"))
            for item in ElementTree.fromstring(archive.read("xl/sharedStrings.xml")).findall(
                "m:si", namespace
            )
        ]
        sheet_xml = archive.read(f"xl/worksheets/sheet{sheet}.xml")
    cells = {}
    for cell in ElementTree.fromstring(sheet_xml).iter(f"{{{namespace['m']}}}c"):
        if cell.find("m:f", namespace) is not None:
            cells[cell.get("r")] = ("formula", "")
            continue
        value = cell.find("m:v", namespace)
        if value is None:
            cells[cell.get("r")] = ("blank", "")
        elif cell.get("t") == "s":
            cells[cell.get("r")] = ("text", strings[int(value.text)])
        else:
            cells[cell.get("r")] = ("number", value.text)
    return cells


def column_letter(index: int) -> str:
    return chr(ord("A") + index)


def test_xlsx_download(seeded, coordinator_client, frozen):
    response = coordinator_client.get(
        report_url(seeded["team"], start="2026-01", end="2026-04", format="xlsx")
    )
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == 'attachment; filename="report-2026-01-2026-04.xlsx"'
    cells = xlsx_cells(response.content)
    assert all(kind != "formula" for kind, _value in cells.values())
    for column, label in enumerate(HEADER):
        assert cells[f"{column_letter(column)}1"] == ("text", label)
    for row_number, row in enumerate(EXPECTED_FILE_ROWS, start=2):
        for column, value in enumerate(row):
            cell = cells.get(f"{column_letter(column)}{row_number}", ("blank", ""))
            if value is None:
                assert cell[0] == "blank", (row_number, column)
            elif isinstance(value, str):
                assert cell == ("text", value), (row_number, column)
            else:
                assert cell[0] == "number", (row_number, column)
                assert float(cell[1]) == pytest.approx(value), (row_number, column)
    # The definitions travel with the figures.
    definitions = xlsx_cells(response.content, sheet=2)
    assert definitions["A1"] == ("text", "Active volunteers")


def test_the_file_name_names_the_team_only_outside_discreet_mode(seeded, coordinator_client):
    team = seeded["team"]
    team.discreet_mode = False
    team.save()
    with time_machine.travel(NOW, tick=False):
        for kind in ("csv", "xlsx"):
            response = coordinator_client.get(
                report_url(team, start="2026-01", end="2026-04", format=kind)
            )
            assert response["Content-Disposition"] == (
                f'attachment; filename="report-night-line-2026-01-2026-04.{kind}"'
            )
            assert response["Content-Disposition"].startswith("attachment;")


def test_xlsx_keeps_any_title_as_text(db):
    """Text that spreadsheet programs would turn into a formula, a link or a number."""
    team = TeamFactory()
    volunteer = person(team, Role.VOLUNTEER, utc(1, 1, year=2025))
    titles = ["=1+1", "+SUM(A1:A2)", "-2", "@cmd", "https://example.org/", "0012"]
    for number, title in enumerate(titles):
        course = make_course(title=title, slug=f"c{number}", modules=1, questions_per_module=1)
        completion(volunteer, course, utc(1, 10))
    report = team_report(team=team, start=JAN, end=JAN, now=NOW)
    cells = xlsx_cells(report_xlsx_bytes(report))
    header = {value for (kind, value) in cells.values() if kind == "text"}
    assert set(titles) <= header
    assert all(kind != "formula" for kind, _value in cells.values())
    with zipfile.ZipFile(io.BytesIO(report_xlsx_bytes(report))) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "hyperlink" not in sheet.lower()


# --- Who may see it ------------------------------------------------------------------------


def client_for(user):
    client = Client()
    if user is not None:
        sign_in(client, user)
    return client


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("volunteer", 404),
        ("supervisor", 404),
        ("other_coordinator", 404),
        ("coordinator", 200),
        ("site_admin", 200),
    ],
)
def test_who_may_see_the_report(seeded, role, status):
    team = seeded["team"]
    users = {
        "anonymous": None,
        "outsider": UserFactory(),
        "volunteer": seeded["volunteer"],
        "supervisor": seeded["supervisor"],
        "other_coordinator": member(seeded["other"], Role.COORDINATOR),
        "coordinator": seeded["coordinator"],
        "site_admin": UserFactory(is_staff=True, is_superuser=True),
    }
    user = users[role]
    if role == "site_admin":
        enrol_totp(user)
    client = client_for(user)
    for query in ({}, {"format": "csv"}, {"format": "xlsx"}):
        response = client.get(report_url(team, **query))
        assert response.status_code == status, (role, query)
        if status == 302:
            assert "/accounts/login/" in response["Location"]
        if status == 404:
            assert seeded["team"].name not in response.content.decode()


def test_a_coordinator_of_team_a_gets_404_for_team_b(seeded):
    a_coordinator = seeded["coordinator"]
    response = client_for(a_coordinator).get(report_url(seeded["other"]))
    assert response.status_code == 404


def test_the_team_page_links_to_the_report_for_coordinators_only(seeded):
    team = seeded["team"]
    url = reverse("people:team_detail", kwargs={"slug": team.slug})
    link = reverse("reports:team_report", kwargs={"slug": team.slug})
    assert link in client_for(seeded["coordinator"]).get(url).content.decode()
    for key in ("volunteer", "supervisor"):
        assert link not in client_for(seeded[key]).get(url).content.decode()


def test_only_get(seeded, coordinator_client):
    assert coordinator_client.post(report_url(seeded["team"])).status_code == 405


# --- Bad periods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-03", "end": "2026-01"}, "cannot be before the first"),
        ({"start": "2020-01", "end": "2025-01"}, "at most 60 months"),
        ({"start": "2026-01", "end": "2026-05"}, "this month at the latest"),
        ({"start": "garbage"}, "like 2026-03"),
        ({"start": "2026-13"}, "like 2026-03"),
        ({"start": "1999-12"}, "like 2026-03"),
        ({"end": "2026-1"}, "like 2026-03"),
        ({"end": "9" * 500}, ""),
        ({"start": "2026-01%00"}, ""),
        ({"start": "-2026-01"}, "like 2026-03"),
        ({"format": "pdf"}, "Choose the page, CSV or XLSX"),
    ],
)
def test_bad_periods_get_a_form_error(seeded, coordinator_client, frozen, query, message):
    for fmt in ("", "csv"):
        request = {**query} if "format" in query or not fmt else {**query, "format": fmt}
        response = coordinator_client.get(report_url(seeded["team"], **request))
        assert response.status_code == 400, request
        assert response["Content-Type"].startswith("text/html")
        html = response.content.decode()
        assert "is-invalid" in html or "alert" in html
        if message:
            assert message in html


def test_sixty_months_are_fine(seeded, coordinator_client, frozen):
    response = coordinator_client.get(report_url(seeded["team"], start="2021-05", end="2026-04"))
    assert response.status_code == 200
    assert len(response.context["report"].months) == 60


def test_only_a_start_keeps_the_default_end(seeded, coordinator_client, frozen):
    response = coordinator_client.get(report_url(seeded["team"], start="2026-02"))
    assert response.status_code == 200
    assert [m.month for m in response.context["report"].months] == [FEB, MAR, APR]


# --- Queries -------------------------------------------------------------------------------


def busy_team(courses, volunteers: int):
    """A team whose volunteers each completed both courses, booked, attended and asked for
    a debrief, across two months."""
    listening, formula = courses
    team = TeamFactory()
    supervisor = person(team, Role.SUPERVISOR, utc(1, 1, year=2025))
    group = make_group(team, supervisors=[supervisor])
    first, second = session(group, utc(1, 15, 16)), session(group, utc(2, 15, 16))
    for number in range(volunteers):
        volunteer = person(team, Role.VOLUNTEER, utc(1, 1 + number % 20))
        completion(volunteer, listening, utc(1, 25))
        completion(volunteer, formula, utc(2, 3))
        seat(first, volunteer, booked=utc(1, 25), attendance=Attendance.ATTENDED)
        seat(second, volunteer, booked=utc(2, 3), attendance=Attendance.ABSENT)
        ModuleProgress.objects.create(
            user=volunteer, module_key=uuid.uuid4(), course_key=uuid.uuid4(), read_at=utc(2, 4)
        )
        DebriefRequest.objects.create(
            team=team,
            requester=volunteer,
            urgency="today",
            created_at=utc(2, 5),
            status=DebriefStatus.CLOSED,
            taken_by=supervisor,
            closed_at=utc(2, 6),
        )
    coordinator = person(team, Role.COORDINATOR, utc(1, 1, year=2025))
    enrol_totp(coordinator)
    return team, coordinator


def test_the_number_of_queries_does_not_grow_with_the_team(courses, django_assert_num_queries):
    small, small_coordinator = busy_team(courses, 1)
    large, large_coordinator = busy_team(courses, 25)
    team_report(team=small, start=JAN, end=APR, now=NOW)  # per-process memories warmed
    with CaptureQueriesContext(connection) as captured:
        team_report(team=small, start=JAN, end=APR, now=NOW)
    with django_assert_num_queries(len(captured)):
        report = team_report(team=large, start=JAN, end=APR, now=NOW)
    assert report.total.active_volunteers == 25
    assert report.total.attendances == 25
    assert report.total.debriefs_given == 25

    # The page and its files, too.
    with time_machine.travel(NOW, tick=False):
        counts = {}
        for name, team, coordinator in (
            ("small", small, small_coordinator),
            ("large", large, large_coordinator),
        ):
            client = client_for(coordinator)
            for kind in ("", "csv", "xlsx"):
                url = report_url(team, start="2026-01", end="2026-04", format=kind)
                client.get(url)  # warm
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                counts[(name, kind)] = len(captured)
    for kind in ("", "csv", "xlsx"):
        assert counts[("small", kind)] == counts[("large", kind)], kind


def test_the_report_itself_is_a_handful_of_queries(seeded):
    team_report(team=seeded["team"], start=JAN, end=APR, now=NOW)
    with CaptureQueriesContext(connection) as captured:
        team_report(team=seeded["team"], start=JAN, end=APR, now=NOW)
    assert len(captured) <= 7
    assert not any(re.search(r"display_name|email", q["sql"]) for q in captured)


# --- Charts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "top"), [(0, 4), (3, 4), (7, 8), (9, 12), (100, 100), (101, 120), (2001, 4000)]
)
def test_a_chart_scale_ends_on_four_whole_steps(value, top):
    assert nice_maximum(value) == top
    assert top % 4 == 0


def test_bars_stand_on_the_axis_and_labels_stay_on_the_chart():
    chart = bar_chart([(f"Month {i}", i) for i in range(24)])
    assert len(chart.bars) == 24
    assert all(round(bar.y + bar.height, 1) == chart.bottom for bar in chart.bars)
    assert chart.bars[-1].height > chart.bars[1].height > chart.bars[0].height == 0
    assert [label for _x, label, _anchor in chart.x_axis] == [
        "Month 0",
        "Month 8",
        "Month 15",
        "Month 23",
    ]
    assert [anchor for _x, _label, anchor in chart.x_axis] == ["start", "middle", "middle", "end"]
    assert not chart.empty
    assert bar_chart([("Only", 0)]).empty


def test_a_line_goes_through_every_point():
    chart = line_chart([("a", 1), ("b", 4)], axis_labels=["A", "B"])
    assert chart.polyline == " ".join(f"{p.x},{p.y}" for p in chart.points)
    assert [label for _x, label in chart.x_labels] == ["A", "B"]
    assert chart.points[1].y == chart.y_ticks[-1][0]  # 4 is the top of the scale
