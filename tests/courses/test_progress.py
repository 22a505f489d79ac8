"""Progress, completion, certificates, and renewal when a completion expires."""

import pytest
import time_machine
from django.urls import reverse

from courses.models import CourseCompletion, ReflectionNote, RefresherMode
from courses.selectors import CourseState, course_progress
from courses.services import (
    QuizError,
    module_mark_read,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from tests.courses.factories import (
    add_module,
    correct_answers,
    make_course,
    modules_of,
    wrong_answers,
)
from tests.people.factories import TeamFactory, sign_in

pytestmark = pytest.mark.django_db


def finish(user, module):
    module_mark_read(user=user, module=module)
    if not module.has_quiz:
        return None
    attempt = quiz_attempt_start(user=user, module=module)
    return quiz_attempt_submit(attempt=attempt, user=user, answers=correct_answers(module))


def test_module_needs_reading_and_a_passed_quiz(volunteer, course, modules):
    module_mark_read(user=volunteer, module=modules[0])
    progress = course_progress(user=volunteer, course=course)
    assert progress.modules[0].read and not progress.modules[0].complete
    assert progress.state == CourseState.IN_PROGRESS
    attempt = quiz_attempt_start(user=volunteer, module=modules[0])
    quiz_attempt_submit(attempt=attempt, user=volunteer, answers=wrong_answers(modules[0]))
    assert not course_progress(user=volunteer, course=course).modules[0].complete
    finish(volunteer, modules[0])
    progress = course_progress(user=volunteer, course=course)
    assert progress.modules[0].complete
    assert progress.percent == 33
    assert progress.continue_module.pk == modules[1].pk


def test_module_without_quiz_is_complete_when_read(volunteer):
    course = make_course(title="Reading", modules=2, questions_per_module=0)
    first, second = modules_of(course)
    module_mark_read(user=volunteer, module=first)
    assert course_progress(user=volunteer, course=course).percent == 50
    module_mark_read(user=volunteer, module=second)
    assert CourseCompletion.objects.filter(user=volunteer).count() == 1


def test_completing_every_module_completes_the_course_once(volunteer, course, modules):
    for module in modules:
        finish(volunteer, module)
    completion = CourseCompletion.objects.get(user=volunteer)
    assert completion.course_key == course.translation_key
    progress = course_progress(user=volunteer, course=course)
    assert progress.state == CourseState.COMPLETE
    assert progress.percent == 100
    finish(volunteer, modules[0])  # practising again does not issue another certificate
    assert CourseCompletion.objects.filter(user=volunteer).count() == 1


def test_certificate_is_public_and_minimal(client, volunteer, course, modules):
    for module in modules:
        finish(volunteer, module)
    completion = CourseCompletion.objects.get(user=volunteer)
    url = reverse("courses:certificate", kwargs={"code": completion.verification_code})
    html = client.get(url).content.decode()  # anonymous
    assert volunteer.display_name in html
    assert course.title in html
    assert volunteer.email not in html
    assert "Certificate of completion" in html
    assert (
        client.get(reverse("courses:certificate", kwargs={"code": "NOPE-NOPE-NOPE"})).status_code
        == 404
    )


def test_course_and_module_pages_show_progress(client, volunteer, course, modules):
    finish(volunteer, modules[0])
    sign_in(client, volunteer)
    html = client.get(course.url).content.decode()
    assert "1 of 3 modules" in html
    assert "Continue where you left off" in html
    assert 'value="33"' in html


def test_renewal_after_expiry_full_course(volunteer):
    course = make_course(title="Renew", modules=2, validity_months=12)
    reading = add_module(course, "Reading only", questions=0)
    modules = modules_of(course)
    with time_machine.travel("2026-01-10 09:00Z", tick=False):
        for module in modules:
            finish(volunteer, module)
        assert course_progress(user=volunteer, course=course).state == CourseState.COMPLETE
    with time_machine.travel("2026-12-20 09:00Z", tick=False):
        progress = course_progress(user=volunteer, course=course)
        assert progress.state == CourseState.EXPIRING_SOON
        assert progress.in_refresher
    with time_machine.travel("2027-01-11 09:00Z", tick=False):
        progress = course_progress(user=volunteer, course=course)
        assert progress.state == CourseState.EXPIRED
        assert progress.percent == 0  # the refresher starts from scratch
        # A full-course refresher needs reading again, not only the quizzes: a module with
        # nothing but reading is not done until it is read again.
        assert all(status.needs_reading for status in progress.modules)
        assert not progress.status_for(reading.translation_key).complete
        module_mark_read(user=volunteer, module=reading)
        assert (
            course_progress(user=volunteer, course=course)
            .status_for(reading.translation_key)
            .complete
        )
        attempt = quiz_attempt_start(user=volunteer, module=modules[0])
        quiz_attempt_submit(attempt=attempt, user=volunteer, answers=correct_answers(modules[0]))
        assert (
            course_progress(user=volunteer, course=course).modules[0].complete
        )  # submitting marks read
        finish(volunteer, modules[1])
        latest = CourseCompletion.objects.filter(user=volunteer).order_by("-completed_at").first()
        assert CourseCompletion.objects.filter(user=volunteer).count() == 2
        assert latest.expires_at.year == 2028
        assert course_progress(user=volunteer, course=course).state == CourseState.COMPLETE


def test_quiz_only_refresher_skips_reading(volunteer):
    course = make_course(
        title="Quiz only", modules=2, validity_months=6, refresher_mode=RefresherMode.QUIZ_ONLY
    )
    modules = modules_of(course)
    with time_machine.travel("2026-01-10 09:00Z", tick=False):
        for module in modules:
            finish(volunteer, module)
    with time_machine.travel("2026-08-01 09:00Z", tick=False):
        progress = course_progress(user=volunteer, course=course)
        assert progress.state == CourseState.EXPIRED
        assert progress.refresher_quiz_only
        assert all(not m.needs_reading for m in progress.modules)
        for module in modules:
            attempt = quiz_attempt_start(user=volunteer, module=module)
            quiz_attempt_submit(attempt=attempt, user=volunteer, answers=correct_answers(module))
        assert CourseCompletion.objects.filter(user=volunteer).count() == 2


def test_attempt_limit_resets_for_a_refresher(volunteer):
    course = make_course(title="Limit renew", modules=1, validity_months=12)
    (module,) = modules_of(course)
    module.attempts_allowed = 1
    module.save_revision().publish()
    with time_machine.travel("2026-01-10 09:00Z", tick=False):
        finish(volunteer, module)
    with time_machine.travel("2027-02-01 09:00Z", tick=False):
        attempt = quiz_attempt_start(user=volunteer, module=module)  # allowed again
        assert attempt.pk


def test_course_without_validity_never_expires(volunteer):
    course = make_course(title="Forever", modules=1, validity_months=None)
    (module,) = modules_of(course)
    with time_machine.travel("2026-01-10 09:00Z", tick=False):
        finish(volunteer, module)
    with time_machine.travel("2036-01-10 09:00Z", tick=False):
        assert course_progress(user=volunteer, course=course).state == CourseState.COMPLETE
    assert CourseCompletion.objects.get(user=volunteer).expires_at is None


def test_reflection_notes_are_private(client, volunteer, coordinator, modules):
    module = modules[0]
    prompt_id = next(str(b.id) for b in module.body if b.block_type == "reflection")
    sign_in(client, volunteer)
    url = reverse("courses:reflection_save", kwargs={"page_id": module.pk, "block_id": prompt_id})
    client.post(url, {"text": "It was hard to stay quiet."})
    assert "It was hard to stay quiet." in client.get(module.url).content.decode()
    sign_in(client, coordinator)
    assert "It was hard to stay quiet." not in client.get(module.url).content.decode()
    sign_in(client, volunteer)
    response = client.post(url, {"text": "y" * 6000})
    assert response.status_code == 400
    assert "at most 5000 characters" in response.content.decode()
    assert "y" * 6000 in response.content.decode()  # kept, to shorten and save again
    bad = reverse(
        "courses:reflection_save", kwargs={"page_id": module.pk, "block_id": "not-a-prompt"}
    )
    response = client.post(bad, {"text": "hello"})
    assert response.status_code == 400
    assert "no longer exists" in response.content.decode()


def test_a_note_with_a_nul_character_is_kept_with_the_right_reason(client, volunteer, modules):
    module = modules[0]
    prompt_id = next(str(b.id) for b in module.body if b.block_type == "reflection")
    sign_in(client, volunteer)
    url = reverse("courses:reflection_save", kwargs={"page_id": module.pk, "block_id": prompt_id})
    response = client.post(url, {"text": "Before\x00after, a long thought"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Null characters are not allowed" in page
    assert "at most 5000" not in page
    assert "after, a long thought" in page


def test_notes_need_access_to_the_course(client, team, volunteer):
    other_team = TeamFactory()
    course = make_course(title="Closed", modules=1, visibility="teams", teams=[other_team])
    module = modules_of(course)[0]
    prompt_id = next(str(b.id) for b in module.body if b.block_type == "reflection")
    sign_in(client, volunteer)
    url = reverse("courses:reflection_save", kwargs={"page_id": module.pk, "block_id": prompt_id})
    assert client.post(url, {"text": "mine"}).status_code == 403
    assert not ReflectionNote.objects.exists()


def test_marking_a_module_read_needs_access_to_the_course(client, team, volunteer):
    from courses.models import ModuleProgress

    other_team = TeamFactory()
    course = make_course(title="Closed", modules=1, visibility="teams", teams=[other_team])
    module = modules_of(course)[0]
    sign_in(client, volunteer)
    url = reverse("courses:module_read", kwargs={"page_id": module.pk})
    assert client.post(url).status_code == 403
    assert not ModuleProgress.objects.exists()


def test_finishing_a_course_keeps_every_module_done_with_its_score(client, volunteer):
    course = make_course(title="Kept", modules=3, validity_months=12)
    modules = modules_of(course)
    for module in modules:
        finish(volunteer, module)
    progress = course_progress(user=volunteer, course=course)
    assert progress.state == CourseState.COMPLETE
    assert all(status.complete for status in progress.modules)
    assert [status.best_score for status in progress.modules] == [100, 100, 100]
    sign_in(client, volunteer)
    course_page = client.get(course.url).content.decode()
    assert course_page.count(">Done<") == 3
    assert "best score 100%" in course_page
    module_page = client.get(modules[0].url).content.decode()
    assert "You have passed this module's quiz." in module_page
    assert "Pass mark 70%" not in module_page and "attempts left" not in module_page


def test_only_an_open_refresher_starts_a_new_cycle(client, volunteer):
    course = make_course(title="Renewed", modules=2, validity_months=12)
    with time_machine.travel("2026-01-10 09:00Z", tick=False):
        for module in modules_of(course):
            finish(volunteer, module)
    with time_machine.travel("2026-11-01 09:00Z", tick=False):  # still valid, no warning yet
        assert all(s.complete for s in course_progress(user=volunteer, course=course).modules)
    with time_machine.travel("2026-12-20 09:00Z", tick=False):  # within 30 days of expiry
        progress = course_progress(user=volunteer, course=course)
        assert progress.state == CourseState.EXPIRING_SOON
        assert not any(s.complete for s in progress.modules)
        sign_in(client, volunteer)
        assert "Start the refresher" in client.get(course.url).content.decode()
        module_mark_read(user=volunteer, module=modules_of(course)[0])
        assert "Continue the refresher" in client.get(course.url).content.decode()


def test_a_renewal_keeps_the_renewed_cycle_done(volunteer):
    course = make_course(title="Twice", modules=1, validity_months=12)
    (module,) = modules_of(course)
    with time_machine.travel("2026-01-10 09:00Z", tick=False):
        finish(volunteer, module)
    with time_machine.travel("2027-01-20 09:00Z", tick=False):  # expired: refresher
        finish(volunteer, module)
        progress = course_progress(user=volunteer, course=course)
        assert progress.state == CourseState.COMPLETE
        assert progress.previous_completion is not None
        assert progress.modules[0].complete
        assert CourseCompletion.objects.filter(user=volunteer).count() == 2


@pytest.mark.parametrize(
    ("when", "words", "absent"),
    [
        ("2026-03-01 09:00Z", "until", "Expired"),
        ("2027-02-01 09:00Z", "Expired", "until"),
    ],
)
def test_the_certificate_says_whether_it_is_still_valid(client, volunteer, when, words, absent):
    course = make_course(title="Valid", modules=1, validity_months=12)
    with time_machine.travel("2026-01-10 09:00Z", tick=False):
        finish(volunteer, modules_of(course)[0])
    completion = CourseCompletion.objects.get()
    with time_machine.travel(when, tick=False):
        page = client.get(
            reverse("courses:certificate", kwargs={"code": completion.verification_code})
        ).content.decode()
    assert "completed the course" in page
    assert "Jan. 10, 2026" in page
    assert words in page and absent not in page


def test_modules_in_order_open_one_after_another(client, volunteer):
    course = make_course(title="Ordered", modules=2, modules_in_order=True)
    first, second = modules_of(course)
    progress = course_progress(user=volunteer, course=course)
    assert [s.locked for s in progress.modules] == [False, True]
    with pytest.raises(QuizError, match="in order"):
        quiz_attempt_start(user=volunteer, module=second)
    with pytest.raises(QuizError, match="in order"):
        module_mark_read(user=volunteer, module=second)
    sign_in(client, volunteer)
    page = client.get(second.url).content.decode()
    assert "opens when the modules before it are complete" in page
    assert "Body of Module 2" not in page
    finish(volunteer, first)
    assert [s.locked for s in course_progress(user=volunteer, course=course).modules] == [
        False,
        False,
    ]
    assert "Body of Module 2" in client.get(second.url).content.decode()


def test_a_course_without_order_leaves_every_module_open(volunteer):
    course = make_course(title="Free", modules=3)
    assert not any(s.locked for s in course_progress(user=volunteer, course=course).modules)
    quiz_attempt_start(user=volunteer, module=modules_of(course)[2])
