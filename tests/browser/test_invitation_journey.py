"""A coordinator invites a volunteer; the volunteer accepts, signs up, logs in and switches
to Latvian. axe-core checks every page on the way."""

import re

import pytest
from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

from people.models import Membership, Role
from tests.people.factories import TEST_PASSWORD, TeamFactory, UserFactory, enrol_totp

pytestmark = pytest.mark.browser

NEW_PASSWORD = "river-runs-quietly-42"


def current_totp(secret: str) -> str:
    return f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"


def open_menu(page):
    """On a phone the header menu is collapsed: open it and wait until it has finished
    sliding open, so a click lands where the person would tap."""
    page.get_by_role("button", name="Show or hide the menu").click()
    page.locator("#main-nav.collapse.show").wait_for()


def log_in(bp, email, password, totp_secret=None):
    page = bp.page
    bp.goto("/en/accounts/login/")
    bp.check_accessibility()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    if totp_secret:
        page.wait_for_url(re.compile(r"/2fa/authenticate/"))
        bp.check_accessibility()
        page.get_by_label("Code").fill(current_totp(totp_secret))
        page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/(en|lv|ru)/$"))


def test_coordinator_invites_and_volunteer_joins_in_latvian(browser_page, new_browser_page):
    team = TeamFactory(name="Helpline", slug="helpline")
    coordinator = UserFactory(email="ilze@example.org", display_name="Ilze")
    Membership.objects.create(user=coordinator, team=team, role=Role.COORDINATOR)
    secret = enrol_totp(coordinator)
    bp = browser_page
    page = bp.page

    # The coordinator logs in with a second factor and invites a volunteer.
    log_in(bp, "ilze@example.org", TEST_PASSWORD, totp_secret=secret)
    bp.check_accessibility()
    page.get_by_role("link", name="Invitations").first.click()
    page.wait_for_url(re.compile(r"/invitations/$"))
    bp.check_accessibility()
    page.get_by_label("E-mail address").fill("river@example.org")
    page.get_by_label("Role").select_option("volunteer")
    page.get_by_role("button", name="Send invitation").click()
    page.get_by_text("Invitation sent to river@example.org").wait_for()
    bp.check_accessibility()
    link = page.get_by_label("Invitation link").input_value()
    assert "/invitations/" in link
    assert page.locator(".invitation-row").get_by_text("river@example.org").is_visible()
    bp.assert_clean()

    # The volunteer, on their own phone, opens the link and signs up.
    phone = new_browser_page()
    vp = phone.page
    vp.goto(link)
    phone.check_accessibility()
    vp.get_by_role("heading", name="You are invited to join Helpline").wait_for()
    vp.get_by_role("button", name="Create my account").click()
    vp.wait_for_url(re.compile(r"/accounts/signup/"))
    phone.check_accessibility()
    assert vp.get_by_label("E-mail").input_value() == "river@example.org"
    vp.get_by_label("Display name").fill("River")
    vp.get_by_placeholder("Password", exact=True).fill(NEW_PASSWORD)
    vp.get_by_placeholder("Password (again)").fill(NEW_PASSWORD)
    vp.get_by_role("button", name="Sign up").click()
    vp.wait_for_url(re.compile(r"/en/$"))
    vp.get_by_role("heading", name="Welcome, River").wait_for()
    phone.check_accessibility()
    assert Membership.objects.get(user__email="river@example.org").role == Role.VOLUNTEER

    # The link is spent now.
    vp.goto(link)
    vp.get_by_text("already been used").wait_for()

    # Log out, log in again, and switch to Latvian.
    vp.goto(phone.base_url + "/en/")
    open_menu(vp)
    with vp.expect_navigation():
        vp.get_by_role("button", name="Log out").click()
    vp.get_by_role("main").get_by_role("link", name="Log in", exact=True).wait_for()
    log_in(phone, "river@example.org", NEW_PASSWORD)
    open_menu(vp)
    with vp.expect_navigation():
        vp.get_by_role("button", name=re.compile("^LV")).click()
    vp.wait_for_url(re.compile(r"/lv/$"))
    assert vp.locator("html").get_attribute("lang") == "lv"
    vp.get_by_role("heading", name=re.compile("Sveicināt|Laipni")).wait_for()
    phone.check_accessibility()
    phone.assert_clean()
    assert len(phone.checked_urls) >= 5

    # The choice is remembered for the account.
    from people.models import User

    assert User.objects.get(email="river@example.org").preferred_language == "lv"
