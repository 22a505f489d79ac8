"""Course views: thin. Each checks access, calls one service or selector, and renders. The
course, module and index pages themselves are Wagtail pages (``models.py``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.models import Membership
from people.permissions import TeamAction, team_get_for_action
from website.converters import IdConverter
from website.exports import csv_response
from website.forms import form_add_service_error
from website.languages import localize_page

from .forms import AttemptGrantForm, CourseAssignmentForm, QuizAnswersForm, ReflectionNoteForm
from .models import CourseAssignment, CourseCompletion, ModulePage, QuizAttempt
from .selectors import (
    attempt_history,
    attempt_review,
    completion_state,
    course_titles_in_language,
    courses_assignable_to,
    first_activity,
    module_context,
    quiz_questions_for_attempt,
    team_training_compliance,
    volunteer_course_progress,
)
from .services import (
    QuizError,
    attempt_grant_create,
    course_assignment_create,
    course_assignment_delete,
    module_mark_read,
    quiz_attempt_start,
    quiz_attempt_submit,
    reflection_note_save,
    require_course_access,
)


def module_id_from(value) -> int | None:
    """A module id posted in a form, or None when it could not name one."""
    try:
        return IdConverter().to_python(str(value or ""))
    except ValueError:
        return None


def live_module(page_id) -> ModulePage:
    return get_object_or_404(ModulePage.objects.live(), pk=page_id)


@login_required
@require_POST
def module_read(request, page_id):
    module = live_module(page_id)
    try:
        module_mark_read(user=request.user, module=module)
    except QuizError as error:
        messages.error(request, error.message)
        return redirect(module.get_url(request))
    context = module_context(user=request.user, module=module, request=request)
    status = context["module_status"]
    if status is not None and status.has_quiz:
        return redirect("courses:quiz_start_page", page_id=module.pk)
    following = context["next_status"]
    return redirect(following.url if following else context["progress"].url)


@login_required
@require_http_methods(["GET", "POST"])
def quiz_start(request, page_id):
    """GET says what the quiz asks (how many questions, pass mark, attempts used and left);
    POST opens an attempt."""
    module = live_module(page_id)
    require_course_access(user=request.user, course=module.course_page())
    if request.method == "GET":
        context = module_context(user=request.user, module=module, request=request)
        status = context["module_status"]
        shown = status.module if status else module
        quiz = context["quiz"]
        context.update(
            {
                "page": shown,
                "module": shown,
                "question_count": min(
                    quiz.questions_to_draw or quiz.question_count, quiz.question_count
                ),
            }
        )
        return render(request, "courses/quiz_start.html", context)
    try:
        attempt = quiz_attempt_start(user=request.user, module=module)
    except QuizError as error:
        messages.error(request, error.message)
        return redirect("courses:quiz_start_page", page_id=module.pk)
    return redirect("courses:attempt", attempt_id=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_view(request, attempt_id):
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("module"), pk=attempt_id, user=request.user
    )
    if attempt.module is None:
        messages.error(request, _("This quiz no longer exists."))
        return redirect("courses:my_results")
    require_course_access(user=request.user, course=attempt.module.course_page())
    if attempt.is_submitted:
        if request.method == "POST":
            # A resent form: the attempt was already graded once.
            return redirect("courses:attempt", attempt_id=attempt.pk)
        return render(
            request,
            "courses/attempt_result.html",
            attempt_review(attempt=attempt, user=request.user, request=request),
        )
    form = QuizAnswersForm(attempt, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            quiz_attempt_submit(attempt=attempt, user=request.user, answers=form.answers)
        except QuizError as error:
            messages.error(request, error.message)
        return redirect("courses:attempt", attempt_id=attempt.pk)
    context = module_context(user=request.user, module=attempt.module, request=request)
    status = context["module_status"]
    selected = form.answers if request.method == "POST" else {}
    context.update(
        {
            "attempt": attempt,
            "module": status.module if status else attempt.module,
            "page": status.module if status else attempt.module,
            "questions": quiz_questions_for_attempt(attempt=attempt, selected=selected),
            "form_errors": form.errors,
        }
    )
    return render(request, "courses/attempt_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def reflection_save(request, page_id, block_id):
    """Save a private note. A note that cannot be saved is shown again on a page of its own,
    with the reason, so the words are not lost."""
    module = live_module(page_id)
    require_course_access(user=request.user, course=module.course_page())
    form = ReflectionNoteForm(request.POST)
    if form.is_valid():
        try:
            reflection_note_save(
                user=request.user, module=module, block_id=block_id, text=form.cleaned_data["text"]
            )
        except QuizError as error:
            form.add_error("text", error)
        else:
            url = request.POST.get("back") or module.get_url(request)
            if not url.startswith("/") or url.startswith("//"):
                url = module.get_url(request)
            return redirect(f"{url}?saved={block_id}#reflection-{block_id}")
    context = {"page": module, "module": module, "form": form, "block_id": block_id}
    return render(request, "courses/reflection_note.html", context, status=400)


@require_GET
def certificate(request, code):
    """Public: anyone with the link can check a certificate. Shows only the display name,
    the course, the date, and whether it is still valid."""
    completion = get_object_or_404(
        CourseCompletion.objects.select_related("user", "course"), verification_code=code.upper()
    )
    return render(
        request,
        "courses/certificate.html",
        {
            "completion": completion,
            "course": localize_page(completion.course),
            "state": completion_state(completion, timezone.now()),
            "is_owner": request.user == completion.user,
        },
    )


@login_required
@require_GET
def my_certificates(request):
    completions = list(
        CourseCompletion.objects.filter(user=request.user)
        .select_related("course")
        .order_by("-completed_at")
    )
    titles = course_titles_in_language([c.course for c in completions if c.course])
    now = timezone.now()
    rows = [
        {
            "completion": c,
            "title": titles.get(c.course_id, ""),
            "state": completion_state(c, now),
        }
        for c in completions
    ]
    return render(request, "courses/my_certificates.html", {"rows": rows})


@login_required
@require_GET
def my_results(request):
    return render(
        request, "courses/my_results.html", {"courses": attempt_history(user=request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_training(request, slug):
    team = team_get_for_action(
        slug=slug, user=request.user, action=TeamAction.VIEW_TRAINING_COMPLIANCE
    )
    assignable = courses_assignable_to(team=team)
    titles = course_titles_in_language(assignable)
    form = CourseAssignmentForm(request.POST or None, courses=assignable, titles=titles)
    if request.method == "POST":
        team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.ASSIGN_COURSES)
        if form.is_valid():
            try:
                course_assignment_create(
                    team=team,
                    course=form.cleaned_data["course"],
                    due_date=form.cleaned_data["due_date"],
                    validity_months=form.cleaned_data["validity_months"],
                    assigned_by=request.user,
                )
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(
                    request, _("The course is now required for %(team)s.") % {"team": team.name}
                )
                return redirect("courses:team_training", slug=team.slug)
    compliance = team_training_compliance(team=team, request=request)
    return render(
        request,
        "courses/team_training.html",
        {
            "team": team,
            "form": form,
            "compliance": compliance,
            "can_require": bool(titles),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def team_training_export(request, slug):
    """The compliance table as CSV, one row per volunteer, safe to open in a spreadsheet."""
    team = team_get_for_action(
        slug=slug, user=request.user, action=TeamAction.VIEW_TRAINING_COMPLIANCE
    )
    compliance = team_training_compliance(team=team, request=request)
    header = [_("Volunteer")]
    for course in compliance.courses:
        header += [
            f"{course.title}: {_('state')}",
            f"{course.title}: {_('completed')}",
            f"{course.title}: {_('valid until')}",
        ]
    rows = []
    for row in compliance.rows:
        line = [row.member.user.display_name + (f" ({row.name_hint})" if row.name_hint else "")]
        for cell in row.cells:
            state = str(cell.label) + (f" ({_('overdue')})" if cell.overdue else "")
            completion = cell.progress.completion
            line += [
                state,
                completion.completed_at.date().isoformat() if completion else "",
                completion.expires_at.date().isoformat()
                if completion and completion.expires_at
                else "",
            ]
        rows.append(line)
    filename = f"training-{team.slug}-{timezone.localdate().isoformat()}.csv"
    return csv_response(filename=filename, header=header, rows=rows)


@login_required
@require_http_methods(["GET", "POST"])
def team_training_remove(request, slug, pk):
    """GET asks to confirm; POST stops requiring the course."""
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.ASSIGN_COURSES)
    assignment = get_object_or_404(
        CourseAssignment.objects.select_related("course"), pk=pk, team=team
    )
    if request.method == "POST":
        course_assignment_delete(assignment=assignment, deleted_by=request.user)
        messages.success(request, _("The course is no longer required."))
        return redirect("courses:team_training", slug=team.slug)
    return render(
        request,
        "courses/team_training_remove.html",
        {"team": team, "assignment": assignment, "course": localize_page(assignment.course)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_volunteer_course(request, slug, user_id, pk):
    """A coordinator's view of one volunteer in one required course: dates, attempts, best
    scores, and extra attempts for a quiz they are locked out of."""
    team = team_get_for_action(
        slug=slug, user=request.user, action=TeamAction.VIEW_TRAINING_COMPLIANCE
    )
    assignment = get_object_or_404(
        CourseAssignment.objects.select_related("course"), pk=pk, team=team
    )
    membership = get_object_or_404(
        Membership.objects.select_related("user"), team=team, user_id=user_id
    )
    volunteer = membership.user
    course = localize_page(assignment.course)
    form = AttemptGrantForm(request.POST or None)
    grant_module_pk = None
    if request.method == "POST":
        team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.ASSIGN_COURSES)
        grant_module_pk = module_id_from(request.POST.get("module"))
        module = ModulePage.objects.filter(pk=grant_module_pk).first() if grant_module_pk else None
        if module is None or module.course_page().translation_key != course.translation_key:
            raise Http404
        if form.is_valid():
            try:
                attempt_grant_create(
                    module=module,
                    volunteer=volunteer,
                    extra=form.cleaned_data["extra"],
                    reason=form.cleaned_data["reason"],
                    granted_by=request.user,
                )
            except ValidationError as error:
                form_add_service_error(form, error, default_field="extra")
            else:
                messages.success(
                    request,
                    _("%(name)s can try again. They will be told by e-mail.")
                    % {"name": volunteer.display_name},
                )
                return redirect(request.path)
    progress = volunteer_course_progress(volunteer=volunteer, course=course, request=request)
    context = {
        "team": team,
        "assignment": assignment,
        "volunteer": volunteer,
        "progress": progress,
        "started": first_activity(user=volunteer, course_key=course.translation_key),
        "form": form,
        "grant_module_pk": grant_module_pk,
    }
    return render(
        request, "courses/team_volunteer_course.html", context, status=400 if form.errors else 200
    )
