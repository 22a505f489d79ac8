"""A small world with every role and one of each thing a URL can name, and the sample values
that fill each URL parameter of the project's apps."""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from courses.models import CourseAssignment
from courses.services import quiz_attempt_start, quiz_attempt_submit
from people.models import Membership, Role
from supervision import services as supervision_services
from tests.courses.factories import (
    add_module,
    correct_answers,
    make_course,
    modules_of,
    wrong_answers,
)
from tests.people.factories import (
    TEST_PASSWORD,
    InvitationFactory,
    TeamFactory,
    UserFactory,
    enrol_totp,
    member,
)
from tests.supervision.factories import make_debrief, make_group, make_session, make_slot
from website.models import HomePage, InformationPage


@dataclass
class World:
    team: object
    other_team: object
    users: dict  # role name -> user ("anonymous" is not here)
    values: dict = field(default_factory=dict)  # URL parameter -> valid sample value
    overrides: dict = field(default_factory=dict)  # route name -> {parameter: value}

    def values_for(self, route) -> dict[str, str]:
        """A valid value for each parameter of ``route``. A parameter nobody has given a
        sample for fails the test: a new URL gets one here the day it is added."""
        values = {**self.values, **self.overrides.get(route.name, {})}
        missing = [name for name, _converter in route.parameters if name not in values]
        assert not missing, (
            f"{route}: add a valid sample value for {missing} in tests/security/conftest.py"
        )
        return {name: str(values[name]) for name, _converter in route.parameters}


ROLES = ("anonymous", "outsider", "volunteer", "supervisor", "coordinator", "site_admin")


@pytest.fixture
def world(db) -> World:
    team = TeamFactory(name="Helpline", slug="helpline")
    other_team = TeamFactory(name="Other line", slug="other-line")
    site_admin = UserFactory(is_staff=True, is_superuser=True, email="admin@example.org")
    enrol_totp(site_admin)
    users = {
        "outsider": UserFactory(display_name="Outsider"),
        "volunteer": member(team, Role.VOLUNTEER, email="volunteer@example.org"),
        "supervisor": member(team, Role.SUPERVISOR, email="supervisor@example.org"),
        "coordinator": member(team, Role.COORDINATOR, email="coordinator@example.org"),
        "site_admin": site_admin,
    }
    member(other_team, Role.COORDINATOR)
    course = make_course(title="World course", modules=1, questions_per_module=2)
    module = modules_of(course)[0]
    volunteer = users["volunteer"]
    attempt = quiz_attempt_start(user=volunteer, module=module)
    quiz_attempt_submit(attempt=attempt, user=volunteer, answers=correct_answers(module))
    completion = volunteer.course_completions.get()
    assignment = CourseAssignment.objects.create(
        team=team, course=course, due_date="2099-01-01", assigned_by=users["coordinator"]
    )
    invitation = InvitationFactory(team=team, token="a-valid-invitation-token-0123456789")
    reflection = next(block for block in module.body if block.block_type == "reflection")
    home = HomePage.objects.get(depth=2)
    home.add_child(instance=InformationPage(title="Privacy", slug="privacy", body="<p>Hi</p>"))
    world = World(team=team, other_team=other_team, users=users)
    world.values = {
        "slug": team.slug,
        "page_id": module.pk,
        "block_id": reflection.id,
        "attempt_id": attempt.pk,
        "code": completion.verification_code,
        "token": "a-valid-invitation-token-0123456789",
        "instrument": "pulse",
    }
    # A second module whose one attempt the volunteer used and failed: the coordinator's
    # page for them offers the form to give more attempts.
    limited = add_module(course, "Limited", questions=2, attempts_allowed=1)
    failed = quiz_attempt_start(user=volunteer, module=limited)
    quiz_attempt_submit(attempt=failed, user=volunteer, answers=wrong_answers(limited))
    # Supervision: a group of the team's volunteers with a coming session the volunteer has a
    # seat in and a past one, a debrief request the supervisor took, a slot, a calendar.
    group = make_group(team, supervisors=[users["supervisor"]])
    session = make_session(group)
    past = make_session(group, starts_at=session.starts_at - timedelta(days=30))
    booking = supervision_services.booking_create(session=session, user=volunteer)
    debrief = make_debrief(
        team,
        volunteer,
        note="private",
        status="taken",
        taken_by=users["supervisor"],
    )
    make_slot(team, users["supervisor"], offered_for=debrief)
    calendar_token = supervision_services.calendar_token_create(user=volunteer)
    check_in = wellbeing_world(team, volunteer)
    # A member whom the walk may change or remove without spoiling the rest of the world.
    spare = Membership.objects.get(
        user=member(team, Role.VOLUNTEER, display_name="Spare"), team=team
    )
    world.supervision = {"group": group, "session": session, "past": past, "debrief": debrief}
    world.overrides = {
        "people:invitation_revoke": {"pk": invitation.pk},
        "supervision:session": {"pk": session.pk},
        "supervision:session_book": {"pk": session.pk},
        "supervision:session_ics": {"pk": session.pk},
        "supervision:session_edit": {"pk": session.pk},
        "supervision:session_cancel": {"pk": session.pk},
        "supervision:session_add": {"pk": session.pk},
        "supervision:session_attendance": {"pk": past.pk},
        "supervision:booking_cancel": {"pk": booking.pk},
        "supervision:debrief": {"pk": debrief.pk},
        "supervision:debrief_take": {"pk": debrief.pk},
        "supervision:debrief_book": {"pk": debrief.pk},
        "supervision:debrief_close": {"pk": debrief.pk},
        "supervision:group": {"pk": group.pk},
        "supervision:group_edit": {"pk": group.pk},
        "calendar_feed": {"token": calendar_token},
        "courses:team_training_remove": {"pk": assignment.pk},
        "courses:team_volunteer_course": {"pk": assignment.pk, "user_id": volunteer.pk},
        "wellbeing:check_in": {"pk": check_in.pk},
        "wellbeing:check_in_delete": {"pk": check_in.pk},
        "wellbeing:team_person": {"user_id": volunteer.pk},
        "people:member": {"pk": spare.pk},
        "people:member_remove": {"pk": spare.pk},
        "people:member_suspend": {"pk": spare.pk},
        "people:member_reinstate": {"pk": spare.pk},
    }
    world.password = TEST_PASSWORD
    return world


def wellbeing_world(team, volunteer):
    """The volunteer's weekly pulse, shared with the team's coordinators."""
    from wellbeing import services as wellbeing_services

    check_in = wellbeing_services.checkin_create(
        user=volunteer, instrument_key="pulse", answers={1: 3, 2: 1, 3: 3, 4: 3, 5: 1}
    )
    wellbeing_services.sharing_update(
        user=volunteer, team=team, flag_to_supervisors=True, scores_to_coordinators=True
    )
    return check_in
