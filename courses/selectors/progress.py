"""A learner's progress: which modules are done in the current renewal cycle, what state each
course is in, how many quiz attempts are left, and where to continue.

Everything is keyed by the pages' ``translation_key``: the Latvian and English versions of a
module are the same module, so switching language keeps progress. The original page (in the
default language) owns the quiz; the reader sees the version in their language where one
exists."""

import hashlib
import json
from collections import defaultdict, namedtuple
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from website.languages import (
    active_language,
    locale_code,
    localize_page,
    localize_pages,
    page_language,
)

from ..models import (
    AttemptGrant,
    CourseCompletion,
    CoursePage,
    ModulePage,
    ModuleProgress,
    QuizAttempt,
    RefresherMode,
)
from ..quiz import attempts_left


def expiry_warning() -> timedelta:
    return timedelta(days=getattr(settings, "COURSE_EXPIRY_WARNING_DAYS", 30))


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
    # Bootstrap colours of each state's badge: a state is told apart by its words first.
    BADGES = {
        NOT_STARTED: "light text-dark border",
        IN_PROGRESS: "info text-dark",
        COMPLETE: "success",
        EXPIRING_SOON: "warning text-dark",
        EXPIRED: "danger",
    }


@dataclass(frozen=True)
class CourseModule:
    """A module as the reader meets it."""

    original: ModulePage  # owns the quiz: questions, correct answers, pass mark, attempts
    shown: ModulePage  # in the reader's language where translated, else the original
    url: str  # under the reader's language, even when the module is not translated yet

    @property
    def has_quiz(self) -> bool:
        return self.original.has_quiz

    @property
    def language(self) -> str:
        return page_language(self.shown)


@dataclass
class ModuleStatus:
    entry: CourseModule
    read: bool
    passed: bool
    needs_reading: bool
    complete: bool
    locked: bool = False  # the course keeps modules in order and an earlier one is not done
    attempts_used: int = 0
    attempts_left: int | None = None  # None: unlimited
    extra_attempts: int = 0
    best_score: Decimal | None = None
    last_grant: AttemptGrant | None = None

    @property
    def module(self) -> ModulePage:
        return self.entry.shown

    @property
    def original(self) -> ModulePage:
        return self.entry.original

    @property
    def url(self) -> str:
        return self.entry.url

    @property
    def has_quiz(self) -> bool:
        return self.entry.has_quiz

    @property
    def locked_out(self) -> bool:
        """All attempts at the quiz are used and it is not passed: a coordinator can give
        more."""
        return self.has_quiz and not self.passed and self.attempts_left == 0


@dataclass
class CourseProgress:
    course: CoursePage  # in the reader's language where translated
    modules: list[ModuleStatus]
    completion: CourseCompletion | None
    state: str
    in_refresher: bool
    cycle_start: datetime | None
    previous_completion: CourseCompletion | None = None
    url: str = ""

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
    def continue_status(self) -> ModuleStatus | None:
        if self.state == CourseState.COMPLETE:
            return None
        return next((m for m in self.modules if not m.complete), None)

    @property
    def continue_module(self) -> ModulePage | None:
        status = self.continue_status
        return status.module if status else None

    @property
    def refresher_started(self) -> bool:
        return self.in_refresher and any(m.read or m.passed for m in self.modules)

    @property
    def state_label(self) -> str:
        return CourseState.LABELS[self.state]

    @property
    def state_badge(self) -> str:
        return CourseState.BADGES[self.state]

    @property
    def refresher_quiz_only(self) -> bool:
        return self.in_refresher and self.course.refresher_mode == RefresherMode.QUIZ_ONLY

    @property
    def locked_out_modules(self) -> list[ModuleStatus]:
        return [m for m in self.modules if m.locked_out]

    def status_for(self, translation_key) -> ModuleStatus | None:
        return next(
            (m for m in self.modules if m.original.translation_key == translation_key), None
        )


def completion_state(completion: CourseCompletion | None, now: datetime) -> str | None:
    if completion is None:
        return None
    if completion.expires_at is None or completion.expires_at > now + expiry_warning():
        return CourseState.COMPLETE
    if completion.expires_at > now:
        return CourseState.EXPIRING_SOON
    return CourseState.EXPIRED


def cycle_start_for(
    *, state: str | None, completion: CourseCompletion | None, previous: CourseCompletion | None
) -> datetime | None:
    """Since when progress counts. While a completion is valid, the cycle that produced it
    counts (so its modules stay done, with their scores); once a refresher is open (expiring
    soon or expired), only what was done since that completion."""
    if completion is None:
        return None
    if state in (CourseState.EXPIRING_SOON, CourseState.EXPIRED):
        return completion.completed_at
    return previous.completed_at if previous else None


