"""The demo's supervision: a volunteers' group and a coordinators' group meeting on a schedule
three months ahead, three months of attendance behind them (every status on the coordinators'
page), Aija's seat in the next session, Jānis's open debrief request and Dace's free slots."""

import os
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from people.models import Team, User
from supervision import services
from supervision.models import (
    AttendanceChange,
    Audience,
    Booking,
    BookingStatus,
    DebriefRequest,
    DebriefStatus,
    Format,
    Session,
    SessionKind,
    SupervisionGroup,
)
from supervision.selectors import AttendanceStatus, team_attendance
from tests.people.factories import sign_in

pytestmark = pytest.mark.django_db

RIGA = ZoneInfo("Europe/Riga")


def seed(settings):
    settings.DEBUG = True
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (SupervisionGroup, Session, Booking, AttendanceChange, DebriefRequest)
    }


def riga(*args) -> datetime:
    return datetime(*args, tzinfo=RIGA)


# Thursday 20 March 2025, ten days before the clocks go forward: the volunteers met on the
# first Tuesdays of January, February and March, and meet next on 1 April, in summer time.
MARCH_20 = riga(2025, 3, 20, 12, 0)


def test_demo_groups_meet_on_their_schedule_three_months_ahead(settings):
    with time_machine.travel(MARCH_20, tick=False):
        seed(settings)
    volunteers = SupervisionGroup.objects.get(name="Monthly group supervision")
    coordinators = SupervisionGroup.objects.get(name="Coordinators' supervision")
    dace = User.objects.get(email="dace@example.org")
    assert volunteers.audience == Audience.VOLUNTEERS
    assert volunteers.rule == "FREQ=MONTHLY;BYDAY=1TU"
    assert (volunteers.format, volunteers.capacity) == (Format.ONLINE, 8)
    assert volunteers.meeting_link.startswith("https://meet.example.org/")
    assert coordinators.audience == Audience.COORDINATORS
    assert coordinators.format == Format.IN_PERSON and coordinators.place
    assert list(volunteers.supervisors.all()) == list(coordinators.supervisors.all()) == [dace]

    def starts(group, **filters):
        return [
            s.starts_at.astimezone(RIGA)
            for s in group.sessions.filter(**filters).order_by("starts_at")
        ]

    # 18:00 in Riga on both sides of the change to summer time.
    assert starts(volunteers, starts_at__gt=MARCH_20) == [
        riga(2025, 4, 1, 18, 0),
        riga(2025, 5, 6, 18, 0),
        riga(2025, 6, 3, 18, 0),
    ]
    assert starts(volunteers, starts_at__lt=MARCH_20) == [
        riga(2025, 1, 7, 18, 0),
        riga(2025, 2, 4, 18, 0),
        riga(2025, 3, 4, 18, 0),
    ]
    assert starts(coordinators, starts_at__gt=MARCH_20) == [
        riga(2025, 3, 20, 16, 0),
        riga(2025, 4, 17, 16, 0),
        riga(2025, 5, 15, 16, 0),
        riga(2025, 6, 19, 16, 0),
    ]
    # The past sessions sit on the schedule's own occurrences: the tick adds nothing.
    assert all(s.occurrence == s.starts_at for s in Session.objects.filter(kind="group"))
    with time_machine.travel(MARCH_20 + timedelta(minutes=1), tick=False):
        assert services.schedules_apply(now=timezone.now()) == 0


