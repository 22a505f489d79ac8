"""Supervision pages for every role: who gets a page, who gets "not found" (a session, team or
request they have no business knowing about) and who gets "forbidden" (a member of the team
whose role does not include the action); bad input on every form answers 400 with the reason,
never a 500; and list pages stay within their query budgets."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from supervision import services
from supervision.models import (
    Audience,
    Booking,
    BookingStatus,
    Format,
    Session,
    SupervisionGroup,
    TeamSupervisionSettings,
)
from supervision.permissions import (
    can_book,
    can_manage_supervision,
    can_mark_attendance,
    can_run_session,
    can_see_meeting_details,
    can_view_session,
)
from tests.people.factories import TeamFactory, member, sign_in
from tests.supervision.factories import make_debrief, make_group, make_session, make_slot

pytestmark = pytest.mark.django_db

LINK = "https://meet.example.org/secret-room-42"


@pytest.fixture
def world(team, coordinator, supervisor, volunteer):
    """Team A: a chosen-people group with one member; a second volunteer outside it; a second
    supervisor of the team who does not run the group. Team B: its own supervisor and
    coordinator, who must see nothing of team A."""
    other_volunteer = member(team, Role.VOLUNTEER, display_name="Not in the group")
    other_supervisor = member(team, Role.SUPERVISOR, display_name="Other supervisor")
    group = make_group(
        team,
        supervisors=[supervisor],
        audience=Audience.CHOSEN,
        members=[volunteer],
        meeting_link=LINK,
    )
    session = make_session(group)
    seat = services.booking_create(session=session, user=volunteer)
    elsewhere = TeamFactory(name="Trust line", slug="trust-line")
    return {
        "team": team,
        "group": group,
        "session": session,
        "seat": seat,
        "anonymous": None,
        "member": volunteer,
        "outside volunteer": other_volunteer,
        "coordinator": coordinator,
        "group supervisor": supervisor,
        "other supervisor": other_supervisor,
        "team B supervisor": member(elsewhere, Role.SUPERVISOR, display_name="B supervisor"),
        "team B coordinator": member(elsewhere, Role.COORDINATOR, display_name="B coordinator"),
        "no team": member(elsewhere, Role.VOLUNTEER, display_name="B volunteer"),
    }


PERSONS = [
    "anonymous",
    "member",
    "outside volunteer",
    "coordinator",
    "group supervisor",
    "other supervisor",
    "team B supervisor",
    "team B coordinator",
]

# (url name, kwargs from the world) → expected GET status per person; 302 is the login page.
PAGES = {
    "session": {
        "anonymous": 302,
        "member": 200,
        "outside volunteer": 404,
        "coordinator": 200,
        "group supervisor": 200,
        "other supervisor": 404,
        "team B supervisor": 404,
        "team B coordinator": 404,
    },
    "session_ics": {
        "anonymous": 302,
        "member": 200,
        "outside volunteer": 404,
        "coordinator": 200,
        "group supervisor": 200,
        "other supervisor": 404,
        "team B supervisor": 404,
        "team B coordinator": 404,
    },
    "session_edit": {
        "anonymous": 302,
        "member": 403,
        "outside volunteer": 404,
        "coordinator": 200,
        "group supervisor": 200,
        "other supervisor": 404,
        "team B supervisor": 404,
        "team B coordinator": 404,
    },
    "session_cancel": {
        "anonymous": 302,
        "member": 403,
        "outside volunteer": 404,
        "coordinator": 200,
        "group supervisor": 200,
        "other supervisor": 404,
        "team B supervisor": 404,
        "team B coordinator": 404,
    },
    "session_attendance": {
        "anonymous": 302,
        "member": 403,
        "outside volunteer": 404,
        "coordinator": 403,
        "group supervisor": 200,
        "other supervisor": 404,
        "team B supervisor": 404,
        "team B coordinator": 404,
    },
    "team": {
        "anonymous": 302,
        "member": 403,
        "outside volunteer": 403,
        "coordinator": 200,
        "group supervisor": 200,
        "other supervisor": 200,
        "team B supervisor": 404,
        "team B coordinator": 404,
    },
    "team_settings": {
        "anonymous": 302,
        "member": 403,
        "outside volunteer": 403,
        "coordinator": 200,
        "group supervisor": 403,
        "other supervisor": 403,
        "team B supervisor": 404,
        "team B coordinator": 404,
    },
    "group_create": {
        "anonymous": 302,
        "member": 403,
        "outside volunteer": 403,
        "coordinator": 200,
        "group supervisor": 200,
        "other supervisor": 200,
        "team B supervisor": 404,
        "team B coordinator": 404,
    },
    "group": {
        "anonymous": 302,
        "member": 403,
        "outside volunteer": 403,
        "coordinator": 200,
        "group supervisor": 200,
        "other supervisor": 200,
        "team B supervisor": 404,
        "team B coordinator": 404,
    },
    "slots": {
        "anonymous": 302,
        "member": 403,
        "outside volunteer": 403,
        "coordinator": 403,
        "group supervisor": 200,
        "other supervisor": 200,
        "team B supervisor": 200,
        "team B coordinator": 403,
    },
    "debrief_new": {
        "anonymous": 302,
        "member": 200,
        "outside volunteer": 200,
        "coordinator": 200,
        "group supervisor": 403,
        "other supervisor": 403,
        "team B supervisor": 403,
        "team B coordinator": 200,
    },
    "home": dict.fromkeys(PERSONS, 200) | {"anonymous": 302},
}


def url_for(name, world):
    if name in ("session", "session_ics", "session_edit", "session_cancel", "session_attendance"):
        return reverse(f"supervision:{name}", kwargs={"pk": world["session"].pk})
    if name in ("team", "team_settings", "group_create"):
        return reverse(f"supervision:{name}", kwargs={"slug": world["team"].slug})
    if name == "group":
        return reverse(
            "supervision:group", kwargs={"slug": world["team"].slug, "pk": world["group"].pk}
        )
    return reverse(f"supervision:{name}")


@pytest.mark.parametrize("person", PERSONS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_who_gets_which_page(client, world, name, person):
    if world[person] is not None:
        sign_in(client, world[person])
    response = client.get(url_for(name, world))
    assert response.status_code == PAGES[name][person], (name, person)
    if response.status_code == 302:
        assert response["Location"].startswith("/en/accounts/login/")


@pytest.mark.parametrize("person", PERSONS)
def test_the_meeting_link_is_only_for_seats_and_who_runs_the_session(client, world, person):
    world["team"].discreet_mode = False  # discreet calendars carry no link for anyone
    world["team"].save()
    if world[person] is not None:
        sign_in(client, world[person])
    page = client.get(url_for("session", world)).content.decode()
    ics = client.get(url_for("session_ics", world)).content.decode()
    shown = person in ("member", "coordinator", "group supervisor")
    assert (LINK in page) is shown, person
    assert (LINK in ics) is shown, person


def test_a_member_without_a_seat_sees_the_session_but_not_its_link(client, world, team):
    second = member(team, Role.VOLUNTEER, display_name="Second member")
    world["group"].members.add(second)
    sign_in(client, second)
    page = client.get(url_for("session", world)).content.decode()
    assert LINK not in page
    assert "Book a seat" in page or "Book" in page


# --- Actions that change something, tried by each wrong role ------------------------------


@pytest.mark.parametrize(
    "person", ["outside volunteer", "other supervisor", "team B supervisor", "team B coordinator"]
)
def test_only_a_member_books_a_seat(client, world, person):
    sign_in(client, world[person])
    response = client.post(reverse("supervision:session_book", kwargs={"pk": world["session"].pk}))
    assert response.status_code == 404
    assert not Booking.objects.filter(user=world[person]).exists()


@pytest.mark.parametrize(
    "person", ["outside volunteer", "other supervisor", "team B supervisor", "team B coordinator"]
)
def test_nobody_else_gives_up_my_seat(client, world, person, volunteer):
    sign_in(client, world[person])
    response = client.post(reverse("supervision:booking_cancel", kwargs={"pk": world["seat"].pk}))
    assert response.status_code == 404
    assert Booking.objects.get(pk=world["seat"].pk).status == BookingStatus.CONFIRMED


def test_giving_up_my_seat_leaves_the_session_and_other_seats(client, world, team, volunteer):
    second = member(team, Role.VOLUNTEER, display_name="Second member")
    world["group"].members.add(second)
    theirs = services.booking_create(session=world["session"], user=second)
    sign_in(client, volunteer)
    response = client.post(reverse("supervision:booking_cancel", kwargs={"pk": world["seat"].pk}))
    assert response.status_code == 302
    assert Booking.objects.get(pk=world["seat"].pk).status == BookingStatus.CANCELLED
    assert Booking.objects.get(pk=theirs.pk).status == BookingStatus.CONFIRMED
    assert Session.objects.get(pk=world["session"].pk).status == "scheduled"


@pytest.mark.parametrize(
    "person,status",
    [
        ("member", 403),
        ("outside volunteer", 404),
        ("other supervisor", 404),
        ("team B supervisor", 404),
        ("team B coordinator", 404),
    ],
)
def test_only_who_runs_it_cancels_a_session(client, world, person, status):
    sign_in(client, world[person])
    url = reverse("supervision:session_cancel", kwargs={"pk": world["session"].pk})
    assert client.post(url).status_code == status
    assert Session.objects.get(pk=world["session"].pk).status == "scheduled"


@pytest.mark.parametrize(
    "person,status",
    [("member", 403), ("coordinator", 403), ("other supervisor", 404), ("team B supervisor", 404)],
)
def test_only_the_group_supervisor_marks_attendance(client, world, person, status):
    session = world["session"]
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    sign_in(client, world[person])
    url = reverse("supervision:session_attendance", kwargs={"pk": session.pk})
    response = client.post(url, {f"booking-{world['seat'].pk}": "attended"})
    assert response.status_code == status
    assert Booking.objects.get(pk=world["seat"].pk).attendance == ""


@pytest.mark.parametrize("person,status", [("member", 403), ("team B coordinator", 404)])
def test_only_managers_change_groups(client, world, person, status):
    sign_in(client, world[person])
    group = world["group"]
    url = reverse("supervision:group_edit", kwargs={"slug": world["team"].slug, "pk": group.pk})
    assert client.post(url, {"name": "Renamed"}).status_code == status
    assert SupervisionGroup.objects.get(pk=group.pk).name == group.name


@pytest.mark.parametrize("person", ["member", "coordinator", "outside volunteer"])
def test_only_a_supervisor_of_the_team_takes_a_debrief(client, world, person, volunteer):
    request_ = make_debrief(world["team"], world["outside volunteer"], note="private words")
    if person == "outside volunteer":
        request_ = make_debrief(world["team"], volunteer, note="private words")
    sign_in(client, world[person])
    url = reverse("supervision:debrief_take", kwargs={"pk": request_.pk})
    assert client.post(url).status_code == 404
    request_.refresh_from_db()
    assert request_.taken_by is None


def test_team_b_sees_nothing_of_team_a_debriefs(client, world, volunteer):
    request_ = make_debrief(world["team"], volunteer, note="private words")
    for person in ("team B supervisor", "team B coordinator"):
        client.logout()
        sign_in(client, world[person])
        assert (
            client.get(reverse("supervision:debrief", kwargs={"pk": request_.pk})).status_code
            == 404
        )
        home = client.get(reverse("supervision:home")).content.decode()
        assert "private words" not in home
        assert volunteer.display_name not in home


def test_a_debrief_slot_is_booked_only_by_the_volunteer_it_is_for(client, world, volunteer):
    request_ = make_debrief(
        world["team"], volunteer, status="taken", taken_by=world["group supervisor"]
    )
    slot = make_slot(world["team"], world["group supervisor"], offered_for=request_)
    sign_in(client, world["outside volunteer"])
    url = reverse("supervision:debrief_book", kwargs={"pk": request_.pk})
    assert client.post(url, {"slot": slot.pk}).status_code == 404
    assert not slot.bookings.exists()


# --- Permission rules as a table ----------------------------------------------------------


@pytest.mark.parametrize(
    "person,run,mark,book,view,details,manage",
    [
        ("member", False, False, True, True, True, False),
        ("outside volunteer", False, False, False, False, False, False),
        ("coordinator", True, False, False, True, True, True),
        ("group supervisor", True, True, False, True, True, True),
        ("other supervisor", False, False, False, False, False, True),
        ("team B supervisor", False, False, False, False, False, False),
        ("team B coordinator", False, False, False, False, False, False),
    ],
)
def test_permission_table(world, person, run, mark, book, view, details, manage):
    user, session = world[person], world["session"]
    seat = Booking.objects.filter(session=session, user=user).first()
    assert can_run_session(user=user, session=session) is run
    assert can_mark_attendance(user=user, session=session) is mark
    assert can_book(user=user, session=session) is book
    assert can_view_session(user=user, session=session, booking=seat) is view
    assert can_see_meeting_details(user=user, session=session, booking=seat) is details
    assert can_manage_supervision(user=user, team=world["team"]) is manage


# --- Bad input: 400 with the reason, nothing saved -----------------------------------------


def group_post(world, **changes):
    data = {
        "name": "Evening group",
        "supervisors": [world["group supervisor"].pk],
        "audience": Audience.VOLUNTEERS,
        "capacity": 8,
        "format": Format.ONLINE,
        "meeting_link": "https://meet.example.org/evening",
        "place": "",
        "schedule": "custom",
        "weekday": "TU",
        "position": "1",
        "interval": 1,
        "rule": "FREQ=MONTHLY;BYDAY=1TU",
        "series_start": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "start_time": "18:00",
        "time_zone": "Europe/Riga",
        "duration_minutes": 90,
        "booking_closes_hours": 2,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    "changes,field_error",
    [
        ({"rule": "FREQ=SOMETIMES"}, "rule"),
        ({"rule": "FREQ=MONTHLY;BYDAY=9XX"}, "rule"),
        ({"rule": "FREQ=HOURLY"}, "rule"),
        ({"rule": "DTSTART:20260101T000000\nRRULE:FREQ=DAILY"}, "rule"),
        ({"rule": "FREQ=DAILY;UNTIL=20000101"}, "rule"),
        ({"rule": ""}, "rule"),
        ({"capacity": 0}, "capacity"),
        ({"capacity": "many"}, "capacity"),
        ({"capacity": 101}, "capacity"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"start_time": "25:61"}, "start_time"),
        ({"series_start": "2026-02-30"}, "series_start"),
        ({"duration_minutes": 5}, "duration_minutes"),
        ({"meeting_link": "javascript:alert(1)"}, "meeting_link"),
        ({"supervisors": []}, "supervisors"),
        ({"supervisors": ["not-a-number"]}, "supervisors"),
        ({"supervisors": [999999]}, "supervisors"),
        ({"audience": "chosen", "members": []}, "members"),
        ({"audience": "everyone"}, "audience"),
        ({"name": ""}, "name"),
        ({"name": "x" * 500}, "name"),
    ],
)
def test_the_group_form_explains_bad_input(client, world, coordinator, changes, field_error):
    sign_in(client, coordinator)
    before = SupervisionGroup.objects.count()
    url = reverse("supervision:group_create", kwargs={"slug": world["team"].slug})
    response = client.post(url, group_post(world, **changes))
    assert response.status_code == 400
    assert field_error in response.context["form"].errors, response.context["form"].errors
    assert SupervisionGroup.objects.count() == before


def test_a_supervisor_of_another_team_cannot_be_named(client, world, coordinator):
    sign_in(client, coordinator)
    url = reverse("supervision:group_create", kwargs={"slug": world["team"].slug})
    response = client.post(url, group_post(world, supervisors=[world["team B supervisor"].pk]))
    assert response.status_code == 400
    assert "supervisors" in response.context["form"].errors


def test_the_group_capacity_cannot_go_below_the_seats_already_booked(
    client, world, coordinator, team
):
    group = make_group(team, supervisors=[world["group supervisor"]], capacity=3)
    session = make_session(group)
    for number in range(3):
        services.booking_create(
            session=session, user=member(team, Role.VOLUNTEER, display_name=f"V{number}")
        )
    sign_in(client, coordinator)
    url = reverse("supervision:group_edit", kwargs={"slug": team.slug, "pk": group.pk})
    response = client.post(
        url, group_post(world, name=group.name, schedule="none", rule="", capacity=2)
    )
    assert response.status_code == 400
    assert "capacity" in response.context["form"].errors
    assert SupervisionGroup.objects.get(pk=group.pk).capacity == 3


@pytest.mark.parametrize(
    "changes,field_error",
    [
        ({"end": "17:00"}, "end"),
        ({"end": "18:00"}, "end"),
        ({"capacity": 0}, "capacity"),
        ({"day": "tomorrow"}, "day"),
        ({"start": ""}, "start"),
        ({"meeting_link": "ftp://example.org/x"}, "meeting_link"),
    ],
)
def test_the_session_form_explains_bad_input(client, world, supervisor, changes, field_error):
    session = world["session"]
    data = {
        "day": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "start": "18:00",
        "end": "19:30",
        "capacity": 8,
        "meeting_link": LINK,
        "place": "",
    } | changes
    sign_in(client, supervisor)
    response = client.post(reverse("supervision:session_edit", kwargs={"pk": session.pk}), data)
    assert response.status_code == 400
    assert field_error in response.context["form"].errors
    assert Session.objects.get(pk=session.pk).starts_at == session.starts_at


def test_the_session_capacity_cannot_go_below_its_seats(client, world, supervisor, team):
    session = world["session"]
    for number in range(2):
        person = member(team, Role.VOLUNTEER, display_name=f"W{number}")
        world["group"].members.add(person)
        services.booking_create(session=session, user=person)
    sign_in(client, supervisor)
    local = timezone.localtime(session.starts_at)
    response = client.post(
        reverse("supervision:session_edit", kwargs={"pk": session.pk}),
        {
            "day": local.date().isoformat(),
            "start": "18:00",
            "end": "19:30",
            "capacity": 2,
            "meeting_link": LINK,
        },
    )
    assert response.status_code == 400
    assert "3 seats are already taken" in response.content.decode()
    assert Session.objects.get(pk=session.pk).capacity == session.capacity


@pytest.mark.parametrize(
    "changes,field_error",
    [
        ({"day": ""}, "day"),
        ({"start": "noon"}, "start"),
        ({"minutes": 5}, "minutes"),
        ({"minutes": 10000}, "minutes"),
        ({"format": "telepathy"}, "format"),
        ({"meeting_link": "not a link at all"}, "meeting_link"),
    ],
)
def test_the_slot_form_explains_bad_input(client, world, supervisor, changes, field_error):
    sign_in(client, supervisor)
    data = {
        "team": world["team"].pk,
        "day": (timezone.localdate() + timedelta(days=2)).isoformat(),
        "start": "10:00",
        "minutes": 45,
        "format": Format.ONLINE,
        "meeting_link": "https://meet.example.org/one",
        "place": "",
    } | changes
    before = Session.objects.count()
    response = client.post(reverse("supervision:slots"), data)
    assert response.status_code == 400
    assert field_error in response.context["form"].errors
    assert Session.objects.count() == before


def test_a_slot_in_the_past_is_refused(client, world, supervisor):
    sign_in(client, supervisor)
    response = client.post(
        reverse("supervision:slots"),
        {
            "team": world["team"].pk,
            "day": (timezone.localdate() - timedelta(days=2)).isoformat(),
            "start": "10:00",
            "minutes": 45,
            "format": Format.ONLINE,
            "meeting_link": "https://meet.example.org/one",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors


def test_a_slot_for_a_team_i_do_not_supervise_is_refused(client, world, supervisor):
    sign_in(client, supervisor)
    before = Session.objects.count()
    response = client.post(
        reverse("supervision:slots"),
        {
            "team": world["team B supervisor"].memberships.get().team_id,
            "day": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "start": "10:00",
            "minutes": 45,
            "format": Format.ONLINE,
            "meeting_link": "https://meet.example.org/one",
        },
    )
    assert response.status_code == 400
    assert Session.objects.count() == before


@pytest.mark.parametrize(
    "changes,field_error",
    [
        ({"sessions_per_month": 0}, "sessions_per_month"),
        ({"sessions_per_month": "x"}, "sessions_per_month"),
        ({"reminder_hours": -1}, "reminder_hours"),
        ({"reminder_hours": 100000}, "reminder_hours"),
    ],
)
def test_the_settings_form_explains_bad_input(client, world, coordinator, changes, field_error):
    sign_in(client, coordinator)
    data = {"sessions_per_month": 1, "reminder_hours": 24} | changes
    response = client.post(
        reverse("supervision:team_settings", kwargs={"slug": world["team"].slug}), data
    )
    assert response.status_code == 400
    assert field_error in response.context["form"].errors
    assert not TeamSupervisionSettings.objects.filter(reminder_hours=-1).exists()


@pytest.mark.parametrize(
    "data,field_error",
    [
        ({"urgency": "yesterday"}, "urgency"),
        ({"urgency": ""}, "urgency"),
        ({"urgency": "today", "note": "x" * 5001}, "note"),
    ],
)
def test_the_debrief_form_explains_bad_input(client, world, volunteer, data, field_error):
    sign_in(client, volunteer)
    response = client.post(reverse("supervision:debrief_new"), {"team": world["team"].pk} | data)
    assert response.status_code == 400
    assert field_error in response.context["form"].errors


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "99999999999999999999", "1e3"])
def test_a_bad_slot_choice_is_not_found_not_an_error(client, world, volunteer, value):
    request_ = make_debrief(
        world["team"], volunteer, status="taken", taken_by=world["group supervisor"]
    )
    sign_in(client, volunteer)
    url = reverse("supervision:debrief_book", kwargs={"pk": request_.pk})
    assert client.post(url, {"slot": value}).status_code == 404


# --- Query budgets ------------------------------------------------------------------------


def busy_team(team, supervisor, coordinator, volunteers=12, groups=3):
    people = [
        member(team, Role.VOLUNTEER, display_name=f"Volunteer {n}") for n in range(volunteers)
    ]
    for number in range(groups):
        group = make_group(
            team,
            name=f"Group {number}",
            supervisors=[supervisor],
            rule="FREQ=WEEKLY;BYDAY=TU",
            series_start=timezone.localdate() - timedelta(days=90),
        )
        for session in group.sessions.order_by("starts_at")[:12]:
            for person in people[:6]:
                Booking.objects.get_or_create(
                    session=session, user=person, defaults={"status": BookingStatus.CONFIRMED}
                )
    for person in people[:3]:
        make_debrief(team, person, note="words")
    return people


@pytest.mark.parametrize(
    "who,budget",
    [("volunteer", 30), ("supervisor", 30), ("coordinator", 30)],
)
def test_the_supervision_home_has_a_query_budget(
    client, team, supervisor, coordinator, volunteer, django_assert_max_num_queries, who, budget
):
    people = busy_team(team, supervisor, coordinator)
    user = {"volunteer": people[0], "supervisor": supervisor, "coordinator": coordinator}[who]
    sign_in(client, user)
    client.get(reverse("supervision:home"))  # warm: session, translations
    with django_assert_max_num_queries(budget):
        assert client.get(reverse("supervision:home")).status_code == 200


def test_the_team_page_has_a_query_budget(
    client, team, supervisor, coordinator, django_assert_max_num_queries
):
    busy_team(team, supervisor, coordinator)
    sign_in(client, coordinator)
    url = reverse("supervision:team", kwargs={"slug": team.slug})
    client.get(url)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_the_group_page_has_a_query_budget(
    client, team, supervisor, coordinator, django_assert_max_num_queries
):
    busy_team(team, supervisor, coordinator)
    group = SupervisionGroup.objects.filter(team=team).first()
    sign_in(client, supervisor)
    url = reverse("supervision:group", kwargs={"slug": team.slug, "pk": group.pk})
    client.get(url)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_the_session_page_has_a_query_budget(
    client, team, supervisor, coordinator, django_assert_max_num_queries
):
    busy_team(team, supervisor, coordinator)
    session = Session.objects.filter(team=team, bookings__isnull=False).first()
    sign_in(client, supervisor)
    url = reverse("supervision:session", kwargs={"pk": session.pk})
    client.get(url)
    with django_assert_max_num_queries(25):
        assert client.get(url).status_code == 200


def test_the_slots_page_has_a_query_budget(client, team, supervisor, django_assert_max_num_queries):
    for day in range(1, 15):
        make_slot(team, supervisor, starts_at=timezone.now() + timedelta(days=day))
    sign_in(client, supervisor)
    client.get(reverse("supervision:slots"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("supervision:slots")).status_code == 200


def test_the_feed_has_a_query_budget(
    client, team, supervisor, coordinator, django_assert_max_num_queries
):
    busy_team(team, supervisor, coordinator)
    token = services.calendar_token_create(user=supervisor)
    url = reverse("calendar_feed", kwargs={"token": token})
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") >= 12
