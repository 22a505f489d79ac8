"""Required training: what a volunteer's teams require of them, and, for coordinators, each
volunteer's state in each required course."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from people.models import Membership, Role
from website.languages import localize_pages

from ..models import (
    AttemptGrant,
    CourseAssignment,
    CourseCompletion,
    CoursePage,
    ModuleProgress,
    QuizAttempt,
    Visibility,
)
from .progress import (
    CourseProgress,
    CourseState,
    build_course_progress,
    learner_records_lean,
    modules_by_course,
    progress_for_courses,
)


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
    progress: CourseProgress
    overdue: bool

    @property
    def course(self) -> CoursePage:
        return self.progress.course

    @property
    def state(self) -> str:
        return self.progress.state

    @property
    def completion(self) -> CourseCompletion | None:
        return self.progress.completion

    @property
    def state_label(self):
        return self.progress.state_label


# What lists of required courses read of each course (not its summary, outcomes, …).
LISTED_COURSE_FIELDS = tuple(
    f"course__{name}"
    for name in (
        "id",
        "title",
        "slug",
        "path",
        "depth",
        "url_path",
        "locale_id",
        "translation_key",
        "live",
        "alias_of_id",
        "content_type_id",
        "structure_version",
        "refresher_mode",
        "modules_in_order",
        "validity_months",
    )
)


def required_courses_for_user(
    *, user, now=None, request=None, memberships=None
) -> list[RequiredCourse]:
    """Courses the user's teams require of volunteers, with each one's status, in the
    reader's language. Overdue first, then unfinished by due date, complete last. Pass the
    user's ``memberships`` when they are at hand, to save a query."""
    now = now or timezone.now()
    if not user.is_authenticated:
        return []
    if memberships is None:
        team_ids = list(
            Membership.objects.volunteers().filter(user=user).values_list("team_id", flat=True)
        )
    else:
        team_ids = [m.team_id for m in memberships if m.role == Role.VOLUNTEER]
    if not team_ids:
        return []
    by_course: dict = {}
    for assignment in (
        CourseAssignment.objects.filter(team_id__in=team_ids)
        .select_related("course")
        .only("team_id", "due_date", "validity_months", *LISTED_COURSE_FIELDS)
        .order_by("due_date")
    ):
        by_course.setdefault(assignment.course.translation_key, assignment)
    courses = localize_pages([a.course for a in by_course.values()])
    progress = {
        p.course.translation_key: p
        for p in progress_for_courses(user=user, courses=courses, now=now, request=request)
    }
    today = timezone.localdate(now)
    required = [
        RequiredCourse(
            assignment=assignment,
            progress=progress[key],
            overdue=requirement_overdue(
                state=progress[key].state, assignment=assignment, today=today
            ),
        )
        for key, assignment in by_course.items()
    ]
    required.sort(
        key=lambda r: (not r.overdue, r.state == CourseState.COMPLETE, r.assignment.due_date)
    )
    return required


# --- For coordinators --------------------------------------------------------------------


def names_told_apart(users) -> dict[int, str]:
    """For people who share a display name, the shortest end of their e-mail addresses that
    tells them apart (at least the "@domain"), for coordinators' eyes only."""
    by_name = defaultdict(list)
    for user in users:
        by_name[user.display_name.strip().casefold()].append(user)
    hints = {}
    for same in by_name.values():
        if len(same) < 2:
            continue
        emails = [u.email for u in same]
        length = min(len(e) - e.rfind("@") for e in emails)
        while length < max(len(e) for e in emails) and len({e[-length:] for e in emails}) < len(
            emails
        ):
            length += 1
        for user in same:
            hints[user.pk] = "…" + user.email[-length:]
    return hints


@dataclass
class ComplianceCell:
    assignment: CourseAssignment
    progress: CourseProgress
    overdue: bool

    @property
    def state(self) -> str:
        return self.progress.state

    @property
    def label(self):
        return self.progress.state_label

    @property
    def locked_out(self) -> bool:
        return bool(self.progress.locked_out_modules) and self.state != CourseState.COMPLETE


@dataclass
class ComplianceRow:
    member: Membership
    name_hint: str  # set when another volunteer has the same display name
    cells: list[ComplianceCell]


@dataclass
class RequiredColumn:
    assignment: CourseAssignment
    course: CoursePage  # in the reader's language


@dataclass
class TeamCompliance:
    columns: list[RequiredColumn]  # in due-date order
    rows: list[ComplianceRow]

    @property
    def assignments(self) -> list[CourseAssignment]:
        return [column.assignment for column in self.columns]

    @property
    def courses(self) -> list[CoursePage]:
        return [column.course for column in self.columns]


