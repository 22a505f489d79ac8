"""Who may open what, for every URL of the project's apps: signed-out visitors reach only a
short, reviewed list of public URLs; every signed-in answer is kept out of caches. New URLs are
covered the day they are added."""

import pytest
from django.test import Client
from wagtail.models import Page

from tests.people.factories import sign_in
from tests.security.conftest import ROLES
from tests.security.urlwalk import project_routes

pytestmark = pytest.mark.django_db

# Reviewed: each of these is meant for people who are not signed in.
PUBLIC_ROUTES = {
    "healthz": "monitoring",
    "language_switch": "choosing the interface language before logging in",
    "people:invitation_accept": "an invitation link, opened before the account exists",
    "courses:certificate": "anyone given a certificate's link can check it",
    "calendar_feed": "a calendar app fetches it; the secret token in the address is the key",
}
# Wagtail page types anyone may read; every other page type asks to log in.
PUBLIC_PAGE_TYPES = {"homepage", "informationpage"}


def is_login_redirect(response) -> bool:
    """Sent to log in: allauth's login, or the data admin's own login address for a data-admin
    page (which itself leads to allauth's: ``secure_admin_login`` in website/urls.py)."""
    return response.status_code == 302 and (
        "/accounts/login/" in response["Location"]
        or response["Location"].startswith("/django-admin/login/")
    )


def test_every_project_url_is_known():
    """The walk finds the project's URLs, each with a name (the allow-list uses names)."""
    names = {route.name for route in project_routes()}
    assert {"people:team_detail", "courses:attempt", "healthz"} <= names
    assert all(route.name for route in project_routes())
    assert all(route.buildable for route in project_routes())
    assert set(PUBLIC_ROUTES) <= names


def test_signed_out_visitors_are_asked_to_log_in_everywhere_but_public_urls(world):
    problems = []
    for route in project_routes():
        url = route.url(world.values_for(route))
        for method in ("get", "post"):
            response = getattr(Client(), method)(url)
            if route.name in PUBLIC_ROUTES:
                continue
            if not (is_login_redirect(response) or response.status_code == 404):
                problems.append(f"{method.upper()} {url} -> {response.status_code}")
    assert problems == []


def test_public_urls_answer_signed_out_visitors(world):
    client = Client()
    for route in project_routes():
        if route.name in PUBLIC_ROUTES and route.name != "language_switch":
            response = client.get(route.url(world.values_for(route)))
            assert response.status_code == 200, route


def test_every_page_type_but_the_public_ones_asks_to_log_in(world):
    seen = set()
    for page in Page.objects.live().filter(depth__gt=1).specific():
        response = Client().get(page.url)
        kind = page.specific_class._meta.model_name
        seen.add(kind)
        if kind in PUBLIC_PAGE_TYPES:
            assert response.status_code == 200, page.url
        else:
            assert is_login_redirect(response), (page.url, response.status_code)
    assert {"homepage", "informationpage", "courseindexpage", "coursepage", "modulepage"} <= seen


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_signed_in_answers_are_never_cached_and_never_fail(world, role):
    client = Client(raise_request_exception=False)
    sign_in(client, world.users[role])
    problems = []
    for route in project_routes():
        url = route.url(world.values_for(route))
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url} -> {response.status_code}")
        cache_control = response.get("Cache-Control", "")
        if "no-store" not in cache_control or "private" not in cache_control:
            problems.append(f"GET {url} Cache-Control: {cache_control!r}")
    for page in Page.objects.live().filter(depth__gt=1):
        response = client.get(page.url)
        if response.status_code >= 500 or "no-store" not in response.get("Cache-Control", ""):
            problems.append(f"{page.url} -> {response.status_code} {response.get('Cache-Control')}")
    assert problems == []


def test_public_pages_stay_cacheable_for_signed_out_visitors(world):
    response = Client().get("/en/")
    assert "no-store" not in response.get("Cache-Control", "")
