"""No server error from bad input, anywhere in the project's URLs: every parameter of every URL
gets hostile values, every form gets hostile bodies, as every role. A 4xx with a message is
fine; a 500 never is."""

from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from tests.people.factories import sign_in
from tests.security.conftest import ROLES
from tests.security.urlwalk import project_routes

pytestmark = pytest.mark.django_db

HOSTILE_VALUES = [
    "9223372036854775808",  # one past the largest 64-bit id
    "99999999999999999999999",
    "-1",
    "0",
    "\x00",
    "x\x00y",
    "x" * 10_000,
    "ünïcødé 日本語 🙂",
    "../../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "",
    " ",
    "1e309",
    "NaN",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
]
# In a URL path the date-like and number-like strings add nothing over these.
HOSTILE_PATH_VALUES = HOSTILE_VALUES[:11]
# Field names that forms across the project use, posted even when the page shows no form.
COMMON_FIELDS = [
    "email",
    "role",
    "course",
    "due_date",
    "validity_months",
    "text",
    "language",
    "next",
    "code",
    "display_name",
    "preferred_language",
    "timezone",
    "require_mfa_for_volunteers",
    "reason",
    "answers",
]


def form_fields(html: str) -> set[str]:
    soup = BeautifulSoup(html, "html.parser")
    return {
        tag["name"]
        for tag in soup.find_all(["input", "select", "textarea"])
        if tag.get("name") and tag["name"] != "csrfmiddlewaretoken"
    }


def server_errors(client, method, url, data=None) -> list[str]:
    response = getattr(client, method)(url, data or {})
    if response.status_code >= 500:
        error = getattr(response, "exc_info", None)
        detail = repr(error[1])[:200] if error else ""
        return [f"{method.upper()} {url[:120]} -> {response.status_code} {detail}"]
    return []


def browser_for(world, role) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        sign_in(client, world.users[role])
    return client


@pytest.mark.parametrize("role", ROLES)
def test_hostile_path_values_never_cause_a_server_error(world, role):
    client = browser_for(world, role)
    problems = []
    for route in project_routes():
        valid = world.values_for(route)
        for name, _converter in route.parameters:
            for value in HOSTILE_PATH_VALUES:
                values = {**valid, name: quote(value, safe="") or "%20"}
                url = route.url(values)
                problems += server_errors(client, "get", url)
                problems += server_errors(client, "post", url, {"text": value})
    assert problems == []


@pytest.mark.parametrize("role", ROLES)
def test_hostile_form_bodies_never_cause_a_server_error(world, role):
    client = browser_for(world, role)
    problems = []
    routes = project_routes()
    fields_by_url = {}
    for route in routes:
        url = route.url(world.values_for(route))
        page = client.get(url)
        fields = form_fields(page.content.decode(errors="replace")) if page.content else set()
        fields_by_url[url] = sorted(fields | set(COMMON_FIELDS))
    for url, fields in fields_by_url.items():
        for value in HOSTILE_VALUES:
            problems += server_errors(client, "post", url, dict.fromkeys(fields, value))
        # The same field twice, and a field with a list of values.
        problems += server_errors(client, "post", url, {field: ["1", "2"] for field in fields})
    assert problems == []


def test_hostile_query_strings_never_cause_a_server_error(world):
    client = browser_for(world, "coordinator")
    problems = []
    for route in project_routes():
        url = route.url(world.values_for(route))
        for value in HOSTILE_VALUES[:8]:
            query = quote(value, safe="")
            problems += server_errors(client, "get", f"{url}?next={query}&page={query}&q={query}")
    assert problems == []
