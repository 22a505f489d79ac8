"""E-mails about supervision: who is told what, in their language and time zone, with the event
attached for their calendar; discreet by default; and each notice sent exactly once, however
many ticks, workers or retries run it."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from people.models import Role
from supervision import notifications, services
from supervision.models import BookingStatus, DebriefRequest, Session
from supervision.notifications import REMINDER, SESSION_CHANGED, deliver
from supervision.tasks import notice_send
from tests.people.factories import TeamFactory, member
from tests.supervision.factories import make_group, make_session
from website.models import Dispatch

pytestmark = pytest.mark.django_db

GROUP_NAME = "Night Owls Circle"
LINK = "https://meet.example.org/owls-room"
NOTE = "Kiwi-4711: the caller on line two was my neighbour"
# What a discreet e-mail must never say: the team (fixture "Helpline"), the group, the
# subject matter.
GIVEAWAYS = ("helpline", GROUP_NAME.lower(), "supervis", "debrief")


def hours_ahead(hours: float):
    """A session start some hours ahead, on the whole minute as sessions are."""
    return timezone.now().replace(second=0, microsecond=0) + timedelta(hours=hours)


def invitation(message) -> Calendar:
    (attachment,) = message.attachments
    assert attachment.filename == "meeting.ics"
    assert attachment.mimetype == "text/calendar; charset=utf-8"
    return Calendar.from_ical(attachment.content)


def only_event(calendar: Calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def recipients(outbox) -> list:
    return sorted(address for message in outbox for address in message.to)


def assert_discreet(message):
    text = f"{message.subject}\n{message.body}".lower()
    for word in GIVEAWAYS:
        assert word not in text, (word, message.subject)


@pytest.fixture
def group(team, supervisor):
    return make_group(team, supervisors=[supervisor], name=GROUP_NAME, meeting_link=LINK)


@pytest.fixture
def session(group):
    return make_session(group, starts_at=hours_ahead(72))


@pytest.fixture
def open_team(team):
    team.discreet_mode = False
    team.save(update_fields=["discreet_mode"])
    return team


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    """Run the service inside, and its queued jobs (sending at once, in tests) after it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def book(session, user, capture, **kwargs):
    with capture():
        return services.booking_create(session=session, user=user, **kwargs)


def move(session, by, capture, *, to):
    with capture():
        return services.session_update(
            session=session,
            by=by,
            starts_at=to,
            ends_at=to + timedelta(minutes=90),
            capacity=session.capacity,
            meeting_link=session.meeting_link,
            place=session.place,
        )


# --- Seats -------------------------------------------------------------------------------


def test_a_seat_is_confirmed_with_a_calendar_request(session, volunteer, mailoutbox, capture):
    book(session, volunteer, capture)

    (message,) = mailoutbox
    assert message.to == [volunteer.email]
    assert message.subject == "Team meeting: your place is confirmed"
    assert str(session.pk) in message.body
    calendar = invitation(message)
    assert str(calendar["METHOD"]) == "REQUEST"
    event = only_event(calendar)
    assert str(event["UID"]) == f"{session.uid}@atbalsts"
    assert event["DTSTART"].dt == session.starts_at
    assert int(event["SEQUENCE"]) == 0


def test_joining_the_waiting_list_is_confirmed_without_an_invitation(
    team, group, volunteer, mailoutbox, capture
):
    full = make_session(group, capacity=1, starts_at=hours_ahead(72))
    book(full, member(team, Role.VOLUNTEER), capture)
    mailoutbox.clear()

    waiting = book(full, volunteer, capture)

    assert waiting.status == BookingStatus.WAITLISTED
    (message,) = mailoutbox
    assert message.to == [volunteer.email]
    assert message.subject == "Team meeting: you are on the waiting list"
    assert message.attachments == []


def test_the_first_on_the_waiting_list_is_told_when_a_seat_frees(
    team, group, volunteer, mailoutbox, capture
):
    full = make_session(group, capacity=1, starts_at=hours_ahead(72))
    holder = member(team, Role.VOLUNTEER)
    second = member(team, Role.VOLUNTEER)
    seat = book(full, holder, capture)
    book(full, volunteer, capture)
    book(full, second, capture)
    mailoutbox.clear()

    with capture():
        services.booking_cancel(booking=seat, by=holder)

    (message,) = mailoutbox  # the holder gave it up themselves: nothing to tell them
    assert message.to == [volunteer.email]
    assert message.subject == "Team meeting: your place is confirmed"
    assert str(invitation(message)["METHOD"]) == "REQUEST"


