from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from website.converters import MAX_DATABASE_ID

from .models import Invitation, Role, SuspensionReason, Team, User


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
        max_length=Invitation._meta.get_field("email").max_length,
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
    discreet_mode = forms.BooleanField(
        label=_("Discreet mode"),
        required=False,
        help_text=Team._meta.get_field("discreet_mode").help_text,
    )


class TeamCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Team name"),
        max_length=Team._meta.get_field("name").max_length,
        help_text=_("Shown to the team's members. It need not name the organisation."),
    )
    coordinator_email = forms.EmailField(
        label=_("First coordinator's e-mail address"),
        max_length=Invitation._meta.get_field("email").max_length,
        help_text=_(
            "They get an invitation to join as coordinator and then invite everyone else. "
            "Invite a second coordinator soon, so the team never depends on one person."
        ),
    )


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class SuspendForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What happened?"),
        choices=SuspensionReason.choices,
        widget=forms.RadioSelect,
        help_text=_("Only the kind of reason is kept, never a story: nobody can read more here."),
    )


class DevicesSignOutForm(forms.Form):
    """Sign out one device (``device``) or every other device (``everywhere``)."""

    device = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_DATABASE_ID, widget=forms.HiddenInput
    )
    everywhere = forms.BooleanField(required=False, widget=forms.HiddenInput)
    calendar = forms.BooleanField(
        label=_("Also stop my calendar subscription"),
        required=False,
        help_text=_(
            "A lost phone's calendar app keeps reading your meetings. You can make a new "
            "address on the meetings page afterwards."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("device") and not cleaned.get("everywhere"):
            raise forms.ValidationError(_("Choose a device to sign out."))
        return cleaned
