"""Attendance: the supervisor marks who came, corrections keep their history, and each member
is up to date, due or overdue against the team's expectation."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from people.models import Membership, Role, Team
from supervision import services
from supervision.models import Attendance, AttendanceChange, Booking, TeamSupervisionSettings
from supervision.selectors import (
    AttendanceStatus,
    attendance_status,
    my_attendance,
    team_attendance,
)
from tests.people.factories import TeamFactory, member, sign_in
from tests.supervision.factories import make_group, make_session

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 22)
S = AttendanceStatus


@pytest.mark.parametrize(
    ("attended", "joined", "per_month", "expected"),
    [
        ([date(2026, 11, 3)], date(2025, 1, 1), 1, S.UP_TO_DATE),
        ([date(2026, 10, 24)], date(2025, 1, 1), 1, S.UP_TO_DATE),  # 29 days ago
        ([date(2026, 10, 23)], date(2025, 1, 1), 1, S.DUE),  # 30 days ago: last month's
        ([date(2026, 10, 6)], date(2025, 1, 1), 1, S.DUE),
        ([date(2026, 9, 24)], date(2025, 1, 1), 1, S.DUE),  # 59 days ago
        ([date(2026, 9, 23)], date(2025, 1, 1), 1, S.OVERDUE),  # 60 days ago
        ([], date(2025, 1, 1), 1, S.OVERDUE),
        ([], date(2026, 11, 1), 1, S.DUE),  # joined three weeks ago: not overdue yet
        ([], date(2026, 10, 24), 1, S.DUE),
        ([], date(2026, 10, 23), 1, S.OVERDUE),
        ([date(2026, 11, 3)], date(2025, 1, 1), 2, S.DUE),
        ([date(2026, 11, 3), date(2026, 11, 17)], date(2025, 1, 1), 2, S.UP_TO_DATE),
        ([date(2026, 10, 1), date(2026, 10, 15)], date(2025, 1, 1), 2, S.DUE),
        ([date(2026, 10, 1)], date(2025, 1, 1), 2, S.DUE),
        ([date(2026, 9, 1), date(2026, 9, 15)], date(2025, 1, 1), 2, S.OVERDUE),
        ([date(2026, 12, 1)], date(2025, 1, 1), 1, S.OVERDUE),  # a future date counts for nothing
    ],
)
def test_attendance_status_table(attended, joined, per_month, expected):
    assert (
        attendance_status(attended=attended, joined=joined, today=TODAY, per_month=per_month)
        == expected
    )


@pytest.fixture
def group(team, supervisor):
    return make_group(team, supervisors=[supervisor])


def at(day: date, hour=18):
    return datetime(day.year, day.month, day.day, hour - 2, tzinfo=UTC)


def old_member(team, role=Role.VOLUNTEER, **kwargs):
    person = member(team, role, **kwargs)
    Membership.objects.filter(user=person).update(created_at=at(date(2025, 1, 1)))
    return person


def seated(session, *people, now):
    return [services.booking_create(session=session, user=p, now=now) for p in people]


def test_a_supervisor_marks_attendance_and_every_change_is_kept(group, team, supervisor):
    a, b, c = (old_member(team) for _ in range(3))
    session = make_session(group, starts_at=at(date(2026, 11, 3)))
    seats = seated(session, a, b, c, now=at(date(2026, 11, 1)))
    with time_machine.travel(at(date(2026, 11, 3), 20), tick=False):
        changed = services.attendance_mark(
            session=session,
            by=supervisor,
            marks={
                seats[0].pk: Attendance.ATTENDED,
                seats[1].pk: Attendance.ABSENT,
                seats[2].pk: Attendance.EXCUSED,
            },
        )
        assert changed == 3
        # A correction the next day, and marking the same again, which changes nothing.
        services.attendance_mark(
            session=session, by=supervisor, marks={seats[1].pk: Attendance.ATTENDED}
        )
        assert (
            services.attendance_mark(
                session=session, by=supervisor, marks={seats[1].pk: Attendance.ATTENDED}
            )
            == 0
        )
    history = list(AttendanceChange.objects.filter(booking=seats[1]).values_list("before", "after"))
    assert history == [("", "absent"), ("absent", "attended")]
    assert AttendanceChange.objects.filter(changed_by=supervisor).count() == 4
    assert dict(Booking.objects.filter(session=session).values_list("user", "attendance")) == {
        a.pk: "attended",
        b.pk: "attended",
        c.pk: "excused",
    }


def test_walk_ins_are_added_as_attended(group, team, supervisor):
    came = old_member(team)
    session = make_session(group, starts_at=at(date(2026, 11, 3)))
    with time_machine.travel(at(date(2026, 11, 3), 20), tick=False):
        services.attendance_mark(session=session, by=supervisor, marks={}, walk_ins=[came])
        services.attendance_mark(session=session, by=supervisor, marks={}, walk_ins=[came])
    walk_in = Booking.objects.get(session=session, user=came)
    assert walk_in.walk_in and walk_in.attendance == Attendance.ATTENDED
    assert walk_in.added_by == supervisor
    assert AttendanceChange.objects.filter(booking=walk_in).count() == 1


def test_attendance_waits_for_the_start_and_for_the_right_person(
    group, team, supervisor, coordinator, volunteer
):
    session = make_session(group, starts_at=at(date(2026, 11, 3)))
    (seat,) = seated(session, volunteer, now=at(date(2026, 11, 1)))
    with time_machine.travel(at(date(2026, 11, 3), 17), tick=False):
        with pytest.raises(ValidationError) as error:
            services.attendance_mark(session=session, by=supervisor, marks={seat.pk: "attended"})
        assert "once the session has started" in error.value.messages[0]
    other_supervisor = member(team, Role.SUPERVISOR)
    with time_machine.travel(at(date(2026, 11, 3), 20), tick=False):
        for person in (volunteer, coordinator, other_supervisor):
            with pytest.raises(PermissionDenied):
                services.attendance_mark(session=session, by=person, marks={seat.pk: "attended"})
        with pytest.raises(ValidationError):
            services.attendance_mark(session=session, by=supervisor, marks={seat.pk: "brilliant"})
        with pytest.raises(ValidationError):
            services.attendance_mark(session=session, by=supervisor, marks={999999: "attended"})
        with pytest.raises(ValidationError):
            services.attendance_mark(
                session=session,
                by=supervisor,
                marks={},
                walk_ins=[member(TeamFactory(), "volunteer")],
            )
    assert not AttendanceChange.objects.exists()


def test_team_attendance_shows_each_member_against_the_expectation(group, team, supervisor):
    regular = old_member(team, display_name="Regular")
    lapsed = old_member(team, display_name="Lapsed")
    never = old_member(team, display_name="Never")
    newcomer = member(team, Role.VOLUNTEER, display_name="Newcomer")
    coordinator = old_member(team, Role.COORDINATOR, display_name="Coordinator")
    Membership.objects.filter(user=newcomer).update(created_at=at(date(2026, 11, 10)))
    coordinators = make_group(team, supervisors=[supervisor], audience="coordinators")
    october = make_session(group, starts_at=at(date(2026, 10, 6)))
    november = make_session(group, starts_at=at(date(2026, 11, 3)))
    their_own = make_session(coordinators, starts_at=at(date(2026, 11, 10)))
    for session, person in ((october, lapsed), (november, regular), (their_own, coordinator)):
        (seat,) = seated(session, person, now=session.starts_at - timedelta(days=3))
        services.attendance_mark(
            session=session,
            by=supervisor,
            marks={seat.pk: "attended"},
            now=session.starts_at + timedelta(hours=1),
        )
    with time_machine.travel(at(TODAY, 12), tick=False):
        rows = {row.membership.user.display_name: row for row in team_attendance(team=team)}
        assert {name: row.status for name, row in rows.items()} == {
            "Coordinator": S.UP_TO_DATE,
            "Lapsed": S.DUE,
            "Never": S.OVERDUE,
            "Newcomer": S.DUE,
            "Regular": S.UP_TO_DATE,
        }
        assert rows["Regular"].last == date(2026, 11, 3)
        assert "Supervisor" not in rows  # supervisors run sessions; they are not counted
        assert my_attendance(user=never, team=team).status == S.OVERDUE
        TeamSupervisionSettings.objects.update_or_create(
            team=team, defaults={"sessions_per_month": 2}
        )
        team = Team.objects.get(pk=team.pk)
        assert my_attendance(user=regular, team=team).status == S.DUE


def test_a_seat_or_an_excuse_is_not_supervision_received(group, team, supervisor):
    """Only attending counts: someone excused (or booked and absent) is still overdue."""
    excused, absent, attended = (old_member(team) for _ in range(3))
    session = make_session(group, starts_at=at(date(2026, 11, 3)))
    seats = seated(session, excused, absent, attended, now=at(date(2026, 11, 1)))
    services.attendance_mark(
        session=session,
        by=supervisor,
        marks=dict(zip([s.pk for s in seats], ["excused", "absent", "attended"], strict=True)),
        now=at(date(2026, 11, 4)),
    )
    with time_machine.travel(at(TODAY, 12), tick=False):
        assert my_attendance(user=excused, team=team).status == S.OVERDUE
        assert my_attendance(user=absent, team=team).status == S.OVERDUE
        assert my_attendance(user=attended, team=team).status == S.UP_TO_DATE


def test_the_attendance_page_marks_and_shows_errors(client, group, team, supervisor):
    person = old_member(team, display_name="Marked")
    session = make_session(group, starts_at=at(date(2026, 11, 3)))
    (seat,) = seated(session, person, now=at(date(2026, 11, 1)))
    url = reverse("supervision:session_attendance", kwargs={"pk": session.pk})
    with time_machine.travel(at(date(2026, 11, 3), 20), tick=True):
        sign_in(client, supervisor)
        page = client.get(url)
        assert page.status_code == 200 and "Marked" in page.content.decode()
        bad = client.post(url, {f"booking-{seat.pk}": "brilliant", "walk_ins": ["x"]})
        assert bad.status_code == 400
        assert "Select a valid choice" in bad.content.decode()
        done = client.post(url, {f"booking-{seat.pk}": "attended"})
        assert done.status_code == 302
    seat.refresh_from_db()
    assert seat.attendance == "attended"


def test_the_volunteers_own_status_is_on_their_pages_and_nobody_elses(
    client, group, team, supervisor
):
    person = old_member(team)
    other = old_member(team, display_name="Someone Else")
    with time_machine.travel(at(TODAY, 12), tick=True):
        sign_in(client, person)
        page = client.get(reverse("supervision:home")).content.decode()
        assert "Overdue" in page
        assert "Someone Else" not in page
        response = client.get(reverse("supervision:team", kwargs={"slug": team.slug}))
        assert response.status_code == 403
    assert other.pk
