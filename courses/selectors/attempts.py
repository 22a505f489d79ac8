"""Quiz attempts as the learner sees them: the questions of an open attempt, the review of a
finished one, and every attempt so far ("My results")."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from website.languages import localize_page, localize_pages

from ..models import CoursePage, ModulePage, QuizAttempt, ReviewMode
from ..quiz import Question, questions_in_language
from .progress import module_context


def module_original(module: ModulePage) -> ModulePage:
    """The module's original (default-language) version: it owns the quiz."""
    from website.languages import original_of

    cached = getattr(module, "_original", None)
    if cached is None:
        cached = module._original = original_of(module)
    return cached


def quiz_questions(*, module: ModulePage, shown: ModulePage | None = None) -> list[Question]:
    """The quiz of ``module``: the original's questions and key, in ``shown``'s words (the
    reader's language where translated)."""
    original = module_original(module)
    shown = shown or localize_page(original)
    translated = shown.questions() if shown.pk != original.pk else None
    return questions_in_language(original.questions(), translated)


def review_visible(*, attempt: QuizAttempt, quiz: ModulePage) -> bool:
    if quiz.review_mode == ReviewMode.NEVER:
        return False
    if quiz.review_mode == ReviewMode.AFTER_PASSING:
        return bool(attempt.passed)
    return True


def quiz_questions_for_attempt(*, attempt: QuizAttempt, selected=None) -> list[dict]:
    """What the quiz form shows: prompts and answer texts in the attempt's order, in the
    reader's language. Which answers are correct is deliberately not part of it."""
    selected = selected or {}
    by_id = {question.id: question for question in quiz_questions(module=attempt.module)}
    shown = []
    for number, question_id in enumerate(attempt.question_order, start=1):
        question = by_id.get(question_id)
        if question is None:
            continue
        choices = []
        for choice_id in attempt.choice_order.get(question_id, []):
            choice = question.choice(choice_id)
            if choice is not None:
                choices.append(
                    {
                        "id": choice.id,
                        "text": choice.text,
                        "checked": choice.id in selected.get(question_id, []),
                    }
                )
        shown.append(
            {
                "id": question.id,
                "number": number,
                "kind": question.kind,
                "prompt": question.prompt,
                "caller_says": question.caller_says,
                "allows_many": question.allows_many,
                "choices": choices,
            }
        )
    return shown


def attempt_review(*, attempt: QuizAttempt, user, request=None) -> dict:
    """The result page: score and pass/fail always; per-question feedback when the quiz's
    review setting allows it; correct answers only when it also reveals them."""
    quiz = module_original(attempt.module)
    show_review = review_visible(attempt=attempt, quiz=quiz)
    reveal = show_review and quiz.reveal_correct_answers
    by_id = {question.id: question for question in quiz_questions(module=attempt.module)}
    results = {r["question"]: r for r in attempt.results}
    items = []
    for number, question_id in enumerate(attempt.question_order, start=1):
        question = by_id.get(question_id)
        result = results.get(question_id)
        if question is None or result is None:
            continue
        chosen = set(result["selected"])
        choices = []
        for choice_id in attempt.choice_order.get(question_id, []):
            choice = question.choice(choice_id)
            if choice is None:
                continue
            picked = choice.id in chosen
            choices.append(
                {
                    "text": choice.text,
                    "selected": picked,
                    "correct": choice.correct if reveal else None,
                    "feedback": choice.feedback if (picked or reveal) else "",
                }
            )
        items.append(
            {
                "number": number,
                "prompt": question.prompt,
                "caller_says": question.caller_says,
                "correct": result["correct"],
                "choices": choices,
                "explanation": question.explanation if reveal else "",
            }
        )
    context = module_context(user=user, module=attempt.module, request=request)
    progress = context["progress"]
    status = context["module_status"]
    context.update(
        {
            "attempt": attempt,
            "module": status.module if status else attempt.module,
            "page": status.module if status else attempt.module,
            "show_review": show_review,
            "reveal": reveal,
            "items": items,
            "can_retry": not attempt.passed
            and (context["attempts_left"] is None or context["attempts_left"] > 0),
            "just_completed": progress.completion
            if progress.completion and progress.completion.completed_at >= attempt.submitted_at
            else None,
        }
    )
    return context


@dataclass
class AttemptLine:
    attempt: QuizAttempt
    review_allowed: bool


@dataclass
class ModuleResults:
    module: ModulePage  # in the reader's language
    attempts: list[AttemptLine]


@dataclass
class CourseResults:
    course: CoursePage | None  # None: the course has since been removed
    modules: list[ModuleResults]


def course_order(originals: dict, module: ModulePage) -> str:
    original = originals.get(module.translation_key)
    return original.path if original else ""


def attempt_history(*, user) -> list[CourseResults]:
    """Every finished attempt of the user, newest first, grouped by course and module, with
    titles in the reader's language. A fixed number of queries."""
    attempts = list(
        QuizAttempt.objects.filter(user=user, submitted_at__isnull=False)
        .select_related("module")
        .defer("module__quiz_questions", "module__body")
        .order_by("-submitted_at")
    )
    if not attempts:
        return []
    module_keys = {a.module_key for a in attempts}
    course_keys = {a.course_key for a in attempts}
    originals = {
        m.translation_key: m
        for m in ModulePage.objects.filter(
            translation_key__in=module_keys, locale__language_code=settings.LANGUAGE_CODE
        ).defer("quiz_questions", "body")
    }
    shown_modules = {
        m.translation_key: m
        for m in localize_pages(
            list(originals.values()),
            only=(
                "id",
                "title",
                "translation_key",
                "locale_id",
                "slug",
                "url_path",
                "path",
                "depth",
            ),
        )
    }
    courses = {
        c.translation_key: c
        for c in localize_pages(
            list(
                CoursePage.objects.filter(
                    translation_key__in=course_keys, locale__language_code=settings.LANGUAGE_CODE
                )
            )
        )
    }
    grouped: dict = defaultdict(lambda: defaultdict(list))
    for attempt in attempts:
        quiz = originals.get(attempt.module_key) or attempt.module
        allowed = quiz is not None and review_visible(attempt=attempt, quiz=quiz)
        grouped[attempt.course_key][attempt.module_key].append(AttemptLine(attempt, allowed))
    results = []
    for course_key, modules in grouped.items():
        course = courses.get(course_key)
        module_results = []
        for module_key, lines in modules.items():
            module = shown_modules.get(module_key) or lines[0].attempt.module
            if module is not None:
                module_results.append(ModuleResults(module, lines))
        module_results.sort(
            key=lambda m: (
                originals[m.module.translation_key].path
                if m.module.translation_key in originals
                else ""
            )
        )
        results.append(CourseResults(course, module_results))
    results.sort(key=lambda c: c.course.title if c.course else "")
    return results
