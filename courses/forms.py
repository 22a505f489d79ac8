from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from website.forms import ModelIdChoiceField

from .models import AttemptGrant, CoursePage, ReflectionNote


class QuizAnswersForm:
    """Reads a submitted quiz: one field per question, named ``q-<question id>``, holding
    choice ids. Every question the attempt shows must be answered."""

    def __init__(self, attempt, data=None):
        self.attempt = attempt
        self.data = data
        self.errors: list[str] = []
        self.answers: dict[str, list[str]] = {}

    def is_valid(self) -> bool:
        missing = 0
        for question_id in self.attempt.question_order:
            allowed = set(self.attempt.choice_order.get(question_id, []))
            chosen = [value for value in self.data.getlist(f"q-{question_id}") if value in allowed]
            if not chosen:
                missing += 1
            self.answers[question_id] = chosen
        if missing:
            self.errors.append(
                str(_("Answer every question before you submit. %(count)s still need an answer."))
                % {"count": missing}
            )
        return not self.errors


class ReflectionNoteForm(forms.Form):
    text = forms.CharField(
        label=_("Your private notes"),
        required=False,
        max_length=ReflectionNote.TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only you can see these notes."),
    )


class CourseAssignmentForm(forms.Form):
    course = ModelIdChoiceField(label=_("Course"), queryset=CoursePage.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    validity_months = forms.IntegerField(
        label=_("Renew every (months)"),
        required=False,
        min_value=1,
        max_value=120,
        help_text=_("Empty: use the course's own renewal period."),
    )

    def __init__(self, *args, courses=None, titles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courses is not None:
            self.fields["course"].queryset = courses
        if titles:
            # Each course under its title in the reader's language.
            self.fields["course"].label_from_instance = lambda course: titles.get(
                course.pk, course.title
            )
        self.fields["due_date"].initial = timezone.localdate() + timezone.timedelta(days=30)


class AttemptGrantForm(forms.Form):
    extra = forms.IntegerField(
        label=_("Extra attempts"), min_value=1, max_value=AttemptGrant.MAX_EXTRA, initial=1
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=AttemptGrant.REASON_MAX_LENGTH,
        help_text=_("Kept with the record. The volunteer is told they can try again."),
    )
