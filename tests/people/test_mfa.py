"""Coordinators, supervisors and site admins are sent to enrol a second factor before they
reach any page; volunteers only when their team requires it."""

import pytest
from django.urls import reverse

from people.models import Role
from tests.people.factories import TEST_PASSWORD, UserFactory, enrol_totp, member, sign_in

pytestmark = pytest.mark.django_db

ENROL_URL = reverse("mfa_activate_totp")


def team_page(team):
    return reverse("people:team_detail", kwargs={"slug": team.slug})


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPERVISOR])
def test_staff_roles_without_mfa_are_sent_to_enrolment(client, team, role):
    user = member(team, role, mfa=False)
    sign_in(client, user)
    for url in (team_page(team), "/en/", reverse("people:preferences")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == ENROL_URL


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPERVISOR])
def test_staff_roles_with_mfa_reach_their_pages(client, team, role):
    user = member(team, role, mfa=True)
    sign_in(client, user)
    assert client.get(team_page(team)).status_code == 200


def current_code(secret: str) -> str:
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

    counters = list(yield_hotp_counters_from_time())
    return f"{hotp_value(secret, counters[len(counters) // 2]):06d}"


def test_site_admin_without_mfa_cannot_reach_the_wagtail_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    sign_in(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


@pytest.mark.django_db(transaction=True)  # allauth announces the new authenticator on commit
def test_enrolling_through_allauth_keeps_the_session_signed_in(client, team):
    """Typing a code from the new authenticator proves it: the session goes on as a session
    that completed its second factor, and reaches staff pages at once."""
    from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY

    coordinator = member(team, Role.COORDINATOR, mfa=False)
    sign_in(client, coordinator)
    response = client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(ENROL_URL).status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(ENROL_URL, {"code": current_code(secret)})
    assert response.status_code == 302
    assert coordinator.authenticator_set.filter(type="totp").exists()
    assert client.get(team_page(team)).status_code == 200


def test_enrolling_from_another_session_ends_a_session_without_the_second_factor(client, team):
    """A password-only session opened before the person set up their authenticator (say, by
    someone who had their password) is over once the authenticator exists."""
    coordinator = member(team, Role.COORDINATOR, mfa=False)
    sign_in(client, coordinator)
    enrol_totp(coordinator)  # done elsewhere, in the person's own browser
    response = client.get(team_page(team))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPERVISOR, Role.VOLUNTEER])
def test_a_session_that_skipped_the_second_factor_is_not_signed_in(client, team, role):
    """The password step alone, however the session got it, opens nothing: every page
    treats it as signed out, and the session is ended."""
    user = member(team, role, mfa=True)
    sign_in(client, user, second_factor=False)
    for url in (team_page(team), "/en/", reverse("people:preferences")):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        if response.status_code == 302:
            assert response["Location"].startswith(reverse("account_login")), url
        else:
            assert "Log in" in response.content.decode()
        assert "_auth_user_id" not in client.session


def test_a_site_admin_session_without_the_second_factor_opens_no_admin(client, team):
    admin = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(admin)
    coordinator = member(team, Role.COORDINATOR)
    for url in (
        "/admin/",
        "/django-admin/",
        "/django-admin/people/user/",
        reverse("people:invitation_list", kwargs={"slug": team.slug}),
    ):
        for user in (admin, coordinator):
            sign_in(client, user, second_factor=False)
            assert client.get(url).status_code != 200, (url, user)
    sign_in(client, admin)
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/people/user/").status_code == 200


def test_volunteer_is_encouraged_not_forced(client, team):
    volunteer = member(team, Role.VOLUNTEER, mfa=False)
    sign_in(client, volunteer)
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Set up two-factor authentication" in response.content.decode()
    assert client.get(team_page(team)).status_code == 200


def test_team_setting_requires_mfa_for_volunteers(client, team):
    volunteer = member(team, Role.VOLUNTEER, mfa=False)
    team.require_mfa_for_volunteers = True
    team.save()
    sign_in(client, volunteer)
    response = client.get(team_page(team))
    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


def test_enrolment_page_and_logout_stay_reachable(client, team):
    user = member(team, Role.COORDINATOR, mfa=False)
    sign_in(client, user)
    # allauth asks for the password again before enrolment; that page must not loop back.
    response = client.get(ENROL_URL, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] != ENROL_URL


def test_enrolled_volunteer_sees_no_nag(client, team):
    volunteer = member(team, Role.VOLUNTEER, mfa=True)
    sign_in(client, volunteer)
    assert "Set up two-factor authentication" not in client.get("/en/").content.decode()


def test_trust_this_browser_is_off(settings):
    from allauth.mfa import app_settings

    assert app_settings.TRUST_ENABLED is False
    assert "webauthn" in app_settings.SUPPORTED_TYPES
    assert "totp" in app_settings.SUPPORTED_TYPES
    assert "recovery_codes" in app_settings.SUPPORTED_TYPES


def test_login_with_totp_second_step(client, team):
    """A real login: password, then the authenticator code."""
    user = member(team, Role.COORDINATOR, mfa=False, email="coord@example.org")
    secret = enrol_totp(user)
    response = client.post(
        reverse("account_login"),
        {"login": "coord@example.org", "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(team_page(team)).status_code == 302  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert client.get(team_page(team)).status_code == 200
