"""Course and module pages cost the same number of queries whatever the number of modules,
questions or users."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services import quiz_attempt_start, quiz_attempt_submit
from people.models import Role
from tests.courses.factories import correct_answers, make_course, modules_of
from tests.people.factories import member, sign_in

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
    sign_in(client, volunteer)
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
    """Cold (no course structure remembered yet) and warm alike."""
    from courses.selectors.progress import structures_forget
    from website.routing import routes_forget

    def forget():
        structures_forget()
        routes_forget()

    sign_in(client, volunteer)
    first = make_course(title="One", modules=2)
    index = first.get_parent().url
    count_queries(client, index)  # Wagtail's site cache
    forget()
    cold_one, warm_one = count_queries(client, index), count_queries(client, index)
    for n in range(5):
        make_course(title=f"More {n}", modules=3)
    forget()
    assert count_queries(client, index) == cold_one
    assert count_queries(client, index) == warm_one
    assert warm_one < cold_one  # the structures are remembered


def test_a_changed_module_is_never_served_from_a_stale_structure(client, volunteer):
    course = make_course(title="Fresh", modules=2)
    sign_in(client, volunteer)
    assert "Module 2" in client.get(course.url).content.decode()
    module = modules_of(course)[1]
    module.title = "Renamed module"
    module.save_revision().publish()
    page = client.get(course.url).content.decode()
    assert "Renamed module" in page
    module.unpublish()
    assert "Renamed module" not in client.get(course.url).content.decode()


def test_the_viewers_own_data_does_not_grow_the_query_count(client, team, volunteer):
    """Progress, attempts, notes, extra attempts and completions of the person looking: a
    little or a lot, the same number of queries."""
    from courses.models import AttemptGrant, ReflectionNote
    from courses.services import module_mark_read
    from tests.courses.factories import add_module, wrong_answers

    course = make_course(title="Mine", modules=0)
    modules = [add_module(course, f"M{i}", questions=3, attempts_allowed=20) for i in range(6)]
    sign_in(client, volunteer)

    def add_own_data(module, attempts):
        module_mark_read(user=volunteer, module=module)
        for _ in range(attempts):
            attempt = quiz_attempt_start(user=volunteer, module=module)
            quiz_attempt_submit(attempt=attempt, user=volunteer, answers=wrong_answers(module))
        prompt = next(str(b.id) for b in module.body if b.block_type == "reflection")
        ReflectionNote.objects.create(
            user=volunteer, module_key=module.translation_key, block_id=prompt, text="x"
        )
        AttemptGrant.objects.create(
            user=volunteer,
            module_key=module.translation_key,
            course_key=course.translation_key,
            extra=1,
            reason="x",
        )

    add_own_data(modules[0], attempts=1)
    urls = [course.url, modules[0].url, course.get_parent().url, "/en/"]
    for url in urls:
        count_queries(client, url)  # remember structures and addresses
    little = [count_queries(client, url) for url in urls]
    for module in modules[1:]:
        add_own_data(module, attempts=4)
    for url in urls:
        count_queries(client, url)
    assert [count_queries(client, url) for url in urls] == little
