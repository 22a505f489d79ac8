"""Urgent debriefs: a volunteer asks, one supervisor takes it, a time is agreed. The note is
the volunteer's and the taking supervisor's only, and is encrypted at rest."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from people.models import Role
from supervision import services
from supervision.models import DebriefRequest, DebriefStatus, Session
from supervision.permissions import can_read_debrief_note, can_see_debrief
from tests.people.factories import TeamFactory, member, sign_in
from tests.supervision.factories import make_debrief, make_slot

pytestmark = pytest.mark.django_db
NOTE = "The caller's son was taken at the border and I could not stop crying"


@pytest.fixture
def request_(team, volunteer):
    return services.debrief_request_create(
        team=team, requester=volunteer, urgency="today", note=NOTE
    )


@pytest.fixture
def second_supervisor(team):
    return member(team, Role.SUPERVISOR, display_name="Second supervisor")


def test_the_note_is_encrypted_in_the_database(request_):
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM supervision_debriefrequest WHERE id = %s", [request_.pk])
        (stored,) = cursor.fetchone()
    assert NOTE not in stored and "border" not in stored
    assert DebriefRequest.objects.get(pk=request_.pk).note == NOTE


def test_a_request_is_checked(team, volunteer, supervisor, outsider):
    with pytest.raises(ValidationError):
        services.debrief_request_create(team=team, requester=volunteer, urgency="yesterday")
    with pytest.raises(ValidationError) as error:
        services.debrief_request_create(
            team=team, requester=volunteer, urgency="today", note="x" * 2001
        )
    assert "2000" in error.value.message_dict["note"][0]
    for person in (supervisor, outsider):
        with pytest.raises(PermissionDenied):
            services.debrief_request_create(team=team, requester=person, urgency="today")


def test_one_waiting_request_at_a_time(request_, team, volunteer):
    with pytest.raises(ValidationError) as error:
        services.debrief_request_create(team=team, requester=volunteer, urgency="this_week")
    assert "already have a request waiting" in error.value.messages[0]
    services.debrief_close(request=request_, by=volunteer)
    assert services.debrief_request_create(team=team, requester=volunteer, urgency="this_week")


def test_one_supervisor_takes_it_and_the_second_is_told(request_, supervisor, second_supervisor):
    services.debrief_take(request=request_, by=supervisor)
    stale = DebriefRequest.objects.get(pk=request_.pk)
    stale.status = DebriefStatus.OPEN  # the second supervisor's page was loaded before
    with pytest.raises((ValidationError, PermissionDenied)):
        services.debrief_take(request=stale, by=second_supervisor)
    request_.refresh_from_db()
    assert request_.taken_by == supervisor and request_.status == DebriefStatus.TAKEN


def test_who_can_see_the_request_and_who_can_read_the_note(
    request_, team, volunteer, supervisor, second_supervisor, coordinator, outsider
):
    other_team_supervisor = member(TeamFactory(), Role.SUPERVISOR)
    services.debrief_take(request=request_, by=supervisor)
    expected = {
        volunteer: (True, True),
        supervisor: (True, True),
        second_supervisor: (True, False),
        coordinator: (False, False),
        outsider: (False, False),
        other_team_supervisor: (False, False),
    }
    for person, (sees, reads) in expected.items():
        assert can_see_debrief(user=person, request=request_) is sees, person
        assert can_read_debrief_note(user=person, request=request_) is reads, person


def test_coordinators_see_an_escalated_request_but_never_its_note(client, request_, coordinator):
    url = reverse("supervision:debrief", kwargs={"pk": request_.pk})
    sign_in(client, coordinator)
    assert client.get(url).status_code == 404
    DebriefRequest.objects.filter(pk=request_.pk).update(escalated_at=timezone.now())
    page = client.get(url)
    assert page.status_code == 200
    assert "taken at the border" not in page.content.decode()
    assert "I'll take it" not in page.content.decode()
    assert client.post(
        reverse("supervision:debrief_take", kwargs={"pk": request_.pk})
    ).status_code in (
        302,
        403,
    )
    request_.refresh_from_db()
    assert request_.status == DebriefStatus.OPEN


def test_the_note_on_the_pages(client, request_, volunteer, supervisor, second_supervisor):
    url = reverse("supervision:debrief", kwargs={"pk": request_.pk})
    sign_in(client, second_supervisor)
    assert (
        "taken at the border" not in client.get(url).content.decode()
    )  # not taken yet: nobody but its author
    client.logout()
    sign_in(client, supervisor)
    client.post(reverse("supervision:debrief_take", kwargs={"pk": request_.pk}))
    assert escape(NOTE) in client.get(url).content.decode()
    client.logout()
    sign_in(client, second_supervisor)
    assert "taken at the border" not in client.get(url).content.decode()
    client.logout()
    sign_in(client, volunteer)
    assert escape(NOTE) in client.get(url).content.decode()
    assert "no-store" in client.get(url)["Cache-Control"]


def test_the_volunteer_picks_a_slot_of_the_supervisor_who_took_it(
    request_, team, volunteer, supervisor, second_supervisor
):
    services.debrief_take(request=request_, by=supervisor)
    open_slot = make_slot(team, supervisor)
    not_theirs = make_slot(team, second_supervisor)
    past = make_slot(team, supervisor, starts_at=timezone.now() - timedelta(hours=2))
    from supervision.selectors import debrief_slots_for

    assert debrief_slots_for(request=request_) == [open_slot]
    with pytest.raises(PermissionDenied):
        services.debrief_book(request=request_, slot=not_theirs, by=volunteer)
    booking = services.debrief_book(request=request_, slot=open_slot, by=volunteer)
    request_.refresh_from_db()
    assert request_.status == DebriefStatus.BOOKED and request_.booking == booking
    assert booking.status == "confirmed"
    assert past.bookings.count() == 0


def test_a_slot_holds_one_person(request_, team, volunteer, supervisor):
    services.debrief_take(request=request_, by=supervisor)
    slot = make_slot(team, supervisor)
    someone = member(team, Role.VOLUNTEER)
    theirs = services.debrief_request_create(team=team, requester=someone, urgency="today")
    services.debrief_take(request=theirs, by=supervisor)
    services.debrief_book(request=theirs, slot=slot, by=someone)
    with pytest.raises(ValidationError) as error:
        services.debrief_book(request=request_, slot=slot, by=volunteer)
    assert "just been taken" in error.value.messages[0]
    request_.refresh_from_db()
    assert request_.status == DebriefStatus.TAKEN


def test_a_time_offered_to_one_request_is_for_that_volunteer_only(
    request_, team, volunteer, supervisor
):
    services.debrief_take(request=request_, by=supervisor)
    offered = services.debrief_slot_publish(
        supervisor=supervisor,
        team=team,
        starts_at=timezone.now() + timedelta(days=1),
        minutes=45,
        format="online",
        meeting_link="https://meet.example.org/x",
        offered_for=request_,
    )
    someone = member(team, Role.VOLUNTEER)
    theirs = services.debrief_request_create(team=team, requester=someone, urgency="today")
    services.debrief_take(request=theirs, by=supervisor)
    from supervision.selectors import debrief_slots_for

    assert offered not in debrief_slots_for(request=theirs)
    with pytest.raises(PermissionDenied):
        services.debrief_book(request=theirs, slot=offered, by=someone)
    assert services.debrief_book(request=request_, slot=offered, by=volunteer)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": -1}, "starts_at"),
        ({"minutes": 5}, "minutes"),
        ({"minutes": 600}, "minutes"),
        ({"meeting_link": ""}, "meeting_link"),
        ({"format": "in_person", "place": ""}, "place"),
    ],
)
def test_a_slot_that_cannot_work_is_refused(team, supervisor, changes, field):
    values = {
        "starts_at": timezone.now() + timedelta(days=1),
        "minutes": 45,
        "format": "online",
        "meeting_link": "https://meet.example.org/x",
        "place": "",
    }
    if changes.get("starts_at") == -1:
        changes["starts_at"] = timezone.now() - timedelta(hours=1)
    values.update(changes)
    with pytest.raises(ValidationError) as error:
        services.debrief_slot_publish(supervisor=supervisor, team=team, **values)
    assert field in error.value.message_dict
    assert not Session.objects.exists()


def test_only_supervisors_publish_slots_and_only_for_their_own_team(team, volunteer, coordinator):
    elsewhere = TeamFactory()
    other_supervisor = member(elsewhere, Role.SUPERVISOR)
    for person, their_team in ((volunteer, team), (coordinator, team), (other_supervisor, team)):
        with pytest.raises(PermissionDenied):
            services.debrief_slot_publish(
                supervisor=person,
                team=their_team,
                starts_at=timezone.now() + timedelta(days=1),
                minutes=45,
                format="online",
                meeting_link="https://meet.example.org/x",
            )


def test_closing_withdrawing_and_nobody_else(request_, volunteer, supervisor, second_supervisor):
    services.debrief_take(request=request_, by=supervisor)
    with pytest.raises(PermissionDenied):
        services.debrief_close(request=request_, by=second_supervisor)
    services.debrief_close(request=request_, by=supervisor)
    request_.refresh_from_db()
    assert request_.status == DebriefStatus.CLOSED and request_.closed_at
    theirs = make_debrief(request_.team, member(request_.team, Role.VOLUNTEER))
    services.debrief_close(request=theirs, by=theirs.requester)
    theirs.refresh_from_db()
    assert theirs.status == DebriefStatus.WITHDRAWN


def test_asking_through_the_page(client, team, volunteer):
    sign_in(client, volunteer)
    url = reverse("supervision:debrief_new")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"team": team.pk, "urgency": "never", "note": "x" * 3000})
    assert bad.status_code == 400
    content = bad.content.decode()
    assert "Select a valid choice" in content and "at most 2000 characters" in content
    response = client.post(url, {"team": team.pk, "urgency": "this_week", "note": NOTE})
    assert response.status_code == 302
    created = DebriefRequest.objects.get()
    assert created.note == NOTE and created.requester == volunteer
    again = client.post(url, {"team": team.pk, "urgency": "today"})
    assert again.status_code == 400
    assert "already have a request waiting" in again.content.decode()


def test_supervisors_cannot_ask_through_the_page_and_see_no_other_team(
    client, team, supervisor, request_
):
    sign_in(client, supervisor)
    assert client.get(reverse("supervision:debrief_new")).status_code == 403
    other = member(TeamFactory(), Role.SUPERVISOR)
    client.logout()
    sign_in(client, other)
    url = reverse("supervision:debrief", kwargs={"pk": request_.pk})
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("supervision:debrief_take", kwargs={"pk": request_.pk})).status_code
        == 404
    )
    request_.refresh_from_db()
    assert request_.status == DebriefStatus.OPEN
