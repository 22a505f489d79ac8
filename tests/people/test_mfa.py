"""Coordinators, supervisors and site admins are sent to enrol a second factor before they
reach any page; volunteers only when their team requires it."""

import pytest
from django.urls import reverse

from people.models import Role
from tests.people.factories import UserFactory, enrol_totp, member

pytestmark = pytest.mark.django_db

ENROL_URL = reverse("mfa_activate_totp")


def team_page(team):
    return reverse("people:team_detail", kwargs={"slug": team.slug})


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPERVISOR])
def test_staff_roles_without_mfa_are_sent_to_enrolment(client, team, role):
    user = member(team, role, mfa=False)
    client.force_login(user)
    for url in (team_page(team), "/en/", reverse("people:preferences")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == ENROL_URL


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SUPERVISOR])
def test_staff_roles_with_mfa_reach_their_pages(client, team, role):
    user = member(team, role, mfa=True)
    client.force_login(user)
    assert client.get(team_page(team)).status_code == 200


def test_site_admin_without_mfa_cannot_reach_the_wagtail_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == ENROL_URL
    enrol_totp(admin)
    assert client.get("/admin/").status_code == 200


def test_volunteer_is_encouraged_not_forced(client, team):
    volunteer = member(team, Role.VOLUNTEER, mfa=False)
    client.force_login(volunteer)
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Set up two-factor authentication" in response.content.decode()
    assert client.get(team_page(team)).status_code == 200


def test_team_setting_requires_mfa_for_volunteers(client, team):
    volunteer = member(team, Role.VOLUNTEER, mfa=False)
    team.require_mfa_for_volunteers = True
    team.save()
    client.force_login(volunteer)
    response = client.get(team_page(team))
    assert response.status_code == 302
    assert response["Location"] == ENROL_URL


def test_enrolment_page_and_logout_stay_reachable(client, team):
    user = member(team, Role.COORDINATOR, mfa=False)
    client.force_login(user)
    # allauth asks for the password again before enrolment; that page must not loop back.
    response = client.get(ENROL_URL, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Location"] != ENROL_URL


def test_enrolled_volunteer_sees_no_nag(client, team):
    volunteer = member(team, Role.VOLUNTEER, mfa=True)
    client.force_login(volunteer)
    assert "Set up two-factor authentication" not in client.get("/en/").content.decode()


def test_trust_this_browser_is_off(settings):
    from allauth.mfa import app_settings

    assert app_settings.TRUST_ENABLED is False
    assert "webauthn" in app_settings.SUPPORTED_TYPES
    assert "totp" in app_settings.SUPPORTED_TYPES
    assert "recovery_codes" in app_settings.SUPPORTED_TYPES


def test_login_with_totp_second_step(client, team):
    """A real login: password, then the authenticator code."""
    from allauth.mfa.totp.internal.auth import hotp_value, yield_hotp_counters_from_time

    user = member(team, Role.COORDINATOR, mfa=False, email="coord@example.org")
    secret = enrol_totp(user)
    response = client.post(
        reverse("account_login"),
        {"login": "coord@example.org", "password": "a-long-test-password"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    code = f"{hotp_value(secret, next(yield_hotp_counters_from_time())):06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.get(team_page(team)).status_code == 200
