"""Progress, completion, certificates, and renewal when a completion expires."""

import pytest
import time_machine
from django.urls import reverse

from courses.models import CourseCompletion, RefresherMode
from courses.selectors import CourseState, course_progress
from courses.services import module_mark_read, quiz_attempt_start, quiz_attempt_submit
from tests.courses.factories import correct_answers, make_course, modules_of, wrong_answers

pytestmark = pytest.mark.django_db


def finish(user, module):
    module_mark_read(user=user, module=module)
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
    client.force_login(volunteer)
    html = client.get(course.url).content.decode()
    assert "1 of 3 modules" in html
    assert "Continue where you left off" in html
    assert 'value="33"' in html


def test_renewal_after_expiry_full_course(volunteer):
    course = make_course(title="Renew", modules=2, validity_months=12)
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
        # A full-course refresher needs reading again, not only the quiz.
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
    client.force_login(volunteer)
    url = reverse("courses:reflection_save", kwargs={"page_id": module.pk, "block_id": prompt_id})
    client.post(url, {"text": "It was hard to stay quiet."})
    assert "It was hard to stay quiet." in client.get(module.url).content.decode()
    client.force_login(coordinator)
    assert "It was hard to stay quiet." not in client.get(module.url).content.decode()
    client.force_login(volunteer)
    response = client.post(url, {"text": "x" * 6000}, follow=True)
    assert "at most 5000 characters" in response.content.decode()
    bad = reverse(
        "courses:reflection_save", kwargs={"page_id": module.pk, "block_id": "not-a-prompt"}
    )
    response = client.post(bad, {"text": "hello"}, follow=True)
    assert "no longer exists" in response.content.decode()
