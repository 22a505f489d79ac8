"""Reads for courses: visibility, progress, completion status, required training."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from people.models import Membership, Role

from .models import (
    CourseAssignment,
    CourseCompletion,
    CoursePage,
    ModulePage,
    ModuleProgress,
    QuizAttempt,
    ReflectionNote,
    RefresherMode,
    ReviewMode,
    Visibility,
)


def expiry_warning() -> timedelta:
    return timedelta(days=getattr(settings, "COURSE_EXPIRY_WARNING_DAYS", 30))


# --- Visibility --------------------------------------------------------------------------


def user_team_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_atbalsts_team_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("team_id", flat=True))
        user._atbalsts_team_ids = cached
    return cached


def course_is_visible_to(*, course: CoursePage, user) -> bool:
    if not user.is_authenticated:
        return False
    if course.visibility == Visibility.EVERYONE or user.is_superuser:
        return True
    allowed = {team.pk for team in course.teams.all()}
    return bool(allowed & user_team_ids(user))


def courses_visible_to(*, user, queryset=None):
    queryset = queryset if queryset is not None else CoursePage.objects.all()
    if user.is_superuser:
        return queryset
    return queryset.filter(
        Q(visibility=Visibility.EVERYONE) | Q(teams__in=user_team_ids(user))
    ).distinct()


# --- Progress ----------------------------------------------------------------------------


class CourseState:
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    EXPIRING_SOON = "expiring_soon"
    EXPIRED = "expired"

    LABELS = {
        NOT_STARTED: _("Not started"),
        IN_PROGRESS: _("In progress"),
        COMPLETE: _("Complete"),
        EXPIRING_SOON: _("Expiring soon"),
        EXPIRED: _("Refresher required"),
    }


@dataclass
class ModuleStatus:
    module: ModulePage
    read: bool
    passed: bool
    needs_reading: bool
    complete: bool


@dataclass
class CourseProgress:
    course: CoursePage
    modules: list[ModuleStatus]
    completion: CourseCompletion | None
    state: str
    in_refresher: bool
    cycle_start: datetime | None

    @property
    def total(self) -> int:
        return len(self.modules)

    @property
    def completed_count(self) -> int:
        if self.state == CourseState.COMPLETE:
            return self.total
        return sum(1 for m in self.modules if m.complete)

    @property
    def percent(self) -> int:
        return round(self.completed_count * 100 / self.total) if self.total else 0

    @property
    def continue_module(self) -> ModulePage | None:
        if self.state == CourseState.COMPLETE:
            return None
        return next((m.module for m in self.modules if not m.complete), None)

    @property
    def state_label(self) -> str:
        return CourseState.LABELS[self.state]

    @property
    def refresher_quiz_only(self) -> bool:
        return self.in_refresher and self.course.refresher_mode == RefresherMode.QUIZ_ONLY


def completion_state(completion: CourseCompletion | None, now: datetime) -> str | None:
    if completion is None:
        return None
    if completion.expires_at is None or completion.expires_at > now + expiry_warning():
        return CourseState.COMPLETE
    if completion.expires_at > now:
        return CourseState.EXPIRING_SOON
    return CourseState.EXPIRED


def build_course_progress(
    *,
    course: CoursePage,
    modules: list[ModulePage],
    progress_by_module: dict,
    completion: CourseCompletion | None,
    now: datetime,
) -> CourseProgress:
    """Pure: given the rows, work out what is complete in the current cycle.

    After a completion, a new cycle starts: progress made since then counts towards the
    renewal. While the completion is valid and not about to expire the course is complete;
    once it is expiring or expired the refresher is what counts. A quiz-only refresher does
    not ask for the modules to be read again."""
    state = completion_state(completion, now)
    in_refresher = state in (CourseState.EXPIRING_SOON, CourseState.EXPIRED)
    cycle_start = completion.completed_at if completion else None
    quiz_only = in_refresher and course.refresher_mode == RefresherMode.QUIZ_ONLY
    statuses = []
    for module in modules:
        row = progress_by_module.get(module.translation_key)
        read = bool(row and row.read_at and (cycle_start is None or row.read_at > cycle_start))
        passed = bool(
            row and row.passed_at and (cycle_start is None or row.passed_at > cycle_start)
        )
        needs_reading = not quiz_only
        has_quiz = module.has_quiz
        complete = (read or not needs_reading) and (passed or not has_quiz)
        if quiz_only and not has_quiz:
            complete = True
        statuses.append(ModuleStatus(module, read, passed, needs_reading, complete))
    if state is None:
        any_progress = any(s.read or s.passed for s in statuses)
        state = CourseState.IN_PROGRESS if any_progress else CourseState.NOT_STARTED
    return CourseProgress(course, statuses, completion, state, in_refresher, cycle_start)


_LOCALE_CODES: dict[int, str] = {}


def locale_code(locale_id: int) -> str:
    """A locale's language code without a query each time: locales are created once (by a
    migration) and never renumbered, so they are remembered per process."""
    if locale_id not in _LOCALE_CODES:
        from wagtail.models import Locale

        _LOCALE_CODES.clear()
        _LOCALE_CODES.update(Locale.objects.values_list("id", "language_code"))
    return _LOCALE_CODES.get(locale_id, "")


MODULE_LIST_FIELDS = (
    "id",
    "path",
    "depth",
    "numchild",
    "title",
    "slug",
    "url_path",
    "translation_key",
    "locale_id",
    "live",
    "content_type_id",
    "estimated_minutes",
    "question_count",
    "attempts_allowed",
)


def source_courses(courses: list[CoursePage]) -> dict:
    """translation_key -> the course in the default language (the original). A course that
    exists only in another language is its own original. No query when all are originals."""
    if all(locale_code(course.locale_id) == settings.LANGUAGE_CODE for course in courses):
        return {course.translation_key: course for course in courses}
    keys = {course.translation_key for course in courses}
    found = {
        course.translation_key: course
        for course in CoursePage.objects.filter(
            translation_key__in=keys, locale__language_code=settings.LANGUAGE_CODE
        )
    }
    return {course.translation_key: found.get(course.translation_key, course) for course in courses}


def modules_by_course(courses: list[CoursePage]) -> dict:
    """translation_key of each course -> its live modules, in the original's order and in the
    active language where translated. A fixed number of queries for any number of courses."""
    sources = source_courses(courses)
    module_filter = Q()
    for source in sources.values():
        module_filter |= Q(path__startswith=source.path, depth=source.depth + 1)
    by_parent_path = defaultdict(list)
    for module in (
        ModulePage.objects.filter(module_filter).live().only(*MODULE_LIST_FIELDS).order_by("path")
    ):
        by_parent_path[module.path[: -ModulePage.steplen]].append(module)
    all_modules = [m for modules in by_parent_path.values() for m in modules]
    localized = {m.translation_key: m for m in localize_pages(all_modules, only=MODULE_LIST_FIELDS)}
    return {
        key: [localized.get(m.translation_key, m) for m in by_parent_path[source.path]]
        for key, source in sources.items()
    }


def course_modules(course: CoursePage) -> list[ModulePage]:
    return modules_by_course([course])[course.translation_key]


def course_progress(*, user, course: CoursePage, now: datetime | None = None) -> CourseProgress:
    return progress_for_courses(user=user, courses=[course], now=now)[0]


def latest_completion(*, user, course_key) -> CourseCompletion | None:
    return (
        CourseCompletion.objects.filter(user=user, course_key=course_key)
        .order_by("-completed_at")
        .first()
    )


def progress_for_courses(*, user, courses: list[CoursePage], now=None) -> list[CourseProgress]:
    """Progress for many courses in a fixed number of queries."""
    now = now or timezone.now()
    if not courses:
        return []
    modules = modules_by_course(courses)
    keys = [course.translation_key for course in courses]
    progress = defaultdict(dict)
    completions = {}
    if user.is_authenticated:
        for row in ModuleProgress.objects.filter(user=user, course_key__in=keys):
            progress[row.course_key][row.module_key] = row
        for completion in CourseCompletion.objects.filter(user=user, course_key__in=keys).order_by(
            "course_key", "-completed_at"
        ):
            completions.setdefault(completion.course_key, completion)
    return [
        build_course_progress(
            course=course,
            modules=modules[course.translation_key],
            progress_by_module=progress[course.translation_key],
            completion=completions.get(course.translation_key),
            now=now,
        )
        for course in courses
    ]


def course_cards_for_user(*, user) -> list[CourseProgress]:
    """The courses a person can see, in their language where a translation exists."""
    courses = courses_visible_to(user=user, queryset=CoursePage.objects.live()).order_by("path")
    localized = localize_pages(list(courses))
    return progress_for_courses(user=user, courses=localized)


def localize_pages(pages: list, only=()) -> list:
    """One page per translation group: the active language's version if it exists and is
    live, else the original. Two queries whatever the number of pages."""
    if not pages:
        return []
    active = translation.get_language() or settings.LANGUAGE_CODE
    if all(locale_code(page.locale_id) == active for page in pages):
        return pages
    keys = {page.translation_key for page in pages}
    translations = {
        page.translation_key: page
        for page in (
            type(pages[0]).objects.live().only(*only) if only else type(pages[0]).objects.live()
        ).filter(translation_key__in=keys, locale__language_code=active)
    }
    seen, result = set(), []
    for page in pages:
        if page.translation_key in seen:
            continue
        seen.add(page.translation_key)
        result.append(translations.get(page.translation_key, page))
    return result


# --- Module page -------------------------------------------------------------------------


def attempts_in_cycle(*, user, module: ModulePage, cycle_start) -> int:
    attempts = QuizAttempt.objects.filter(
        user=user, module_key=module.translation_key, submitted_at__isnull=False
    )
    if cycle_start is not None:
        attempts = attempts.filter(submitted_at__gt=cycle_start)
    return attempts.count()


def module_context(*, user, module: ModulePage) -> dict:
    course = module.course_page()
    progress = course_progress(user=user, course=course)
    status = next(
        (s for s in progress.modules if s.module.translation_key == module.translation_key), None
    )
    siblings = [s.module for s in progress.modules]
    index = next((i for i, m in enumerate(siblings) if m.pk == module.pk), 0)
    # Counting attempts matters only where they are limited.
    attempts_used = (
        attempts_in_cycle(user=user, module=module, cycle_start=progress.cycle_start)
        if module.attempts_allowed is not None
        else None
    )
    has_prompts = any(block["type"] == "reflection" for block in module.body.raw_data)
    notes = (
        {
            note.block_id: note.text
            for note in ReflectionNote.objects.filter(user=user, module_key=module.translation_key)
        }
        if has_prompts
        else {}
    )
    return {
        "course": course,
        "progress": progress,
        "module_status": status,
        "previous_module": siblings[index - 1] if index > 0 else None,
        "next_module": siblings[index + 1] if index + 1 < len(siblings) else None,
        "attempts_used": attempts_used,
        "attempts_left": (
            None
            if module.attempts_allowed is None
            else max(0, module.attempts_allowed - attempts_used)
        ),
        "reflection_notes": notes,
    }


def review_visible(*, attempt: QuizAttempt, module: ModulePage) -> bool:
    if module.review_mode == ReviewMode.NEVER:
        return False
    if module.review_mode == ReviewMode.AFTER_PASSING:
        return bool(attempt.passed)
    return True


# --- Required training -------------------------------------------------------------------


def requirement_overdue(*, state: str, assignment: CourseAssignment, today) -> bool:
    """A refresher is overdue as soon as the completion has expired; a first completion is
    overdue after the requirement's due date."""
    if state == CourseState.EXPIRED:
        return True
    unfinished = state in (CourseState.NOT_STARTED, CourseState.IN_PROGRESS)
    return unfinished and assignment.is_overdue_on(today)


