"""Who may do what in a team: one table, role × action, and one function that reads it.

Site admins (superusers) hold no team role by virtue of being admins: what they may do in
a team comes from a membership like anyone else. Views call ``team_can`` or
``require_team_permission``; nothing else decides."""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404

from .models import Membership, Role, Team


class TeamAction(StrEnum):
    VIEW_TEAM = "view_team"
    VIEW_MEMBERS = "view_members"
    INVITE_MEMBER = "invite_member"
    VIEW_INVITATIONS = "view_invitations"
    REVOKE_INVITATION = "revoke_invitation"
    MANAGE_TEAM_SETTINGS = "manage_team_settings"
    TAKE_COURSES = "take_courses"
    ASSIGN_COURSES = "assign_courses"
    VIEW_TRAINING_COMPLIANCE = "view_training_compliance"
    MANAGE_SUPERVISION = "manage_supervision"
    MARK_ATTENDANCE = "mark_attendance"
    BOOK_SUPERVISION = "book_supervision"
    TAKE_DEBRIEFS = "take_debriefs"
    VIEW_WELLBEING_AGGREGATE = "view_wellbeing_aggregate"
    VIEW_SHARED_WELLBEING_SCORES = "view_shared_wellbeing_scores"
    VIEW_SHARED_WELLBEING_FLAGS = "view_shared_wellbeing_flags"
    MANAGE_MEMBERS = "manage_members"
    VIEW_AUDIT = "view_audit"
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_REPORTS = "view_reports"


A = TeamAction
ROLE_PERMISSIONS: dict[str, frozenset[TeamAction]] = {
    Role.VOLUNTEER: frozenset({A.VIEW_TEAM, A.TAKE_COURSES, A.BOOK_SUPERVISION}),
    Role.SUPERVISOR: frozenset(
        {
            A.VIEW_TEAM,
            A.VIEW_MEMBERS,
            A.TAKE_COURSES,
            A.MANAGE_SUPERVISION,
            A.MARK_ATTENDANCE,
            A.TAKE_DEBRIEFS,
            A.VIEW_SHARED_WELLBEING_FLAGS,
        }
    ),
    Role.COORDINATOR: frozenset(
        {
            A.VIEW_TEAM,
            A.VIEW_MEMBERS,
            A.INVITE_MEMBER,
            A.VIEW_INVITATIONS,
            A.REVOKE_INVITATION,
            A.MANAGE_TEAM_SETTINGS,
            A.TAKE_COURSES,
            A.ASSIGN_COURSES,
            A.VIEW_TRAINING_COMPLIANCE,
            A.MANAGE_SUPERVISION,
            A.BOOK_SUPERVISION,
            A.VIEW_WELLBEING_AGGREGATE,
            A.VIEW_SHARED_WELLBEING_SCORES,
            A.MANAGE_MEMBERS,
            A.VIEW_DASHBOARD,
            A.VIEW_REPORTS,
            A.VIEW_AUDIT,
        }
    ),
}

# What a site admin may do in any team without a role in it: keep a team running when its
# coordinators cannot (suspend or reinstate someone, read the dashboard). Everything else a
# site admin does in a team comes from a membership, like anyone else.
SITE_ADMIN_ACTIONS: frozenset[TeamAction] = frozenset(
    {A.MANAGE_MEMBERS, A.VIEW_DASHBOARD, A.VIEW_REPORTS, A.VIEW_AUDIT}
)


def site_admin_can(user, action: TeamAction) -> bool:
    return bool(getattr(user, "is_superuser", False)) and action in SITE_ADMIN_ACTIONS


def role_can(role: str | None, action: TeamAction) -> bool:
    return role is not None and action in ROLE_PERMISSIONS.get(role, frozenset())


def team_role(*, user, team: Team) -> str | None:
    """The person's role in the team, or None. Their roles in all teams are read once and
    remembered on the user object (a request's user lives for one request)."""
    if not user.is_authenticated or not user.is_active or team is None:
        return None
    known = getattr(team, "_viewer_role", None)
    if known is not None and known[0] == user.pk:
        return known[1]
    return user_team_roles(user=user).get(team.pk)


def user_team_roles(*, user) -> dict[int, str]:
    roles = getattr(user, "_atbalsts_team_roles", None)
    if roles is None:
        roles = dict(Membership.objects.filter(user=user).values_list("team_id", "role"))
        user._atbalsts_team_roles = roles
    return roles


def user_team_roles_forget(*, user) -> None:
    """After changing someone's memberships: the next question reads them again."""
    for name in ("_atbalsts_team_roles", "_atbalsts_team_ids"):
        if hasattr(user, name):
            delattr(user, name)


def team_get_for_action(*, slug: str, user, action: TeamAction) -> Team:
    """The team named by ``slug`` if ``user`` may do ``action`` in it, in one query.

    A team the person is not a member of answers 404, exactly like a team that does not
    exist, so that team names cannot be discovered by trying them; a member whose role does
    not include the action gets a 403."""
    team = None
    if user.is_authenticated and user.is_active:
        team = (
            Team.objects.filter(slug=slug)
            .annotate(
                viewer_role=Subquery(
                    Membership.objects.filter(team=OuterRef("pk"), user=user).values("role")[:1]
                )
            )
            .first()
        )
    if team is not None and site_admin_can(user, action) and not role_can(team.viewer_role, action):
        team._viewer_role = (user.pk, team.viewer_role)
        return team
    if team is None or team.viewer_role is None:
        raise Http404
    team._viewer_role = (user.pk, team.viewer_role)
    if not role_can(team.viewer_role, action):
        raise PermissionDenied
    return team


def team_can(*, user, team: Team, action: TeamAction) -> bool:
    return role_can(team_role(user=user, team=team), action) or site_admin_can(user, action)


def team_permissions(*, user, team: Team) -> dict[str, bool]:
    """Every action's answer for one user and team, from one query (for templates)."""
    role = team_role(user=user, team=team)
    return {
        action.value: role_can(role, action) or site_admin_can(user, action)
        for action in TeamAction
    }


def require_team_permission(*, user, team: Team, action: TeamAction) -> None:
    if not team_can(user=user, team=team, action=action):
        raise PermissionDenied


def user_coordinates(*, coordinator, member) -> bool:
    """Whether ``coordinator`` coordinates a team ``member`` belongs to (not themselves)."""
    if not coordinator.is_authenticated or not coordinator.is_active:
        return False
    if coordinator.pk == member.pk:
        return False
    coordinated = Membership.objects.coordinators().filter(user=coordinator).values("team_id")
    return Membership.objects.filter(user=member, team_id__in=coordinated).exists()
