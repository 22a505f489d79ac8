"""The demo courses are complete: two courses, four or more modules each, six or more
questions per module including scenarios, in English, Latvian and Russian."""

import pytest
from django.core.management import call_command

from courses.models import CoursePage, ModulePage
from tests.people.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_courses_in_three_languages(seeded):
    english = CoursePage.objects.filter(locale__language_code="en")
    assert {c.slug for c in english} == {"psychological-first-aid", "active-listening"}
    for course in english:
        modules = ModulePage.objects.child_of(course)
        assert modules.count() >= 4
        for module in modules:
            questions = module.questions()
            assert len(questions) >= 6
            assert any(q.kind == "scenario" for q in questions)
            assert all(any(c.feedback for c in q.choices) for q in questions)
        latvian = course.get_translation(course.locale.__class__.objects.get(language_code="lv"))
        assert latvian.live and latvian.title != course.title
        russian = course.get_translation(course.locale.__class__.objects.get(language_code="ru"))
        assert russian.live and russian.summary != course.summary
        for module in modules:
            for translation in (latvian, russian):
                other = module.get_translation(translation.locale).specific
                # The same question ids in every language: progress and answers carry over.
                assert [q.id for q in other.questions()] == [q.id for q in module.questions()]
                assert other.questions()[0].prompt != module.questions()[0].prompt
                assert other.title != module.title


def test_seeding_courses_twice_changes_nothing(seeded, settings):
    before = ModulePage.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ModulePage.objects.count() == before


def test_russian_readers_stay_in_russian_through_the_course(seeded, client):
    import json

    from courses.demo import CONTENT_DIR
    from people.models import User

    sign_in(client, User.objects.get(email="aija@example.org"))
    data = json.loads((CONTENT_DIR / "active_listening.json").read_text())
    html = client.get("/ru/courses/active-listening/").content.decode()
    assert data["title"]["ru"] in html
    for module in data["modules"]:
        assert module["title"]["ru"] in html
        assert f'href="/ru/courses/active-listening/{module["slug"]}/"' in html
    assert "/en/courses/" not in html
    first = data["modules"][0]
    page = client.get(f"/ru/courses/active-listening/{first['slug']}/").content.decode()
    assert first["title"]["ru"] in page
    assert '<html lang="ru">' in page
    assert "Пока нет на русском" not in page  # it is translated: no notice
