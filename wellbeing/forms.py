from django import forms
from django.utils.translation import gettext_lazy as _

from website.forms import ModelIdChoiceField

from .models import CheckIn, Reminder
from .selectors import Questionnaire

WORDING_MAX_BYTES = 512 * 1024


class CheckInForm(forms.Form):
    """One radio group per question, every one required; an optional private note."""

    note = forms.CharField(
        label=_("Anything you want to remember about this week (optional)"),
        required=False,
        max_length=CheckIn.NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only you can read it. It is stored encrypted."),
    )

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        self.questionnaire = questionnaire
        note = self.fields.pop("note")
        for question in questionnaire.questions:
            self.fields[f"item_{question.item}"] = forms.TypedChoiceField(
                label=question.text,
                choices=[(str(value), label) for value, label in question.scale.options],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Please choose an answer.")},
            )
        self.fields["note"] = note

    def question_fields(self):
        return [self[f"item_{q.item}"] for q in self.questionnaire.questions]

    def answers(self) -> dict[int, int]:
        return {q.item: self.cleaned_data[f"item_{q.item}"] for q in self.questionnaire.questions}


class SharingForm(forms.Form):
    flag_to_supervisors = forms.BooleanField(
        label=_(
            "My supervisors may see that I am in a concerning range (the date, never my "
            "answers or scores)"
        ),
        required=False,
    )
    scores_to_coordinators = forms.BooleanField(
        label=_("My coordinators may see my scores"), required=False
    )
    left_out_of_totals = forms.BooleanField(
        label=_("Leave me out of the team's anonymous totals"),
        required=False,
        help_text=_("Totals are shown only when at least 5 people answered."),
    )


class ReminderForm(forms.Form):
    every = forms.TypedChoiceField(
        label=_("Remind me"),
        choices=[("", _("Never"))] + [(str(v), label) for v, label in Reminder.Every.choices],
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class TalkForm(forms.Form):
    team = ModelIdChoiceField(label=_("Team"), queryset=None)

    def __init__(self, *args, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if len(teams) == 1:
            self.fields["team"].initial = teams[0].pk
            self.fields["team"].widget = forms.HiddenInput()


class WordingUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Wording file (CSV)"),
        help_text=_(
            "UTF-8 CSV with the columns instrument, language, item, text and optionally "
            "reverse and scale. See the README."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > WORDING_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large (at most 512 KB)."))
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from error
