"""Writes for courses: reading a module, taking a quiz, completing a course, private
reflection notes, and coordinators' required-course assignments."""

import random
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.continuity import audit_record
from people.models import AuditAction, Membership, Team
from people.permissions import TeamAction, require_team_permission

from .models import (
    AttemptGrant,
    CourseAssignment,
    CourseCompletion,
    CoursePage,
    ModulePage,
    ModuleProgress,
    QuizAttempt,
    ReflectionNote,
)
from .quiz import grade_quiz
from .selectors import course_progress, courses_assignable_to, module_original


class QuizError(ValidationError):
    """Raised with a message the volunteer can act on."""


def require_course_access(*, user, course: CoursePage) -> None:
    if not user.is_authenticated or not course.is_visible_to(user):
        raise PermissionDenied


def progress_row(*, user, module: ModulePage, course: CoursePage) -> ModuleProgress:
    row, _created = ModuleProgress.objects.get_or_create(
        user=user,
        module_key=module.translation_key,
        defaults={"course_key": course.translation_key},
    )
    return row


def module_status_for(*, user, module: ModulePage):
    """The module's status in its course for this user (locked, attempts left, …)."""
    course = module.course_page()
    return course_progress(user=user, course=course).status_for(module.translation_key)


def require_module_open(*, status) -> None:
    if status is not None and status.locked:
        raise QuizError(
            _("Finish the modules before this one first: this course keeps them in order."),
            code="locked",
        )


@transaction.atomic
def module_mark_read(*, user, module: ModulePage) -> ModuleProgress:
    course = module.course_page()
    require_course_access(user=user, course=course)
    require_module_open(status=module_status_for(user=user, module=module))
    row = progress_row(user=user, module=module, course=course)
    row.read_at = timezone.now()
    row.save(update_fields=["read_at"])
    course_completion_check(user=user, course=course)
    return row


@transaction.atomic
def quiz_attempt_start(
    *, user, module: ModulePage, rng: random.Random | None = None
) -> QuizAttempt:
    """The open attempt for this module, or a new one with its questions drawn and shuffled.
    The quiz is the original page's (in whatever language it is shown). Refused with a clear
    message once the allowed attempts (and any a coordinator added) are used up, or while an
    earlier module of a course kept in order is not complete."""
    quiz = module_original(module)
    course = quiz.course_page()
    require_course_access(user=user, course=course)
    if not quiz.has_quiz:
        raise QuizError(_("This module has no quiz."), code="no_quiz")
    open_attempt = QuizAttempt.objects.filter(
        user=user, module_key=quiz.translation_key, submitted_at__isnull=True
    ).first()
    if open_attempt is not None:
        return open_attempt
    status = module_status_for(user=user, module=quiz)
    require_module_open(status=status)
    if status is not None and status.attempts_left == 0:
        raise QuizError(
            _(
                "You have used all your attempts at this quiz. Your coordinator can give you "
                "more if you need another try."
            ),
            code="no_attempts_left",
        )
    rng = rng or random.SystemRandom()
    questions = quiz.questions()
    if quiz.questions_to_draw and quiz.questions_to_draw < len(questions):
        questions = rng.sample(questions, quiz.questions_to_draw)
        if not quiz.shuffle_questions:
            order = {q.id: i for i, q in enumerate(quiz.questions())}
            questions.sort(key=lambda q: order[q.id])
    elif quiz.shuffle_questions:
        questions = rng.sample(questions, len(questions))
    choice_order = {}
    for question in questions:
        ids = [choice.id for choice in question.choices]
        if quiz.shuffle_choices and question.kind != "true_false":
            rng.shuffle(ids)
        choice_order[question.id] = ids
    try:
        with transaction.atomic():
            return QuizAttempt.objects.create(
                user=user,
                module=quiz,
                module_key=quiz.translation_key,
                course_key=course.translation_key,
                question_order=[q.id for q in questions],
                choice_order=choice_order,
                pass_mark=quiz.pass_mark,
            )
    except IntegrityError:
        # Opened twice at the same moment: both get the same attempt.
        return QuizAttempt.objects.get(
            user=user, module_key=quiz.translation_key, submitted_at__isnull=True
        )


