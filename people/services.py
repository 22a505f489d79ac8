"""Writes about people, teams and invitations. Each service checks its own rules and
permissions so that a view cannot forget them."""

import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Invitation, Membership, Role, Team, User, invitation_token_hash
from .permissions import TeamAction, require_team_permission


class InvitationError(ValidationError):
    """Raised with a message the person can act on."""


@dataclass(frozen=True)
class CreatedInvitation:
    invitation: Invitation
    token: str  # shown once to the coordinator and e-mailed; never stored


def normalise_email(email: str) -> str:
    return User.objects.normalize_email(email.strip()).lower()


@transaction.atomic
def invitation_create(*, team: Team, email: str, role: str, invited_by: User) -> CreatedInvitation:
    require_team_permission(user=invited_by, team=team, action=TeamAction.INVITE_MEMBER)
    email = normalise_email(email)
    if role not in Role.values:
        raise InvitationError(_("Choose a role for the invited person."), code="role")
    if Membership.objects.filter(team=team, user__email__iexact=email).exists():
        raise InvitationError(
            _("%(email)s is already a member of %(team)s.") % {"email": email, "team": team.name},
            code="already_member",
        )
    if team.invitations.pending().filter(email__iexact=email).exists():
        raise InvitationError(
            _(
                "%(email)s already has a pending invitation to %(team)s. Revoke it first to "
                "send a new one."
            )
            % {"email": email, "team": team.name},
            code="already_invited",
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        team=team,
        email=email,
        role=role,
        token_hash=invitation_token_hash(token),
        invited_by=invited_by,
    )
    invitation.full_clean()
    invitation.save()
    return CreatedInvitation(invitation=invitation, token=token)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by: User) -> Invitation:
    require_team_permission(
        user=revoked_by, team=invitation.team, action=TeamAction.REVOKE_INVITATION
    )
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationError(_("This invitation has already been used."), code="used")
    if not invitation.revoked_at:
        invitation.revoked_at = timezone.now()
        invitation.revoked_by = revoked_by
        invitation.save(update_fields=["revoked_at", "revoked_by"])
    return invitation


INVITATION_UNUSABLE_MESSAGES = {
    "missing": _("This invitation link is not valid. Check that you copied the whole link."),
    "used": _("This invitation has already been used. If that was you, log in instead."),
    "revoked": _(
        "This invitation was withdrawn by the team's coordinator. Ask them for a new one."
    ),
    "expired": _("This invitation has expired. Ask the team's coordinator for a new one."),
}


def invitation_check_usable(invitation: Invitation | None) -> Invitation:
    """Return the invitation if it can still be accepted, else raise with a clear reason."""
    if invitation is None:
        raise InvitationError(INVITATION_UNUSABLE_MESSAGES["missing"], code="missing")
    if invitation.accepted_at:
        raise InvitationError(INVITATION_UNUSABLE_MESSAGES["used"], code="used")
    if invitation.revoked_at:
        raise InvitationError(INVITATION_UNUSABLE_MESSAGES["revoked"], code="revoked")
    if invitation.expires_at <= timezone.now():
        raise InvitationError(INVITATION_UNUSABLE_MESSAGES["expired"], code="expired")
    return invitation


def invitation_check_email(*, invitation: Invitation, email: str) -> None:
    if normalise_email(email) != invitation.email.lower():
        raise InvitationError(
            _(
                "This invitation was sent to a different e-mail address. Sign up with the "
                "address the invitation was sent to."
            ),
            code="wrong_email",
        )


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Use the invitation once: the user joins the team with the invited role."""
    invitation_check_usable(invitation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check_usable(invitation)
    invitation_check_email(invitation=invitation, email=user.email)
    membership, created = Membership.objects.get_or_create(
        user=user, team=invitation.team, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def user_update_preferences(
    *, user: User, display_name: str, preferred_language: str, timezone_name: str
) -> User:
    user.display_name = display_name
    user.preferred_language = preferred_language
    user.timezone = timezone_name
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "preferred_language", "timezone"])
    return user


def user_set_language(*, user: User, language: str) -> None:
    if user.is_authenticated and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])


def team_update_settings(*, team: Team, updated_by: User, require_mfa_for_volunteers: bool) -> Team:
    require_team_permission(user=updated_by, team=team, action=TeamAction.MANAGE_TEAM_SETTINGS)
    team.require_mfa_for_volunteers = require_mfa_for_volunteers
    team.save(update_fields=["require_mfa_for_volunteers"])
    return team
