"""A group's schedule becomes sessions for a rolling window; one occurrence can be moved or
cancelled alone; changing the series changes the future only."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from people.models import Role
from supervision import services
from supervision.models import Attendance, AttendanceChange, Booking, Session, SessionStatus
from supervision.services import GroupData
from tests.people.factories import member

pytestmark = pytest.mark.django_db
RIGA = ZoneInfo("Europe/Riga")
NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


def data(supervisor, **changes) -> GroupData:
    values = {
        "name": "Monthly group",
        "supervisors": [supervisor],
        "audience": "volunteers",
        "members": [],
        "capacity": 8,
        "format": "online",
        "meeting_link": "https://meet.example.org/monthly",
        "place": "",
        "rule": "FREQ=MONTHLY;BYDAY=1TU",
        "series_start": date(2026, 1, 1),
        "start_time": time(18, 0),
        "time_zone": "Europe/Riga",
        "duration_minutes": 90,
        "booking_closes_hours": 2,
    }
    values.update(changes)
    return GroupData(**values)


def local(session) -> tuple[date, time]:
    moment = session.starts_at.astimezone(RIGA)
    return moment.date(), moment.time()


def scheduled(group):
    return list(group.sessions.filter(status=SessionStatus.SCHEDULED).order_by("starts_at"))


@pytest.fixture
def group(team, coordinator, supervisor):
    with time_machine.travel(NOW, tick=False):
        return services.group_save(team=team, data=data(supervisor), by=coordinator)


def test_saving_a_group_creates_the_next_three_months_of_sessions(group):
    assert [local(s) for s in scheduled(group)] == [
        (date(2026, 9, 1), time(18, 0)),
        (date(2026, 10, 6), time(18, 0)),
        (date(2026, 11, 3), time(18, 0)),
        (date(2026, 12, 1), time(18, 0)),
    ]
    # 18:00 in Riga is 15:00 UTC in summer and 16:00 UTC in winter.
    assert [s.starts_at.hour for s in scheduled(group)] == [15, 15, 16, 16]
    assert all(s.ends_at - s.starts_at == timedelta(minutes=90) for s in scheduled(group))
    assert all(s.capacity == 8 and s.occurrence == s.starts_at for s in scheduled(group))


def test_applying_the_schedule_again_changes_nothing(group):
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert services.group_schedule_apply(group=group) == 0
        call_command("tick", verbosity=0)
    assert group.sessions.count() == 4


def test_the_tick_rolls_the_window_forward(group):
    with time_machine.travel(NOW + timedelta(days=40), tick=False):
        call_command("tick", verbosity=0)
        call_command("tick", verbosity=0)
    assert [local(s)[0] for s in scheduled(group)] == [
        date(2026, 9, 1),
        date(2026, 10, 6),
        date(2026, 11, 3),
        date(2026, 12, 1),
        date(2027, 1, 5),
    ]


def test_one_occurrence_moved_by_hand_stays_moved(group, supervisor):
    october = scheduled(group)[1]
    moved_to = datetime(2026, 10, 8, 18, 0, tzinfo=RIGA)
    with time_machine.travel(NOW, tick=False):
        services.session_update(
            session=october,
            by=supervisor,
            starts_at=moved_to,
            ends_at=moved_to + timedelta(hours=1),
            capacity=6,
            meeting_link=october.meeting_link,
            place="",
        )
        services.group_schedule_apply(group=group)
    october.refresh_from_db()
    assert local(october) == (date(2026, 10, 8), time(18, 0))
    assert october.changed_by_hand and october.capacity == 6 and october.sequence == 1
    # Its occurrence is spoken for: no second session on 6 October.
    assert [local(s)[0] for s in scheduled(group)] == [
        date(2026, 9, 1),
        date(2026, 10, 8),
        date(2026, 11, 3),
        date(2026, 12, 1),
    ]
    others = [s for s in scheduled(group) if s.pk != october.pk]
    assert all(s.sequence == 0 and not s.changed_by_hand for s in others)


def test_one_occurrence_cancelled_stays_cancelled(group, supervisor):
    october = scheduled(group)[1]
    with time_machine.travel(NOW, tick=False):
        services.session_cancel(session=october, by=supervisor)
        services.group_schedule_apply(group=group)
    october.refresh_from_db()
    assert october.status == SessionStatus.CANCELLED
    assert group.sessions.count() == 4
    assert [local(s)[0] for s in scheduled(group)] == [
        date(2026, 9, 1),
        date(2026, 11, 3),
        date(2026, 12, 1),
    ]


def test_changing_the_series_changes_the_future_and_keeps_the_past(
    group, team, coordinator, supervisor, volunteer
):
    september, october, november, _december = scheduled(group)
    services.booking_create(session=september, user=volunteer, now=NOW)
    later = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)  # September's session is past now
    seat = Booking.objects.get(session=september, user=volunteer)
    services.attendance_mark(
        session=september, by=supervisor, marks={seat.pk: Attendance.ATTENDED}, now=later
    )
    moved_to = datetime(2026, 11, 5, 18, 0, tzinfo=RIGA)
    with time_machine.travel(later, tick=False):
        services.session_update(
            session=november,
            by=supervisor,
            starts_at=moved_to,
            ends_at=moved_to + timedelta(minutes=90),
            capacity=8,
            meeting_link=november.meeting_link,
            place="",
        )
        services.group_save(
            team=team,
            data=data(supervisor, start_time=time(19, 0), duration_minutes=60, capacity=10),
            by=coordinator,
            group=group,
        )
    september.refresh_from_db()
    october.refresh_from_db()
    november.refresh_from_db()
    assert local(september) == (date(2026, 9, 1), time(18, 0))
    assert september.ends_at - september.starts_at == timedelta(minutes=90)
    assert september.capacity == 8
    seat.refresh_from_db()
    assert seat.attendance == Attendance.ATTENDED
    assert AttendanceChange.objects.filter(booking=seat).count() == 1
    # October was still to come and nobody changed it by hand: it follows the new series.
    assert local(october) == (date(2026, 10, 6), time(19, 0))
    assert october.ends_at - october.starts_at == timedelta(minutes=60)
    assert october.capacity == 10 and october.sequence == 1
    assert [local(s) for s in scheduled(group)] == [
        (date(2026, 9, 1), time(18, 0)),
        (date(2026, 10, 6), time(19, 0)),
        (date(2026, 11, 5), time(18, 0)),
        (date(2026, 12, 1), time(19, 0)),
    ]
    # November was moved by hand: it keeps its own time.
    assert local(november) == (date(2026, 11, 5), time(18, 0))


def test_a_new_weekday_cancels_booked_sessions_and_drops_empty_ones(
    group, team, coordinator, supervisor, volunteer
):
    september, october, november, _december = scheduled(group)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        services.booking_create(session=october, user=volunteer)
        services.group_save(
            team=team,
            data=data(supervisor, rule="FREQ=MONTHLY;BYDAY=1WE"),
            by=coordinator,
            group=group,
        )
    october.refresh_from_db()
    assert october.status == SessionStatus.CANCELLED  # someone had a seat: cancelled, told
    assert not Session.objects.filter(pk=november.pk).exists()  # nobody booked: gone
    assert [local(s)[0] for s in scheduled(group)] == [
        date(2026, 9, 2),
        date(2026, 10, 7),
        date(2026, 11, 4),
    ]


def test_a_paused_group_has_no_coming_sessions(group, team, coordinator, supervisor):
    group.active = False
    group.save()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        services.group_schedule_apply(group=group)
    assert scheduled(group) == []


def test_capacity_cannot_go_below_the_seats_already_taken(group, team, coordinator, supervisor):
    october = scheduled(group)[1]
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        for _ in range(3):
            services.booking_create(session=october, user=member(team, Role.VOLUNTEER))
        with pytest.raises(ValidationError) as error:
            services.group_save(
                team=team, data=data(supervisor, capacity=2), by=coordinator, group=group
            )
    assert "3 seats taken" in error.value.message_dict["capacity"][0]
    with pytest.raises(ValidationError) as error:
        services.session_update(
            session=october,
            by=supervisor,
            starts_at=october.starts_at,
            ends_at=october.ends_at,
            capacity=2,
            meeting_link=october.meeting_link,
            place="",
        )
    assert "keep at least that many" in error.value.message_dict["capacity"][0]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"rule": "FREQ=HOURLY"}, "rule", "not more often"),
        ({"rule": "FREQ=MONTHLY;BYDAY=1XX"}, "rule", "not a valid schedule rule"),
        ({"series_start": None}, "series_start", "first date"),
        ({"supervisors": []}, "supervisors", "at least one supervisor"),
        ({"meeting_link": ""}, "meeting_link", "meeting link"),
        ({"format": "in_person", "place": ""}, "place", "Say where"),
    ],
)
def test_a_group_that_cannot_work_is_refused_with_a_message(
    team, coordinator, supervisor, changes, field, message
):
    with pytest.raises(ValidationError) as error:
        services.group_save(team=team, data=data(supervisor, **changes), by=coordinator)
    assert message in " ".join(error.value.message_dict[field])


def test_supervisors_must_be_the_teams_supervisors(team, coordinator, volunteer):
    from tests.people.factories import TeamFactory

    elsewhere = member(TeamFactory(), Role.SUPERVISOR)
    for wrong in (volunteer, elsewhere):
        with pytest.raises(ValidationError) as error:
            services.group_save(team=team, data=data(wrong), by=coordinator)
        assert "supervisors of this team" in error.value.message_dict["supervisors"][0]


def test_only_the_teams_coordinators_and_supervisors_manage_groups(
    team, supervisor, volunteer, outsider
):
    from tests.people.factories import TeamFactory

    other_coordinator = member(TeamFactory(), Role.COORDINATOR)
    for person in (volunteer, outsider, other_coordinator):
        with pytest.raises(PermissionDenied):
            services.group_save(team=team, data=data(supervisor), by=person)
    assert services.group_save(team=team, data=data(supervisor), by=supervisor).pk
