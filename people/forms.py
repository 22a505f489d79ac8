from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Role, User


class InvitedSignupForm(forms.Form):
    """Extra fields on allauth's signup form. The e-mail address is filled in from the
    invitation; only a display name is asked for, never a real name."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("What others in your team see. A pseudonym is fine."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"), choices=settings.LANGUAGES, required=False
    )

    field_order = ["email", "display_name", "preferred_language", "password1", "password2"]

    def signup(self, request, user):
        """allauth calls this after the user is saved; save_user already did the work."""


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The link can only be used to sign up with this address."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VOLUNTEER)


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language", "timezone"]


class TeamSettingsForm(forms.Form):
    require_mfa_for_volunteers = forms.BooleanField(
        label=_("Require two-factor authentication for volunteers"), required=False
    )
