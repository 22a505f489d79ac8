"""No dead end: a volunteer out of attempts can be given more by a coordinator of their team,
with a reason that is kept; the volunteer is told once."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from courses.models import AttemptGrant, CourseAssignment
from courses.selectors import course_progress
from courses.services import (
    QuizError,
    attempt_grant_create,
    quiz_attempt_start,
    quiz_attempt_submit,
)
from courses.tasks import attempt_grant_notify
from people.models import Role
from tests.courses.factories import add_module, make_course, wrong_answers
from tests.people.factories import TeamFactory, member, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked_out(team, volunteer):
    course = make_course(title="Strict", modules=0)
    module = add_module(course, "Hard", questions=2, attempts_allowed=2)
    for _ in range(2):
        attempt = quiz_attempt_start(user=volunteer, module=module)
        quiz_attempt_submit(attempt=attempt, user=volunteer, answers=wrong_answers(module))
    assignment = CourseAssignment.objects.create(team=team, course=course, due_date="2099-01-01")
    return module, assignment


def detail_url(team, assignment, volunteer):
    return reverse(
        "courses:team_volunteer_course",
        kwargs={"slug": team.slug, "pk": assignment.pk, "user_id": volunteer.pk},
    )


def test_a_coordinator_gives_more_attempts_and_the_volunteer_can_try_again(
    client, team, coordinator, volunteer, locked_out, django_capture_on_commit_callbacks
):
    module, assignment = locked_out
    with pytest.raises(QuizError):
        quiz_attempt_start(user=volunteer, module=module)
    sign_in(client, coordinator)
    page = client.get(detail_url(team, assignment, volunteer)).content.decode()
    assert "No attempts left" in page and "Give more attempts" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            detail_url(team, assignment, volunteer),
            {"module": module.pk, "extra": "2", "reason": "Phone died during the quiz"},
        )
    assert response.status_code == 302
    grant = AttemptGrant.objects.get()
    assert (grant.user, grant.extra, grant.granted_by) == (volunteer, 2, coordinator)
    assert grant.reason == "Phone died during the quiz"
    assert (
        course_progress(user=volunteer, course=module.course_page()).modules[0].attempts_left == 2
    )
    quiz_attempt_start(user=volunteer, module=module)
    # Told once, discreetly.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [volunteer.email]
    assert "Strict" not in mail.outbox[0].subject and "Helpline" not in mail.outbox[0].subject
    assert "2 more attempts" in mail.outbox[0].body
    sign_in(client, volunteer)
    assert "Coordinator gave you 2 more attempts." in client.get(module.url).content.decode()


def test_the_volunteer_is_told_exactly_once(team, coordinator, volunteer, locked_out):
    module, _assignment = locked_out
    grant = attempt_grant_create(
        module=module, volunteer=volunteer, extra=1, reason="x", granted_by=coordinator
    )
    attempt_grant_notify.call(grant_id=grant.pk)
    attempt_grant_notify.call(grant_id=grant.pk)  # a retry, a second worker
    import time_machine

    with time_machine.travel(grant.granted_at + __import__("datetime").timedelta(minutes=5)):
        call_command("tick")  # the catch-up finds nothing left to send
    assert len(mail.outbox) == 1


def test_the_tick_catches_up_on_a_lost_notification(team, coordinator, volunteer, locked_out):
    import datetime

    import time_machine

    module, _assignment = locked_out
    grant = AttemptGrant.objects.create(
        user=volunteer,
        module_key=module.translation_key,
        course_key=module.course_page().translation_key,
        extra=1,
        reason="The job was lost",
        granted_by=coordinator,
    )
    with time_machine.travel(grant.granted_at + datetime.timedelta(minutes=5)):
        call_command("tick")
        call_command("tick")
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"extra": "0", "reason": "x"}, "greater than or equal to 1"),
        ({"extra": "11", "reason": "x"}, "less than or equal to 10"),
        ({"extra": "two", "reason": "x"}, "Enter a whole number"),
        ({"extra": "1", "reason": ""}, "This field is required"),
        ({"extra": "1", "reason": "r" * 301}, "at most 300 characters"),
        ({"extra": "99999999999999999999", "reason": "x"}, "less than or equal to 10"),
    ],
)
def test_bad_input_is_a_clear_form_error(
    client, team, coordinator, volunteer, locked_out, data, message
):
    module, assignment = locked_out
    sign_in(client, coordinator)
    response = client.post(detail_url(team, assignment, volunteer), {"module": module.pk, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AttemptGrant.objects.exists()


@pytest.mark.parametrize("module_value", ["", "abc", "9223372036854775808", "-1"])
def test_a_module_that_is_not_in_the_course_is_not_found(
    client, team, coordinator, volunteer, locked_out, module_value
):
    _module, assignment = locked_out
    sign_in(client, coordinator)
    response = client.post(
        detail_url(team, assignment, volunteer),
        {"module": module_value, "extra": "1", "reason": "x"},
    )
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["volunteer", "supervisor", "outsider", "other_coordinator"])
def test_only_a_coordinator_of_the_volunteers_team_may_give_attempts(
    client, team, volunteer, locked_out, role, request
):
    module, assignment = locked_out
    if role == "other_coordinator":
        user = member(TeamFactory(), Role.COORDINATOR)
    else:
        user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        attempt_grant_create(
            module=module, volunteer=volunteer, extra=1, reason="x", granted_by=user
        )
    sign_in(client, user)
    response = client.post(
        detail_url(team, assignment, volunteer), {"module": module.pk, "extra": "1", "reason": "x"}
    )
    assert response.status_code in (403, 404)
    assert client.get(detail_url(team, assignment, volunteer)).status_code in (403, 404)
    assert not AttemptGrant.objects.exists()


def test_a_coordinator_cannot_give_themselves_attempts(coordinator, locked_out):
    module, _assignment = locked_out
    with pytest.raises(PermissionDenied):
        attempt_grant_create(
            module=module, volunteer=coordinator, extra=1, reason="x", granted_by=coordinator
        )


def test_nothing_to_give_on_a_quiz_without_a_limit(coordinator, volunteer):
    course = make_course(title="Open", modules=0)
    module = add_module(course, "Unlimited", questions=1)
    with pytest.raises(ValidationError, match="no limit"):
        attempt_grant_create(
            module=module, volunteer=volunteer, extra=1, reason="x", granted_by=coordinator
        )


def test_extra_attempts_end_with_their_renewal_cycle(team, coordinator, volunteer):
    import time_machine

    from courses.services import module_mark_read

    course = make_course(title="Cycle", modules=0, validity_months=12)
    module = add_module(course, "Once", questions=1, attempts_allowed=1)
    with time_machine.travel("2026-01-10 09:00Z", tick=False):
        attempt = quiz_attempt_start(user=volunteer, module=module)
        quiz_attempt_submit(attempt=attempt, user=volunteer, answers=wrong_answers(module))
        attempt_grant_create(
            module=module, volunteer=volunteer, extra=1, reason="x", granted_by=coordinator
        )
        module_mark_read(user=volunteer, module=module)
        from tests.courses.factories import correct_answers

        attempt = quiz_attempt_start(user=volunteer, module=module)
        quiz_attempt_submit(attempt=attempt, user=volunteer, answers=correct_answers(module))
    with time_machine.travel("2027-02-01 09:00Z", tick=False):  # refresher: a fresh start
        status = course_progress(user=volunteer, course=course).modules[0]
        assert (status.attempts_used, status.extra_attempts, status.attempts_left) == (0, 0, 1)
