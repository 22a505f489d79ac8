"""Who sees which course, who may require training, and what a volunteer's home page lists."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from courses.models import CourseAssignment, Visibility
from courses.selectors import CourseState, required_courses_for_user
from courses.services import module_mark_read, quiz_attempt_start, quiz_attempt_submit
from people.models import Role
from tests.courses.factories import correct_answers, make_course, modules_of
from tests.people.factories import TeamFactory, member, sign_in

pytestmark = pytest.mark.django_db


def test_team_only_course_is_hidden_from_other_teams(client, team, volunteer):
    other_team = TeamFactory(name="Refugee support")
    outsider = member(other_team, Role.VOLUNTEER)
    course = make_course(
        title="Helpline only", modules=1, visibility=Visibility.TEAMS, teams=[team]
    )
    (module,) = modules_of(course)
    sign_in(client, volunteer)
    assert client.get(course.url).status_code == 200
    assert "Helpline only" in client.get(course.get_parent().url).content.decode()
    sign_in(client, outsider)
    assert client.get(course.url).status_code == 403
    assert client.get(module.url).status_code == 403
    assert "Helpline only" not in client.get(course.get_parent().url).content.decode()
    assert (
        client.post(reverse("courses:quiz_start_page", kwargs={"page_id": module.pk})).status_code
        == 403
    )


def test_coordinator_requires_a_course(client, team, coordinator, course):
    sign_in(client, coordinator)
    url = reverse("courses:team_training", kwargs={"slug": team.slug})
    due = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = client.post(url, {"course": course.pk, "due_date": due, "validity_months": 12})
    assert response.status_code == 302
    assignment = CourseAssignment.objects.get()
    assert (assignment.team, assignment.course, assignment.validity_months) == (team, course, 12)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"due_date": "2000-01-01"}, "cannot be in the past"),
        ({"due_date": "not a date"}, "Enter a valid date"),
        ({"validity_months": 0}, "greater than or equal to 1"),
        ({"course": 999999}, "Select a valid choice"),
    ],
)
def test_requiring_a_course_rejects_bad_input(client, team, coordinator, course, data, error):
    sign_in(client, coordinator)
    payload = {
        "course": course.pk,
        "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
    }
    payload.update(data)
    response = client.post(reverse("courses:team_training", kwargs={"slug": team.slug}), payload)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not CourseAssignment.objects.exists()


def test_duplicate_requirement_is_refused(client, team, coordinator, course):
    CourseAssignment.objects.create(team=team, course=course, due_date=timezone.localdate())
    sign_in(client, coordinator)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        reverse("courses:team_training", kwargs={"slug": team.slug}),
        {"course": course.pk, "due_date": due},
    )
    assert "already required" in response.content.decode()


def test_course_of_another_team_cannot_be_required(client, team, coordinator):
    other = TeamFactory()
    hidden = make_course(title="Other team", modules=1, visibility=Visibility.TEAMS, teams=[other])
    sign_in(client, coordinator)
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    response = client.post(
        reverse("courses:team_training", kwargs={"slug": team.slug}),
        {"course": hidden.pk, "due_date": due},
    )
    assert response.status_code == 400
    assert not CourseAssignment.objects.exists()


@pytest.mark.parametrize("role_fixture", ["volunteer", "supervisor", "outsider"])
def test_only_coordinators_see_and_change_required_training(
    client, team, course, role_fixture, request
):
    user = request.getfixturevalue(role_fixture)
    assignment = CourseAssignment.objects.create(
        team=team, course=course, due_date=timezone.localdate()
    )
    sign_in(client, user)
    # A member whose role lacks the right is refused; someone outside the team is told the
    # page does not exist, as for a team that does not.
    refused = 404 if role_fixture == "outsider" else 403
    url = reverse("courses:team_training", kwargs={"slug": team.slug})
    assert client.get(url).status_code == refused
    data = {"course": course.pk, "due_date": "2030-01-01"}
    assert client.post(url, data).status_code == refused
    remove = reverse(
        "courses:team_training_remove", kwargs={"slug": team.slug, "pk": assignment.pk}
    )
    assert client.post(remove).status_code == refused
    assert CourseAssignment.objects.count() == 1


def test_compliance_table_and_query_budget(
    client, team, coordinator, course, django_assert_max_num_queries
):
    CourseAssignment.objects.create(
        team=team, course=course, due_date=timezone.localdate() + timedelta(days=3)
    )
    for _ in range(15):
        member(team, Role.VOLUNTEER)
    sign_in(client, coordinator)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("courses:team_training", kwargs={"slug": team.slug}))
    assert response.status_code == 200
    assert response.content.decode().count("Not started") == 15


def test_home_page_lists_required_overdue_and_expiring(client, team, volunteer):
    soon = make_course(title="Due soon", modules=1, validity_months=12)
    late = make_course(title="Late course", modules=1)
    renew = make_course(title="Renew me", modules=1, validity_months=12)
    with time_machine.travel("2026-01-05 10:00Z", tick=False):
        (module,) = modules_of(renew)
        module_mark_read(user=volunteer, module=module)
        attempt = quiz_attempt_start(user=volunteer, module=module)
        quiz_attempt_submit(attempt=attempt, user=volunteer, answers=correct_answers(module))
    with time_machine.travel("2026-12-20 10:00Z", tick=False):
        today = timezone.localdate()
        CourseAssignment.objects.create(team=team, course=soon, due_date=today + timedelta(days=10))
        CourseAssignment.objects.create(team=team, course=late, due_date=today - timedelta(days=1))
        CourseAssignment.objects.create(
            team=team, course=renew, due_date=today - timedelta(days=300)
        )
        required = {r.course.title: r for r in required_courses_for_user(user=volunteer)}
        assert required["Late course"].overdue
        assert (
            required["Due soon"].state == CourseState.NOT_STARTED
            and not required["Due soon"].overdue
        )
        assert required["Renew me"].state == CourseState.EXPIRING_SOON
        sign_in(client, volunteer)
        html = client.get("/en/").content.decode()
        items = {
            title: next(item for item in html.split("<li") if title in item)
            for title in ("Late course", "Due soon", "Renew me")
        }
        assert ">Overdue<" in items["Late course"]
        assert ">Overdue<" not in items["Due soon"] and "Required by" in items["Due soon"]
        assert ">Expiring soon<" in items["Renew me"] and "Valid until" in items["Renew me"]
        # Overdue first.
        assert html.index("Late course") < html.index("Due soon")
    with time_machine.travel("2027-01-06 10:00Z", tick=False):
        required = {r.course.title: r for r in required_courses_for_user(user=volunteer)}
        assert required["Renew me"].state == CourseState.EXPIRED
        assert required["Renew me"].overdue


def test_assignment_validity_overrides_the_course(volunteer, team):
    course = make_course(title="Strict", modules=1, validity_months=24)
    CourseAssignment.objects.create(
        team=team, course=course, due_date=timezone.localdate(), validity_months=6
    )
    (module,) = modules_of(course)
    with time_machine.travel("2026-01-10 09:00Z", tick=False):
        module_mark_read(user=volunteer, module=module)
        attempt = quiz_attempt_start(user=volunteer, module=module)
        quiz_attempt_submit(attempt=attempt, user=volunteer, answers=correct_answers(module))
    completion = volunteer.course_completions.get()
    assert (completion.expires_at.year, completion.expires_at.month) == (2026, 7)
