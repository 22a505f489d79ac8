"""What the home page shows a signed-in person: composed from the apps' selectors."""

from dataclasses import dataclass, field

from courses.selectors import required_courses_for_user
from people.continuity import team_continuity
from people.models import Role, Team
from people.selectors import user_memberships, user_second_factor
from supervision.selectors import HomeSummary, home_summary
from wellbeing.selectors import WellbeingHome
from wellbeing.selectors import home_summary as wellbeing_home_summary


@dataclass
class NextSteps:
    memberships: list = field(default_factory=list)
    mfa_enrolled: bool = False
    mfa_required: bool = False
    coordinated_teams: list = field(default_factory=list)
    required_courses: list = field(default_factory=list)
    supervision: HomeSummary = field(default_factory=HomeSummary)
    wellbeing: WellbeingHome = field(default_factory=WellbeingHome)
    # Teams the person coordinates that have fewer than two coordinators with a second factor.
    continuity_warnings: list = field(default_factory=list)
    # Every team, for a site admin: their dashboards (to act when a team's coordinators cannot).
    admin_teams: list = field(default_factory=list)


def home_next_steps(*, user, request=None) -> NextSteps | None:
    if not user.is_authenticated:
        return None
    memberships = user_memberships(user=user)
    second_factor = user_second_factor(user=user)
    return NextSteps(
        memberships=memberships,
        mfa_enrolled=second_factor.enrolled,
        mfa_required=second_factor.required,
        coordinated_teams=[m.team for m in memberships if m.role == Role.COORDINATOR],
        required_courses=required_courses_for_user(
            user=user, request=request, memberships=memberships
        ),
        supervision=home_summary(user=user, memberships=memberships),
        wellbeing=wellbeing_home_summary(user=user),
        continuity_warnings=[
            m.team
            for m in memberships
            if m.role == Role.COORDINATOR and team_continuity(team=m.team).warning
        ],
        admin_teams=list(Team.objects.order_by("name")) if user.is_superuser else [],
    )
