"""Phones first, for every page: each URL of the project's apps and each kind of Wagtail page,
opened at 360 px by each role that can open it, does not scroll sideways and axe-core finds
nothing serious. New pages are covered the day they are added."""

import pytest
from django.test import Client
from wagtail.models import Page

from tests.people.factories import sign_in
from tests.security.conftest import world  # noqa: F401 - the shared world of every role
from tests.security.urlwalk import project_routes

pytestmark = pytest.mark.browser

# JSON, a CSV and calendar files: downloads, not pages.
SKIPPED = {
    "healthz",
    "courses:team_training_export",
    "supervision:session_ics",
    "calendar_feed",
    "wellbeing:export_json",
    "wellbeing:export_csv",
}


@pytest.fixture
def phone_world(site_db, world):  # noqa: F811
    return world


def signed_in_cookie(user) -> str:
    client = Client()
    sign_in(client, user)
    return client.cookies["sessionid"].value


@pytest.mark.parametrize("role", ["anonymous", "volunteer", "supervisor", "coordinator"])
def test_every_page_fits_a_phone(phone_world, new_browser_page, live_server, role):
    bp = new_browser_page()
    if role != "anonymous":
        bp.page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": signed_in_cookie(phone_world.users[role]),
                    "url": live_server.url,
                }
            ]
        )
    paths = [
        route.url(phone_world.values_for(route))
        for route in project_routes()
        if route.name not in SKIPPED
    ]
    paths += [page.url for page in Page.objects.live().filter(depth__gt=1).specific()]
    visited = 0
    for path in paths:
        response = bp.page.goto(bp.base_url + path)
        if response.status in (403, 404) or bp.page.url.rstrip("/").endswith("/accounts/login"):
            continue  # not this role's page: the access tests cover that
        if "/accounts/login/" in bp.page.url:
            continue
        bp.check_accessibility()
        visited += 1
    assert visited >= {"anonymous": 3, "volunteer": 14, "supervisor": 14, "coordinator": 18}[role]
    bp.assert_clean()
