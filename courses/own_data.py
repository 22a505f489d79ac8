"""Courses' part of a person's own data (``people.own_data``): what they read, passed and
completed, their quiz attempts, reflection notes and extra attempts, to download; and, when
the account is deleted, the erasure of what is theirs alone while the counts stay."""

from django.db.models import Q
from wagtail.models import Page

from .models import (
    AttemptGrant,
    CourseCompletion,
    ModuleProgress,
    QuizAttempt,
    ReflectionNote,
    verification_code,
)


def page_titles(*, keys: set, language: str) -> dict:
    """translation_key -> the page's title in ``language``, else in English, else in any
    language (one query)."""
    if not keys:
        return {}
    found: dict = {}
    for key, code, title in Page.objects.filter(translation_key__in=keys).values_list(
        "translation_key", "locale__language_code", "title"
    ):
        found.setdefault(key, {})[code] = title
    titles = {}
    for key, by_language in found.items():
        titles[key] = (
            by_language.get(language) or by_language.get("en") or next(iter(by_language.values()))
        )
    return titles


def courses_data_export(user) -> dict:
    """In six queries whatever the amount."""
    progress = list(ModuleProgress.objects.filter(user=user).order_by("pk"))
    attempts = list(
        QuizAttempt.objects.filter(user=user)
        .order_by("started_at", "pk")
        .only(
            "module_key",
            "course_key",
            "answers",
            "score",
            "pass_mark",
            "passed",
            "started_at",
            "submitted_at",
        )
    )
    completions = list(CourseCompletion.objects.filter(user=user).order_by("completed_at", "pk"))
    notes = list(ReflectionNote.objects.filter(user=user).order_by("updated_at", "pk"))
    grants = list(
        AttemptGrant.objects.filter(user=user).select_related("granted_by").order_by("granted_at")
    )
    keys = (
        {row.module_key for row in progress}
        | {row.course_key for row in progress}
        | {row.module_key for row in attempts}
        | {row.course_key for row in attempts}
        | {row.course_key for row in completions}
        | {row.module_key for row in notes}
        | {row.module_key for row in grants}
        | {row.course_key for row in grants}
    )
    titles = page_titles(keys=keys, language=user.preferred_language)

    def title(key) -> str:
        return titles.get(key, "")

    return {
        "module_progress": [
            {
                "course": title(row.course_key),
                "module": title(row.module_key),
                "last_read": row.read_at,
                "quiz_last_passed": row.passed_at,
            }
            for row in progress
        ],
        "quiz_attempts": [
            {
                "course": title(row.course_key),
                "module": title(row.module_key),
                "started": row.started_at,
                "submitted": row.submitted_at,
                "score": row.score,
                "pass_mark": row.pass_mark,
                "passed": row.passed,
                "answers": row.answers,
            }
            for row in attempts
        ],
        "course_completions": [
            {
                "course": title(row.course_key),
                "completed": row.completed_at,
                "valid_until": row.expires_at,
                "certificate_code": row.verification_code,
            }
            for row in completions
        ],
        "reflection_notes": [
            {"module": title(row.module_key), "updated": row.updated_at, "text": row.text}
            for row in notes
        ],
        "extra_attempts_given": [
            {
                "course": title(row.course_key),
                "module": title(row.module_key),
                "extra": row.extra,
                "reason": row.reason,
                "by": row.granted_by.display_name if row.granted_by else "",
                "given": row.granted_at,
            }
            for row in grants
        ],
    }


def courses_data_erase(user) -> None:
    """Notes, answers and the reasons others wrote about the person go; progress, completions
    and scores stay (anonymous, for the teams' counts). Certificate links stop working: they
    would still confirm that someone completed a course."""
    ReflectionNote.objects.filter(user=user).delete()
    QuizAttempt.objects.filter(user=user, submitted_at__isnull=True).delete()
    QuizAttempt.objects.filter(user=user).update(answers={}, results=[], choice_order={})
    AttemptGrant.objects.filter(Q(user=user) & ~Q(reason="")).update(reason="")
    completions = list(CourseCompletion.objects.filter(user=user).only("pk"))
    for completion in completions:
        completion.verification_code = verification_code()
    CourseCompletion.objects.bulk_update(completions, ["verification_code"])
