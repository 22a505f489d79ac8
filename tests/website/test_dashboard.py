"""The coordinators' dashboard: each panel from its app's selectors, filters that work, the
same number of queries for a small and a larger team, and nobody else sees it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseAssignment
from people.models import Role
from supervision.models import Attendance, Booking, BookingStatus
from supervision.team_overview import (
    months_back,
    team_attendance_months,
    team_debriefs_waiting,
    team_fill_rate,
)
from tests.courses.factories import make_course
from tests.courses.test_results_and_compliance import finish_course
from tests.people.factories import TeamFactory, UserFactory, member, sign_in
from tests.supervision.factories import make_debrief, make_group, make_session
from tests.wellbeing.factories import pulse

pytestmark = pytest.mark.django_db


def dashboard_url(team, **query):
    url = reverse("team_dashboard", kwargs={"slug": team.slug})
    if query:
        from urllib.parse import urlencode

        url += "?" + urlencode(query)
    return url


def attended(user, session):
    return Booking.objects.create(
        session=session, user=user, status=BookingStatus.CONFIRMED, attendance=Attendance.ATTENDED
    )


# --- Who sees it ----------------------------------------------------------------------------


def test_coordinators_see_the_dashboard(client, team, coordinator):
    sign_in(client, coordinator)
    response = client.get(dashboard_url(team))
    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.SUPERVISOR])
def test_other_roles_of_the_team_are_refused(client, team, role):
    sign_in(client, member(team, role))
    assert client.get(dashboard_url(team)).status_code == 403


def test_a_coordinator_of_another_team_finds_nothing(client, team):
    sign_in(client, member(TeamFactory(), Role.COORDINATOR))
    assert client.get(dashboard_url(team)).status_code == 404


def test_the_anonymous_are_sent_to_sign_in(client, team):
    response = client.get(dashboard_url(team))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_site_admin_sees_it_without_the_wellbeing_panel(client, team, coordinator):
    for _ in range(5):
        pulse(member(team, Role.VOLUNTEER))
    admin = UserFactory(is_superuser=True, is_staff=True)
    sign_in(client, admin, second_factor=True)
    page = client.get(dashboard_url(team)).content.decode()
    assert 'id="continuity"' in page
    assert 'id="wellbeing"' not in page
    # Only links a site admin can open: not the team's own pages, which need a role.
    for name in ("courses:team_training", "supervision:team", "people:team_detail"):
        assert reverse(name, kwargs={"slug": team.slug}) + '"' not in page
    assert reverse("reports:team_report", kwargs={"slug": team.slug}) in page
    sign_in(client, coordinator)
    assert 'id="wellbeing"' in client.get(dashboard_url(team)).content.decode()


# --- What it shows --------------------------------------------------------------------------


def test_training_states_and_filters(client, team, coordinator):
    course = make_course(title="Listening", modules=1)
    CourseAssignment.objects.create(
        team=team, course=course, due_date=timezone.localdate() - timedelta(days=1)
    )
    done = member(team, Role.VOLUNTEER, display_name="Anna Done")
    member(team, Role.VOLUNTEER, display_name="Boris Late")
    finish_course(done, course)
    sign_in(client, coordinator)
    page = client.get(dashboard_url(team)).content.decode()
    assert "Anna Done" in page and "Boris Late" in page
    overdue = client.get(dashboard_url(team, training="overdue")).content.decode()
    assert (
        "Boris Late" in overdue
        and "Anna Done" not in overdue.split('id="training"')[1].split('id="supervision"')[0]
    )
    complete = client.get(dashboard_url(team, training="complete")).content.decode()
    training = complete.split('id="training"')[1].split('id="supervision"')[0]
    assert "Anna Done" in training and "Boris Late" not in training
    named = client.get(dashboard_url(team, name="bor")).content.decode()
    training = named.split('id="training"')[1].split('id="supervision"')[0]
    assert "Boris Late" in training and "Anna Done" not in training
    least = client.get(dashboard_url(team, sort="least_done")).content.decode()
    training = least.split('id="training"')[1]
    assert training.index("Boris Late") < training.index("Anna Done")


def test_attendance_per_month_fill_rate_and_debriefs(team, coordinator, supervisor):
    now = timezone.now()
    volunteer = member(team, Role.VOLUNTEER, display_name="Ilze")
    group = make_group(team, supervisors=[supervisor])
    past = make_session(group, starts_at=now - timedelta(days=2))
    attended(volunteer, past)
    attended(coordinator, past)
    long_ago = make_session(group, starts_at=now - timedelta(days=400))
    attended(volunteer, long_ago)  # outside the twelve months
    coming = make_session(group, starts_at=now + timedelta(days=5), capacity=4)
    Booking.objects.create(session=coming, user=volunteer, status=BookingStatus.CONFIRMED)
    months = team_attendance_months(team=team, now=now)
    assert len(months.months) == 12 and months.months[-1] == timezone.localdate(now).replace(day=1)
    assert sum(months.row(volunteer.pk)) == 1
    assert months.totals[timezone.localdate(past.starts_at).replace(day=1)] == 2
    fill = team_fill_rate(team=team, now=now)
    assert (fill.sessions, fill.seats, fill.taken, fill.percent) == (1, 4, 1, 25)
    make_debrief(team, volunteer, urgency="today", created_at=now - timedelta(hours=5))
    make_debrief(team, volunteer, urgency="this_week", created_at=now - timedelta(hours=5))
    waiting = team_debriefs_waiting(team=team, now=now)
    assert (waiting.waiting, waiting.overdue, waiting.oldest_hours) == (2, 1, 5)


def test_months_back_crosses_the_year():
    from datetime import date

    assert months_back(today=date(2026, 2, 14), count=4) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_the_page_shows_no_debrief_note_or_requester(client, team, coordinator):
    volunteer = member(team, Role.VOLUNTEER, display_name="Quiet Person")
    make_debrief(
        team,
        volunteer,
        urgency="today",
        note="a very hard call",
        created_at=timezone.now() - timedelta(hours=4),
    )
    sign_in(client, coordinator)
    page = client.get(dashboard_url(team)).content.decode()
    supervision = page.split('id="supervision"')[1].split("attendance-grid")[0]
    assert "a very hard call" not in page
    assert "Quiet Person" not in supervision
    assert "waited longer than its urgency allows" in page


def test_continuity_panel_and_warning(client, team, coordinator):
    sign_in(client, coordinator)
    page = client.get(dashboard_url(team)).content.decode()
    assert "Keep at least two" in page  # one coordinator only
    member(team, Role.COORDINATOR, display_name="Second Coordinator")
    page = client.get(dashboard_url(team)).content.decode()
    assert "Keep at least two" not in page
    assert "Second Coordinator" in page and "Never" in page


def test_wellbeing_totals_need_five_people(client, team, coordinator):
    people = [member(team, Role.VOLUNTEER) for _ in range(5)]
    for person in people[:4]:
        pulse(person)
    sign_in(client, coordinator)
    page = client.get(dashboard_url(team)).content.decode()
    assert "chart-pulse-title" not in page
    pulse(people[4])
    page = client.get(dashboard_url(team)).content.decode()
    assert "chart-pulse-title" in page


@pytest.mark.parametrize(
    "query",
    [
        {"training": "nonsense"},
        {"sort": "<script>"},
        {"attendance": "x"},
        {"tpage": "0"},
        {"apage": "9" * 40},
        {"name": "x" * 500},
    ],
)
def test_bad_filters_get_a_message_not_an_error(client, team, coordinator, query):
    sign_in(client, coordinator)
    response = client.get(dashboard_url(team, **query))
    assert response.status_code == 400
    assert "Dashboard" in response.content.decode()


def test_a_page_past_the_end_shows_the_last(client, team, coordinator):
    sign_in(client, coordinator)
    assert client.get(dashboard_url(team, tpage=50, apage=50)).status_code == 200


def test_queries_do_not_grow_with_the_team(client, team, coordinator, supervisor):
    course = make_course(title="Listening", modules=1)
    CourseAssignment.objects.create(team=team, course=course, due_date="2099-01-01")
    group = make_group(team, supervisors=[supervisor])
    session = make_session(group, starts_at=timezone.now() - timedelta(days=3))
    sign_in(client, coordinator)

    def grow(count):
        for _ in range(count):
            volunteer = member(team, Role.VOLUNTEER)
            finish_course(volunteer, course)
            attended(volunteer, session)
            pulse(volunteer)
        make_debrief(team, volunteer)

    grow(5)
    client.get(dashboard_url(team))  # warm the page caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(dashboard_url(team))
    grow(30)
    client.get(dashboard_url(team))  # the summary is built again once, then kept
    with CaptureQueriesContext(connection) as large:
        response = client.get(dashboard_url(team))
    assert response.status_code == 200
    assert len(large.captured_queries) <= len(small.captured_queries), "\n".join(
        q["sql"][:300] for q in large.captured_queries
    )


def test_the_kept_summary_follows_every_change(client, team, coordinator, supervisor):
    """The summary is kept between requests; whatever it reads changing shows at once."""
    course = make_course(title="Listening", modules=1)
    CourseAssignment.objects.create(team=team, course=course, due_date="2099-01-01")
    volunteer = member(team, Role.VOLUNTEER, display_name="Anna")
    sign_in(client, coordinator)

    def glance():
        page = client.get(dashboard_url(team)).content.decode()
        return page.split('id="training"')[1].split("</p>")[0]

    assert "Complete: 0" in glance()
    finish_course(volunteer, course)
    assert "Complete: 1" in glance()
    group = make_group(team, supervisors=[supervisor])
    session = make_session(group, starts_at=timezone.now() - timedelta(days=1))
    booking = Booking.objects.create(
        session=session, user=volunteer, status=BookingStatus.CONFIRMED
    )
    before = client.get(dashboard_url(team)).content.decode().split("attendance-grid")[1]
    booking.attendance = Attendance.ATTENDED
    booking.save()
    after = client.get(dashboard_url(team)).content.decode().split("attendance-grid")[1]
    assert before != after and "Up to date" in after
    volunteer.display_name = "Anna Renamed"
    volunteer.save()
    assert "Anna Renamed" in client.get(dashboard_url(team, name="renamed")).content.decode()


def test_the_grouped_statuses_agree_with_the_per_person_rule(team, coordinator, supervisor):
    """The dashboard's one-query statuses and the team page's per-person rule say the same
    for people who came recently, long ago, never, or only today."""
    from supervision.selectors import team_attendance
    from supervision.team_overview import team_attendance_statuses

    now = timezone.now()
    group = make_group(team, supervisors=[supervisor])
    moments = {
        "recent": [now - timedelta(days=3)],
        "twice": [now - timedelta(days=3), now - timedelta(days=20)],
        "lately": [now - timedelta(days=45)],
        "long ago": [now - timedelta(days=90)],
        "edge": [now - timedelta(days=29, hours=23)],
    }
    for name, times in moments.items():
        person = member(team, Role.VOLUNTEER, display_name=name)
        person.memberships.update(created_at=now - timedelta(days=200))
        for moment in times:
            attended(person, make_session(group, starts_at=moment))
    member(team, Role.VOLUNTEER, display_name="newcomer")
    expected = {row.membership.user_id: row.status for row in team_attendance(team=team, now=now)}
    grouped = {
        user_id: status for user_id, _name, status in team_attendance_statuses(team=team, now=now)
    }
    assert grouped == expected
    assert len(set(grouped.values())) == 3