@transaction.atomic
def quiz_attempt_submit(
    *, attempt: QuizAttempt, user, answers: dict[str, list[str]]
) -> QuizAttempt:
    """Grade the attempt once. Submitting it again (a double click, a resent form) returns
    the first result unchanged."""
    attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.user_id != user.pk:
        raise PermissionDenied
    if attempt.is_submitted:
        return attempt
    if attempt.module is None:
        raise QuizError(_("This quiz no longer exists."), code="gone")
    module = module_original(attempt.module)  # graded by the original's key, in any language
    course = module.course_page()
    require_course_access(user=user, course=course)
    by_id = {question.id: question for question in module.questions()}
    questions = [by_id[qid] for qid in attempt.question_order if qid in by_id]
    result = grade_quiz(questions, answers, attempt.pass_mark)
    now = timezone.now()
    attempt.answers = {qid: list(values) for qid, values in answers.items() if qid in by_id}
    attempt.results = [
        {
            "question": r.question_id,
            "selected": list(r.selected),
            "points": str(r.points),
            "correct": r.correct,
        }
        for r in result.questions
    ]
    attempt.score = result.score
    attempt.passed = result.passed
    attempt.submitted_at = now
    attempt.save()
    row = progress_row(user=user, module=module, course=course)
    row.read_at = row.read_at if row.read_at and row.read_at > now else now
    if result.passed:
        row.passed_at = now
    row.save(update_fields=["read_at", "passed_at"])
    course_completion_check(user=user, course=course)
    return attempt


def validity_months_for(*, user, course: CoursePage) -> int | None:
    """The strictest renewal period among the user's teams' requirements, else the course's."""
    periods = [
        assignment.effective_validity_months()
        for assignment in CourseAssignment.objects.filter(
            course__translation_key=course.translation_key,
            team__memberships__user=user,
        ).select_related("course")
    ]
    periods = [p for p in periods if p]
    if periods:
        return min(periods)
    return course.validity_months


def course_completion_check(*, user, course: CoursePage) -> CourseCompletion | None:
    """Record a completion when every module of the current cycle is complete."""
    progress = course_progress(user=user, course=course)
    if not progress.modules or not all(m.complete for m in progress.modules):
        return None
    if progress.completion is not None and not progress.in_refresher:
        return None
    now = timezone.now()
    months = validity_months_for(user=user, course=course)
    return CourseCompletion.objects.create(
        user=user,
        course_key=course.translation_key,
        course=course,
        completed_at=now,
        expires_at=now + relativedelta(months=months) if months else None,
    )


def reflection_note_save(
    *, user, module: ModulePage, block_id: str, text: str
) -> ReflectionNote | None:
    course = module.course_page()
    require_course_access(user=user, course=course)
    prompts = {str(block.id) for block in module.body if block.block_type == "reflection"}
    if block_id not in prompts:
        raise QuizError(_("This reflection prompt no longer exists."), code="no_prompt")
    text = text.strip()
    limit = ReflectionNote.TEXT_MAX_LENGTH
    if len(text) > limit:
        raise QuizError(
            _("Notes can be at most %(limit)s characters.") % {"limit": limit}, code="too_long"
        )
    if not text:
        ReflectionNote.objects.filter(
            user=user, module_key=module.translation_key, block_id=block_id
        ).delete()
        return None
    note, _created = ReflectionNote.objects.update_or_create(
        user=user,
        module_key=module.translation_key,
        block_id=block_id,
        defaults={"text": text},
    )
    return note


