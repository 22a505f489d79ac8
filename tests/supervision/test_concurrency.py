"""Capacity holds when everyone books at once: the session's row is locked for the booking
(PostgreSQL ``select_for_update``; SQLite's immediate transactions make writers queue), state
changes are conditional updates, and the database keeps one seat per person. Runs on the
file-based SQLite test database and on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from people.models import Role
from supervision import services
from supervision.models import Booking, BookingStatus
from tests.people.factories import TeamFactory, member, sign_in
from tests.supervision.factories import make_group, make_session

PEOPLE = 30
CAPACITY = 8


def all_at_once(jobs):
    """Run each job in its own thread, released together; return their results."""
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        try:
            start.wait()
            results[index] = job()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_thirty_people_booking_eight_seats_at_once(site_db):
    if connection.vendor == "sqlite":
        assert connection.settings_dict["NAME"] != ":memory:"
    team = TeamFactory()
    supervisor = member(team, Role.SUPERVISOR, mfa=False)
    session = make_session(make_group(team, supervisors=[supervisor], capacity=CAPACITY))
    url = reverse("supervision:session_book", kwargs={"pk": session.pk})
    browsers = []
    for _ in range(PEOPLE):
        browser = Client(raise_request_exception=False)
        sign_in(browser, member(team, Role.VOLUNTEER))
        browsers.append(browser)

    statuses = all_at_once([lambda b=b: b.post(url).status_code for b in browsers])

    assert statuses == [302] * PEOPLE  # everyone answered; nobody saw an error
    bookings = Booking.objects.filter(session=session)
    assert bookings.filter(status=BookingStatus.CONFIRMED).count() == CAPACITY
    assert bookings.filter(status=BookingStatus.WAITLISTED).count() == PEOPLE - CAPACITY
    assert bookings.values("user").distinct().count() == bookings.count() == PEOPLE
    # The waiting list is in the order the seats were asked for.
    waiting = list(bookings.filter(status=BookingStatus.WAITLISTED).order_by("created_at", "pk"))
    confirmed = list(bookings.filter(status=BookingStatus.CONFIRMED))
    assert max(b.created_at for b in confirmed) <= min(b.created_at for b in waiting)


@pytest.mark.django_db(transaction=True)
def test_one_person_tapping_book_many_times_holds_one_seat(site_db):
    team = TeamFactory()
    supervisor = member(team, Role.SUPERVISOR, mfa=False)
    volunteer = member(team, Role.VOLUNTEER)
    session = make_session(make_group(team, supervisors=[supervisor], capacity=CAPACITY))

    results = all_at_once(
        [lambda: services.booking_create(session=session, user=volunteer).pk for _ in range(10)]
    )

    assert len(set(results)) == 1
    assert Booking.objects.filter(session=session).count() == 1


@pytest.mark.django_db(transaction=True)
def test_seats_given_up_at_once_move_the_waiting_list_up_exactly(site_db):
    team = TeamFactory()
    supervisor = member(team, Role.SUPERVISOR, mfa=False)
    session = make_session(make_group(team, supervisors=[supervisor], capacity=4))
    people = [member(team, Role.VOLUNTEER) for _ in range(10)]
    seats = [services.booking_create(session=session, user=p) for p in people]
    leaving = [s for s in seats if s.status == BookingStatus.CONFIRMED]

    all_at_once([lambda s=s: services.booking_cancel(booking=s, by=s.user) for s in leaving])

    bookings = Booking.objects.filter(session=session)
    assert bookings.filter(status=BookingStatus.CONFIRMED).count() == 4
    assert bookings.filter(status=BookingStatus.CANCELLED).count() == 4
    assert bookings.filter(status=BookingStatus.WAITLISTED).count() == 2
    # The four who waited longest got the seats.
    promoted = set(bookings.filter(status=BookingStatus.CONFIRMED).values_list("user", flat=True))
    assert promoted == {p.pk for p in people[4:8]}
