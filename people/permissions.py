"""Who may do what in a team: one table, role × action, and one function that reads it.

Site admins (superusers) hold no team role by virtue of being admins: what they may do in
a team comes from a membership like anyone else. Views call ``team_can`` or
``require_team_permission``; nothing else decides."""

from enum import StrEnum

from django.core.exceptions import PermissionDenied

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
    RUN_SUPERVISION = "run_supervision"
    MARK_ATTENDANCE = "mark_attendance"
    BOOK_SUPERVISION = "book_supervision"
    VIEW_WELLBEING_AGGREGATE = "view_wellbeing_aggregate"


A = TeamAction
ROLE_PERMISSIONS: dict[str, frozenset[TeamAction]] = {
    Role.VOLUNTEER: frozenset({A.VIEW_TEAM, A.TAKE_COURSES, A.BOOK_SUPERVISION}),
    Role.SUPERVISOR: frozenset(
        {
            A.VIEW_TEAM,
            A.VIEW_MEMBERS,
            A.TAKE_COURSES,
            A.RUN_SUPERVISION,
            A.MARK_ATTENDANCE,
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
            A.VIEW_WELLBEING_AGGREGATE,
        }
    ),
}


def role_can(role: str | None, action: TeamAction) -> bool:
    return role is not None and action in ROLE_PERMISSIONS.get(role, frozenset())


def team_role(*, user, team: Team) -> str | None:
    if not user.is_authenticated or not user.is_active:
        return None
    return Membership.objects.filter(user=user, team=team).values_list("role", flat=True).first()


def team_can(*, user, team: Team, action: TeamAction) -> bool:
    return role_can(team_role(user=user, team=team), action)


def team_permissions(*, user, team: Team) -> dict[str, bool]:
    """Every action's answer for one user and team, from one query (for templates)."""
    role = team_role(user=user, team=team)
    return {action.value: role_can(role, action) for action in TeamAction}


def require_team_permission(*, user, team: Team, action: TeamAction) -> None:
    if not team_can(user=user, team=team, action=action):
        raise PermissionDenied
