"""Reads about people, teams and invitations."""

from django.db.models import Count, Q, QuerySet

from .models import Invitation, Membership, Role, Team, invitation_token_hash


def invitation_get_by_token(*, token: str) -> Invitation | None:
    if not token or len(token) > 128:
        return None
    return (
        Invitation.objects.select_related("team", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )


def team_invitations_pending(*, team: Team) -> QuerySet[Invitation]:
    return team.invitations.pending().select_related("invited_by").order_by("expires_at")


def team_members(*, team: Team) -> QuerySet[Membership]:
    return team.memberships.select_related("user").order_by("role", "user__display_name")


def user_memberships(*, user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.for_user(user).order_by("team__name"))


def teams_with_role_counts(*, user) -> QuerySet[Team]:
    """The user's teams, each annotated with how many coordinators it has: a team with one
    coordinator depends on one person, and the page says so."""
    return (
        Team.objects.filter(memberships__user=user)
        .annotate(
            coordinator_count=Count(
                "memberships", filter=Q(memberships__role=Role.COORDINATOR), distinct=True
            ),
            member_count=Count("memberships", distinct=True),
        )
        .order_by("name")
    )


def user_requires_mfa(*, user) -> bool:
    """Coordinators, supervisors and site admins must use a second factor; volunteers must
    when one of their teams requires it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return (
        Membership.objects.filter(user=user)
        .filter(
            Q(role__in=[Role.COORDINATOR, Role.SUPERVISOR])
            | Q(team__require_mfa_for_volunteers=True)
        )
        .exists()
    )


def user_has_mfa(*, user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