def test_a_supervisor_cancelling_a_seat_tells_its_holder_with_a_calendar_cancel(
    session, supervisor, volunteer, mailoutbox, capture
):
    seat = book(session, volunteer, capture)
    mailoutbox.clear()

    with capture():
        services.booking_cancel(booking=seat, by=supervisor)

    (message,) = mailoutbox
    assert message.to == [volunteer.email]
    assert message.subject == "Team meeting: your place is given up"
    calendar = invitation(message)
    assert str(calendar["METHOD"]) == "CANCEL"
    event = only_event(calendar)
    assert str(event["UID"]) == f"{session.uid}@atbalsts"
    # Cancelled as far as this person's calendar is concerned (RFC 5546 CANCEL).
    assert str(event["STATUS"]) == "CANCELLED"


def test_the_tick_catches_up_once_on_a_seat_notice_whose_job_was_lost(
    session, volunteer, mailoutbox
):
    services.booking_create(session=session, user=volunteer)  # its job never runs

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        call_command("tick")
        call_command("tick")

    (message,) = mailoutbox
    assert message.subject == "Team meeting: your place is confirmed"


def test_a_lost_seat_notice_is_not_caught_up_once_the_session_is_cancelled(
    session, supervisor, volunteer, mailoutbox, capture
):
    services.booking_create(session=session, user=volunteer)  # its job never runs
    with capture():
        services.session_cancel(session=session, by=supervisor)

    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        call_command("tick")

    assert [message.subject for message in mailoutbox] == ["Team meeting is cancelled"]


# --- Changes to the session --------------------------------------------------------------


def test_a_cancelled_session_is_announced_to_everyone_booked(
    team, group, supervisor, volunteer, mailoutbox, capture
):
    full = make_session(group, capacity=1, starts_at=hours_ahead(72))
    waiting = member(team, Role.VOLUNTEER)
    member(team, Role.VOLUNTEER)  # in the group, not booked: not told
    book(full, volunteer, capture)
    book(full, waiting, capture)
    mailoutbox.clear()

    with capture():
        services.session_cancel(session=full, by=supervisor)

    assert recipients(mailoutbox) == sorted([volunteer.email, waiting.email])
    for message in mailoutbox:
        assert message.subject == "Team meeting is cancelled"
        calendar = invitation(message)
        assert str(calendar["METHOD"]) == "CANCEL"
        event = only_event(calendar)
        assert str(event["STATUS"]) == "CANCELLED"
        assert int(event["SEQUENCE"]) == 1


def test_a_moved_session_is_announced_to_everyone_booked_once_per_change(
    team, group, supervisor, volunteer, mailoutbox, capture
):
    full = make_session(group, capacity=1, starts_at=hours_ahead(72))
    waiting = member(team, Role.VOLUNTEER)
    seat = book(full, volunteer, capture)
    book(full, waiting, capture)
    mailoutbox.clear()

    first, second = hours_ahead(96), hours_ahead(120)
    move(full, supervisor, capture, to=first)
    move(full, supervisor, capture, to=second)

    assert recipients(mailoutbox) == sorted([volunteer.email] * 2 + [waiting.email] * 2)
    to_seat = [m for m in mailoutbox if m.to == [volunteer.email]]
    assert [m.subject for m in to_seat] == ["Team meeting: new time or place"] * 2
    sent = [only_event(invitation(m)) for m in to_seat]
    assert [int(event["SEQUENCE"]) for event in sent] == [1, 2]
    assert [event["DTSTART"].dt for event in sent] == [first, second]
    assert all(str(invitation(m)["METHOD"]) == "REQUEST" for m in to_seat)
    # The waiting person hears of it too, with no invitation to a seat they do not have.
    assert all(m.attachments == [] for m in mailoutbox if m.to == [waiting.email])

    # Neither the tick nor a retried job sends a change twice.
    call_command("tick")
    call_command("tick")
    assert not deliver(SESSION_CHANGED, str(seat.pk), "sequence-2")
    assert not deliver(SESSION_CHANGED, str(seat.pk), "sequence-1")  # no longer true
    assert len(mailoutbox) == 4


def test_a_change_of_seats_alone_is_not_announced(
    session, supervisor, volunteer, mailoutbox, capture
):
    book(session, volunteer, capture)
    mailoutbox.clear()

    with capture():
        services.session_update(
            session=session,
            by=supervisor,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            capacity=session.capacity + 2,
            meeting_link=session.meeting_link,
            place=session.place,
        )

    assert mailoutbox == []