@dataclass
class LearnerRecords:
    """One learner's rows for a set of courses, fetched in a fixed number of queries."""

    progress: dict = field(default_factory=lambda: defaultdict(dict))  # course -> module -> row
    completions: dict = field(default_factory=lambda: defaultdict(list))  # course -> newest first
    attempts: dict = field(default_factory=lambda: defaultdict(list))  # module -> attempts
    grants: dict = field(default_factory=lambda: defaultdict(list))  # module -> grants


def learner_records(*, user, course_keys) -> LearnerRecords:
    if not user.is_authenticated:
        return LearnerRecords()
    return learner_records_for_users(user_ids=[user.pk], course_keys=course_keys)[user.pk]


# The few columns ``build_course_progress`` reads, as plain tuples: a team's table reads tens of
# thousands of rows, and model instances cost several times more to make.
LeanProgress = namedtuple("LeanProgress", "read_at passed_at")
LeanCompletion = namedtuple("LeanCompletion", "completed_at expires_at")
LeanAttempt = namedtuple("LeanAttempt", "score submitted_at")
LeanGrant = namedtuple("LeanGrant", "extra granted_at")


def learner_records_lean(*, user_ids, course_keys, limited_modules) -> dict[int, LearnerRecords]:
    """What a team's tables need (state, overdue, no attempts left, completion dates), read as
    tuples, in four queries whatever the team's size. Attempts are read only for the modules
    in ``limited_modules`` (quizzes with an attempt limit): elsewhere they change nothing the
    tables show (a submitted attempt leaves a progress row behind), and they are most of the
    rows. Not for a learner's own pages: best scores and attempt counts are left out."""
    records: dict[int, LearnerRecords] = defaultdict(LearnerRecords)
    if not user_ids or not course_keys:
        return records
    for user_id, course_key, module_key, read_at, passed_at in ModuleProgress.objects.filter(
        user_id__in=user_ids, course_key__in=course_keys
    ).values_list("user_id", "course_key", "module_key", "read_at", "passed_at"):
        records[user_id].progress[course_key][module_key] = LeanProgress(read_at, passed_at)
    user_ids = list(records)
    if not user_ids:
        return records
    for user_id, course_key, completed_at, expires_at in (
        CourseCompletion.objects.filter(user_id__in=user_ids, course_key__in=course_keys)
        .order_by("-completed_at")
        .values_list("user_id", "course_key", "completed_at", "expires_at")
    ):
        records[user_id].completions[course_key].append(LeanCompletion(completed_at, expires_at))
    if limited_modules:
        for user_id, module_key, score, submitted_at in (
            QuizAttempt.objects.filter(
                user_id__in=user_ids,
                course_key__in=course_keys,
                module_key__in=list(limited_modules),
                submitted_at__isnull=False,
            )
            .order_by("submitted_at")
            .values_list("user_id", "module_key", "score", "submitted_at")
        ):
            records[user_id].attempts[module_key].append(LeanAttempt(score, submitted_at))
    for user_id, module_key, extra, granted_at in AttemptGrant.objects.filter(
        user_id__in=user_ids, course_key__in=course_keys
    ).values_list("user_id", "module_key", "extra", "granted_at"):
        records[user_id].grants[module_key].append(LeanGrant(extra, granted_at))
    return records


def learner_records_for_users(*, user_ids, course_keys) -> dict[int, LearnerRecords]:
    """Every listed user's rows for the courses, in four queries whatever their number.
    Completions come newest first: the newest one counts (``build_course_progress``)."""
    records: dict[int, LearnerRecords] = defaultdict(LearnerRecords)
    if not user_ids or not course_keys:
        return records
    for row in ModuleProgress.objects.filter(user_id__in=user_ids, course_key__in=course_keys):
        records[row.user_id].progress[row.course_key][row.module_key] = row
    # Completions and submitted attempts all leave progress rows behind (a submitted attempt
    # marks the module read): people without any have nothing else to fetch.
    user_ids = list(records)
    if not user_ids:
        return records
    for completion in CourseCompletion.objects.filter(
        user_id__in=user_ids, course_key__in=course_keys
    ).order_by("-completed_at"):
        records[completion.user_id].completions[completion.course_key].append(completion)
    for attempt in (
        QuizAttempt.objects.filter(
            user_id__in=user_ids, course_key__in=course_keys, submitted_at__isnull=False
        )
        .only("user_id", "module_key", "course_key", "score", "passed", "submitted_at")
        .order_by("submitted_at")
    ):
        records[attempt.user_id].attempts[attempt.module_key].append(attempt)
    for grant in AttemptGrant.objects.filter(
        user_id__in=user_ids, course_key__in=course_keys
    ).select_related("granted_by"):
        records[grant.user_id].grants[grant.module_key].append(grant)
    return records


