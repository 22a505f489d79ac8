"""One quiz, graded one way, in every language: the original page owns the questions, the key
and the settings; a translation changes only words."""

import pytest
from django.urls import reverse

from courses.models import QuizAttempt
from courses.quiz import Choice, Question, questions_in_language
from courses.selectors import module_context, quiz_questions
from courses.services import quiz_attempt_start, quiz_attempt_submit
from tests.courses.factories import (
    correct_answers,
    edit_quiz,
    make_course,
    modules_of,
    qid,
    single,
    translate,
    translate_tree,
)
from tests.people.factories import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def bilingual():
    course = make_course(title="Keyed", modules=1, questions_per_module=2)
    translate_tree(course, "lv")
    original = modules_of(course)[0]
    latvian = original.get_translation(
        original.locale.__class__.objects.get(language_code="lv")
    ).specific
    return original, latvian


def test_a_latvian_attempt_is_graded_by_the_new_key_after_the_editor_changes_it(
    client, volunteer, bilingual
):
    original, latvian = bilingual
    question_id = original.questions()[0].id
    old_correct = next(iter(original.questions()[0].correct_ids))

    def mark_last_choice_correct(raw):
        for index, item in enumerate(raw[0]["value"]["choices"]):
            item["value"]["correct"] = index == len(raw[0]["value"]["choices"]) - 1

    original = edit_quiz(original, mark_last_choice_correct)
    new_correct = next(iter(original.questions()[0].correct_ids))
    assert new_correct != old_correct
    # The Latvian page was not touched: its own data still marks the old answer correct.
    assert next(iter(latvian.questions()[0].correct_ids)) == old_correct

    sign_in(client, volunteer)
    client.post(reverse("courses:quiz_start_page", kwargs={"page_id": latvian.pk}))
    attempt = QuizAttempt.objects.get()
    assert attempt.module_id == original.pk
    answers = correct_answers(original)
    data = {f"q-{qid_}": choices for qid_, choices in answers.items()}
    client.post(reverse("courses:attempt", kwargs={"attempt_id": attempt.pk}), data)
    attempt.refresh_from_db()
    assert attempt.passed and attempt.score == 100
    assert attempt.answers[question_id] == [new_correct]


def test_settings_come_from_the_original(volunteer, bilingual):
    original, latvian = bilingual
    original.pass_mark = 100
    original.attempts_allowed = 1
    original.save_revision().publish()
    translate(latvian, "lv", pass_mark=10, attempts_allowed=None)  # a stale translation
    attempt = quiz_attempt_start(user=volunteer, module=latvian)
    assert attempt.pass_mark == 100
    context = module_context(user=volunteer, module=latvian)
    assert context["quiz"].pk == original.pk
    assert context["attempts_left"] == 1


def test_the_translation_gives_words_only(bilingual):
    original, latvian = bilingual
    latvian = translate(latvian, "lv")
    shown = quiz_questions(module=original, shown=latvian)
    assert [q.id for q in shown] == [q.id for q in original.questions()]
    assert shown[0].prompt == latvian.questions()[0].prompt
    assert shown[0].correct_ids == original.questions()[0].correct_ids


def test_a_question_added_to_the_original_appears_in_its_words_until_translated(
    volunteer, bilingual
):
    original, latvian = bilingual
    original = edit_quiz(original, lambda raw: raw.append(single("added-later")))
    shown = quiz_questions(module=original, shown=latvian)
    assert len(shown) == 3
    assert shown[-1].id == qid("added-later")
    assert shown[-1].prompt == "Prompt added-later"
    attempt = quiz_attempt_start(user=volunteer, module=latvian)
    assert len(attempt.question_order) == 3
    submitted = quiz_attempt_submit(
        attempt=attempt, user=volunteer, answers=correct_answers(original)
    )
    assert submitted.score == 100


def a_question(correct: str, text: str = "x") -> Question:
    return Question(
        id="q",
        kind="single",
        prompt=f"prompt {text}",
        choices=(
            Choice("a", f"A {text}", correct == "a", f"fa {text}"),
            Choice("b", f"B {text}", correct == "b", f"fb {text}"),
        ),
        explanation=f"why {text}",
    )


@pytest.mark.parametrize(
    ("translated", "expected_prompt", "expected_correct"),
    [
        (None, "prompt en", {"a"}),
        ([], "prompt en", {"a"}),
        ([a_question("b", "lv")], "prompt lv", {"a"}),  # a translation's key is ignored
        ([a_question("a", "lv")], "prompt lv", {"a"}),
    ],
)
def test_questions_in_language_table(translated, expected_prompt, expected_correct):
    (result,) = questions_in_language([a_question("a", "en")], translated)
    assert result.prompt == expected_prompt
    assert result.correct_ids == frozenset(expected_correct)
    if translated:
        assert [c.text for c in result.choices] == ["A lv", "B lv"]
        assert result.explanation == "why lv"
