"""Taking a quiz: drawing and shuffling, grading on the server, attempt limits, double
submission, and no answer leaking into the page before submission."""

import random

import pytest
from django.urls import reverse

from courses.models import QuizAttempt, ReviewMode
from courses.services import QuizError, quiz_attempt_start, quiz_attempt_submit
from tests.courses.factories import add_module, correct_answers, make_course, wrong_answers
from tests.people.factories import sign_in

pytestmark = pytest.mark.django_db


def test_attempt_draws_n_questions_and_shuffling_keeps_grading_right(volunteer):
    course = make_course(title="Draws", modules=0)
    module = add_module(
        course,
        "Pool",
        questions=8,
        questions_to_draw=5,
        shuffle_questions=True,
        shuffle_choices=True,
    )
    seen_orders = set()
    for seed in range(6):
        attempt = quiz_attempt_start(user=volunteer, module=module, rng=random.Random(seed))
        assert len(attempt.question_order) == 5
        assert len(set(attempt.question_order)) == 5
        seen_orders.add(tuple(attempt.question_order))
        # Answer by choice id, whatever the displayed order: full marks.
        submitted = quiz_attempt_submit(
            attempt=attempt, user=volunteer, answers=correct_answers(module)
        )
        assert submitted.score == 100
        assert submitted.passed
    assert len(seen_orders) > 1


def test_choice_order_is_shuffled_but_stored(client, volunteer):
    """Each attempt keeps the order its answers were shown in: reloading the form shows the
    same order, the review lists them in it, and grading goes by answer, not by position."""
    course = make_course(title="Shuffle", modules=0)
    module = add_module(course, "Shuffled", questions=1, shuffle_choices=True)
    question = module.questions()[0]
    orders = set()
    for seed in range(10):
        attempt = quiz_attempt_start(user=volunteer, module=module, rng=random.Random(seed))
        stored = attempt.choice_order[question.id]
        assert sorted(stored) == sorted(c.id for c in question.choices)
        orders.add(tuple(stored))
        sign_in(client, volunteer)
        url = reverse("courses:attempt", kwargs={"attempt_id": attempt.pk})
        for _ in range(2):  # shown, then reloaded: the same order both times
            page = client.get(url).content.decode()
            positions = [page.index(question.choice(cid).text) for cid in stored]
            assert positions == sorted(positions)
        graded = quiz_attempt_submit(
            attempt=attempt, user=volunteer, answers={question.id: list(question.correct_ids)}
        )
        assert graded.score == 100
        review = client.get(url).content.decode()
        positions = [review.index(question.choice(cid).text) for cid in stored]
        assert positions == sorted(positions)
    assert len(orders) > 1


def test_open_attempt_is_reused(volunteer, modules):
    first = quiz_attempt_start(user=volunteer, module=modules[0])
    again = quiz_attempt_start(user=volunteer, module=modules[0])
    assert first.pk == again.pk
    assert QuizAttempt.objects.count() == 1


def test_double_submission_does_not_create_two_attempts(client, volunteer, modules):
    sign_in(client, volunteer)
    module = modules[0]
    attempt = quiz_attempt_start(user=volunteer, module=module)
    url = reverse("courses:attempt", kwargs={"attempt_id": attempt.pk})
    data = {f"q-{qid}": ids for qid, ids in wrong_answers(module).items()}
    first = client.post(url, data)
    second = client.post(url, {f"q-{qid}": ids for qid, ids in correct_answers(module).items()})
    assert first.status_code == second.status_code == 302
    assert QuizAttempt.objects.count() == 1
    attempt.refresh_from_db()
    assert attempt.passed is False  # the second submission changed nothing
    assert attempt.score == 0


