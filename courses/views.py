from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from people.models import Team
from people.permissions import TeamAction, require_team_permission

from .forms import CourseAssignmentForm, QuizAnswersForm, ReflectionNoteForm
from .models import CourseAssignment, CourseCompletion, ModulePage, QuizAttempt
from .selectors import (
    attempt_review,
    courses_assignable_to,
    quiz_questions_for_attempt,
    team_training_compliance,
)
from .services import (
    QuizError,
    course_assignment_create,
    course_assignment_delete,
    module_mark_read,
    quiz_attempt_start,
    quiz_attempt_submit,
    reflection_note_save,
    require_course_access,
)


def live_module(page_id) -> ModulePage:
    return get_object_or_404(ModulePage.objects.live(), pk=page_id)


@login_required
@require_POST
def module_read(request, page_id):
    module = live_module(page_id)
    module_mark_read(user=request.user, module=module)
    if module.has_quiz:
        return redirect("courses:quiz_start_page", page_id=module.pk)
    following = module.get_next_siblings().live().type(ModulePage).first()
    return redirect(following.url if following else module.get_parent().url)


@login_required
@require_http_methods(["GET", "POST"])
def quiz_start(request, page_id):
    """GET shows what the quiz asks (pass mark, attempts left); POST opens an attempt."""
    module = live_module(page_id)
    require_course_access(user=request.user, course=module.course_page())
    if request.method == "GET":
        from .selectors import module_context

        context = {
            "page": module,
            "module": module,
            **module_context(user=request.user, module=module),
        }
        return render(request, "courses/quiz_start.html", context)
    try:
        attempt = quiz_attempt_start(user=request.user, module=module)
    except QuizError as error:
        messages.error(request, error.message)
        return redirect(module.url)
    return redirect("courses:attempt", attempt_id=attempt.pk)


@login_required
@require_http_methods(["GET", "POST"])
def attempt_view(request, attempt_id):
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("module"), pk=attempt_id, user=request.user
    )
    module = attempt.module
    if module is None:
        messages.error(request, _("This quiz no longer exists."))
        return redirect("/")
    require_course_access(user=request.user, course=module.course_page())
    if attempt.is_submitted:
        if request.method == "POST":
            # A resent form: the attempt was already graded once.
            return redirect("courses:attempt", attempt_id=attempt.pk)
        return render(
            request,
            "courses/attempt_result.html",
            attempt_review(attempt=attempt, module=module, user=request.user),
        )
    form = QuizAnswersForm(attempt, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            quiz_attempt_submit(attempt=attempt, user=request.user, answers=form.answers)
        except QuizError as error:
            messages.error(request, error.message)
        return redirect("courses:attempt", attempt_id=attempt.pk)
    selected = form.answers if request.method == "POST" else {}
    context = {
        "attempt": attempt,
        "module": module,
        "page": module,
        "questions": quiz_questions_for_attempt(attempt=attempt, module=module, selected=selected),
        "form_errors": form.errors,
    }
    return render(request, "courses/attempt_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def reflection_save(request, page_id, block_id):
    module = live_module(page_id)
    form = ReflectionNoteForm(request.POST)
    if form.is_valid():
        try:
            reflection_note_save(
                user=request.user, module=module, block_id=block_id, text=form.cleaned_data["text"]
            )
        except QuizError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your notes were saved. Only you can see them."))
    else:
        messages.error(request, _("Notes can be at most 5000 characters."))
    return redirect(module.url + f"#reflection-{block_id}")


@require_GET
def certificate(request, code):
    """Public: anyone with the link can check a certificate. Shows only the display name,
    the course and the date."""
    completion = get_object_or_404(
        CourseCompletion.objects.select_related("user", "course"), verification_code=code.upper()
    )
    return render(
        request,
        "courses/certificate.html",
        {"completion": completion, "is_owner": request.user == completion.user},
    )


@login_required
@require_GET
def my_certificates(request):
    completions = (
        CourseCompletion.objects.filter(user=request.user)
        .select_related("course")
        .order_by("-completed_at")
    )
    return render(request, "courses/my_certificates.html", {"completions": completions})


@login_required
@require_http_methods(["GET", "POST"])
def team_training(request, slug):
    team = get_object_or_404(Team, slug=slug)
    require_team_permission(
        user=request.user, team=team, action=TeamAction.VIEW_TRAINING_COMPLIANCE
    )
    form = CourseAssignmentForm(request.POST or None, courses=courses_assignable_to(team=team))
    if request.method == "POST":
        require_team_permission(user=request.user, team=team, action=TeamAction.ASSIGN_COURSES)
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
                for field, field_errors in error.message_dict.items():
                    for message in field_errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(
                    request, _("The course is now required for %(team)s.") % {"team": team.name}
                )
                return redirect("courses:team_training", slug=team.slug)
    assignments, rows = team_training_compliance(team=team)
    return render(
        request,
        "courses/team_training.html",
        {"team": team, "form": form, "assignments": assignments, "rows": rows},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def team_training_remove(request, slug, pk):
    team = get_object_or_404(Team, slug=slug)
    assignment = get_object_or_404(CourseAssignment, pk=pk, team=team)
    course_assignment_delete(assignment=assignment, deleted_by=request.user)
    messages.success(request, _("The course is no longer required."))
    return redirect("courses:team_training", slug=team.slug)
