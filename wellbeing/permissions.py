"""Who may see what of someone's wellbeing: plain functions, tested as a table.

- A person's check-ins are theirs: only they read, delete or download them.
- A team's supervisors see *that* a volunteer is in a concerning range (the date, never the
  answers or scores), only if the volunteer chose to let them.
- A team's coordinators see a volunteer's scores only if the volunteer chose to let them, and
  the team's totals only from groups of at least ``WELLBEING_MIN_RESPONDENTS`` people.
- Withdrawing a choice hides past data again at once: every read checks the current choice.
Every look by someone else at one person's data is written to the access record."""

from people.models import Role
from people.permissions import TeamAction, role_can, team_role

from .models import SharingChoice


def can_see_team_totals(*, user, team) -> bool:
    return role_can(team_role(user=user, team=team), TeamAction.VIEW_WELLBEING_AGGREGATE)


def can_see_flags(*, user, team) -> bool:
    return role_can(team_role(user=user, team=team), TeamAction.VIEW_SHARED_WELLBEING_FLAGS)


def can_see_scores_of(*, user, team, subject) -> bool:
    if user.pk == subject.pk:
        return True
    if not role_can(team_role(user=user, team=team), TeamAction.VIEW_SHARED_WELLBEING_SCORES):
        return False
    if team_role(user=subject, team=team) != Role.VOLUNTEER:
        return False
    return SharingChoice.objects.filter(
        user=subject, team=team, scores_to_coordinators=True
    ).exists()


def can_see_team_page(*, user, team) -> bool:
    return can_see_team_totals(user=user, team=team) or can_see_flags(user=user, team=team)
