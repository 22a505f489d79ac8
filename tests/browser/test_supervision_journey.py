"""Supervision in a real browser, on a phone: a volunteer books the next group session, puts it
in their calendar, gives the seat up and books again; after a hard call they ask for a debrief,
a supervisor takes it and offers a time, and the volunteer picks it; the supervisor marks
attendance of last week's session. axe-core checks every page, none scrolls sideways."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from people.models import Role
from supervision import services
from supervision.models import Booking, DebriefRequest, DebriefStatus, Session
from tests.people.factories import TeamFactory, member, sign_in
from tests.supervision.factories import make_group, make_session

pytestmark = pytest.mark.browser

LINK = "https://meet.example.org/evening-circle"


def sign_in_browser(bp, live_server, user):
    client = Client()
    sign_in(client, user)
    bp.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def open_menu(page):
    page.get_by_role("button", name="Show or hide the menu").click()
    page.locator("#main-nav.collapse.show").wait_for()


def test_booking_a_debrief_and_attendance_on_a_phone(new_browser_page, live_server):
    team = TeamFactory(name="Helpline", slug="helpline")  # discreet by default
    supervisor = member(team, Role.SUPERVISOR, display_name="Marta")
    volunteer = member(team, Role.VOLUNTEER, display_name="River")
    group = make_group(team, name="Evening circle", supervisors=[supervisor], meeting_link=LINK)
    coming = make_session(group, starts_at=timezone.now() + timedelta(days=3))
    past = make_session(group, starts_at=timezone.now() - timedelta(days=6))
    Booking.objects.create(session=past, user=volunteer, status="confirmed")

    # The volunteer, on a phone, finds supervision in the menu and books a seat.
    phone = new_browser_page()
    page = phone.page
    sign_in_browser(phone, live_server, volunteer)
    phone.goto("/en/")
    open_menu(page)
    page.get_by_role("link", name="Supervision").first.click()
    page.wait_for_url(re.compile(r"/en/meetings/$"))
    phone.check_accessibility()
    page.get_by_role("link", name="Evening circle").first.click()
    page.wait_for_url(re.compile(rf"/meetings/sessions/{coming.pk}/$"))
    phone.check_accessibility()
    assert LINK not in page.content()  # the link is for people with a seat
    page.get_by_role("button", name="Book a seat").click()
    page.get_by_text("You have a seat. A confirmation is on its way.").wait_for()
    phone.check_accessibility()
    assert page.get_by_role("link", name=LINK).is_visible()

    # The calendar file says nothing about supervision (discreet) and carries the session.
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to my calendar (.ics)").click()
    ics = Path(download.value.path()).read_text()
    assert "BEGIN:VEVENT" in ics and f"UID:{coming.uid}@atbalsts" in ics
    assert "Team meeting" in ics
    assert "upervision" not in ics and "Evening circle" not in ics and LINK not in ics

    # Plans change: the seat is given up, then taken again.
    page.get_by_role("button", name="Give up my seat").click()
    page.get_by_text("The seat was given up.").wait_for()
    phone.check_accessibility()
    assert Booking.objects.get(session=coming, user=volunteer).status == "cancelled"
    page.get_by_role("button", name="Book a seat").click()
    page.get_by_text("You have a seat. A confirmation is on its way.").wait_for()
    seats = Booking.objects.filter(session=coming, user=volunteer)
    assert sorted(seats.values_list("status", flat=True)) == ["cancelled", "confirmed"]

    # After a hard call, the volunteer asks for a debrief.
    phone.goto("/en/meetings/")
    page.get_by_role("link", name="I'd like to talk to someone").first.click()
    page.wait_for_url(re.compile(r"/meetings/requests/new/$"))
    phone.check_accessibility()
    page.get_by_label("Today").check()
    page.get_by_label("A note for the supervisor (optional)").fill("The call about the border")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_url(re.compile(r"/meetings/requests/\d+/$"))
    page.get_by_text("Your request was sent to the team's supervisors.").wait_for()
    phone.check_accessibility()
    request_ = DebriefRequest.objects.get(requester=volunteer)
    assert request_.status == DebriefStatus.OPEN

    # A supervisor, on their own phone, takes it and offers a time.
    sup = new_browser_page()
    spage = sup.page
    sign_in_browser(sup, live_server, supervisor)
    sup.goto("/en/meetings/")
    sup.check_accessibility()
    spage.locator(f"a[href$='/meetings/requests/{request_.pk}/']").first.click()
    spage.wait_for_url(re.compile(rf"/meetings/requests/{request_.pk}/$"))
    assert "The call about the border" not in spage.content()  # not taken yet
    spage.get_by_role("button", name="I'll take it").click()
    spage.get_by_text("You took the request.").wait_for()
    sup.check_accessibility()
    assert "The call about the border" in spage.content()
    tomorrow = timezone.localdate() + timedelta(days=1)
    spage.get_by_label("Date").fill(tomorrow.isoformat())
    spage.get_by_label("Start time").fill("10:00")
    spage.get_by_label("Meeting link").fill("https://meet.example.org/one-to-one")
    spage.get_by_role("button", name="Offer this time").click()
    spage.get_by_text("The time was offered.").wait_for()
    sup.check_accessibility()

    # The volunteer picks the time.
    page.reload()
    page.get_by_role("button", name="This time suits me").click()
    page.get_by_text("The time is agreed.").wait_for()
    phone.check_accessibility()
    request_.refresh_from_db()
    assert request_.status == DebriefStatus.BOOKED

    # The supervisor marks last week's attendance.
    sup.goto(f"/en/meetings/sessions/{past.pk}/")
    spage.get_by_role("link", name="Mark attendance").click()
    spage.wait_for_url(re.compile(rf"/meetings/sessions/{past.pk}/attendance/$"))
    sup.check_accessibility()
    spage.get_by_role("group", name="River").get_by_label("Attended").check()
    spage.get_by_role("button", name="Save attendance").click()
    spage.get_by_text("Attendance saved.").wait_for()
    sup.check_accessibility()
    assert Booking.objects.get(session=past, user=volunteer).attendance == "attended"
    assert Session.objects.get(pk=coming.pk).bookings.filter(status="confirmed").count() == 1

    phone.assert_clean()
    sup.assert_clean()


def test_a_full_session_puts_the_next_person_on_the_waiting_list(new_browser_page, live_server):
    team = TeamFactory(name="Helpline", slug="helpline")
    supervisor = member(team, Role.SUPERVISOR, display_name="Marta")
    first = member(team, Role.VOLUNTEER, display_name="River")
    second = member(team, Role.VOLUNTEER, display_name="Lake")
    group = make_group(team, name="Evening circle", supervisors=[supervisor], capacity=1)
    session = make_session(group)
    services.booking_create(session=session, user=first)

    phone = new_browser_page(locale="lv-LV")
    page = phone.page
    sign_in_browser(phone, live_server, second)
    phone.goto(f"/lv/meetings/sessions/{session.pk}/")
    phone.check_accessibility()
    page.locator("form[action$='/book/'] button").click()
    page.locator(".alert").first.wait_for()
    phone.check_accessibility()
    assert Booking.objects.get(session=session, user=second).status == "waitlisted"
    assert page.locator("html").get_attribute("lang") == "lv"
    phone.assert_clean()
