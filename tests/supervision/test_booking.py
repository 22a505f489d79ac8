"""Seats: book, give up, wait, move up, closed booking, seats beyond capacity on the record;
each seat is its own row with its own check."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from supervision import services
from supervision.models import Booking, BookingStatus, SessionStatus
from tests.people.factories import TeamFactory, member, sign_in
from tests.supervision.factories import make_group, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(team, supervisor):
    return make_group(team, supervisors=[supervisor], capacity=2)


@pytest.fixture
def session(group):
    return make_session(group)


def volunteers(team, count):
    return [member(team, Role.VOLUNTEER) for _ in range(count)]


def statuses(session):
    return dict(session.bookings.values_list("user__display_name", "status"))


def test_a_member_books_a_seat_and_booking_again_keeps_the_same_seat(session, volunteer):
    first = services.booking_create(session=session, user=volunteer)
    again = services.booking_create(session=session, user=volunteer)
    assert first.status == BookingStatus.CONFIRMED
    assert again.pk == first.pk
    assert session.bookings.count() == 1


def test_a_full_session_puts_people_on_the_waiting_list_in_order(session, team):
    a, b, c, d = volunteers(team, 4)
    for person in (a, b, c, d):
        services.booking_create(session=session, user=person)
    assert [(bk.user, bk.status) for bk in session.bookings.order_by("created_at", "pk")] == [
        (a, BookingStatus.CONFIRMED),
        (b, BookingStatus.CONFIRMED),
        (c, BookingStatus.WAITLISTED),
        (d, BookingStatus.WAITLISTED),
    ]


def test_a_freed_seat_goes_to_the_first_on_the_waiting_list(session, team):
    a, b, c, d = volunteers(team, 4)
    seats = {p: services.booking_create(session=session, user=p) for p in (a, b, c, d)}
    services.booking_cancel(booking=seats[a], by=a)
    seats_now = {bk.user: bk.status for bk in session.bookings.all()}
    assert seats_now == {
        a: BookingStatus.CANCELLED,
        b: BookingStatus.CONFIRMED,
        c: BookingStatus.CONFIRMED,
        d: BookingStatus.WAITLISTED,
    }


def test_giving_up_my_seat_touches_nobody_elses_and_not_the_session(session, team):
    a, b = volunteers(team, 2)
    mine = services.booking_create(session=session, user=a)
    services.booking_create(session=session, user=b)
    services.booking_cancel(booking=mine, by=a)
    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED
    assert session.bookings.get(user=b).status == BookingStatus.CONFIRMED


def test_nobody_else_can_give_up_my_seat(session, team, coordinator, supervisor):
    a, b = volunteers(team, 2)
    mine = services.booking_create(session=session, user=a)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking=mine, by=b)
    assert Booking.objects.get(pk=mine.pk).status == BookingStatus.CONFIRMED
    # The group's supervisor (and a coordinator) can free a seat; the person is told.
    services.booking_cancel(booking=mine, by=supervisor)
    assert Booking.objects.get(pk=mine.pk).status == BookingStatus.CANCELLED


def test_a_person_can_book_again_after_giving_up(session, volunteer):
    first = services.booking_create(session=session, user=volunteer)
    services.booking_cancel(booking=first, by=volunteer)
    second = services.booking_create(session=session, user=volunteer)
    assert second.pk != first.pk and second.status == BookingStatus.CONFIRMED
    assert session.bookings.filter(status=BookingStatus.CONFIRMED).count() == 1


def test_the_database_holds_one_active_seat_per_person(session, volunteer):
    services.booking_create(session=session, user=volunteer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(session=session, user=volunteer, status=BookingStatus.WAITLISTED)


def test_booking_closes_before_the_start(group, volunteer):
    soon = make_session(group, starts_at=timezone.now() + timedelta(hours=1))  # closes 2 h before
    with pytest.raises(ValidationError) as error:
        services.booking_create(session=soon, user=volunteer)
    assert "closed" in error.value.messages[0]
    later = make_session(group, starts_at=timezone.now() + timedelta(hours=3))
    assert services.booking_create(session=later, user=volunteer).status == "confirmed"


def test_past_and_cancelled_sessions_take_no_seats(group, volunteer, supervisor):
    past = make_session(group, starts_at=timezone.now() - timedelta(days=1))
    with pytest.raises(ValidationError):
        services.booking_create(session=past, user=volunteer)
    cancelled = make_session(group)
    services.session_cancel(session=cancelled, by=supervisor)
    with pytest.raises(ValidationError) as error:
        services.booking_create(session=cancelled, user=volunteer)
    assert "cancelled" in error.value.messages[0]


def test_only_the_groups_members_can_book(group, session, team, coordinator, supervisor, outsider):
    other_team_volunteer = member(TeamFactory(), Role.VOLUNTEER)
    # The group is for the team's volunteers: not its coordinator, supervisor or outsiders.
    for person in (coordinator, supervisor, outsider, other_team_volunteer):
        with pytest.raises(PermissionDenied):
            services.booking_create(session=session, user=person)
    coordinators = make_group(team, supervisors=[supervisor], audience="coordinators")
    assert services.booking_create(session=make_session(coordinators), user=coordinator).pk


def test_chosen_people_groups_take_only_the_chosen(team, supervisor):
    chosen, not_chosen = volunteers(team, 2)
    group = make_group(team, supervisors=[supervisor], audience="chosen", members=[chosen])
    session = make_session(group)
    assert services.booking_create(session=session, user=chosen).status == "confirmed"
    with pytest.raises(PermissionDenied):
        services.booking_create(session=session, user=not_chosen)


def test_nobody_books_for_someone_else(session, team):
    a, b = volunteers(team, 2)
    with pytest.raises(PermissionDenied):
        services.booking_create(session=session, user=a, by=b)


def test_a_supervisor_adds_someone_beyond_the_seats_on_the_record(session, team, supervisor):
    a, b, extra, waiting = volunteers(team, 4)
    seat_a = services.booking_create(session=session, user=a)
    services.booking_create(session=session, user=b)
    added = services.booking_create(session=session, user=extra, by=supervisor, over_capacity=True)
    assert added.status == BookingStatus.CONFIRMED
    assert added.over_capacity and added.added_by == supervisor
    assert session.bookings.filter(status="confirmed").count() == 3
    # The extra seat does not take one of the usual seats: when one frees, the waiting list
    # moves up as usual.
    assert services.booking_create(session=session, user=waiting).status == "waitlisted"
    services.booking_cancel(booking=seat_a, by=a)
    assert session.bookings.get(user=waiting).status == BookingStatus.CONFIRMED


def test_over_capacity_moves_a_waiting_person_to_a_seat(session, team, supervisor):
    a, b, waiting = volunteers(team, 3)
    for person in (a, b, waiting):
        services.booking_create(session=session, user=person)
    moved = services.booking_create(
        session=session, user=waiting, by=supervisor, over_capacity=True
    )
    assert moved.status == BookingStatus.CONFIRMED and moved.over_capacity
    assert moved.added_by == supervisor


def test_only_who_runs_it_adds_beyond_the_seats(session, team, volunteer, outsider):
    extra = member(team, Role.VOLUNTEER)
    for person in (volunteer, outsider):
        with pytest.raises(PermissionDenied):
            services.booking_create(session=session, user=extra, by=person, over_capacity=True)
    with pytest.raises(ValidationError):
        services.booking_create(
            session=session,
            user=outsider,
            by=session.group.supervisors.get(),
            over_capacity=True,
        )


def test_raising_capacity_moves_the_waiting_list_up(session, team, supervisor):
    a, b, c = volunteers(team, 3)
    for person in (a, b, c):
        services.booking_create(session=session, user=person)
    services.session_update(
        session=session,
        by=supervisor,
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=3,
        meeting_link=session.meeting_link,
        place="",
    )
    assert session.bookings.get(user=c).status == BookingStatus.CONFIRMED


def test_cancelling_the_session_is_a_separate_action_for_who_runs_it(
    session, team, volunteer, supervisor
):
    seat = services.booking_create(session=session, user=volunteer)
    with pytest.raises(PermissionDenied):
        services.session_cancel(session=session, by=volunteer)
    services.session_cancel(session=session, by=supervisor)
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED and session.sequence == 1
    seat.refresh_from_db()
    assert seat.status == BookingStatus.CONFIRMED  # the record of who was booked stays


# --- Through the pages ---------------------------------------------------------------------


def test_booking_and_giving_up_through_the_pages(client, session, volunteer):
    sign_in(client, volunteer)
    page = client.get(reverse("supervision:session", kwargs={"pk": session.pk}))
    assert page.status_code == 200
    assert session.meeting_link not in page.content.decode()  # no seat yet: no link
    response = client.post(reverse("supervision:session_book", kwargs={"pk": session.pk}))
    assert response.status_code == 302
    page = client.get(reverse("supervision:session", kwargs={"pk": session.pk}))
    assert "You have a seat" in page.content.decode()
    assert session.meeting_link in page.content.decode()
    seat = session.bookings.get(user=volunteer)
    client.post(reverse("supervision:booking_cancel", kwargs={"pk": seat.pk}), follow=True)
    seat.refresh_from_db()
    assert seat.status == BookingStatus.CANCELLED


def test_a_closed_booking_says_why_instead_of_failing(client, group, volunteer):
    soon = make_session(group, starts_at=timezone.now() + timedelta(hours=1))
    sign_in(client, volunteer)
    page = client.get(reverse("supervision:session", kwargs={"pk": soon.pk}))
    assert "Booking for this session has closed." in page.content.decode()
    response = client.post(reverse("supervision:session_book", kwargs={"pk": soon.pk}), follow=True)
    assert response.status_code == 200
    assert "Booking for this session has closed." in response.content.decode()
    assert not soon.bookings.exists()


def test_someone_elses_seat_cannot_be_given_up_through_the_pages(client, session, team):
    a, b = volunteers(team, 2)
    seat = services.booking_create(session=session, user=a)
    sign_in(client, b)
    response = client.post(reverse("supervision:booking_cancel", kwargs={"pk": seat.pk}))
    assert response.status_code == 404
    seat.refresh_from_db()
    assert seat.status == BookingStatus.CONFIRMED
