"""The interface language changes only when the person changes it: a page not yet translated
is served under the reader's language with a notice, links stay in that language, and the
language switch never ends on a 404."""

import pytest
from django.urls import reverse

from tests.courses.factories import make_course, modules_of, translate, translate_tree
from tests.people.factories import sign_in
from website.models import HomePage, InformationPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def course_in_russian_without_modules(volunteer):
    course = make_course(title="Listening", modules=2, questions_per_module=1)
    russian = translate_tree(course, "ru", modules=False)
    return course, russian


def test_course_page_links_untranslated_modules_under_the_readers_language(
    client, volunteer, course_in_russian_without_modules
):
    course, russian = course_in_russian_without_modules
    sign_in(client, volunteer)
    page = client.get("/ru/courses/listening/").content.decode()
    assert "Listening (ru)" in page
    assert 'href="/ru/courses/listening/module-1/"' in page
    assert "/en/courses/" not in page


def test_an_untranslated_module_is_served_under_the_readers_language_with_a_notice(
    client, volunteer, course_in_russian_without_modules
):
    sign_in(client, volunteer)
    response = client.get("/ru/courses/listening/module-1/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="ru">' in page  # the interface stays Russian
    assert "Выйти" in page  # "Log out" in Russian
    assert "language-notice" in page  # "not yet available in Russian: shown in English"
    assert 'lang="en"' in page  # the module's own words are marked as English
    assert "Body of Module 1" in page
    # Its neighbours and its course are linked in Russian too.
    assert 'href="/ru/courses/listening/module-2/"' in page
    assert 'href="/ru/courses/listening/"' in page


def test_a_translated_module_has_no_notice(client, volunteer):
    course = make_course(title="Both", modules=1, questions_per_module=1)
    translate_tree(course, "lv")
    sign_in(client, volunteer)
    page = client.get("/lv/courses/both/module-1/").content.decode()
    assert "Module 1 (lv)" in page
    assert "language-notice" not in page


@pytest.mark.parametrize("start", ["/en/courses/listening/module-1/", "/ru/courses/listening/"])
@pytest.mark.parametrize("language", ["en", "lv", "ru"])
def test_the_language_switch_never_leads_to_a_404(
    client, volunteer, course_in_russian_without_modules, start, language
):
    sign_in(client, volunteer)
    response = client.post(reverse("language_switch"), {"language": language, "next": start})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/{language}/")
    assert client.get(response["Location"]).status_code == 200


def test_the_language_switch_finds_a_translation_under_another_slug(client, volunteer):
    course = make_course(title="Slugs", modules=1, questions_per_module=1)
    translate_tree(course, "lv", modules=False)
    module = modules_of(course)[0]
    translate(module, "lv", title="Pirmais", slug="pirmais")
    sign_in(client, volunteer)
    response = client.post(
        reverse("language_switch"), {"language": "lv", "next": "/en/courses/slugs/module-1/"}
    )
    assert response["Location"] == "/lv/courses/slugs/pirmais/"
    assert "Pirmais" in client.get(response["Location"]).content.decode()
    back = client.post(
        reverse("language_switch"), {"language": "en", "next": "/lv/courses/slugs/pirmais/"}
    )
    assert back["Location"] == "/en/courses/slugs/module-1/"


def test_an_information_page_only_in_english_opens_under_every_language(client):
    home = HomePage.objects.get(depth=2)
    translate(home, "lv")
    page = home.add_child(
        instance=InformationPage(title="Privacy", slug="privacy", body="<p>x</p>")
    )
    page.save_revision().publish()
    response = client.get("/lv/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="lv">' in html and "language-notice" in html
    switch = client.post(reverse("language_switch"), {"language": "ru", "next": "/lv/privacy/"})
    assert client.get(switch["Location"]).status_code == 200


def test_a_page_that_exists_in_no_language_is_still_a_404(client, volunteer):
    sign_in(client, volunteer)
    assert client.get("/ru/courses/no-such-course/").status_code == 404
    assert client.get("/ru/no-such-page/").status_code == 404
