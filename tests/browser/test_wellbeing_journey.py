"""Wellbeing on a phone: a volunteer with a few weeks of history does the weekly pulse twice,
sees the trend, lets the supervisors know when it is heavy, and asks to talk to someone.
axe-core checks every page; none scrolls sideways."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from people.models import Role
from supervision.models import DebriefRequest
from tests.people.factories import TeamFactory, member, sign_in
from tests.wellbeing.factories import pulse
from wellbeing.models import CheckIn, SharingChoice

pytestmark = pytest.mark.browser


def sign_in_browser(bp, live_server, user):
    client = Client()
    sign_in(client, user)
    bp.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def answer_pulse(page, answers):
    for number, label in enumerate(answers, start=1):
        page.locator("fieldset.question").nth(number - 1).get_by_label(label, exact=True).check()


def test_a_volunteer_checks_in_shares_and_asks_to_talk(new_browser_page, live_server):
    team = TeamFactory(name="Helpline", slug="helpline")
    member(team, Role.SUPERVISOR, display_name="Marta")
    volunteer = member(team, Role.VOLUNTEER, display_name="River")
    now = timezone.now()
    for weeks in (4, 3, 2):
        pulse(volunteer, (3, 1, 3, 3, 1), now=now - timedelta(weeks=weeks))

    phone = new_browser_page()
    page = phone.page
    sign_in_browser(phone, live_server, volunteer)

    # From the home page, the weekly pulse: a steady week.
    phone.goto("/en/")
    page.get_by_role("link", name="Weekly pulse").click()
    page.wait_for_url(re.compile(r"/en/check-ins/new/pulse/$"))
    phone.check_accessibility()
    answer_pulse(page, ["Quite a lot", "A little", "Quite a lot", "Very much", "Somewhat"])
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/en/check-ins/\d+/$"))
    phone.check_accessibility()
    assert page.get_by_text("not a diagnosis").first.is_visible()

    # A week later (the same evening, for the test), a heavy one.
    phone.goto("/en/check-ins/new/pulse/")
    answer_pulse(page, ["Not at all", "Very much", "A little", "Not at all", "Very much"])
    page.get_by_role("button", name="See my result").click()
    page.wait_for_url(re.compile(r"/en/check-ins/\d+/$"))
    page.get_by_role("heading", name="Take care of yourself").wait_for()
    phone.check_accessibility()
    assert CheckIn.objects.filter(user=volunteer).count() == 5
    assert CheckIn.objects.filter(user=volunteer).first().concern

    # The trend: a chart with its table.
    phone.goto("/en/check-ins/")
    phone.check_accessibility()
    chart = page.locator("svg.trend-chart").first
    assert chart.is_visible()
    assert page.locator("svg.trend-chart .chart-dot").count() == 5
    page.get_by_text("Show the numbers").first.click()
    assert page.locator("figure.trend table tbody tr").count() == 5
    phone.check_layout()

    # Supervisors may know when it is heavy (nothing more).
    page.get_by_label(re.compile("My supervisors may see")).check()
    page.get_by_role("button", name="Save my choices").click()
    page.get_by_text("Your choices for Helpline are saved.").wait_for()
    phone.check_accessibility()
    choice = SharingChoice.objects.get(user=volunteer, team=team)
    assert choice.flag_to_supervisors and not choice.scores_to_coordinators

    # And one click to ask for a talk.
    page.get_by_role("button", name="I'd like to talk to someone").first.click()
    page.wait_for_url(re.compile(r"/en/meetings/requests/\d+/$"))
    page.get_by_text("Your request was sent to the team's supervisors.").wait_for()
    phone.check_accessibility()
    request_ = DebriefRequest.objects.get(requester=volunteer)
    assert request_.urgency == "today" and request_.note == ""
    phone.assert_clean()