@transaction.atomic
def course_assignment_create(
    *,
    team: Team,
    course: CoursePage,
    due_date: date,
    validity_months: int | None,
    assigned_by,
) -> CourseAssignment:
    require_team_permission(user=assigned_by, team=team, action=TeamAction.ASSIGN_COURSES)
    if course.pk not in set(courses_assignable_to(team=team).values_list("pk", flat=True)):
        raise ValidationError(
            {"course": _("This course is not visible to %(team)s.") % {"team": team.name}}
        )
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date cannot be in the past.")})
    if CourseAssignment.objects.filter(
        team=team, course__translation_key=course.translation_key
    ).exists():
        raise ValidationError({"course": _("This course is already required for the team.")})
    assignment = CourseAssignment(
        team=team,
        course=course,
        due_date=due_date,
        validity_months=validity_months,
        assigned_by=assigned_by,
    )
    assignment.full_clean()
    assignment.save()
    audit_record(
        team=team,
        actor=assigned_by,
        action=AuditAction.REQUIRED_COURSE_ADDED,
        details={"course": course.pk},
    )
    return assignment


@transaction.atomic
def course_assignment_delete(*, assignment: CourseAssignment, deleted_by) -> None:
    require_team_permission(user=deleted_by, team=assignment.team, action=TeamAction.ASSIGN_COURSES)
    audit_record(
        team=assignment.team,
        actor=deleted_by,
        action=AuditAction.REQUIRED_COURSE_REMOVED,
        details={"course": assignment.course_id},
    )
    assignment.delete()


@transaction.atomic
def attempt_grant_create(
    *, module: ModulePage, volunteer, extra: int, reason: str, granted_by
) -> AttemptGrant:
    """A coordinator of one of the volunteer's teams gives them more attempts at a quiz, with
    a reason. The volunteer is told by e-mail (and sees it on the module page)."""
    from people.permissions import user_coordinates

    if not user_coordinates(coordinator=granted_by, member=volunteer):
        raise PermissionDenied
    quiz = module_original(module)
    course = quiz.course_page()
    if not course.is_visible_to(volunteer):
        raise PermissionDenied
    if not quiz.has_quiz or quiz.attempts_allowed is None:
        raise ValidationError(
            {"extra": _("This quiz has no limit on attempts: nothing to add.")}, code="unlimited"
        )
    grant = AttemptGrant(
        user=volunteer,
        module_key=quiz.translation_key,
        course_key=course.translation_key,
        extra=extra,
        reason=(reason or "").strip(),
        granted_by=granted_by,
    )
    grant.full_clean()
    grant.save()
    # On the audit trail of each team the coordinator coordinates and the volunteer is in;
    # the reason is free text and stays on the grant.
    coordinated = Membership.objects.coordinators().filter(user=granted_by).values("team_id")
    for team in Team.objects.filter(memberships__user=volunteer, pk__in=coordinated):
        audit_record(
            team=team,
            actor=granted_by,
            action=AuditAction.EXTRA_ATTEMPTS_GIVEN,
            subject=volunteer,
            details={"course": course.pk, "module": quiz.pk, "attempts": grant.extra},
        )
    from .tasks import attempt_grant_notify

    transaction.on_commit(lambda: attempt_grant_notify.enqueue(grant_id=grant.pk))
    return grant


def attempt_grant_notifications_enqueue(*, now) -> int:
    """Queue the e-mail of every recent grant whose e-mail nobody has claimed yet."""
    from website.services import dispatched_targets

    from .tasks import GRANT_EMAIL, attempt_grant_notify

    recent = list(
        AttemptGrant.objects.filter(
            granted_at__gte=now - timedelta(days=2), granted_at__lte=now - timedelta(minutes=2)
        ).values_list("pk", flat=True)
    )
    done = dispatched_targets(kind=GRANT_EMAIL, targets=recent)
    waiting = [pk for pk in recent if str(pk) not in done]
    for pk in waiting:
        attempt_grant_notify.enqueue(grant_id=pk)
    return len(waiting)