@dataclass
class RequiredCourse:
    assignment: CourseAssignment
    course: CoursePage
    state: str
    completion: CourseCompletion | None
    overdue: bool
    progress: CourseProgress | None = None

    @property
    def state_label(self):
        return CourseState.LABELS[self.state]


def required_courses_for_user(*, user, now=None) -> list[RequiredCourse]:
    """Courses the user's teams require of volunteers, with each one's status. Required,
    overdue and expiring soon first."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return []
    team_ids = Membership.objects.filter(user=user, role=Role.VOLUNTEER).values("team_id")
    assignments = list(
        CourseAssignment.objects.filter(team_id__in=team_ids)
        .select_related("course", "team")
        .order_by("due_date")
    )
    by_course: dict = {}
    for assignment in assignments:
        key = assignment.course.translation_key
        if key not in by_course:
            by_course[key] = assignment
    courses = localize_pages([a.course for a in by_course.values()])
    progress = {
        p.course.translation_key: p
        for p in progress_for_courses(user=user, courses=courses, now=now)
    }
    today = timezone.localdate(now)
    required = []
    for key, assignment in by_course.items():
        course_progress_ = progress.get(key)
        completion = course_progress_.completion if course_progress_ else None
        state = course_progress_.state if course_progress_ else CourseState.NOT_STARTED
        overdue = requirement_overdue(state=state, assignment=assignment, today=today)
        required.append(
            RequiredCourse(
                assignment=assignment,
                course=course_progress_.course if course_progress_ else assignment.course,
                state=state,
                completion=completion,
                overdue=overdue,
                progress=course_progress_,
            )
        )
    order = {True: 0, False: 1}
    required.sort(
        key=lambda r: (order[r.overdue], r.state == CourseState.COMPLETE, r.assignment.due_date)
    )
    return required


@dataclass
class ComplianceRow:
    member: Membership
    states: list  # one state per assignment, in assignment order


def team_training_compliance(
    *, team, now=None
) -> tuple[list[CourseAssignment], list[ComplianceRow]]:
    """Each volunteer of the team against each required course: a fixed number of queries."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    assignments = list(team.course_assignments.select_related("course").order_by("due_date"))
    volunteers = list(
        team.memberships.filter(role=Role.VOLUNTEER)
        .select_related("user")
        .order_by("user__display_name")
    )
    keys = [a.course.translation_key for a in assignments]
    latest = {}
    for completion in CourseCompletion.objects.filter(
        user__in=[m.user_id for m in volunteers], course_key__in=keys
    ).order_by("user_id", "course_key", "-completed_at"):
        latest.setdefault((completion.user_id, completion.course_key), completion)
    started = set(
        ModuleProgress.objects.filter(
            user__in=[m.user_id for m in volunteers], course_key__in=keys
        ).values_list("user_id", "course_key")
    )
    rows = []
    for member in volunteers:
        states = []
        for assignment in assignments:
            key = assignment.course.translation_key
            state = completion_state(latest.get((member.user_id, key)), now)
            if state is None:
                state = (
                    CourseState.IN_PROGRESS
                    if (member.user_id, key) in started
                    else CourseState.NOT_STARTED
                )
            overdue = requirement_overdue(state=state, assignment=assignment, today=today)
            states.append({"state": state, "label": CourseState.LABELS[state], "overdue": overdue})
        rows.append(ComplianceRow(member=member, states=states))
    return assignments, rows


