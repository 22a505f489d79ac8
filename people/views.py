from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from website.forms import form_add_service_error
from website.middleware import private_response

from .adapters import SESSION_INVITATION_TOKEN
from .continuity import team_continuity
from .forms import InvitationForm, PreferencesForm, TeamCreateForm, TeamSettingsForm
from .models import Invitation, Role
from .permissions import (
    TeamAction,
    require_team_permission,
    team_get_for_action,
    team_permissions,
    team_role,
)
from .selectors import (
    invitation_get_by_token,
    team_invitations_pending,
    team_members,
    teams_with_role_counts,
)
from .services import (
    InvitationError,
    invitation_accept,
    invitation_check_usable,
    invitation_create,
    invitation_revoke,
    team_create,
    team_update_settings,
    user_update_preferences,
)
from .tasks import invitation_email_enqueue


@login_required
def team_list(request):
    return render(
        request, "people/team_list.html", {"teams": teams_with_role_counts(user=request.user)}
    )


@login_required
def team_detail(request, slug):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.VIEW_TEAM)
    role = team_role(user=request.user, team=team)
    members = list(team_members(team=team))
    can = team_permissions(user=request.user, team=team)
    context = {
        "team": team,
        "role": Role(role).label if role else "",
        "can": can,
        "members": members if can[TeamAction.VIEW_MEMBERS] else [],
        "continuity": team_continuity(team=team) if can[TeamAction.VIEW_MEMBERS] else None,
    }
    return render(request, "people/team_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_list(request, slug):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.VIEW_INVITATIONS)
    form = InvitationForm(request.POST or None)
    new_invitation_url = None
    if request.method == "POST":
        require_team_permission(user=request.user, team=team, action=TeamAction.INVITE_MEMBER)
        if form.is_valid():
            try:
                created = invitation_create(
                    team=team,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    invited_by=request.user,
                )
            except ValidationError as error:
                form_add_service_error(form, error, default_field="email")
            else:
                new_invitation_url = request.build_absolute_uri(
                    reverse("people:invitation_accept", kwargs={"token": created.token})
                )
                invitation_email_enqueue(
                    invitation=created.invitation,
                    accept_url=new_invitation_url,
                    language=request.LANGUAGE_CODE,
                )
                messages.success(
                    request,
                    _("Invitation sent to %(email)s.") % {"email": created.invitation.email},
                )
                form = InvitationForm()
    context = {
        "team": team,
        "form": form,
        "invitations": team_invitations_pending(team=team),
        "new_invitation_url": new_invitation_url,
    }
    return render(request, "people/invitation_list.html", context)


@login_required
@require_POST
def invitation_revoke_view(request, slug, pk):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.REVOKE_INVITATION)
    invitation = get_object_or_404(Invitation, pk=pk, team=team)
    try:
        invitation_revoke(invitation=invitation, revoked_by=request.user)
    except InvitationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("The invitation for %(email)s was revoked.") % {"email": invitation.email}
        )
    return redirect("people:invitation_list", slug=team.slug)


