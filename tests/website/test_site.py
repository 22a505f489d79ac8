"""Site-wide promises: health check, languages, security headers, no third-party hosts,
friendly error pages, admin logins through allauth, demo seeding."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.urls import reverse

from people.models import Membership, Role, User
from tests.people.factories import sign_in

pytestmark = pytest.mark.django_db
BASE_DIR = Path(settings.BASE_DIR)


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.parametrize(
    ("language", "text"),
    [("en", "Log in"), ("lv", "Pieteikties"), ("ru", "Войти")],
)
def test_home_page_in_each_language(client, language, text):
    response = client.get(f"/{language}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert text in page


def test_root_redirects_by_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


def test_language_switch_remembers_choice_for_user(client, volunteer):
    sign_in(client, volunteer)
    response = client.post(
        reverse("language_switch"), {"language": "lv", "next": "/en/teams/helpline/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/lv/teams/helpline/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"
    volunteer.refresh_from_db()
    assert volunteer.preferred_language == "lv"


def test_language_switch_for_anonymous_sets_cookie_only(client):
    response = client.post(reverse("language_switch"), {"language": "ru", "next": "/en/"})
    assert response["Location"] == "/ru/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({"language": "xx", "next": "/en/"}, "/en/"),
        ({"language": "lv", "next": "https://evil.example.com/"}, "/lv/"),
        ({"language": "lv"}, "/lv/"),
    ],
)
def test_language_switch_rejects_bad_input(client, volunteer, data, location):
    sign_in(client, volunteer)
    response = client.post(reverse("language_switch"), data)
    assert response.status_code == 302
    assert response["Location"] == location  # never another host
    volunteer.refresh_from_db()
    if data.get("language") == "xx":
        # An unknown language changes nothing: no cookie, no saved preference.
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
        assert volunteer.preferred_language == "en"
    else:
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "lv"


def test_language_switch_needs_post(client):
    assert client.get(reverse("language_switch")).status_code == 405


def test_login_adopts_the_users_language(client, team):
    user = User.objects.create_user(
        email="lang@example.org", password="a-long-test-password", display_name="L"
    )
    user.preferred_language = "ru"
    user.save()
    Membership.objects.create(user=user, team=team, role=Role.VOLUNTEER)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "lang@example.org", "password": "a-long-test-password"}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"


def test_site_csp_is_strict_and_admin_has_its_own(client):
    site_policy = client.get("/en/")["Content-Security-Policy"]
    assert "script-src 'self'" in site_policy
    assert "unsafe-inline" not in site_policy
    assert "frame-ancestors 'none'" in site_policy
    admin_policy = client.get("/admin/login/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in admin_policy
    assert "http" not in admin_policy


def test_wagtail_admin_works_under_its_policy(client):
    from tests.people.factories import UserFactory, enrol_totp

    admin = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(admin)
    sign_in(client, admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "unsafe-inline" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/admin/login/", "/django-admin/login/"])
def test_admin_logins_go_through_allauth(client, url):
    response = client.get(url + "?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_pages_load_nothing_from_other_hosts(client, volunteer):
    sign_in(client, volunteer)
    for url in ("/en/", reverse("people:team_list"), reverse("account_login")):
        page = client.get(url).content.decode()
        external = re.findall(r'(?:src|href|action)="(https?:)?//(?!testserver)', page)
        assert external == [], url


def test_no_third_party_calls_configured():
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAILEMBEDS_FINDERS == []
    css = (BASE_DIR / "website/static/website/site.css").read_text()
    assert "@import" not in css and "http" not in css


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [("/en/no-such-page/", 404, "Page not found"), ("/lv/no-such-page/", 404, "Lapa nav atrasta")],
)
def test_friendly_translated_error_pages(client, url, status, text):
    response = client.get(url)
    assert response.status_code == status
    assert text in response.content.decode()


def test_500_page_renders_without_context(rf):
    from website.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_session_and_csrf_cookies_are_protected(client, volunteer):
    """The cookies a login sets cannot be read by scripts and are not sent by other sites'
    forms; production marks them Secure. (Tests hash with MD5 for speed; base uses Argon2.)"""
    login_page = client.get(reverse("account_login"))
    csrf = login_page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        reverse("account_login"), {"login": volunteer.email, "password": "a-long-test-password"}
    )
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["samesite"] == "Lax"
    # Without "Remember me" the session ends with the browser; with it, within 12 hours.
    assert session["max-age"] == "" or 0 < int(session["max-age"]) <= 12 * 60 * 60
    from website.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    production = (BASE_DIR / "website/settings/production.py").read_text()
    for flag in ("SESSION_COOKIE_SECURE = True", "CSRF_COOKIE_SECURE = True"):
        assert flag in production


PRODUCTION_SECRET = "x" * 20 + "a-real-random-production-secret-of-length-60-plus"
PRODUCTION_KEY = "0vJ1lDqIp3Yz5c8nqkq0s4Xw2bWmX9cQ6m1oTnLk3aE="


def run_production_check(
    secret: str | None, encryption_keys: str | None = PRODUCTION_KEY
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "website.settings.production"
    env["DJANGO_ALLOWED_HOSTS"] = "atbalsts.example.org"
    if secret is not None:
        env["DJANGO_SECRET_KEY"] = secret
    if encryption_keys is not None:
        env["DJANGO_FIELD_ENCRYPTION_KEYS"] = encryption_keys
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "secret", [None, "", "django-insecure-atbalsts-development-only-key", "short"]
)
def test_production_refuses_missing_or_default_secret(secret):
    result = run_production_check(secret)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    "keys",
    [None, "", settings.INSECURE_DEFAULT_FIELD_ENCRYPTION_KEY, "not-a-fernet-key"],
    ids=["unset", "empty", "development-key", "invalid"],
)
def test_production_refuses_missing_development_or_invalid_encryption_keys(keys):
    result = run_production_check(PRODUCTION_SECRET, encryption_keys=keys)
    assert result.returncode != 0
    assert "DJANGO_FIELD_ENCRYPTION_KEYS" in result.stderr


def test_production_check_deploy_passes_with_a_real_secret():
    result = run_production_check(PRODUCTION_SECRET)
    assert result.returncode == 0, result.stdout + result.stderr


def test_seed_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


def test_seed_demo_is_idempotent(settings, capsys):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "atbalsts-demo" in out
    assert User.objects.count() == 10
    assert Membership.objects.filter(role=Role.COORDINATOR).count() == 2
    assert Membership.objects.filter(role=Role.SUPERVISOR).count() == 1
    assert Membership.objects.filter(role=Role.VOLUNTEER).count() == 6
    assert User.objects.filter(is_superuser=True).count() == 1
    # Every account that needs a second factor has one, and its secret is printed.
    from allauth.mfa.models import Authenticator

    for email in ("admin@example.org", "ilze@example.org", "marta@example.org", "dace@example.org"):
        authenticator = Authenticator.objects.get(user__email=email, type="totp")
        from allauth.mfa.utils import decrypt

        assert decrypt(authenticator.data["secret"]) in out


def test_site_admin_manages_teams_in_django_admin(client):
    from tests.people.factories import UserFactory, enrol_totp

    admin = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(admin)
    sign_in(client, admin)
    for url in (
        "/django-admin/people/team/",
        "/django-admin/people/team/add/",
        "/django-admin/people/user/",
        "/django-admin/people/invitation/",
        "/django-admin/courses/courseassignment/",
    ):
        assert client.get(url).status_code == 200, url
    assert client.get("/django-admin/people/invitation/add/").status_code == 403


def test_seed_demo_does_not_put_back_what_a_person_removed(settings):
    from courses.models import CourseAssignment

    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert CourseAssignment.objects.count() == 2
    CourseAssignment.objects.filter(course__slug="active-listening").delete()
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert list(CourseAssignment.objects.values_list("course__slug", flat=True)) == [
        "psychological-first-aid"
    ]