# --- Language, time zone, discreet mode --------------------------------------------------


def test_an_e_mail_gives_the_time_in_the_recipients_zone_and_links_in_their_language(
    team, session, mailoutbox, capture
):
    person = member(team, Role.VOLUNTEER, preferred_language="lv", timezone="America/New_York")

    book(session, person, capture)

    (message,) = mailoutbox
    local = session.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert f"{local:%H:%M}" in message.body  # Latvian time format, New York time
    assert "(America/New_York)" in message.body
    assert f"/lv/meetings/sessions/{session.pk}/" in message.body
    assert f"/lv/meetings/sessions/{session.pk}/" in str(only_event(invitation(message))["URL"])


@pytest.mark.parametrize("language", ["lv", "ru"])
def test_an_e_mail_subject_is_in_the_recipients_language(
    team, session, mailoutbox, capture, language
):
    person = member(team, Role.VOLUNTEER, preferred_language=language)

    book(session, person, capture)

    (message,) = mailoutbox
    assert message.subject != "Team meeting: your place is confirmed"


def every_seat_notice(team, group, supervisor, volunteer, capture):
    """Walk one session through every notice a seat can get: confirmed, waiting list,
    reminder, promotion, a move, a seat cancelled by the supervisor, the session cancelled."""
    full = make_session(group, capacity=1, starts_at=hours_ahead(20))
    holder = member(team, Role.VOLUNTEER)
    seat = book(full, holder, capture, now=timezone.now() - timedelta(days=2))
    book(full, volunteer, capture)
    call_command("tick")  # the holder's reminder
    with capture():
        services.booking_cancel(booking=seat, by=holder)  # the volunteer moves up
    move(full, supervisor, capture, to=hours_ahead(30))
    with capture():
        services.booking_cancel(booking=full.bookings.get(user=volunteer), by=supervisor)
    book(full, holder, capture)
    with capture():
        services.session_cancel(session=full, by=supervisor)


def test_discreet_e_mails_name_neither_the_team_the_group_nor_supervision(
    team, group, supervisor, volunteer, mailoutbox, capture
):
    every_seat_notice(team, group, supervisor, volunteer, capture)

    subjects = [message.subject for message in mailoutbox]
    assert len(subjects) == 8
    assert sum(subject.startswith("Reminder: Team meeting") for subject in subjects) == 1
    for message in mailoutbox:
        assert_discreet(message)
        assert LINK not in message.body


def test_with_discreet_mode_off_an_e_mail_names_the_group_and_gives_the_link(
    open_team, session, volunteer, mailoutbox, capture
):
    book(session, volunteer, capture)

    (message,) = mailoutbox
    assert message.subject == f"Supervision: {GROUP_NAME}: your place is confirmed"
    assert LINK in message.body
    assert str(only_event(invitation(message))["LOCATION"]) == LINK


# --- Reminders, exactly once -------------------------------------------------------------


@pytest.fixture
def early_seat(session, volunteer, capture, mailoutbox):
    """A seat taken two days ago in a session that starts in 20 hours: with the team's
    24-hour reminder, its reminder is due now."""
    assert services.team_settings(session.team).reminder_hours == 24
    Session.objects.filter(pk=session.pk).update(
        starts_at=hours_ahead(20), ends_at=hours_ahead(21.5)
    )
    session.refresh_from_db()
    seat = book(session, volunteer, capture, now=timezone.now() - timedelta(days=2))
    mailoutbox.clear()  # the confirmation
    return seat


def reminders(outbox) -> list:
    return [m for m in outbox if m.subject.startswith("Reminder:")]


def test_the_tick_sends_a_due_reminder_once(early_seat, volunteer, mailoutbox):
    call_command("tick")
    call_command("tick")

    (message,) = mailoutbox
    assert message.to == [volunteer.email]
    assert message.subject.startswith("Reminder: Team meeting, ")
    assert str(invitation(message)["METHOD"]) == "REQUEST"
    claim = Dispatch.objects.get(kind=REMINDER, target=str(early_seat.pk))
    assert claim.occurrence == early_seat.session.starts_at.isoformat()
    assert claim.done_at is not None