@private_response
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    """The link in the invitation e-mail. A newcomer is taken to signup with the invitation
    held in their session; someone already logged in with the invited address joins at once."""
    invitation = invitation_get_by_token(token=token)
    try:
        invitation_check_usable(invitation)
    except InvitationError as error:
        return render(
            request, "people/invitation_invalid.html", {"reason": error.message}, status=410
        )
    if request.method == "POST":
        if request.user.is_authenticated:
            try:
                invitation_accept(invitation=invitation, user=request.user)
            except InvitationError as error:
                return render(
                    request,
                    "people/invitation_invalid.html",
                    {"reason": error.message},
                    status=403,
                )
            messages.success(request, _("You joined %(team)s.") % {"team": invitation.team.name})
            return redirect("people:team_detail", slug=invitation.team.slug)
        request.session[SESSION_INVITATION_TOKEN] = token
        return redirect(reverse("account_signup") + "?" + urlencode({"email": invitation.email}))
    return render(request, "people/invitation_accept.html", {"invitation": invitation})


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_preferences(
            user=request.user,
            display_name=form.cleaned_data["display_name"],
            preferred_language=form.cleaned_data["preferred_language"],
            timezone_name=form.cleaned_data["timezone"],
        )
        messages.success(request, _("Your settings were saved."))
        response = redirect("people:preferences")
        request.atbalsts_adopt_user_language = True
        return response
    return render(request, "people/preferences.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def team_settings(request, slug):
    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.MANAGE_TEAM_SETTINGS)
    form = TeamSettingsForm(
        request.POST or None,
        initial={
            "require_mfa_for_volunteers": team.require_mfa_for_volunteers,
            "discreet_mode": team.discreet_mode,
        },
    )
    if request.method == "POST" and form.is_valid():
        team_update_settings(
            team=team,
            updated_by=request.user,
            require_mfa_for_volunteers=form.cleaned_data["require_mfa_for_volunteers"],
            discreet_mode=form.cleaned_data["discreet_mode"],
        )
        messages.success(request, _("Team settings saved."))
        return redirect("people:team_detail", slug=team.slug)
    return render(request, "people/team_settings.html", {"team": team, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def team_create_view(request):
    """Site admins start a team by inviting its first coordinator."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = TeamCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = team_create(
                name=form.cleaned_data["name"],
                first_coordinator_email=form.cleaned_data["coordinator_email"],
                created_by=request.user,
            )
        except ValidationError as error:
            form_add_service_error(form, error, default_field="coordinator_email")
        else:
            link = request.build_absolute_uri(
                reverse("people:invitation_accept", kwargs={"token": created.token})
            )
            invitation_email_enqueue(
                invitation=created.invitation, accept_url=link, language=request.LANGUAGE_CODE
            )
            return render(
                request,
                "people/team_created.html",
                {"team": created.invitation.team, "invitation": created.invitation, "link": link},
            )
    return render(
        request, "people/team_create.html", {"form": form}, status=400 if form.errors else 200
    )


# --- Members and continuity ----------------------------------------------------------------


def member_or_404(*, team, pk):
    from .models import Membership

    return get_object_or_404(Membership.objects.select_related("user", "team"), pk=pk, team=team)


@login_required
@require_http_methods(["GET", "POST"])
def member_detail(request, slug, pk):
    """A coordinator changes a member's role (the form asks to confirm by its own button)."""
    from .continuity import membership_role_change
    from .forms import MemberRoleForm

    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.MANAGE_MEMBERS)
    membership = member_or_404(team=team, pk=pk)
    form = MemberRoleForm(
        request.POST if request.method == "POST" else None, initial={"role": membership.role}
    )
    if request.method == "POST" and form.is_valid():
        try:
            membership_role_change(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as error:
            form_add_service_error(form, error, default_field="role")
        else:
            messages.success(
                request,
                _("%(name)s is now: %(role)s.")
                % {
                    "name": membership.user.display_name,
                    "role": Role(form.cleaned_data["role"]).label,
                },
            )
            return redirect("people:team_detail", slug=team.slug)
    from .emergency import suspension_open

    return render(
        request,
        "people/member.html",
        {
            "team": team,
            "membership": membership,
            "form": form,
            "suspension": suspension_open(user=membership.user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, slug, pk):
    from .continuity import membership_remove

    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.MANAGE_MEMBERS)
    membership = member_or_404(team=team, pk=pk)
    error = None
    if request.method == "POST":
        try:
            membership_remove(membership=membership, by=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _("%(name)s was removed from the team.") % {"name": membership.user.display_name},
            )
            return redirect("people:team_detail", slug=team.slug)
    return render(
        request,
        "people/member_remove.html",
        {"team": team, "membership": membership, "error": error},
        status=400 if error else 200,
    )


# --- Emergencies: suspension and reinstatement --------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_suspend(request, slug, pk):
    """Suspend a member at once (people.emergency): refused rules are shown before the
    button, so nobody under stress presses it for nothing."""
    from .emergency import member_suspend as suspend
    from .emergency import member_suspend_check
    from .forms import SuspendForm

    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.MANAGE_MEMBERS)
    membership = member_or_404(team=team, pk=pk)
    refusal = None
    try:
        member_suspend_check(membership=membership, by=request.user)
    except ValidationError as refused:
        refusal = " ".join(refused.messages)
    form = SuspendForm(request.POST if request.method == "POST" and not refusal else None)
    if form.is_bound and form.is_valid():
        try:
            suspend(membership=membership, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            form_add_service_error(form, error, default_field="reason")
        else:
            messages.success(
                request,
                _(
                    "%(name)s is suspended: every session they had is over. The other "
                    "coordinators are being told."
                )
                % {"name": membership.user.display_name},
            )
            return redirect("people:member", slug=team.slug, pk=membership.pk)
    return render(
        request,
        "people/member_suspend.html",
        {"team": team, "membership": membership, "form": form, "refusal": refusal},
        status=400 if (form.errors or (refusal and request.method == "POST")) else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_reinstate(request, slug, pk):
    from .emergency import suspension_open, suspension_reinstate, suspension_reinstate_check

    team = team_get_for_action(slug=slug, user=request.user, action=TeamAction.MANAGE_MEMBERS)
    membership = member_or_404(team=team, pk=pk)
    suspension = suspension_open(user=membership.user)
    if suspension is None:
        messages.info(
            request, _("%(name)s is not suspended.") % {"name": membership.user.display_name}
        )
        return redirect("people:member", slug=team.slug, pk=membership.pk)
    refusal = None
    try:
        suspension_reinstate_check(suspension=suspension, by=request.user)
    except ValidationError as refused:
        refusal = " ".join(refused.messages)
    if request.method == "POST" and not refusal:
        try:
            suspension_reinstate(suspension=suspension, by=request.user)
        except ValidationError as refused:
            refusal = " ".join(refused.messages)
        else:
            messages.success(
                request,
                _(
                    '%(name)s is reinstated. They choose a new password with "Forgot your '
                    'password?" on the sign-in page and set up a new second factor.'
                )
                % {"name": membership.user.display_name},
            )
            return redirect("people:member", slug=team.slug, pk=membership.pk)
    return render(
        request,
        "people/member_reinstate.html",
        {"team": team, "membership": membership, "suspension": suspension, "refusal": refusal},
        status=400 if (refusal and request.method == "POST") else 200,
    )


# --- A person's own signed-in devices -----------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def devices(request):
    """The person's own sessions, to sign out a lost or taken phone from another device."""
    from .devices import user_devices, user_devices_sign_out
    from .forms import DevicesSignOutForm

    current = request.session.session_key
    form = DevicesSignOutForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        device = form.cleaned_data.get("device")
        ended = user_devices_sign_out(
            user=request.user,
            current_session_key=current,
            device_ids=None if form.cleaned_data.get("everywhere") else [device],
            calendar=form.cleaned_data["calendar"],
        )
        if form.cleaned_data["calendar"]:
            messages.success(request, _("Your calendar subscription address no longer works."))
        messages.success(
            request,
            ngettext(
                "%(count)d device is signed out.",
                "%(count)d devices are signed out.",
                ended,
            )
            % {"count": ended},
        )
        return redirect("people:devices")
    return render(
        request,
        "people/devices.html",
        {"devices": user_devices(user=request.user, current_session_key=current), "form": form},
        status=400 if form.errors else 200,
    )
