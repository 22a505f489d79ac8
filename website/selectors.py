"""What the home page shows a signed-in person: composed from the apps' selectors."""

from dataclasses import dataclass, field

from courses.selectors import course_index_for_language, required_courses_for_user
from people.selectors import user_has_mfa, user_memberships, user_requires_mfa


@dataclass
class NextSteps:
    memberships: list = field(default_factory=list)
    mfa_enrolled: bool = False
    mfa_required: bool = False
    coordinated_teams: list = field(default_factory=list)
    required_courses: list = field(default_factory=list)
    course_index: object = None


def home_next_steps(*, user) -> NextSteps | None:
    if not user.is_authenticated:
        return None
    memberships = user_memberships(user=user)
    return NextSteps(
        memberships=memberships,
        mfa_enrolled=user_has_mfa(user=user),
        mfa_required=user_requires_mfa(user=user),
        coordinated_teams=[m.team for m in memberships if m.role == "coordinator"],
        required_courses=required_courses_for_user(user=user),
        course_index=course_index_for_language(),
    )
