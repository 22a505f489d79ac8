"""What learners and coordinators read: My results, the training table with its drill-down
and CSV, course titles in the reader's language, and query budgets that grow the data the
pages loop over, the viewer's own included."""

import csv
import io

import pytest
from django.urls import reverse

from courses.models import CourseAssignment, CourseCompletion, ReviewMode
from courses.services import module_mark_read, quiz_attempt_start, quiz_attempt_submit
from people.models import Role
from tests.courses.factories import (
    add_module,
    correct_answers,
    make_course,
    modules_of,
    translate_tree,
    wrong_answers,
)
from tests.people.factories import TeamFactory, member, sign_in

pytestmark = pytest.mark.django_db


def attempt(user, module, *, correctly):
    started = quiz_attempt_start(user=user, module=module)
    answers = correct_answers(module) if correctly else wrong_answers(module)
    return quiz_attempt_submit(attempt=started, user=user, answers=answers)


def finish_course(user, course):
    for module in modules_of(course):
        module_mark_read(user=user, module=module)
        attempt(user, module, correctly=True)


# --- My results --------------------------------------------------------------------------


def test_my_results_lists_every_attempt_with_its_review_where_allowed(client, volunteer):
    course = make_course(title="Results", modules=0)
    open_review = add_module(course, "Open review", questions=2)
    no_review = add_module(course, "Closed review", questions=2, review_mode=ReviewMode.NEVER)
    first = attempt(volunteer, open_review, correctly=False)
    second = attempt(volunteer, open_review, correctly=True)
    closed = attempt(volunteer, no_review, correctly=True)
    sign_in(client, volunteer)
    page = client.get(reverse("courses:my_results")).content.decode()
    assert page.count("Not passed") == 1 and page.count(">Passed<") == 2
    assert "0%" in page and "100%" in page
    assert reverse("courses:attempt", kwargs={"attempt_id": first.pk}) in page
    assert reverse("courses:attempt", kwargs={"attempt_id": second.pk}) in page
    assert reverse("courses:attempt", kwargs={"attempt_id": closed.pk}) not in page
    assert "No review for this quiz" in page
    assert page.index("Open review") < page.index("Closed review")  # course order


def test_my_results_shows_titles_in_the_readers_language(client, volunteer):
    course = make_course(title="Words", modules=1)
    translate_tree(course, "lv")
    attempt(volunteer, modules_of(course)[0], correctly=True)
    sign_in(client, volunteer)
    page = client.get("/lv/learning/results/").content.decode()
    assert "Words (lv)" in page and "Module 1 (lv)" in page


def test_my_results_is_only_mine(client, volunteer, team):
    course = make_course(title="Private", modules=1)
    mine = attempt(volunteer, modules_of(course)[0], correctly=True)
    other = member(team, Role.VOLUNTEER)
    sign_in(client, other)
    page = client.get(reverse("courses:my_results")).content.decode()
    assert str(mine.pk) not in page and "You have not finished a quiz yet." in page
    assert client.get(reverse("courses:attempt", kwargs={"attempt_id": mine.pk})).status_code == 404


def test_my_results_query_count_does_not_grow_with_my_attempts(
    client, volunteer, django_assert_max_num_queries
):
    course = make_course(title="Budget", modules=1)
    attempt(volunteer, modules_of(course)[0], correctly=True)
    sign_in(client, volunteer)
    with django_assert_max_num_queries(25) as small:
        client.get(reverse("courses:my_results"))
    for n in range(3):
        extra = make_course(title=f"Budget {n}", modules=3)
        for module in modules_of(extra):
            attempt(volunteer, module, correctly=False)
            attempt(volunteer, module, correctly=True)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("courses:my_results"))
    assert response.content.decode().count(">Passed<") == 10


# --- Coordinators' training table --------------------------------------------------------


@pytest.fixture
def required(team, coordinator):
    course = make_course(title="Required one", modules=2)
    CourseAssignment.objects.create(team=team, course=course, due_date="2099-01-01")
    return course


def training(client, team):
    return client.get(reverse("courses:team_training", kwargs={"slug": team.slug}))


def test_the_table_tells_each_state_apart(client, team, coordinator, required):
    started = member(team, Role.VOLUNTEER, display_name="Started")
    done = member(team, Role.VOLUNTEER, display_name="Done")
    member(team, Role.VOLUNTEER, display_name="Fresh")
    module_mark_read(user=started, module=modules_of(required)[0])
    finish_course(done, required)
    sign_in(client, coordinator)
    rows = training(client, team).content.decode().split("<tr>")
    row = {name: next(r for r in rows if f">{name}<" in r) for name in ("Started", "Done", "Fresh")}
    assert "In progress" in row["Started"]
    assert "Complete" in row["Done"]
    assert "Not started" in row["Fresh"]