def courses_assignable_to(*, team):
    """Original-language courses the team can see, for a coordinator to require."""
    from wagtail.models import Locale

    return (
        CoursePage.objects.live()
        .filter(locale=Locale.get_default())
        .filter(Q(visibility=Visibility.EVERYONE) | Q(teams=team))
        .distinct()
        .order_by("title")
    )


def quiz_questions_for_attempt(
    *, attempt: QuizAttempt, module: ModulePage, selected=None
) -> list[dict]:
    """What the quiz form shows: prompts and answer texts in the attempt's order. Which
    answers are correct is deliberately not part of it."""
    selected = selected or {}
    by_id = {question.id: question for question in module.questions()}
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


def attempt_review(*, attempt: QuizAttempt, module: ModulePage, user) -> dict:
    """The result page: score and pass/fail always; per-question feedback when the module's
    review setting allows it; correct answers only when it also reveals them."""
    show_review = review_visible(attempt=attempt, module=module)
    reveal = show_review and module.reveal_correct_answers
    by_id = {question.id: question for question in module.questions()}
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
    context = module_context(user=user, module=module)
    progress = context["progress"]
    context.update(
        {
            "attempt": attempt,
            "module": module,
            "page": module,
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


def course_index_for_language():
    from .models import CourseIndexPage

    index = CourseIndexPage.objects.live().first()
    return index.localized if index else None
