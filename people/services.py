"""Writes about people, teams and invitations. Each service checks its own rules and
permissions so that a view cannot forget them."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from website import encryption

from .continuity import audit_record
from .models import (
    AuditAction,
    Invitation,
    InvitationStatus,
    Membership,
    Role,
    Team,
    User,
    invitation_token_hash,
)
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
    return invitation_issue(team=team, email=email, role=role, invited_by=invited_by)


def invitation_issue(*, team: Team, email: str, role: str, invited_by: User | None):
    """Create an invitation after the caller has checked who may (a coordinator of the team,
    or a site admin creating the team)."""
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
    audit_record(
        team=team,
        actor=invited_by,
        action=AuditAction.INVITATION_SENT,
        details={"invitation": invitation.pk, "role": role},
    )
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
        audit_record(
            team=invitation.team,
            actor=revoked_by,
            action=AuditAction.INVITATION_REVOKED,
            details={"invitation": invitation.pk, "role": invitation.role},
        )
    return invitation


INVITATION_UNUSABLE_MESSAGES = {
    "missing": _("This invitation link is not valid. Check that you copied the whole link."),
    InvitationStatus.ACCEPTED: _(
        "This invitation has already been used. If that was you, log in instead."
    ),
    InvitationStatus.REVOKED: _(
        "This invitation was withdrawn by the team's coordinator. Ask them for a new one."
    ),
    InvitationStatus.EXPIRED: _(
        "This invitation has expired. Ask the team's coordinator for a new one."
    ),
}


def invitation_check_usable(invitation: Invitation | None) -> Invitation:
    """Return the invitation if it can still be accepted, else raise with a clear reason.
    Whether it can is ``Invitation.status``: one rule for the page, the service and signup."""
    if invitation is None:
        raise InvitationError(INVITATION_UNUSABLE_MESSAGES["missing"], code="missing")
    status = invitation.status
    if status != InvitationStatus.PENDING:
        raise InvitationError(INVITATION_UNUSABLE_MESSAGES[status], code=str(status))
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


# Addresses under /teams/ that are pages, not teams.
RESERVED_TEAM_SLUGS = frozenset({"new"})


def team_slug_for(name: str) -> str:
    """A URL name for a team: its name in plain letters, or "team" when it has none (a name in
    Cyrillic), made unique with a number."""
    base = slugify(name)[:100] or "team"
    slug, number = base, 2
    while slug in RESERVED_TEAM_SLUGS or Team.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def team_create(*, name: str, first_coordinator_email: str, created_by) -> CreatedInvitation:
    """A site admin starts a team and invites its first coordinator (who then invites the
    rest). Site admins hold no team role themselves."""
    if not (created_by.is_authenticated and created_by.is_active and created_by.is_superuser):
        raise PermissionDenied
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Give the team a name.")})
    if Team.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("A team with this name already exists.")})
    team = Team(name=name, slug=team_slug_for(name))
    team.full_clean()
    team.save()
    return invitation_issue(
        team=team, email=first_coordinator_email, role=Role.COORDINATOR, invited_by=created_by
    )


def team_update_settings(
    *,
    team: Team,
    updated_by: User,
    require_mfa_for_volunteers: bool,
    discreet_mode: bool | None = None,
) -> Team:
    require_team_permission(user=updated_by, team=team, action=TeamAction.MANAGE_TEAM_SETTINGS)
    team.require_mfa_for_volunteers = require_mfa_for_volunteers
    fields = ["require_mfa_for_volunteers"]
    if discreet_mode is not None:
        team.discreet_mode = discreet_mode
        fields.append("discreet_mode")
    team.save(update_fields=fields)
    return team


def authenticator_data_transform(data: dict, transform: Callable[[str], str]) -> dict:
    """``data`` of an allauth authenticator with each secret passed through ``transform``:
    the TOTP secret, the recovery-code seed and any codes migrated from elsewhere. (A
    security key's data is its public key: nothing secret.)"""
    data = dict(data)
    for key in ("secret", "seed"):
        if key in data:
            data[key] = transform(data[key])
    if data.get("migrated_codes"):
        data["migrated_codes"] = [transform(code) for code in data["migrated_codes"]]
    return data


@transaction.atomic
def authenticators_reencrypt() -> int:
    """Re-encrypt every second-factor secret with the newest key; returns how many."""
    rows = Authenticator.objects.select_for_update().exclude(type=Authenticator.Type.WEBAUTHN)
    count = 0
    for authenticator in rows:
        authenticator.data = authenticator_data_transform(authenticator.data, encryption.reencrypt)
        authenticator.save(update_fields=["data"])
        count += 1
    return count