def build_course_progress(
    *,
    course: CoursePage,
    modules: list[CourseModule],
    records: LearnerRecords,
    now: datetime,
    url: str = "",
) -> CourseProgress:
    """Pure: given the rows, work out what is complete in the current cycle, what is locked
    and how many attempts are left. A quiz-only refresher does not ask for the modules to be
    read again."""
    completions = records.completions.get(course.translation_key, [])
    completion = completions[0] if completions else None
    previous = completions[1] if len(completions) > 1 else None
    state = completion_state(completion, now)
    in_refresher = state in (CourseState.EXPIRING_SOON, CourseState.EXPIRED)
    cycle_start = cycle_start_for(state=state, completion=completion, previous=previous)
    quiz_only = in_refresher and course.refresher_mode == RefresherMode.QUIZ_ONLY
    progress_rows = records.progress.get(course.translation_key, {})

    def in_cycle(moment) -> bool:
        return bool(moment) and (cycle_start is None or moment > cycle_start)

    statuses = []
    earlier_incomplete = False
    for entry in modules:
        key = entry.original.translation_key
        row = progress_rows.get(key)
        attempts = [a for a in records.attempts.get(key, []) if in_cycle(a.submitted_at)]
        grants = [g for g in records.grants.get(key, []) if in_cycle(g.granted_at)]
        read = bool(row and in_cycle(row.read_at))
        passed = bool(row and in_cycle(row.passed_at))
        needs_reading = not quiz_only
        complete = (read or not needs_reading) and (passed or not entry.has_quiz)
        if quiz_only and not entry.has_quiz:
            complete = True
        extra = sum(g.extra for g in grants)
        status = ModuleStatus(
            entry=entry,
            read=read,
            passed=passed,
            needs_reading=needs_reading,
            complete=complete,
            locked=bool(course.modules_in_order and earlier_incomplete and not complete),
            attempts_used=len(attempts),
            attempts_left=attempts_left(
                allowed=entry.original.attempts_allowed, used=len(attempts), extra=extra
            ),
            extra_attempts=extra,
            best_score=max((a.score for a in attempts if a.score is not None), default=None),
            last_grant=max(grants, key=lambda g: g.granted_at) if grants else None,
        )
        statuses.append(status)
        earlier_incomplete = earlier_incomplete or not complete
    if state is None:
        any_progress = any(s.read or s.passed or s.attempts_used for s in statuses)
        state = CourseState.IN_PROGRESS if any_progress else CourseState.NOT_STARTED
    if state == CourseState.COMPLETE:
        for status in statuses:
            status.locked = False
    return CourseProgress(
        course=course,
        modules=statuses,
        completion=completion,
        state=state,
        in_refresher=in_refresher,
        cycle_start=cycle_start,
        previous_completion=previous,
        url=url,
    )


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
    "alias_of_id",
    "content_type_id",
    "estimated_minutes",
    "question_count",
    "attempts_allowed",
    "pass_mark",
)


def original_courses(courses: list[CoursePage]) -> dict:
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


# Course structures (a course's modules as a reader sees them) remembered in this process,
# keyed by the course's ``structure_version``, which any change to its modules raises
# (courses/signals.py): a stale structure is never served.
_STRUCTURES: dict = {}
STRUCTURES_KEPT = 512


def structures_forget() -> None:
    _STRUCTURES.clear()


def modules_by_course(courses: list[CoursePage], *, request=None) -> dict:
    """translation_key of each course -> its live modules (``CourseModule``), in the
    original's order, each in the reader's language where translated, with its address under
    the course as the reader sees it. No query for a course whose structure this process has
    seen at its current version; a fixed number for any number of others."""
    language = active_language()
    result, missing = {}, []
    for course in courses:
        url = course.get_url(request)
        key = (course.translation_key, course.pk, course.structure_version, language, url)
        cached = _STRUCTURES.get(key)
        if cached is None:
            missing.append((course, url, key))
        else:
            result[course.translation_key] = cached
    if missing:
        built = modules_by_course_uncached([(course, url) for course, url, _key in missing])
        if len(_STRUCTURES) > STRUCTURES_KEPT:
            _STRUCTURES.clear()
        for course, _url, key in missing:
            _STRUCTURES[key] = result[course.translation_key] = built[course.translation_key]
    return result