def test_two_workers_running_the_same_reminder_send_it_once(early_seat, mailoutbox):
    occurrence = early_seat.session.starts_at.isoformat()

    assert deliver(REMINDER, str(early_seat.pk), occurrence) is True
    assert deliver(REMINDER, str(early_seat.pk), occurrence) is False
    assert (
        notice_send.call(kind=REMINDER, target=str(early_seat.pk), occurrence=occurrence) is False
    )
    call_command("tick")

    assert len(reminders(mailoutbox)) == 1 == len(mailoutbox)
    assert (
        Dispatch.objects.filter(
            kind=REMINDER, target=str(early_seat.pk), occurrence=occurrence
        ).count()
        == 1
    )


def test_a_reminder_for_the_old_time_of_a_moved_session_sends_nothing(
    early_seat, supervisor, mailoutbox, capture
):
    old = early_seat.session.starts_at.isoformat()
    move(early_seat.session, supervisor, capture, to=hours_ahead(50))
    mailoutbox.clear()  # the change notice

    assert deliver(REMINDER, str(early_seat.pk), old) is False
    call_command("tick")  # the new time is not due for a reminder yet

    assert mailoutbox == []
    assert not Dispatch.objects.filter(kind=REMINDER).exists()


def test_a_cancelled_session_gets_no_reminder(early_seat, supervisor, mailoutbox, capture):
    with capture():
        services.session_cancel(session=early_seat.session, by=supervisor)
    mailoutbox.clear()

    call_command("tick")
    sent = deliver(REMINDER, str(early_seat.pk), early_seat.session.starts_at.isoformat())

    assert sent is False
    assert mailoutbox == []


def test_a_seat_booked_after_the_reminder_moment_gets_no_reminder(
    session, volunteer, mailoutbox, capture
):
    Session.objects.filter(pk=session.pk).update(
        starts_at=hours_ahead(20), ends_at=hours_ahead(21.5)
    )
    book(Session.objects.get(pk=session.pk), volunteer, capture)

    call_command("tick")
    call_command("tick")

    (message,) = mailoutbox
    assert message.subject == "Team meeting: your place is confirmed"


def test_a_reminder_follows_the_teams_reminder_hours(team, session, volunteer, mailoutbox, capture):
    settings_row = services.team_settings(team)
    settings_row.reminder_hours = 48
    settings_row.save()
    book(session, volunteer, capture, now=timezone.now() - timedelta(days=7))  # starts in 72 h
    mailoutbox.clear()

    call_command("tick")
    assert mailoutbox == []
    with time_machine.travel(session.starts_at - timedelta(hours=47)):
        call_command("tick")
        call_command("tick")

    assert len(reminders(mailoutbox)) == 1 == len(mailoutbox)


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_queued_reminders_and_the_tick_send_one_reminder_for_the_new_time(site_db, settings):
    """With the real job queue: the seat queues its reminder for later, moving the session
    queues one for the new time, the tick finds the same reminder; the worker runs them all
    and one reminder goes out, for the new time."""
    from django.core import mail
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    team = TeamFactory()
    supervisor = member(team, Role.SUPERVISOR)
    volunteer = member(team, Role.VOLUNTEER)
    group = make_group(team, supervisors=[supervisor])
    starts = hours_ahead(72)
    session = make_session(group, starts_at=starts)
    services.booking_create(session=session, user=volunteer)
    # Moved an hour later, given in the group's own zone as the edit form gives it.
    riga = (starts + timedelta(hours=1)).astimezone(ZoneInfo("Europe/Riga"))
    services.session_update(
        session=session,
        by=supervisor,
        starts_at=riga,
        ends_at=riga + timedelta(minutes=90),
        capacity=session.capacity,
        meeting_link=session.meeting_link,
        place=session.place,
    )
    # Sent at once: the confirmation and the change notice; held for later: two reminders.
    assert DBTaskResult.objects.count() == 4

    def work():
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)

    work()  # the confirmation and the change notice
    assert len(mail.outbox) == 2
    with time_machine.travel(starts - timedelta(hours=23, minutes=30)):
        work()  # the reminder for the old time: no longer true
        assert reminders(mail.outbox) == []
    with time_machine.travel(starts - timedelta(hours=22, minutes=30)):
        work()  # the reminder for the new time
        assert len(reminders(mail.outbox)) == 1
        call_command("tick")
        call_command("tick")
        work()
    (message,) = reminders(mail.outbox)
    assert message.to == [volunteer.email]
    assert only_event(invitation(message))["DTSTART"].dt == starts + timedelta(hours=1)
    assert len(mail.outbox) == 3


