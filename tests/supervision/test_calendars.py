"""Calendar files (issue #8): each person's subscription feed and the single-session download,
read back with icalendar as a calendar app would. Stable UIDs, SEQUENCE on every change,
times in the group's zone across daylight saving, the secret address, what a feed holds, and
discreet mode."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from people.models import Membership, Role
from supervision import services
from supervision.models import Audience, BookingStatus, CalendarToken, Format
from tests.people.factories import TeamFactory, member, sign_in
from tests.people.test_invitations import every_row_of_every_table
from tests.supervision.factories import make_group, make_session, make_slot

pytestmark = pytest.mark.django_db

GROUP_NAME = "Night Owls Circle"
LINK = "https://meet.example.org/owls-room"
# Words a discreet calendar must never hold: the team (fixture "Helpline"), the group, the
# subject matter.
GIVEAWAYS = ("helpline", GROUP_NAME.lower(), "supervis", "debrief")


def in_days(days: float):
    """A time some days ahead, on the whole minute as sessions are (iCalendar has seconds)."""
    return timezone.now().replace(second=0, microsecond=0) + timedelta(days=days)


def feed_response(user):
    token = services.calendar_token_create(user=user)
    return Client().get(reverse("calendar_feed", kwargs={"token": token}))


def feed(user) -> Calendar:
    response = feed_response(user)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def unfolded(calendar: Calendar) -> str:
    """The file as text, with folded lines joined, so that no word hides across a fold."""
    return calendar.to_ical().decode().replace("\r\n ", "")


def events(calendar: Calendar) -> dict:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def uid(session) -> str:
    return f"{session.uid}@atbalsts"


@pytest.fixture
def group(team, supervisor):
    return make_group(team, supervisors=[supervisor], name=GROUP_NAME, meeting_link=LINK)


@pytest.fixture
def open_team(team):
    team.discreet_mode = False
    team.save(update_fields=["discreet_mode"])
    return team


def book(session, user, capture):
    with capture(execute=True):
        return services.booking_create(session=session, user=user)


# --- The file itself ---------------------------------------------------------------------


def test_a_feed_is_a_valid_calendar_with_one_stable_event_per_session(
    group, volunteer, django_capture_on_commit_callbacks
):
    session = make_session(group, starts_at=in_days(3))
    book(session, volunteer, django_capture_on_commit_callbacks)

    first, second = feed(volunteer), feed(volunteer)

    assert str(first["VERSION"]) == "2.0"
    assert str(first["PRODID"]) == "-//Atbalsts//Meetings//EN"
    assert list(events(first)) == [uid(session)] == list(events(second))
    event = events(first)[uid(session)]
    assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert event["DTSTART"].params["TZID"] == "Europe/Riga"
    assert event["DTEND"].params["TZID"] == "Europe/Riga"
    assert event["DTSTART"].dt == session.starts_at
    assert event["DTEND"].dt == session.ends_at
    assert [str(zone["TZID"]) for zone in first.walk("VTIMEZONE")] == ["Europe/Riga"]
    assert int(event["SEQUENCE"]) == 0
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_subscription_feed_has_a_name_and_a_refresh_interval(group, volunteer):
    calendar = feed(volunteer)

    assert str(calendar["NAME"]) == "Meetings"
    assert str(calendar["X-WR-CALNAME"]) == "Meetings"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=1)
    assert "METHOD" not in calendar


def test_every_change_raises_the_sequence_and_keeps_the_uid(
    group, supervisor, volunteer, django_capture_on_commit_callbacks
):
    session = make_session(group, starts_at=in_days(3))
    book(session, volunteer, django_capture_on_commit_callbacks)
    later = session.starts_at + timedelta(days=1)

    with django_capture_on_commit_callbacks(execute=True):
        services.session_update(
            session=session,
            by=supervisor,
            starts_at=later,
            ends_at=later + timedelta(hours=1),
            capacity=session.capacity,
            meeting_link=LINK,
            place="",
        )
    moved = events(feed(volunteer))[uid(session)]
    assert int(moved["SEQUENCE"]) == 1
    assert moved["DTSTART"].dt == later
    assert moved["DTEND"].dt == later + timedelta(hours=1)

    with django_capture_on_commit_callbacks(execute=True):
        services.session_cancel(session=session, by=supervisor)
    cancelled = events(feed(volunteer))[uid(session)]
    assert int(cancelled["SEQUENCE"]) == 2
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_a_session_stays_at_18_00_in_riga_across_both_daylight_saving_changes(team, supervisor):
    group = make_group(
        team,
        supervisors=[supervisor],
        rule="FREQ=MONTHLY;BYMONTHDAY=20",
        series_start=date(2026, 9, 1),
        start_time=time(18, 0),
        now=datetime(2026, 9, 15, tzinfo=UTC),
    )
    services.group_schedule_apply(group=group, now=datetime(2027, 2, 15, tzinfo=UTC))

    with time_machine.travel(datetime(2026, 12, 15, tzinfo=UTC)):
        calendar = feed(supervisor)

    starts = {event["DTSTART"].dt.date(): event["DTSTART"] for event in calendar.walk("VEVENT")}
    assert sorted(starts) == [
        date(2026, 9, 20),
        date(2026, 10, 20),
        date(2026, 11, 20),
        date(2027, 2, 20),
        date(2027, 3, 20),
        date(2027, 4, 20),
    ]
    for start in starts.values():
        assert start.params["TZID"] == "Europe/Riga"
        assert (start.dt.hour, start.dt.minute) == (18, 0)
    summer, winter = timedelta(hours=3), timedelta(hours=2)
    offsets = {day: start.dt.utcoffset() for day, start in starts.items()}
    assert offsets == {
        date(2026, 9, 20): summer,
        date(2026, 10, 20): summer,  # before 25 October 2026
        date(2026, 11, 20): winter,
        date(2027, 2, 20): winter,
        date(2027, 3, 20): winter,  # before 28 March 2027
        date(2027, 4, 20): summer,
    }
    assert starts[date(2026, 10, 20)].dt.astimezone(UTC).hour == 15
    assert starts[date(2026, 11, 20)].dt.astimezone(UTC).hour == 16
    # The zone is described for both halves of the year, so any calendar app gets it right.
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Riga"
    assert {part.name for part in zone.subcomponents} == {"STANDARD", "DAYLIGHT"}


# --- The single-session download ---------------------------------------------------------


def test_a_booked_volunteer_downloads_the_session_with_its_link(
    client, open_team, group, volunteer, django_capture_on_commit_callbacks
):
    session = make_session(group, starts_at=in_days(3))
    book(session, volunteer, django_capture_on_commit_callbacks)
    sign_in(client, volunteer)

    response = client.get(reverse("supervision:session_ics", kwargs={"pk": session.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="meeting.ics"'
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["METHOD"]) == "PUBLISH"
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == uid(session)
    assert event["DTSTART"].dt == session.starts_at
    assert str(event["SUMMARY"]) == f"Supervision: {GROUP_NAME}"
    assert str(event["LOCATION"]) == LINK
    assert LINK in str(event["DESCRIPTION"])


@pytest.mark.parametrize("status", [None, BookingStatus.WAITLISTED, BookingStatus.CANCELLED])
def test_a_group_member_without_a_seat_downloads_the_session_without_its_link(
    client, open_team, group, volunteer, status
):
    session = make_session(group, starts_at=in_days(3))
    if status is not None:
        session.bookings.create(user=volunteer, status=status)
    sign_in(client, volunteer)

    response = client.get(reverse("supervision:session_ics", kwargs={"pk": session.pk}))

    assert response.status_code == 200
    assert LINK not in response.content.decode().replace("\r\n ", "")
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert "LOCATION" not in event


def test_someone_outside_the_group_cannot_download_its_session(client, group, outsider):
    session = make_session(group, starts_at=in_days(3))
    sign_in(client, outsider)

    response = client.get(reverse("supervision:session_ics", kwargs={"pk": session.pk}))

    assert response.status_code == 404


# --- The secret address ------------------------------------------------------------------


def test_a_new_calendar_address_stops_the_old_one_at_once(volunteer):
    old = services.calendar_token_create(user=volunteer)
    new = services.calendar_token_create(user=volunteer)
    client = Client()

    assert client.get(reverse("calendar_feed", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("calendar_feed", kwargs={"token": new})).status_code == 200
    assert CalendarToken.objects.filter(user=volunteer).count() == 1


def test_stopping_the_calendar_address_makes_it_not_found(client, volunteer):
    token = services.calendar_token_create(user=volunteer)
    address = reverse("calendar_feed", kwargs={"token": token})
    assert Client().get(address).status_code == 200
    sign_in(client, volunteer)

    response = client.post(reverse("supervision:calendar_token"), {"action": "stop"})

    assert response.status_code == 302
    assert Client().get(address).status_code == 404
    assert not CalendarToken.objects.filter(user=volunteer).exists()


def test_the_calendar_address_is_shown_once_and_stored_only_as_a_hash(client, volunteer):
    sign_in(client, volunteer)

    response = client.post(reverse("supervision:calendar_token"))

    assert response.status_code == 200
    address = response.context["calendar_url"]
    assert address in response.content.decode()
    token = address.removesuffix(".ics").rsplit("/", 1)[-1]
    assert len(token) >= 32
    stored = CalendarToken.objects.get(user=volunteer)
    assert stored.token_hash == services.calendar_token_hash(token) != token
    assert token not in every_row_of_every_table()
    assert token not in repr(dict(client.session.items()))
    assert Client().get(address.removeprefix("http://testserver")).status_code == 200


@pytest.mark.parametrize("token", ["not-a-token-at-all-but-long-enough", "x" * 200])
def test_an_unknown_calendar_address_is_not_found(volunteer, token):
    services.calendar_token_create(user=volunteer)

    response = Client().get(f"/calendar/{token}.ics")

    assert response.status_code == 404


def test_the_address_of_a_deactivated_person_stops_working(volunteer):
    token = services.calendar_token_create(user=volunteer)
    volunteer.is_active = False
    volunteer.save(update_fields=["is_active"])

    response = Client().get(reverse("calendar_feed", kwargs={"token": token}))

    assert response.status_code == 404


# --- What a feed holds -------------------------------------------------------------------


def test_a_volunteers_feed_holds_only_their_own_seats(
    team, group, volunteer, django_capture_on_commit_callbacks
):
    other = member(team, Role.VOLUNTEER)
    mine = make_session(group, starts_at=in_days(3))
    full = make_session(group, capacity=1, starts_at=in_days(4))
    given_up = make_session(group, starts_at=in_days(5))
    make_session(group, starts_at=in_days(6))  # nobody booked
    book(mine, volunteer, django_capture_on_commit_callbacks)
    book(full, other, django_capture_on_commit_callbacks)
    waiting = book(full, volunteer, django_capture_on_commit_callbacks)
    assert waiting.status == BookingStatus.WAITLISTED
    seat = book(given_up, volunteer, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.booking_cancel(booking=seat, by=volunteer)

    assert list(events(feed(volunteer))) == [uid(mine)]
    assert list(events(feed(other))) == [uid(full)]


def test_a_supervisors_feed_holds_the_sessions_they_run_and_their_debrief_slots(
    team, group, supervisor
):
    session = make_session(group, starts_at=in_days(3))
    slot = make_slot(team, supervisor, starts_at=in_days(2))
    colleague = member(team, Role.SUPERVISOR)
    make_group(team, supervisors=[colleague], name="Colleague's group")
    colleague_session = make_session(colleague.supervised_groups.get())
    colleague_slot = make_slot(team, colleague)
    elsewhere = TeamFactory()
    stranger = member(elsewhere, Role.SUPERVISOR)
    make_session(make_group(elsewhere, supervisors=[stranger]))
    make_slot(elsewhere, stranger)

    assert list(events(feed(supervisor))) == [uid(slot), uid(session)]
    assert set(events(feed(colleague))) == {uid(colleague_session), uid(colleague_slot)}
    assert not set(events(feed(stranger))) & {uid(session), uid(slot), uid(colleague_slot)}


def test_a_feed_holds_the_link_for_a_seat_and_for_who_runs_it(
    open_team, group, supervisor, volunteer, django_capture_on_commit_callbacks
):
    session = make_session(group, starts_at=in_days(3))
    book(session, volunteer, django_capture_on_commit_callbacks)

    for person in (volunteer, supervisor):
        event = events(feed(person))[uid(session)]
        assert str(event["LOCATION"]) == LINK
        assert LINK in str(event["DESCRIPTION"])


# --- Discreet mode -----------------------------------------------------------------------


def test_a_discreet_feed_says_only_team_meeting(
    team, group, supervisor, volunteer, django_capture_on_commit_callbacks
):
    assert team.discreet_mode  # the default
    session = make_session(group, starts_at=in_days(3))
    book(session, volunteer, django_capture_on_commit_callbacks)
    slot = make_slot(team, supervisor, starts_at=in_days(2))
    with django_capture_on_commit_callbacks(execute=True):
        request = services.debrief_request_create(team=team, requester=volunteer, urgency="today")
        services.debrief_take(request=request, by=supervisor)
        services.debrief_book(request=request, slot=slot, by=volunteer)

    for person in (volunteer, supervisor):
        calendar = feed(person)
        assert set(events(calendar)) == {uid(session), uid(slot)}
        assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "Meetings"
        assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == {"Team meeting"}
        assert all("LOCATION" not in e for e in calendar.walk("VEVENT"))
        text = unfolded(calendar).lower()
        assert LINK not in text
        for word in GIVEAWAYS:
            assert word not in text, word


def test_a_discreet_download_and_e_mail_attachment_say_only_team_meeting(
    client, group, volunteer, mailoutbox, django_capture_on_commit_callbacks
):
    session = make_session(group, starts_at=in_days(3))
    book(session, volunteer, django_capture_on_commit_callbacks)
    sign_in(client, volunteer)

    download = client.get(reverse("supervision:session_ics", kwargs={"pk": session.pk}))
    (mail,) = mailoutbox
    (attachment,) = mail.attachments

    for text in (download.content.decode(), attachment.content):
        text = text.replace("\r\n ", "").lower()
        assert "summary:team meeting" in text
        assert LINK not in text
        for word in GIVEAWAYS:
            assert word not in text, word


def test_with_discreet_mode_off_the_feed_names_the_group(
    open_team, group, volunteer, django_capture_on_commit_callbacks
):
    session = make_session(group, starts_at=in_days(3))
    book(session, volunteer, django_capture_on_commit_callbacks)

    calendar = feed(volunteer)

    assert str(events(calendar)[uid(session)]["SUMMARY"]) == f"Supervision: {GROUP_NAME}"
    assert str(calendar["X-WR-CALNAME"]) == "Atbalsts supervision"


def test_a_feed_is_discreet_when_any_of_the_persons_teams_is(
    open_team, group, volunteer, django_capture_on_commit_callbacks
):
    session = make_session(group, starts_at=in_days(3))
    book(session, volunteer, django_capture_on_commit_callbacks)
    other_team = TeamFactory(name="Quiet Lantern")  # discreet, as teams are by default
    Membership.objects.create(user=volunteer, team=other_team, role=Role.VOLUNTEER)

    calendar = feed(volunteer)

    assert str(events(calendar)[uid(session)]["SUMMARY"]) == "Team meeting"
    assert GROUP_NAME.lower() not in unfolded(calendar).lower()


# --- Language and time zone --------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "zone"), [("lv", "Europe/Riga"), ("ru", "America/New_York"), ("en", "Asia/Tokyo")]
)
def test_the_feed_follows_the_persons_language_and_keeps_the_true_time(
    team, group, language, zone, django_capture_on_commit_callbacks
):
    person = member(team, Role.VOLUNTEER, preferred_language=language, timezone=zone)
    session = make_session(group, starts_at=in_days(3))
    book(session, person, django_capture_on_commit_callbacks)

    event = events(feed(person))[uid(session)]

    assert str(event["URL"]) == f"http://testserver/{language}/meetings/sessions/{session.pk}/"
    assert f"/{language}/meetings/" in str(event["DESCRIPTION"])
    # Wherever the reader is, the event is at the same instant, given in the group's zone.
    assert event["DTSTART"].params["TZID"] == "Europe/Riga"
    assert event["DTSTART"].dt == session.starts_at


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_the_feed_name_and_event_title_are_translated(
    team, group, language, django_capture_on_commit_callbacks
):
    person = member(team, Role.VOLUNTEER, preferred_language=language)
    session = make_session(group, starts_at=in_days(3))
    book(session, person, django_capture_on_commit_callbacks)

    calendar = feed(person)

    assert str(calendar["X-WR-CALNAME"]) != "Meetings"
    assert str(events(calendar)[uid(session)]["SUMMARY"]) != "Team meeting"


def test_an_in_person_session_shows_its_place_only_with_discreet_mode_off(
    open_team, supervisor, volunteer, django_capture_on_commit_callbacks
):
    group = make_group(
        open_team,
        supervisors=[supervisor],
        format=Format.IN_PERSON,
        meeting_link="",
        place="Brivibas iela 1, room 4",
        audience=Audience.VOLUNTEERS,
    )
    session = make_session(group, starts_at=in_days(3))
    book(session, volunteer, django_capture_on_commit_callbacks)

    assert str(events(feed(volunteer))[uid(session)]["LOCATION"]) == "Brivibas iela 1, room 4"
    open_team.discreet_mode = True
    open_team.save(update_fields=["discreet_mode"])
    assert "Brivibas" not in unfolded(feed(volunteer))
