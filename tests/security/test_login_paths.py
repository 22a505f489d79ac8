"""One door in. Every URL in the configuration is offered a staff member's password without
their code, the way an attacker would try it; afterwards no staff page opens."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from tests.people.factories import sign_in
from tests.security.urlwalk import parameterless_routes

pytestmark = pytest.mark.django_db


def staff_pages(world) -> list[str]:
    return [
        "/admin/",
        "/admin/pages/",
        "/django-admin/",
        "/django-admin/people/user/",
        reverse("people:invitation_list", kwargs={"slug": world.team.slug}),
        reverse("people:team_settings", kwargs={"slug": world.team.slug}),
    ]


def password_forms(html: str, url: str) -> list[dict]:
    """Every form on the page that asks for a password: where it posts and its fields."""
    forms = []
    for form in BeautifulSoup(html, "html.parser").find_all("form"):
        if form.find("input", attrs={"type": "password"}) is None:
            continue
        fields = {
            tag.get("name"): tag.get("value", "")
            for tag in form.find_all(["input", "select", "textarea"])
            if tag.get("name")
        }
        forms.append({"action": form.get("action") or url, "fields": fields})
    return forms


def credentials_for(user, fields: dict, password: str) -> dict:
    """Fill a login form (or any form) the way a person would, with ``next`` aimed at the
    admin."""
    data = dict(fields)
    for name in list(data) or ["username", "login", "email", "password", "next"]:
        lowered = name.lower()
        if "pass" in lowered:
            data[name] = password
        elif lowered in {"username", "login", "email", "user", "identification"}:
            data[name] = user.email
    data.setdefault("username", user.email)
    data.setdefault("login", user.email)
    data.setdefault("password", password)
    data["next"] = "/admin/"
    return data


@pytest.mark.parametrize("who", ["site_admin", "coordinator"])
def test_no_url_logs_a_staff_member_in_without_the_second_factor(world, who):
    """Every URL without parameters gets the password POSTed straight at it, and every form
    with a password field gets it through the form; afterwards the staff pages stay shut."""
    user = world.users[who]
    attempts = []
    for route in parameterless_routes():
        url = route.url()
        browser = Client()
        page = browser.get(url)
        targets = [(url, credentials_for(user, {}, world.password))]
        if page.status_code == 200 and "html" in page.get("Content-Type", ""):
            for form in password_forms(page.content.decode(errors="replace"), url):
                targets.append(
                    (form["action"], credentials_for(user, form["fields"], world.password))
                )
        for action, data in targets:
            attempts.append(action)
            browser.post(action, data)
            # Nothing logged them in: not a form that skips the second factor (first door)...
            assert "_auth_user_id" not in browser.session, f"{action} logged {who} in"
            # ...and even so, no staff page opens (second door).
            for staff_page in staff_pages(world):
                response = browser.get(staff_page)
                assert response.status_code != 200, (
                    f"{who}'s password POSTed to {action} opened {staff_page}"
                )
    # The walk did find the real login form (so it would find another one too).
    assert reverse("account_login") in attempts


@pytest.mark.parametrize("prefix", ["", "/en", "/lv", "/ru"])
def test_wagtails_private_page_login_leads_to_allauth(client, world, prefix):
    response = client.get(f"{prefix}/_util/login/?next=/en/", follow=True)
    final_url = response.redirect_chain[-1][0]
    assert "/accounts/login/" in final_url
    assert final_url.endswith("?next=%2Fen%2F") or final_url.endswith("?next=/en/")
    response = client.post(
        f"{prefix}/_util/login/",
        {"username": "admin@example.org", "password": world.password, "next": "/admin/"},
    )
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_session_with_the_password_step_only_reaches_no_staff_page(world):
    for who in ("site_admin", "coordinator", "supervisor"):
        browser = Client()
        sign_in(browser, world.users[who], second_factor=False)
        for staff_page in staff_pages(world):
            assert browser.get(staff_page).status_code != 200, (who, staff_page)


def test_the_same_people_with_the_second_factor_do_get_in(world):
    """The guard above is not simply shutting everything: with the code step done, each
    reaches their own staff pages."""
    admin, coordinator = Client(), Client()
    sign_in(admin, world.users["site_admin"])
    sign_in(coordinator, world.users["coordinator"])
    assert admin.get("/admin/").status_code == 200
    assert admin.get("/django-admin/people/user/").status_code == 200
    invitations = reverse("people:invitation_list", kwargs={"slug": world.team.slug})
    assert coordinator.get(invitations).status_code == 200
