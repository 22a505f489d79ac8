"""Reads for courses, split by concern; import from here."""

from .attempts import (
    attempt_history,
    attempt_review,
    module_original,
    quiz_questions,
    quiz_questions_for_attempt,
    review_visible,
)
from .progress import (
    CourseModule,
    CourseProgress,
    CourseState,
    LearnerRecords,
    ModuleStatus,
    build_course_progress,
    completion_state,
    course_cards_for_user,
    course_progress,
    cycle_start_for,
    expiry_warning,
    has_completed,
    learner_records,
    learner_records_for_users,
    module_context,
    modules_by_course,
    progress_for_courses,
)
from .requirements import (
    ComplianceCell,
    ComplianceRow,
    RequiredCourse,
    TeamCompliance,
    course_titles_in_language,
    courses_assignable_to,
    first_activity,
    names_told_apart,
    required_courses_for_user,
    requirement_overdue,
    team_training_compliance,
    volunteer_course_progress,
)
from .visibility import document_is_visible_to


def course_index_for_language():
    from website.languages import localize_page

    from ..models import CourseIndexPage

    return localize_page(CourseIndexPage.objects.live().order_by("path").first())


def course_index_url(*, request=None) -> str:
    """The address of the course index in the reader's language ("" when there is none),
    remembered in this process for ``LOCAL_CACHE_SECONDS``; a change to a course index in this
    process forgets it at once (courses/signals.py)."""
    from django.conf import settings
    from django.core.cache import caches

    from website.languages import active_language

    from ..signals import COURSE_INDEX_URL_KEY

    key = COURSE_INDEX_URL_KEY.format(language=active_language())
    url = caches["local"].get(key)
    if url is None:
        index = course_index_for_language()
        url = index.get_url(request) if index else ""
        caches["local"].set(key, url, settings.LOCAL_CACHE_SECONDS)
    return url


__all__ = [
    "ComplianceCell",
    "ComplianceRow",
    "CourseModule",
    "CourseProgress",
    "CourseState",
    "LearnerRecords",
    "ModuleStatus",
    "RequiredCourse",
    "TeamCompliance",
    "attempt_history",
    "attempt_review",
    "build_course_progress",
    "completion_state",
    "course_cards_for_user",
    "course_index_for_language",
    "course_index_url",
    "course_progress",
    "course_titles_in_language",
    "courses_assignable_to",
    "cycle_start_for",
    "document_is_visible_to",
    "expiry_warning",
    "first_activity",
    "has_completed",
    "learner_records",
    "learner_records_for_users",
    "module_context",
    "module_original",
    "modules_by_course",
    "names_told_apart",
    "progress_for_courses",
    "quiz_questions",
    "quiz_questions_for_attempt",
    "required_courses_for_user",
    "requirement_overdue",
    "review_visible",
    "team_training_compliance",
    "volunteer_course_progress",
]
