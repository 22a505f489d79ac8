"""Quiz questions as plain data, and grading: one tested function per question type.

Nothing here touches the database. ``questions_from_stream`` turns a module's StreamField
into ``Question`` objects; the ``grade_*`` functions score one answer from 0 to 1;
``grade_quiz`` adds them up against the pass mark."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
SCENARIO = "scenario"
TRUE_ID = "true"
FALSE_ID = "false"


@dataclass(frozen=True)
class Choice:
    id: str
    text: str
    correct: bool
    feedback: str = ""


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    choices: tuple[Choice, ...]
    explanation: str = ""
    caller_says: str = ""

    @property
    def correct_ids(self) -> frozenset[str]:
        return frozenset(choice.id for choice in self.choices if choice.correct)

    @property
    def allows_many(self) -> bool:
        return self.kind == MULTIPLE

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)


def questions_from_stream(stream) -> list[Question]:
    """Read the quiz StreamField. Questions and choices keep their block ids."""
    questions = []
    for block in stream:
        value = block.value
        if block.block_type == TRUE_FALSE:
            answer = bool(value["answer"])
            choices = (
                Choice(TRUE_ID, str(_("True")), answer, value.get("feedback_true") or ""),
                Choice(FALSE_ID, str(_("False")), not answer, value.get("feedback_false") or ""),
            )
        else:
            choices = tuple(
                Choice(
                    id=str(item.id),
                    text=item.value["text"],
                    correct=bool(item.value["correct"]),
                    feedback=item.value.get("feedback") or "",
                )
                for item in value["choices"].bound_blocks
            )
        questions.append(
            Question(
                id=str(block.id),
                kind=block.block_type,
                prompt=value["prompt"],
                choices=choices,
                explanation=value.get("explanation") or "",
                caller_says=value.get("caller_says") or "",
            )
        )
    return questions


def questions_in_language(
    original: list[Question], translated: list[Question] | None
) -> list[Question]:
    """The original's quiz in the translation's words.

    Everything that decides a grade comes from the original page: which questions are asked
    and in what order, their types, their choices and which are correct. A translation only
    contributes words: the prompt, the caller's words, the explanation, and each choice's
    text and feedback, matched by block id. What the translation lacks (a question or a choice
    added to the original later) stays in the original's words; what only the translation has
    is ignored."""
    if not translated:
        return list(original)
    words = {question.id: question for question in translated}
    result = []
    for question in original:
        other = words.get(question.id)
        if other is None or other.kind != question.kind:
            result.append(question)
            continue
        choices = tuple(
            Choice(
                id=choice.id,
                text=(other.choice(choice.id) or choice).text or choice.text,
                correct=choice.correct,
                feedback=(other.choice(choice.id) or choice).feedback or choice.feedback,
            )
            for choice in question.choices
        )
        result.append(
            Question(
                id=question.id,
                kind=question.kind,
                prompt=other.prompt or question.prompt,
                choices=choices,
                explanation=other.explanation or question.explanation,
                caller_says=other.caller_says or question.caller_says,
            )
        )
    return result


def attempts_left(*, allowed: int | None, used: int, extra: int = 0) -> int | None:
    """How many more tries at a quiz: ``None`` when attempts are unlimited. ``extra`` are the
    attempts a coordinator added in this renewal cycle."""
    if allowed is None:
        return None
    return max(0, allowed + extra - used)


def grade_single(question: Question, selected: frozenset[str]) -> Decimal:
    """Full marks for exactly the one correct choice; anything else scores nothing."""
    return Decimal(1) if selected and selected == question.correct_ids else Decimal(0)


def grade_true_false(question: Question, selected: frozenset[str]) -> Decimal:
    return grade_single(question, selected)


def grade_scenario(question: Question, selected: frozenset[str]) -> Decimal:
    return grade_single(question, selected)


def grade_multiple(question: Question, selected: frozenset[str]) -> Decimal:
    """Partial credit: (correct chosen - wrong chosen) / number of correct, never below 0.

    Choosing every answer therefore scores 0 when there are as many wrong answers as right
    ones, and guessing is never rewarded over knowing."""
    correct = question.correct_ids
    if not correct:
        return Decimal(0)
    right = len(selected & correct)
    wrong = len(selected - correct)
    return max(Decimal(0), Decimal(right - wrong) / Decimal(len(correct)))


GRADERS: dict[str, Callable[[Question, frozenset[str]], Decimal]] = {
    SINGLE: grade_single,
    MULTIPLE: grade_multiple,
    TRUE_FALSE: grade_true_false,
    SCENARIO: grade_scenario,
}


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    selected: tuple[str, ...]
    points: Decimal
    correct: bool


@dataclass(frozen=True)
class QuizResult:
    score: Decimal  # percent, 0-100, two decimals
    passed: bool
    questions: tuple[QuestionResult, ...] = field(default_factory=tuple)


def grade_quiz(
    questions: Iterable[Question], answers: Mapping[str, Iterable[str]], pass_mark: int
) -> QuizResult:
    """Grade the questions an attempt was given. Unknown choice ids are ignored; a question
    left unanswered scores 0."""
    results = []
    for question in questions:
        valid_ids = {choice.id for choice in question.choices}
        selected = frozenset(str(a) for a in answers.get(question.id, ()) if str(a) in valid_ids)
        if not question.allows_many and len(selected) > 1:
            selected = frozenset()  # a single-answer question answered twice is not answered
        points = GRADERS[question.kind](question, selected)
        results.append(
            QuestionResult(question.id, tuple(sorted(selected)), points, points == Decimal(1))
        )
    if not results:
        return QuizResult(Decimal(100), True, ())
    total = sum((r.points for r in results), Decimal(0))
    score = (total / len(results) * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return QuizResult(score, score >= Decimal(pass_mark), tuple(results))