def team_training_compliance(*, team, now=None, request=None, user_ids=None) -> TeamCompliance:
    """Each volunteer of the team against each required course, from the same rules as the
    volunteer's own pages, in a fixed number of queries whatever the team's size. With
    ``user_ids``, only those volunteers (a page of a long list)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    assignments = list(team.course_assignments.select_related("course").order_by("due_date"))
    courses = localize_pages([a.course for a in assignments])
    by_key = {c.translation_key: c for c in courses}
    volunteers = team.memberships.volunteers().select_related("user")
    if user_ids is not None:
        volunteers = volunteers.filter(user_id__in=list(user_ids))
    volunteers = list(volunteers.order_by("user__display_name"))
    modules = modules_by_course(courses, request=request) if courses else {}
    course_urls = {c.translation_key: c.get_url(request) for c in courses}
    limited = {
        entry.original.translation_key
        for entries in modules.values()
        for entry in entries
        if entry.has_quiz and entry.original.attempts_allowed is not None
    }
    records = learner_records_lean(
        user_ids=[m.user_id for m in volunteers],
        course_keys=list(by_key),
        limited_modules=limited,
    )
    hints = names_told_apart([m.user for m in volunteers])
    rows = []
    for member in volunteers:
        cells = []
        for assignment in assignments:
            key = assignment.course.translation_key
            course = by_key[key]
            progress = build_course_progress(
                course=course,
                modules=modules[key],
                records=records[member.user_id],
                now=now,
                url=course_urls[key],
            )
            overdue = requirement_overdue(state=progress.state, assignment=assignment, today=today)
            cells.append(ComplianceCell(assignment, progress, overdue))
        rows.append(ComplianceRow(member, hints.get(member.user_id, ""), cells))
    columns = [RequiredColumn(a, by_key[a.course.translation_key]) for a in assignments]
    return TeamCompliance(columns=columns, rows=rows)


def team_training_version(*, team) -> tuple:
    """Changes whenever anything the team's training table shows could change: the required
    courses and their modules, and any learner's progress, attempts, completions or extra
    attempts in those courses (other teams' learners too: cheaper than narrowing, and only
    ever too careful). Four small aggregate queries plus the assignments, whatever the size."""
    assignments = list(
        team.course_assignments.order_by("pk").values_list(
            "pk", "course_id", "due_date", "validity_months", "course__structure_version"
        )
    )
    if not assignments:
        return ()
    keys = team.course_assignments.values("course__translation_key")
    parts = [tuple(assignments)]
    for model, newest in (
        (ModuleProgress, ("read_at", "passed_at")),
        (QuizAttempt, ("submitted_at",)),
        (CourseCompletion, ("pk",)),
        (AttemptGrant, ("pk",)),
    ):
        aggregates = {"n": Count("pk")} | {f"m{i}": Max(f) for i, f in enumerate(newest)}
        row = model.objects.filter(course_key__in=keys).aggregate(**aggregates)
        parts.append(tuple(str(row[k]) for k in sorted(row)))
    return tuple(parts)


def courses_assignable_to(*, team):
    """Original-language courses the team can see and does not already require."""
    from wagtail.models import Locale

    required = CourseAssignment.objects.filter(team=team).values("course__translation_key")
    return (
        CoursePage.objects.live()
        .filter(locale=Locale.get_default())
        .filter(Q(visibility=Visibility.EVERYONE) | Q(teams=team))
        .exclude(translation_key__in=required)
        .distinct()
        .order_by("title")
    )


def course_titles_in_language(courses) -> dict:
    """pk of each course -> its title in the reader's language (for form pickers)."""
    localized = {c.translation_key: c for c in localize_pages(list(courses))}
    return {c.pk: localized.get(c.translation_key, c).title for c in courses}


def volunteer_course_progress(*, volunteer, course: CoursePage, now=None, request=None):
    """One volunteer's progress in one course, for a coordinator's detail page: the same
    rules and numbers the volunteer sees."""
    return progress_for_courses(user=volunteer, courses=[course], now=now, request=request)[0]


def first_activity(*, user, course_key) -> datetime | None:
    """When the volunteer first opened the course's work (read a module or took a quiz)."""
    read = (
        ModuleProgress.objects.filter(user=user, course_key=course_key, read_at__isnull=False)
        .order_by("read_at")
        .values_list("read_at", flat=True)
        .first()
    )
    attempted = (
        QuizAttempt.objects.filter(user=user, course_key=course_key)
        .order_by("started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    moments = [m for m in (read, attempted) if m]
    return min(moments) if moments else None
