"""The role × action table, read by one function: every cell is a test."""

import pytest

from people.models import Role
from people.permissions import (
    ROLE_PERMISSIONS,
    SITE_ADMIN_ACTIONS,
    TeamAction,
    role_can,
    team_can,
)
from tests.people.factories import TeamFactory, UserFactory, member

A = TeamAction
EXPECTED = {
    #                              volunteer supervisor coordinator
    A.VIEW_TEAM: (True, True, True),
    A.VIEW_MEMBERS: (False, True, True),
    A.INVITE_MEMBER: (False, False, True),
    A.VIEW_INVITATIONS: (False, False, True),
    A.REVOKE_INVITATION: (False, False, True),
    A.MANAGE_TEAM_SETTINGS: (False, False, True),
    A.TAKE_COURSES: (True, True, True),
    A.ASSIGN_COURSES: (False, False, True),
    A.VIEW_TRAINING_COMPLIANCE: (False, False, True),
    A.MANAGE_SUPERVISION: (False, True, True),
    A.MARK_ATTENDANCE: (False, True, False),
    A.BOOK_SUPERVISION: (True, False, True),
    A.TAKE_DEBRIEFS: (False, True, False),
    A.VIEW_WELLBEING_AGGREGATE: (False, False, True),
    A.VIEW_SHARED_WELLBEING_SCORES: (False, False, True),
    A.VIEW_SHARED_WELLBEING_FLAGS: (False, True, False),
    A.MANAGE_MEMBERS: (False, False, True),
    A.VIEW_AUDIT: (False, False, True),
    A.VIEW_DASHBOARD: (False, False, True),
    A.VIEW_REPORTS: (False, False, True),
}
ROLES = (Role.VOLUNTEER, Role.SUPERVISOR, Role.COORDINATOR)


def test_every_action_is_in_the_table():
    assert set(EXPECTED) == set(TeamAction)
    assert set(ROLE_PERMISSIONS) == set(ROLES)


@pytest.mark.parametrize(
    ("role", "action", "allowed"),
    [(role, action, row[i]) for action, row in EXPECTED.items() for i, role in enumerate(ROLES)],
)
def test_role_action_table(role, action, allowed):
    assert role_can(role, action) is allowed


@pytest.mark.parametrize("action", list(TeamAction))
def test_no_role_means_no_permission(action):
    assert role_can(None, action) is False


@pytest.mark.django_db
def test_roles_are_per_team():
    helpline, refugees = TeamFactory(), TeamFactory()
    person = member(helpline, Role.COORDINATOR)
    from tests.people.factories import MembershipFactory

    MembershipFactory(user=person, team=refugees, role=Role.VOLUNTEER)
    assert team_can(user=person, team=helpline, action=A.INVITE_MEMBER)
    assert not team_can(user=person, team=refugees, action=A.INVITE_MEMBER)
    assert team_can(user=person, team=refugees, action=A.TAKE_COURSES)


@pytest.mark.django_db
def test_site_admin_holds_no_team_role_by_default():
    """Only keeping a team running (members, dashboard) is open to site admins in every team."""
    team = TeamFactory()
    admin = UserFactory(is_staff=True, is_superuser=True)
    for action in TeamAction:
        expected = action in SITE_ADMIN_ACTIONS
        assert team_can(user=admin, team=team, action=action) is expected, action
    assert {A.MANAGE_MEMBERS, A.VIEW_DASHBOARD, A.VIEW_REPORTS, A.VIEW_AUDIT} == SITE_ADMIN_ACTIONS


@pytest.mark.django_db
def test_inactive_user_has_no_permission():
    team = TeamFactory()
    person = member(team, Role.COORDINATOR)
    person.is_active = False
    person.save()
    assert not team_can(user=person, team=team, action=A.VIEW_TEAM)