def test_demo_attendance_shows_every_status_with_every_mark_on_record(settings, client):
    with time_machine.travel(MARCH_20, tick=False):
        seed(settings)
        team = Team.objects.get(slug="helpline")
        statuses = {row.membership.user.email: row.status for row in team_attendance(team=team)}
    assert statuses == {
        "aija@example.org": AttendanceStatus.UP_TO_DATE,
        "liga@example.org": AttendanceStatus.UP_TO_DATE,
        "janis@example.org": AttendanceStatus.DUE,
        "pavel@example.org": AttendanceStatus.DUE,  # joined just now
        "olga@example.org": AttendanceStatus.OVERDUE,
        "nadia@example.org": AttendanceStatus.OVERDUE,
        "ilze@example.org": AttendanceStatus.UP_TO_DATE,
        "marta@example.org": AttendanceStatus.OVERDUE,
    }
    past = Booking.objects.filter(session__starts_at__lt=MARCH_20)
    assert set(past.values_list("attendance", flat=True)) == {"attended", "absent", "excused"}
    assert set(past.values_list("status", flat=True)) == {BookingStatus.CONFIRMED}
    for booking in past:
        change = booking.changes.get()
        assert (change.before, change.after) == ("", booking.attendance)
        assert change.changed_by.email == "dace@example.org"
        assert booking.session.ends_at <= change.changed_at <= MARCH_20

    with time_machine.travel(MARCH_20 + timedelta(minutes=5)):
        sign_in(client, User.objects.get(email="ilze@example.org"))
        page = client.get(reverse("supervision:team", kwargs={"slug": "helpline"}))
    assert page.status_code == 200
    for label in ("Up to date", "Due", "Overdue"):
        assert label in page.text


def test_demo_seat_debrief_request_and_slots(settings):
    with time_machine.travel(MARCH_20, tick=False):
        seed(settings)
    seat = Booking.objects.get(session__starts_at__gt=MARCH_20)
    assert seat.user.email == "aija@example.org"
    assert seat.status == BookingStatus.CONFIRMED and seat.attendance == ""
    assert seat.session.starts_at == riga(2025, 4, 1, 18, 0)

    request = DebriefRequest.objects.get()
    assert request.requester.email == "janis@example.org"
    assert (request.status, request.urgency, request.taken_by) == (
        DebriefStatus.OPEN,
        "this_week",
        None,
    )
    assert request.note and request.escalated_at is None
    assert MARCH_20 - timedelta(hours=6) < request.created_at < MARCH_20

    slots = Session.objects.filter(kind=SessionKind.DEBRIEF).order_by("starts_at")
    assert [s.starts_at.astimezone(RIGA) for s in slots] == [
        riga(2025, 3, 21, 17, 30),
        riga(2025, 3, 24, 10, 0),  # after the weekend
        riga(2025, 3, 25, 17, 30),
    ]
    assert {(s.supervisor.email, s.capacity, s.offered_for) for s in slots} == {
        ("dace@example.org", 1, None)
    }


@pytest.mark.parametrize(
    "moment",
    [
        riga(2025, 4, 1, 16, 30),  # the session's booking has closed: the seat is in May's
        riga(2025, 4, 1, 18, 30),  # during a session
        riga(2025, 10, 26, 3, 30),  # the night the clocks go back
        None,  # today
    ],
    ids=["booking-closed", "during-a-session", "clocks-go-back", "today"],
)
def test_seeding_twice_creates_nothing_new(settings, moment):
    with time_machine.travel(moment or timezone.now(), tick=False):
        seed(settings)
        first = counts()
        seed(settings)
        assert counts() == first
        now = timezone.now()
        group = SupervisionGroup.objects.get(name="Monthly group supervision")
        coming = group.sessions.filter(starts_at__gt=now)
        # A 92-day window holds two or three first Tuesdays, the furthest two months away.
        assert coming.count() >= 2
        assert coming.last().starts_at > now + timedelta(days=56)
        assert group.sessions.filter(starts_at__lt=now).count() >= 3
        seat = Booking.objects.get(user__email="aija@example.org", session__starts_at__gt=now)
        assert now < services.booking_closes_at(seat.session)
        assert DebriefRequest.objects.filter(status=DebriefStatus.OPEN).count() == 1
        assert Session.objects.filter(kind=SessionKind.DEBRIEF, starts_at__gt=now).count() == 3
        assert services.schedules_apply(now=now) == 0
    assert first["SupervisionGroup"] == 2
    assert {s.starts_at.astimezone(RIGA).time() for s in group.sessions.all()} == {time(18, 0)}
