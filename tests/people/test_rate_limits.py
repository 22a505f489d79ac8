"""Rate limits that an office behind one address can live with: strict per account, generous
per address, and a second-factor step that only its own account's failures can block."""

import pytest
from django.test import Client
from django.urls import reverse

from people.models import Role
from tests.people.factories import TEST_PASSWORD, enrol_totp, member
from tests.people.test_mfa import current_code

pytestmark = pytest.mark.django_db

OFFICE = "192.0.2.10"
ELSEWHERE = "198.51.100.7"
TOO_MANY = "Too many failed login attempts"


def log_in(browser, email, password=TEST_PASSWORD, address=OFFICE, **headers):
    return browser.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def refused(response) -> bool:
    return response.status_code == 200 and TOO_MANY in response.content.decode()


def test_five_wrong_passwords_lock_that_account_only(team):
    victim = member(team, Role.VOLUNTEER, email="victim@example.org")
    colleague = member(team, Role.VOLUNTEER, email="colleague@example.org")
    for _ in range(5):
        response = log_in(Client(), victim.email, "wrong-password")
        assert response.status_code == 200 and not refused(response)
    # The account is locked for now, even with the right password, from any address...
    assert refused(log_in(Client(), victim.email))
    assert refused(log_in(Client(), victim.email, address=ELSEWHERE))
    # ...but the colleague in the same office logs in.
    assert log_in(Client(), colleague.email).status_code == 302


def test_one_address_gets_fifty_wrong_passwords_before_it_waits(team):
    colleague = member(team, Role.VOLUNTEER, email="colleague@example.org")
    for n in range(50):
        response = log_in(Client(), f"typo{n}@example.org", "wrong-password")
        assert not refused(response), n
    assert refused(log_in(Client(), colleague.email))
    assert log_in(Client(), colleague.email, address=ELSEWHERE).status_code == 302


def test_successful_logins_do_not_use_up_the_address(team):
    colleague = member(team, Role.VOLUNTEER, email="colleague@example.org")
    for _ in range(55):
        assert log_in(Client(), colleague.email).status_code == 302


def test_wrong_codes_are_limited_per_account_and_never_block_a_colleague(team):
    attacker_target = member(team, Role.COORDINATOR, mfa=False, email="target@example.org")
    colleague = member(team, Role.COORDINATOR, mfa=False, email="colleague@example.org")
    enrol_totp(attacker_target)
    colleague_secret = enrol_totp(colleague)

    # Someone with the target's password tries codes from the office.
    attacker = Client()
    assert log_in(attacker, attacker_target.email).status_code == 302
    for _ in range(5):
        response = attacker.post(
            reverse("mfa_authenticate"), {"code": "000000"}, REMOTE_ADDR=OFFICE
        )
        assert response.status_code == 200
    response = attacker.post(reverse("mfa_authenticate"), {"code": "000000"}, REMOTE_ADDR=OFFICE)
    assert "Too many" in response.content.decode()

    # The same address also burns through its wrong passwords.
    for n in range(50):
        log_in(Client(), f"typo{n}@example.org", "wrong-password")

    # A colleague who had typed their password a moment earlier finishes with their code.
    colleague_browser = Client()
    assert log_in(colleague_browser, colleague.email, address=ELSEWHERE).status_code == 302
    response = colleague_browser.post(
        reverse("mfa_authenticate"), {"code": current_code(colleague_secret)}, REMOTE_ADDR=OFFICE
    )
    assert response.status_code == 302
    assert colleague_browser.get(reverse("people:team_list")).status_code == 200


def test_behind_a_trusted_proxy_each_visitor_has_their_own_address(team, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    colleague = member(team, Role.VOLUNTEER, email="colleague@example.org")
    for n in range(50):
        log_in(Client(), f"typo{n}@example.org", "wrong", "127.0.0.1", HTTP_X_FORWARDED_FOR=OFFICE)
    proxied = {"address": "127.0.0.1"}
    assert refused(log_in(Client(), colleague.email, **proxied, HTTP_X_FORWARDED_FOR=OFFICE))
    response = log_in(Client(), colleague.email, **proxied, HTTP_X_FORWARDED_FOR=ELSEWHERE)
    assert response.status_code == 302


def test_without_a_trusted_proxy_a_forged_header_changes_nothing(team, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    colleague = member(team, Role.VOLUNTEER, email="colleague@example.org")
    for n in range(50):
        forged = f"203.0.113.{n}"
        log_in(Client(), f"typo{n}@example.org", "wrong", OFFICE, HTTP_X_FORWARDED_FOR=forged)
    assert refused(log_in(Client(), colleague.email, HTTP_X_FORWARDED_FOR="203.0.113.99"))


def test_the_rate_settings_are_the_documented_ones(settings):
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == "5/5m/key"
    assert settings.ACCOUNT_RATE_LIMITS["login_failed_address"] == "50/5m/ip"
