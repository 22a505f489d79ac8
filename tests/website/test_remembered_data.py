"""What the site remembers between requests to answer faster, and that it never serves
something stale: page addresses (website/routing.py), course structures, Wagtail's site root
paths (website/cache.py), and the one-query checks (view restrictions, second factor)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from tests.courses.factories import make_course, modules_of
from tests.people.factories import sign_in
from website.models import HomePage, InformationPage
from website.routing import _routes, routes_forget

pytestmark = pytest.mark.django_db


def queries(client, url, status=200):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == status, url
    return len(context.captured_queries), response


def test_a_remembered_address_saves_the_walk_but_reads_the_page_fresh(client, volunteer):
    course = make_course(title="Remembered", modules=2)
    module = modules_of(course)[0]
    sign_in(client, volunteer)
    first, _ = queries(client, module.url)
    again, response = queries(client, module.url)
    assert again <= first - 3
    assert "Body of Module 1" in response.content.decode()
    module.intro = "A fresh introduction"
    module.save_revision().publish()
    assert "A fresh introduction" in client.get(module.url).content.decode()


def test_a_page_unpublished_elsewhere_is_a_404_at_once(client, volunteer):
    """Another process unpublished it (so this one got no signal): the remembered address
    still names it, but only live pages are served."""
    home = HomePage.objects.get(depth=2)
    page = home.add_child(instance=InformationPage(title="Notice", slug="notice", body="<p>x</p>"))
    page.save_revision().publish()
    assert client.get("/en/notice/").status_code == 200
    assert _routes  # remembered
    Page.objects.filter(pk=page.pk).update(live=False)  # no signal, as from another process
    assert client.get("/en/notice/").status_code == 404


def test_a_module_remembered_keeps_its_course_and_access_rules(client, volunteer, outsider):
    course = make_course(title="Closed", modules=1, visibility="teams")
    course.teams.set([volunteer.memberships.get().team])
    course.save_revision().publish()
    module = modules_of(course)[0]
    sign_in(client, volunteer)
    assert client.get(module.url).status_code == 200
    page = client.get(module.url).content.decode()  # remembered this time
    assert 'href="/en/courses/closed/"' in page  # the breadcrumb knows its course
    sign_in(client, outsider)
    assert client.get(module.url).status_code == 403


def test_any_page_change_here_forgets_every_address(client, volunteer):
    course = make_course(title="Forgotten", modules=1)
    sign_in(client, volunteer)
    client.get(course.url)
    assert _routes
    modules_of(course)[0].save_revision().publish()
    assert not _routes


def test_view_restrictions_are_wagtails_in_one_query():
    """The same restrictions as Wagtail's own two-query lookup, aliases included."""
    course = make_course(title="Restricted", modules=1)
    module = modules_of(course)[0]
    index = course.get_parent()
    restriction = PageViewRestriction.objects.create(page=index, restriction_type="login")
    alias = course.create_alias(update_slug="restricted-alias")
    for page in (module, course, index, alias.specific, HomePage.objects.get(depth=2)):
        ours = set(page.get_view_restrictions().values_list("pk", flat=True))
        wagtails = set(Page.get_view_restrictions(page).values_list("pk", flat=True))
        assert ours == wagtails, page
    assert set(module.get_view_restrictions()) == {restriction}
    with CaptureQueriesContext(connection) as context:
        list(module.get_view_restrictions())
    assert len(context.captured_queries) == 1


def test_wagtails_site_root_paths_are_kept_in_the_process_and_dropped_on_change(settings):
    from django.core.cache import caches

    from website.cache import LayeredDatabaseCache, _copies

    backend = LayeredDatabaseCache("atbalsts_cache", {})
    from django.core.management import call_command

    call_command("createcachetable", "atbalsts_cache", verbosity=0)
    backend.set("wagtail_site_root_paths", ["paths"], version=2)
    backend.set("login_failed:someone", [1])
    with CaptureQueriesContext(connection) as context:
        assert backend.get("wagtail_site_root_paths", version=2) == ["paths"]
    assert len(context.captured_queries) == 0  # from the process's copy
    with CaptureQueriesContext(connection) as context:
        assert backend.get("login_failed:someone") == [1]
    assert len(context.captured_queries) == 1  # rate limits always from the shared cache
    backend.delete("wagtail_site_root_paths", version=2)  # what Wagtail does on a change
    assert ("wagtail_site_root_paths", 2) not in _copies
    assert backend.get("wagtail_site_root_paths", version=2) is None
    backend.clear()
    caches["default"].clear()


def test_the_signed_in_person_and_their_second_factor_come_in_one_query(client, coordinator):
    sign_in(client, coordinator)
    routes_forget()
    with CaptureQueriesContext(connection) as context:
        client.get("/en/teams/")
    user_queries = [q for q in context.captured_queries if "people_user" in q["sql"]]
    assert len(user_queries) == 1
    assert "mfa_authenticator" in user_queries[0]["sql"]