# --- Debriefs ----------------------------------------------------------------------------


@pytest.fixture
def second_supervisor(team):
    return member(team, Role.SUPERVISOR)


@pytest.fixture
def stranger(db):
    """A supervisor of another team."""
    return member(TeamFactory(name="Elsewhere"), Role.SUPERVISOR)


def request_debrief(team, volunteer, capture, urgency="today"):
    with capture():
        return services.debrief_request_create(
            team=team, requester=volunteer, urgency=urgency, note=NOTE
        )


def assert_no_note(outbox):
    for message in outbox:
        assert "Kiwi-4711" not in message.subject and "Kiwi-4711" not in message.body
        assert "neighbour" not in message.body


def test_a_debrief_request_tells_the_teams_supervisors_only(
    team, supervisor, second_supervisor, coordinator, volunteer, stranger, mailoutbox, capture
):
    request_debrief(team, volunteer, capture)

    assert recipients(mailoutbox) == sorted([supervisor.email, second_supervisor.email])
    assert_no_note(mailoutbox)
    for message in mailoutbox:
        assert message.subject == "A request is waiting (Today)"
        assert_discreet(message)


def test_taking_a_request_tells_the_requester(team, supervisor, volunteer, mailoutbox, capture):
    request = request_debrief(team, volunteer, capture)
    mailoutbox.clear()

    with capture():
        services.debrief_take(request=request, by=supervisor)

    (message,) = mailoutbox
    assert message.to == [volunteer.email]
    assert message.subject == "Your request was taken"
    assert_discreet(message)
    assert_no_note(mailoutbox)


def test_an_offered_time_tells_the_requester(team, supervisor, volunteer, mailoutbox, capture):
    request = request_debrief(team, volunteer, capture)
    with capture():
        services.debrief_take(request=request, by=supervisor)
    mailoutbox.clear()

    with capture():
        services.debrief_slot_publish(
            supervisor=supervisor,
            team=team,
            starts_at=hours_ahead(26),
            minutes=45,
            format="online",
            meeting_link="https://meet.example.org/one-to-one",
            offered_for=request,
        )

    (message,) = mailoutbox
    assert message.to == [volunteer.email]
    assert message.subject == "A time was offered to you"
    assert_discreet(message)
    assert_no_note(mailoutbox)


def test_with_discreet_mode_off_a_debrief_request_names_the_requester(
    open_team, supervisor, volunteer, mailoutbox, capture
):
    request_debrief(open_team, volunteer, capture)

    (message,) = mailoutbox
    assert message.subject == "Debrief request (Today)"
    assert volunteer.display_name in message.body
    assert_no_note(mailoutbox)


@pytest.mark.parametrize(("urgency", "hours"), [("today", 3), ("this_week", 48)])
def test_a_request_nobody_took_in_time_is_escalated_once(
    team,
    supervisor,
    second_supervisor,
    coordinator,
    volunteer,
    stranger,
    mailoutbox,
    capture,
    urgency,
    hours,
):
    request = request_debrief(team, volunteer, capture, urgency=urgency)
    mailoutbox.clear()

    with time_machine.travel(request.created_at + timedelta(hours=hours, minutes=-1)):
        call_command("tick")
    assert mailoutbox == []
    with time_machine.travel(request.created_at + timedelta(hours=hours, minutes=1)):
        call_command("tick")
        call_command("tick")

    assert recipients(mailoutbox) == sorted(
        [supervisor.email, second_supervisor.email, coordinator.email]
    )
    assert_no_note(mailoutbox)
    for message in mailoutbox:
        assert_discreet(message)
    request.refresh_from_db()
    assert request.escalated_at is not None
    assert (
        Dispatch.objects.filter(
            kind=notifications.DEBRIEF_ESCALATED, target=str(request.pk)
        ).count()
        == 1
    )


def test_a_request_taken_in_time_is_not_escalated(
    team, supervisor, coordinator, volunteer, mailoutbox, capture
):
    request = request_debrief(team, volunteer, capture)
    with time_machine.travel(request.created_at + timedelta(hours=1)), capture():
        services.debrief_take(request=request, by=supervisor)
    mailoutbox.clear()

    with time_machine.travel(request.created_at + timedelta(hours=4)):
        call_command("tick")

    assert mailoutbox == []
    assert DebriefRequest.objects.get(pk=request.pk).escalated_at is None