def test_volunteers_with_the_same_name_are_told_apart(client, team, coordinator, required):
    member(team, Role.VOLUNTEER, display_name="Anna", email="anna.k@example.org")
    member(team, Role.VOLUNTEER, display_name="Anna", email="anna.p@example.org")
    member(team, Role.VOLUNTEER, display_name="Līga", email="liga@example.org")
    member(team, Role.VOLUNTEER, display_name="līga ", email="liga@example.net")
    member(team, Role.VOLUNTEER, display_name="Unique", email="unique@example.org")
    sign_in(client, coordinator)
    page = training(client, team).content.decode()
    assert "(…k@example.org)" in page and "(…p@example.org)" in page
    assert "(…@example.org)" in page and "(…@example.net)" in page
    assert "unique@" not in page


def test_the_drill_down_shows_dates_attempts_and_best_score(client, team, coordinator, required):
    volunteer = member(team, Role.VOLUNTEER, display_name="Drilled")
    module = modules_of(required)[0]
    module_mark_read(user=volunteer, module=module)
    attempt(volunteer, module, correctly=False)
    attempt(volunteer, module, correctly=True)
    assignment = CourseAssignment.objects.get()
    sign_in(client, coordinator)
    url = reverse(
        "courses:team_volunteer_course",
        kwargs={"slug": team.slug, "pk": assignment.pk, "user_id": volunteer.pk},
    )
    page = client.get(url).content.decode()
    assert "Drilled" in page and "In progress" in page
    assert "2 attempts" in page and "best score 100%" in page
    assert "First activity" in page
    assert url in training(client, team).content.decode()


def test_a_person_outside_the_team_has_no_drill_down(client, team, coordinator, required):
    stranger = member(TeamFactory(), Role.VOLUNTEER)
    assignment = CourseAssignment.objects.get()
    sign_in(client, coordinator)
    url = reverse(
        "courses:team_volunteer_course",
        kwargs={"slug": team.slug, "pk": assignment.pk, "user_id": stranger.pk},
    )
    assert client.get(url).status_code == 404


def test_the_csv_export_is_safe_to_open_in_a_spreadsheet(client, team, coordinator, required):
    member(team, Role.VOLUNTEER, display_name='=HYPERLINK("http://evil.example","x")')
    member(team, Role.VOLUNTEER, display_name="+1 cmd")
    finish_course(member(team, Role.VOLUNTEER, display_name="Finished"), required)
    sign_in(client, coordinator)
    response = client.get(reverse("courses:team_training_export", kwargs={"slug": team.slug}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Volunteer"
    assert "Required one: state" in rows[0]
    names = [row[0] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in names
    assert "'+1 cmd" in names
    finished = next(row for row in rows if row[0] == "Finished")
    assert finished[1] == "Complete" and finished[2]  # completed on a date
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.parametrize("role", ["volunteer", "supervisor", "outsider"])
def test_only_coordinators_download_the_table(client, team, required, role, request):
    sign_in(client, request.getfixturevalue(role))
    response = client.get(reverse("courses:team_training_export", kwargs={"slug": team.slug}))
    assert response.status_code in (403, 404)


def test_the_course_picker_leaves_out_courses_already_required(client, team, coordinator, required):
    make_course(title="Not yet required", modules=1)
    sign_in(client, coordinator)
    form = training(client, team).context["form"]
    titles = [label for _value, label in form.fields["course"].choices if _value]
    assert titles == ["Not yet required"]


def test_stop_requiring_asks_first(client, team, coordinator, required):
    assignment = CourseAssignment.objects.get()
    url = reverse("courses:team_training_remove", kwargs={"slug": team.slug, "pk": assignment.pk})
    sign_in(client, coordinator)
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop requiring “Required one”?" in page.content.decode()
    assert CourseAssignment.objects.exists()
    assert client.post(url).status_code == 302
    assert not CourseAssignment.objects.exists()


def test_titles_are_in_the_readers_language_everywhere(client, team, coordinator, volunteer):
    course = make_course(title="Titled", modules=1)
    translate_tree(course, "lv")
    CourseAssignment.objects.create(team=team, course=course, due_date="2099-01-01")
    make_course(title="Pickable", modules=0)
    translate_tree(make_course(title="Picked lv", modules=0), "lv", modules=False)
    finish_course(volunteer, course)
    sign_in(client, coordinator)
    table = client.get(f"/lv/teams/{team.slug}/training/").content.decode()
    assert "Titled (lv)" in table and "Picked lv (lv)" in table
    sign_in(client, volunteer)
    assert "Titled (lv)" in client.get("/lv/learning/certificates/").content.decode()
    assert "Titled (lv)" in client.get("/lv/").content.decode()
    code = CourseCompletion.objects.get().verification_code
    assert "Titled (lv)" in client.get(f"/lv/certificates/{code}/").content.decode()


def test_training_table_queries_do_not_grow_with_volunteers_or_their_attempts(
    client, team, coordinator, required, django_assert_max_num_queries
):
    sign_in(client, coordinator)
    member(team, Role.VOLUNTEER)
    with django_assert_max_num_queries(40) as small:
        training(client, team)
    second = make_course(title="Second", modules=3)
    CourseAssignment.objects.create(team=team, course=second, due_date="2099-01-01")
    for _ in range(12):
        volunteer = member(team, Role.VOLUNTEER)
        finish_course(volunteer, required)
        attempt(volunteer, modules_of(second)[0], correctly=False)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = training(client, team)
    assert response.content.decode().count("Complete") >= 12