def test_attempt_limit_is_refused_with_a_clear_message(client, volunteer):
    course = make_course(title="Limited", modules=0)
    module = add_module(course, "Limited", questions=2, attempts_allowed=2)
    for _ in range(2):
        attempt = quiz_attempt_start(user=volunteer, module=module)
        quiz_attempt_submit(attempt=attempt, user=volunteer, answers=wrong_answers(module))
    with pytest.raises(QuizError, match="used all your attempts"):
        quiz_attempt_start(user=volunteer, module=module)
    sign_in(client, volunteer)
    response = client.post(
        reverse("courses:quiz_start_page", kwargs={"page_id": module.pk}), follow=True
    )
    page = response.content.decode()
    assert "You have used all your attempts" in page
    assert "2 used, 0 left" in page
    assert "Start the quiz" not in page
    assert QuizAttempt.objects.count() == 2


def test_unanswered_questions_are_refused(client, volunteer, modules):
    sign_in(client, volunteer)
    attempt = quiz_attempt_start(user=volunteer, module=modules[0])
    first_question = attempt.question_order[0]
    response = client.post(
        reverse("courses:attempt", kwargs={"attempt_id": attempt.pk}),
        {f"q-{first_question}": attempt.choice_order[first_question][0]},
    )
    assert response.status_code == 400
    assert "Answer every question" in response.content.decode()
    attempt.refresh_from_db()
    assert not attempt.is_submitted


def test_the_quiz_page_never_sends_the_correct_answers(client, volunteer, modules):
    sign_in(client, volunteer)
    module = modules[0]
    module_html = client.get(module.url).content.decode()
    attempt = quiz_attempt_start(user=volunteer, module=module)
    form_html = client.get(
        reverse("courses:attempt", kwargs={"attempt_id": attempt.pk})
    ).content.decode()
    for html in (module_html, form_html):
        assert "Feedback" not in html
        assert "Explanation" not in html
        assert "correct" not in html.lower()
    # The answers themselves are shown, but nothing marks which is right.
    assert "Answer " in form_html


def test_review_shows_feedback_after_each_attempt(client, volunteer, modules):
    sign_in(client, volunteer)
    module = modules[0]
    attempt = quiz_attempt_start(user=volunteer, module=module)
    quiz_attempt_submit(attempt=attempt, user=volunteer, answers=wrong_answers(module))
    html = client.get(
        reverse("courses:attempt", kwargs={"attempt_id": attempt.pk})
    ).content.decode()
    assert "Not passed yet" in html
    assert "Feedback" in html
    assert "correct answer" in html
    assert "Try again" in html


@pytest.mark.parametrize(
    ("mode", "reveal", "passed", "shows_feedback", "shows_correct"),
    [
        (ReviewMode.NEVER, True, True, False, False),
        (ReviewMode.AFTER_PASSING, True, False, False, False),
        (ReviewMode.AFTER_PASSING, True, True, True, True),
        (ReviewMode.AFTER_EACH, False, False, True, False),
    ],
)
def test_review_settings(client, volunteer, mode, reveal, passed, shows_feedback, shows_correct):
    course = make_course(title=f"Review {mode} {reveal} {passed}", modules=0)
    module = add_module(
        course, "Reviewed", questions=2, review_mode=mode, reveal_correct_answers=reveal
    )
    attempt = quiz_attempt_start(user=volunteer, module=module)
    answers = correct_answers(module) if passed else wrong_answers(module)
    quiz_attempt_submit(attempt=attempt, user=volunteer, answers=answers)
    sign_in(client, volunteer)
    html = client.get(
        reverse("courses:attempt", kwargs={"attempt_id": attempt.pk})
    ).content.decode()
    assert ("Feedback" in html) is shows_feedback
    assert ("correct answer" in html) is shows_correct
    assert ("Explanation" in html) is shows_correct


def test_someone_elses_attempt_is_not_found(client, volunteer, modules, coordinator):
    attempt = quiz_attempt_start(user=volunteer, module=modules[0])
    sign_in(client, coordinator)
    url = reverse("courses:attempt", kwargs={"attempt_id": attempt.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


def test_anonymous_cannot_take_a_quiz(client, modules):
    response = client.post(reverse("courses:quiz_start_page", kwargs={"page_id": modules[0].pk}))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    response = client.get(modules[0].url)
    assert response.status_code == 302
