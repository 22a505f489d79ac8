"""Reads about people, teams and invitations."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import (
    Invitation,
    Membership,
    Role,
    Team,
    User,
    invitation_token_hash,
)


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


def team_members_version(*, team: Team) -> str:
    """Changes whenever the team's members, their roles, names or active state change: a
    digest of those few columns (one query)."""
    import hashlib

    rows = team.memberships.order_by("pk").values_list(
        "pk", "user_id", "role", "user__display_name", "user__is_active"
    )
    digest = hashlib.blake2b(digest_size=16)
    for row in rows.iterator():
        digest.update(repr(row).encode())
    return digest.hexdigest()


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


@dataclass(frozen=True)
class SecondFactor:
    enrolled: bool  # has an authenticator app or a security key
    required: bool  # their role, a team setting or being a site admin asks for one


def user_second_factor(*, user) -> SecondFactor:
    """Whether the person has a second factor and whether they must. Free when the user came
    from the authentication backend (annotated in the same query); else one query, and
    remembered on the user object for the rest of the request."""
    if not user.is_authenticated:
        return SecondFactor(enrolled=False, required=False)
    if not hasattr(user, "second_factor_enrolled"):
        user.second_factor_enrolled, user.second_factor_required_by_team = (
            User.objects.with_second_factor()
            .filter(pk=user.pk)
            .values_list("second_factor_enrolled", "second_factor_required_by_team")
            .get()
        )
    return SecondFactor(
        enrolled=bool(user.second_factor_enrolled),
        required=bool(user.is_superuser or user.is_staff or user.second_factor_required_by_team),
    )


def user_team_ids(*, user) -> set[int]:
    """The ids of the user's teams, remembered on the user object for the request."""
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_atbalsts_team_ids", None)
    if cached is None:
        cached = set(Membership.objects.filter(user=user).values_list("team_id", flat=True))
        user._atbalsts_team_ids = cached
    return cached
