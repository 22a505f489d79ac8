"""One grading function per question type, as tables."""

from decimal import Decimal

import pytest

from courses.quiz import (
    MULTIPLE,
    SCENARIO,
    SINGLE,
    TRUE_FALSE,
    Choice,
    Question,
    grade_multiple,
    grade_quiz,
    grade_scenario,
    grade_single,
    grade_true_false,
)


def question(kind, correct, ids=("a", "b", "c", "d")):
    return Question(
        id=f"q-{kind}",
        kind=kind,
        prompt="?",
        choices=tuple(Choice(i, i.upper(), i in correct) for i in ids),
    )


@pytest.mark.parametrize(
    ("selected", "points"),
    [({"a"}, 1), ({"b"}, 0), (set(), 0), ({"a", "b"}, 0), ({"z"}, 0)],
)
@pytest.mark.parametrize("grader", [grade_single, grade_scenario])
def test_single_answer_types(grader, selected, points):
    assert grader(question(SINGLE, {"a"}), frozenset(selected)) == Decimal(points)


@pytest.mark.parametrize(
    ("selected", "points"),
    [({"true"}, 1), ({"false"}, 0), (set(), 0)],
)
def test_true_false(selected, points):
    q = question(TRUE_FALSE, {"true"}, ids=("true", "false"))
    assert grade_true_false(q, frozenset(selected)) == Decimal(points)


# Two correct (a, b) of four: (right - wrong) / 2, never below zero.
@pytest.mark.parametrize(
    ("selected", "points"),
    [
        ({"a", "b"}, Decimal(1)),
        ({"a"}, Decimal("0.5")),
        ({"a", "b", "c"}, Decimal("0.5")),
        ({"a", "c"}, Decimal(0)),
        ({"a", "b", "c", "d"}, Decimal(0)),
        ({"c", "d"}, Decimal(0)),
        (set(), Decimal(0)),
    ],
)
def test_multiple_response_partial_credit(selected, points):
    assert grade_multiple(question(MULTIPLE, {"a", "b"}), frozenset(selected)) == points


def test_quiz_score_and_pass_mark():
    questions = [
        question(SINGLE, {"a"}),
        question(MULTIPLE, {"a", "b"}),
        Question("q3", SCENARIO, "?", (Choice("x", "X", True), Choice("y", "Y", False))),
        Question("q4", TRUE_FALSE, "?", (Choice("true", "T", False), Choice("false", "F", True))),
    ]
    answers = {"q-single": ["a"], "q-multiple": ["a"], "q3": ["x"], "q4": ["true"]}
    result = grade_quiz(questions, answers, pass_mark=60)
    assert result.score == Decimal("62.50")  # (1 + 0.5 + 1 + 0) / 4
    assert result.passed
    assert not grade_quiz(questions, answers, pass_mark=70).passed
    assert [r.correct for r in result.questions] == [True, False, True, False]


def test_quiz_ignores_unknown_choices_and_double_single_answers():
    questions = [question(SINGLE, {"a"}), question(SINGLE, {"a"}, ids=("a", "b"))]
    questions[1] = Question("other", SINGLE, "?", questions[1].choices)
    result = grade_quiz(questions, {"q-single": ["a", "zzz"], "other": ["a", "b"]}, pass_mark=50)
    assert result.score == Decimal("50.00")
    assert result.questions[1].selected == ()


def test_pass_mark_is_inclusive():
    questions = [question(SINGLE, {"a"}), question(SINGLE, {"a"})]
    questions[1] = Question("two", SINGLE, "?", questions[1].choices)
    assert grade_quiz(questions, {"q-single": ["a"]}, pass_mark=50).passed


def test_empty_quiz_passes():
    assert grade_quiz([], {}, pass_mark=80).passed
