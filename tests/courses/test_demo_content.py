"""The demo courses are complete: two courses, four or more modules each, six or more
questions per module including scenarios, in English and Latvian, with a Russian welcome."""

import pytest
from django.core.management import call_command

from courses.models import CoursePage, ModulePage

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
            lv_module = module.get_translation(latvian.locale).specific
            # The same question ids in both languages: progress and answers carry over.
            assert [q.id for q in lv_module.questions()] == [q.id for q in module.questions()]
            assert lv_module.questions()[0].prompt != module.questions()[0].prompt


def test_seeding_courses_twice_changes_nothing(seeded, settings):
    before = ModulePage.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ModulePage.objects.count() == before


def test_russian_course_page_falls_back_to_english_modules(seeded, client):
    from people.models import User

    client.force_login(User.objects.get(email="aija@example.org"))
    import json

    from courses.demo import CONTENT_DIR

    data = json.loads((CONTENT_DIR / "psychological_first_aid.json").read_text())
    html = client.get("/ru/courses/psychological-first-aid/").content.decode()
    assert data["title"]["ru"] in html
    # Modules have no Russian version: the English originals are listed, all of them.
    for module in data["modules"]:
        assert module["title"]["en"] in html
