"""Course and module pages cost the same number of queries whatever the number of modules,
questions or users."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import quiz_attempt_start, quiz_attempt_submit
from people.models import Role
from tests.courses.factories import correct_answers, make_course, modules_of
from tests.people.factories import member

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def build(title, modules, questions, users, team):
    course = make_course(title=title, modules=modules, questions_per_module=questions)
    module_list = modules_of(course)
    for _ in range(users):
        other = member(team, Role.VOLUNTEER)
        attempt = quiz_attempt_start(user=other, module=module_list[0])
        quiz_attempt_submit(attempt=attempt, user=other, answers=correct_answers(module_list[0]))
    return course, module_list


def test_course_and_module_pages_have_a_constant_query_count(
    client, team, volunteer, django_assert_max_num_queries
):
    small, small_modules = build("Small", modules=2, questions=2, users=1, team=team)
    large, large_modules = build("Large", modules=9, questions=12, users=8, team=team)
    client.force_login(volunteer)
    counts = {}
    for name, course, module_list in (
        ("small", small, small_modules),
        ("large", large, large_modules),
    ):
        count_queries(client, course.url)  # warm Wagtail's site cache
        counts[name] = (
            count_queries(client, course.url),
            count_queries(client, module_list[1].url),
        )
    assert counts["small"] == counts["large"], counts
    with django_assert_max_num_queries(30):
        client.get(large.url)
    with django_assert_max_num_queries(30):
        client.get(large_modules[1].url)
    with django_assert_max_num_queries(30):
        client.get(large.get_parent().url)


def test_course_index_query_count_does_not_grow_with_courses(client, team, volunteer):
    client.force_login(volunteer)
    first = make_course(title="One", modules=2)
    count_queries(client, first.get_parent().url)
    one = count_queries(client, first.get_parent().url)
    for n in range(5):
        make_course(title=f"More {n}", modules=3)
    assert count_queries(client, first.get_parent().url) == one
