"""A volunteer, on a phone, downloads everything Atbalsts holds about them and then deletes
their account with their password and a code from their authenticator app. axe-core checks
every page; none scrolls sideways at 360 px."""

import json
import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time
from django.test import Client

from people.models import Role, User
from tests.people.factories import TEST_PASSWORD, TeamFactory, enrol_totp, member, sign_in
from tests.wellbeing.factories import pulse
from wellbeing.models import CheckIn

pytestmark = pytest.mark.browser

NOTE = "A long night on the line"


def current_totp(secret: str) -> str:
    return f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"


def sign_in_browser(bp, live_server, user):
    client = Client()
    sign_in(client, user)
    bp.page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_a_volunteer_downloads_their_data_and_deletes_their_account(new_browser_page, live_server):
    team = TeamFactory(name="Helpline", slug="helpline")
    member(team, Role.COORDINATOR, display_name="Ilze")
    member(team, Role.COORDINATOR, display_name="Marta")
    volunteer = member(team, Role.VOLUNTEER, display_name="River", email="river@example.org")
    secret = enrol_totp(volunteer)
    pulse(volunteer, note=NOTE)

    phone = new_browser_page()
    page = phone.page
    sign_in_browser(phone, live_server, volunteer)

    # From the settings page to the download.
    phone.goto("/en/me/settings/")
    phone.check_accessibility()
    page.get_by_role("link", name="Download my data").click()
    page.wait_for_url(re.compile(r"/en/me/data/$"))
    phone.check_accessibility()
    with page.expect_download() as arrived:
        page.get_by_role("button", name="Download my data").click()
    download = arrived.value
    assert re.fullmatch(r"atbalsts-my-data-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["people"]["profile"]["email"] == "river@example.org"
    assert [c["note"] for c in data["wellbeing"]["check_ins"]] == [NOTE]

    # Then the account goes: password, a code from the app, and the tick.
    page.get_by_role("link", name="Delete my account").click()
    page.wait_for_url(re.compile(r"/en/me/delete/$"))
    phone.check_accessibility()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_label("A code from your authenticator app, or a recovery code").fill("000000")
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_text("This is not your password.").wait_for()
    phone.check_accessibility()
    assert User.objects.get(pk=volunteer.pk).is_active

    page.get_by_label("Your password").fill(TEST_PASSWORD)
    page.get_by_label("A code from your authenticator app, or a recovery code").fill(
        current_totp(secret)
    )
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    page.get_by_role("heading", name="Your account has been deleted").wait_for()
    phone.check_accessibility()
    assert not User.objects.get(pk=volunteer.pk).is_active
    assert not CheckIn.objects.filter(user_id=volunteer.pk).exists()

    # Signed out; the old address and password open nothing.
    phone.goto("/en/me/settings/")
    page.wait_for_url(re.compile(r"/accounts/login/"))
    page.get_by_label("E-mail").fill("river@example.org")
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator(".alert-danger, .invalid-feedback, .errorlist").first.wait_for()
    assert "/accounts/login/" in page.url
    phone.check_accessibility()
    phone.assert_clean()
