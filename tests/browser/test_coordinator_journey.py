"""A coordinator on a phone opens the team's dashboard and suspends a volunteer whose phone
was taken: the volunteer's open browser is refused at its next click. A second coordinator
reinstates them (the first cannot), and the first downloads the funder report as XLSX.
axe-core checks every page; none scrolls sideways at 360 px."""

import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import CourseAssignment
from people.models import Role, User
from tests.courses.factories import make_course
from tests.people.factories import TeamFactory, member, sign_in

pytestmark = pytest.mark.browser


def sign_in_browser(bp, live_server, user):
    client = Client()
    sign_in(client, user)
    bp.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_suspend_reinstate_and_report(new_browser_page, live_server):
    team = TeamFactory(name="Helpline", slug="helpline")
    ilze = member(team, Role.COORDINATOR, display_name="Ilze")
    marta = member(team, Role.COORDINATOR, display_name="Marta")
    river = member(team, Role.VOLUNTEER, display_name="River")
    course = make_course(title="Listening", modules=1)
    CourseAssignment.objects.create(
        team=team, course=course, due_date=timezone.localdate() - timedelta(days=3)
    )

    # The volunteer's phone, still signed in.
    taken = new_browser_page()
    sign_in_browser(taken, live_server, river)
    taken.goto("/en/me/settings/")
    taken.page.get_by_role("heading", name="My settings").wait_for()

    # Ilze opens the dashboard.
    first = new_browser_page()
    page = first.page
    sign_in_browser(first, live_server, ilze)
    first.goto("/en/teams/helpline/")
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url(re.compile(r"/en/teams/helpline/dashboard/$"))
    page.get_by_role("heading", name="Required training").wait_for()
    assert "River" in page.locator("#training ~ div table").first.inner_text()
    first.check_accessibility()
    page.get_by_label("Training", exact=True).select_option("overdue")
    page.get_by_role("button", name="Show", exact=True).click()
    page.wait_for_url(re.compile(r"training=overdue"))
    first.check_accessibility()

    # She suspends River.
    first.goto("/en/teams/helpline/")
    page.get_by_role("link", name="Change River").click()
    page.get_by_role("link", name="Suspend at once…").click()
    first.check_accessibility()
    page.get_by_label("A phone or computer was taken or seized").check()
    page.get_by_role("button", name="Suspend now").click()
    page.get_by_text("River is suspended").wait_for()
    first.check_accessibility()
    assert not User.objects.get(pk=river.pk).is_active

    # River's phone: the very next click is refused (back to signing in).
    taken.page.reload()
    taken.page.wait_for_url(re.compile(r"/accounts/login/"))

    # Ilze cannot reinstate; Marta can.
    page.get_by_role("link", name="Reinstate…").click()
    page.get_by_text("Someone other than you must reinstate them").wait_for()
    first.check_accessibility()
    second = new_browser_page()
    sign_in_browser(second, live_server, marta)
    second.goto(page.url.replace(live_server.url, ""))
    second.page.get_by_role("button", name="Reinstate").click()
    second.page.get_by_text("River is reinstated").wait_for()
    second.check_accessibility()
    assert User.objects.get(pk=river.pk).is_active

    # Ilze downloads the funder report.
    first.goto("/en/teams/helpline/report/")
    first.check_accessibility()
    with page.expect_download() as arrived:
        page.get_by_role("button", name="Download XLSX").click()
    download = arrived.value
    assert download.suggested_filename.endswith(".xlsx")
    assert "helpline" not in download.suggested_filename.lower()  # discreet mode
    with zipfile.ZipFile(Path(download.path())) as workbook:
        assert "xl/worksheets/sheet1.xml" in workbook.namelist()
    for browser_page in (taken, first, second):
        browser_page.assert_clean()