def modules_by_course_uncached(courses_with_urls: list[tuple]) -> dict:
    courses = [course for course, _url in courses_with_urls]
    originals = original_courses(courses)
    module_filter = Q()
    for original in originals.values():
        module_filter |= Q(path__startswith=original.path, depth=original.depth + 1)
    by_parent_path = defaultdict(list)
    for module in (
        ModulePage.objects.filter(module_filter).live().only(*MODULE_LIST_FIELDS).order_by("path")
    ):
        by_parent_path[module.path[: -ModulePage.steplen]].append(module)
    all_modules = [m for modules in by_parent_path.values() for m in modules]
    shown = {m.translation_key: m for m in localize_pages(all_modules, only=MODULE_LIST_FIELDS)}
    result = {}
    for course, course_url in courses_with_urls:
        original_course = originals[course.translation_key]
        entries = []
        for module in by_parent_path[original_course.path]:
            module_shown = shown.get(module.translation_key, module)
            in_course_tree = module_shown.path[: -ModulePage.steplen] == course.path
            slug = module_shown.slug if in_course_tree else module.slug
            entries.append(CourseModule(module, module_shown, f"{course_url}{slug}/"))
        result[course.translation_key] = tuple(entries)
    return result


def progress_for_courses(
    *, user, courses: list[CoursePage], now=None, request=None
) -> list[CourseProgress]:
    """Progress for many courses in a fixed number of queries."""
    now = now or timezone.now()
    if not courses:
        return []
    modules = modules_by_course(courses, request=request)
    records = learner_records(user=user, course_keys=[c.translation_key for c in courses])
    return [
        build_course_progress(
            course=course,
            modules=modules[course.translation_key],
            records=records,
            now=now,
            url=course.get_url(request),
        )
        for course in courses
    ]


def course_progress(*, user, course: CoursePage, now=None, request=None) -> CourseProgress:
    return progress_for_courses(user=user, courses=[course], now=now, request=request)[0]


def has_completed(*, user, course_key) -> bool:
    """Whether the user ever completed the course (a prerequisite asks only that)."""
    return CourseCompletion.objects.filter(user=user, course_key=course_key).exists()


def course_cards_for_user(*, user, request=None) -> list[CourseProgress]:
    """The courses a person can see, in their language where a translation exists."""
    courses = CoursePage.objects.live().visible_to(user).order_by("path")
    return progress_for_courses(user=user, courses=localize_pages(list(courses)), request=request)


BODY_SECONDS = 300


def module_body_html(module: ModulePage) -> list:
    """Each block of the module's body rendered to HTML (None for reflection prompts, which
    show the reader's own note). The same body in the same language renders the same, so it
    is rendered once and remembered in the process, keyed by a digest of the body itself:
    an edited body is a new key. (A replaced image or document file shows its new address
    within ``BODY_SECONDS``.)"""
    from django.core.cache import caches

    raw = json.dumps(list(module.body.raw_data), sort_keys=True, default=str)
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    key = f"courses:body:{module.pk}:{active_language()}:{digest}"
    rendered = caches["local"].get(key)
    if rendered is None:
        rendered = [
            None if block.block_type == "reflection" else block.render() for block in module.body
        ]
        caches["local"].set(key, rendered, BODY_SECONDS)
    return rendered


def module_context(*, user, module: ModulePage, request=None) -> dict:
    """What a module page (and its quiz pages) show: the course's progress, this module's
    status and attempts, its neighbours, and the reader's private notes."""
    from ..models import ReflectionNote

    # A module reached by its address comes with the course of that address (in the reader's
    # language, even when the module itself is not translated); one reached by its id (the
    # quiz pages) is shown in the course's version in the reader's language.
    course = getattr(module, "_routed_course", None) or localize_page(module.course_page())
    progress = course_progress(user=user, course=course, request=request)
    statuses = progress.modules
    index = next(
        (i for i, s in enumerate(statuses) if s.original.translation_key == module.translation_key),
        None,
    )
    status = statuses[index] if index is not None else None
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
        "course": progress.course,
        "progress": progress,
        "module_status": status,
        "quiz": status.original if status else module,
        "previous_status": statuses[index - 1] if index else None,
        "next_status": statuses[index + 1]
        if index is not None and index + 1 < len(statuses)
        else None,
        "attempts_used": status.attempts_used if status else 0,
        "attempts_left": status.attempts_left if status else None,
        # The body's blocks: each reflection prompt with the reader's saved note, every
        # other block already rendered.
        # (From the raw data: the reflection prompts need only their words and ids.)
        "body": [
            {"block": block, "html": html, "note": notes.get(str(block.get("id")), "")}
            for block, html in zip(module.body.raw_data, module_body_html(module), strict=True)
        ],
        "note_max_length": ReflectionNote.TEXT_MAX_LENGTH,
    }
