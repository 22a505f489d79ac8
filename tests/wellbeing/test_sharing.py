"""Sharing only by choice: supervisors see a flag (never answers), coordinators see scores
only with consent, withdrawing hides the past again, every look is on the append-only access
record, and team totals exist only for groups of at least five."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from tests.people.factories import TeamFactory, member, sign_in
from tests.wellbeing.factories import HEAVY, load_wording, pulse
from wellbeing import instruments, selectors, services
from wellbeing.models import AccessRecord
from wellbeing.permissions import can_see_flags, can_see_scores_of, can_see_team_totals

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def volunteer_named(request):
    """A name that appears on no page by itself ("Volunteer" is in the explanations)."""
    if "volunteer" in request.fixturenames:
        person = request.getfixturevalue("volunteer")
        person.display_name = "River Stone"
        person.save()


def share(user, team, *, flag=False, scores=False, left_out=False):
    return services.sharing_update(
        user=user,
        team=team,
        flag_to_supervisors=flag,
        scores_to_coordinators=scores,
        left_out_of_totals=left_out,
    )


def team_page(client, team):
    return client.get(reverse("wellbeing:team", kwargs={"slug": team.slug}))


# --- Nothing by default -------------------------------------------------------------------


def test_without_a_choice_nobody_sees_anything(client, team, volunteer, supervisor, coordinator):
    pulse(volunteer, HEAVY)
    for viewer in (supervisor, coordinator):
        client.logout()
        sign_in(client, viewer)
        page = team_page(client, team)
        assert page.status_code == 200
        assert volunteer.display_name not in page.content.decode()
        url = reverse("wellbeing:team_person", kwargs={"slug": team.slug, "user_id": volunteer.pk})
        assert client.get(url).status_code == 404
    assert not AccessRecord.objects.exists()


def test_a_volunteer_has_no_team_page(client, team, volunteer):
    sign_in(client, volunteer)
    assert team_page(client, team).status_code == 403


def test_another_teams_staff_find_nothing(client, team, volunteer):
    share(volunteer, team, flag=True, scores=True)
    pulse(volunteer, HEAVY)
    elsewhere = TeamFactory(name="Elsewhere", slug="elsewhere")
    for role in (Role.SUPERVISOR, Role.COORDINATOR):
        client.logout()
        sign_in(client, member(elsewhere, role))
        assert team_page(client, team).status_code == 404
        url = reverse("wellbeing:team_person", kwargs={"slug": team.slug, "user_id": volunteer.pk})
        assert client.get(url).status_code == 404
        url = reverse(
            "wellbeing:team_person", kwargs={"slug": elsewhere.slug, "user_id": volunteer.pk}
        )
        assert client.get(url).status_code == 404


# --- Supervisors: the flag only -----------------------------------------------------------


def test_a_supervisor_sees_only_the_flag_and_the_look_is_recorded(
    client, team, volunteer, supervisor, coordinator
):
    share(volunteer, team, flag=True)
    check_in = pulse(volunteer, HEAVY, note="private words")
    sign_in(client, supervisor)
    page = team_page(client, team).content.decode()
    assert volunteer.display_name in page
    assert "private words" not in page
    assert "heavy" not in page.lower() and ">0<" not in page  # no band, no score
    (record,) = AccessRecord.objects.all()
    assert (record.viewer_id, record.subject_id, record.what) == (
        supervisor.pk,
        volunteer.pk,
        "flag",
    )
    # The supervisor cannot open the scores.
    url = reverse("wellbeing:team_person", kwargs={"slug": team.slug, "user_id": volunteer.pk})
    assert client.get(url).status_code == 404
    # Coordinators do not see the flag (it is for supervisors).
    client.logout()
    sign_in(client, coordinator)
    assert volunteer.display_name not in team_page(client, team).content.decode()
    assert check_in.pk


def test_no_flag_when_the_latest_check_in_is_fine(client, team, volunteer, supervisor):
    share(volunteer, team, flag=True)
    pulse(volunteer, HEAVY, now=timezone.now() - timedelta(days=7))
    pulse(volunteer)  # a steady week since
    sign_in(client, supervisor)
    assert volunteer.display_name not in team_page(client, team).content.decode()
    assert not AccessRecord.objects.exists()


def test_withdrawing_the_flag_hides_it_again(client, team, volunteer, supervisor):
    share(volunteer, team, flag=True)
    pulse(volunteer, HEAVY)
    share(volunteer, team, flag=False)
    sign_in(client, supervisor)
    assert volunteer.display_name not in team_page(client, team).content.decode()


# --- Coordinators: scores with consent ----------------------------------------------------


def test_a_coordinator_sees_shared_scores_and_each_look_is_recorded(
    client, team, volunteer, coordinator
):
    share(volunteer, team, scores=True)
    pulse(volunteer)
    sign_in(client, coordinator)
    assert volunteer.display_name in team_page(client, team).content.decode()
    url = reverse("wellbeing:team_person", kwargs={"slug": team.slug, "user_id": volunteer.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert "<svg" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert AccessRecord.objects.filter(subject=volunteer, viewer=coordinator).count() == 2
    # The volunteer sees who looked.
    client.logout()
    sign_in(client, volunteer)
    home = client.get(reverse("wellbeing:home")).content.decode()
    assert coordinator.display_name in home and "your scores" in home


def test_withdrawing_consent_hides_past_scores_at_once(client, team, volunteer, coordinator):
    share(volunteer, team, scores=True)
    pulse(volunteer)
    share(volunteer, team, scores=False)
    sign_in(client, coordinator)
    url = reverse("wellbeing:team_person", kwargs={"slug": team.slug, "user_id": volunteer.pk})
    assert client.get(url).status_code == 404
    assert volunteer.display_name not in team_page(client, team).content.decode()


def test_sharing_with_one_team_shares_nothing_with_another(client, team, volunteer):
    other = TeamFactory(name="Second", slug="second")
    from people.models import Membership

    Membership.objects.create(user=volunteer, team=other, role=Role.VOLUNTEER)
    other_coordinator = member(other, Role.COORDINATOR)
    share(volunteer, team, scores=True)
    pulse(volunteer)
    sign_in(client, other_coordinator)
    url = reverse("wellbeing:team_person", kwargs={"slug": other.slug, "user_id": volunteer.pk})
    assert client.get(url).status_code == 404


def test_the_sharing_form_saves_choices_for_my_team_only(client, team, volunteer):
    sign_in(client, volunteer)
    url = reverse("wellbeing:sharing", kwargs={"slug": team.slug})
    client.post(url, {f"team-{team.pk}-flag_to_supervisors": "on"})
    choice = volunteer.wellbeing_sharing.get(team=team)
    assert choice.flag_to_supervisors and not choice.scores_to_coordinators
    other = TeamFactory(name="Not mine", slug="not-mine")
    response = client.post(reverse("wellbeing:sharing", kwargs={"slug": other.slug}), {})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "role,flags,scores,totals",
    [
        (Role.VOLUNTEER, False, False, False),
        (Role.SUPERVISOR, True, False, False),
        (Role.COORDINATOR, False, True, True),
    ],
)
def test_permission_table(team, volunteer, role, flags, scores, totals):
    share(volunteer, team, flag=True, scores=True)
    viewer = member(team, role)
    assert can_see_flags(user=viewer, team=team) is flags
    assert can_see_scores_of(user=viewer, team=team, subject=volunteer) is scores
    assert can_see_team_totals(user=viewer, team=team) is totals
    assert can_see_scores_of(user=volunteer, team=team, subject=volunteer)


# --- The access record is append-only ------------------------------------------------------


def record(viewer, subject, team):
    return services.access_record(viewer=viewer, subject=subject, team=team, what="scores")


def test_the_access_record_refuses_changes_through_the_orm(team, volunteer, coordinator):
    entry = record(coordinator, volunteer, team)
    entry.what = "flag"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AccessRecord.objects.filter(pk=entry.pk).update(what="flag")
    with pytest.raises(ValidationError):
        AccessRecord.objects.filter(pk=entry.pk).delete()
    assert AccessRecord.objects.get(pk=entry.pk).what == "scores"


def test_the_database_refuses_changes_through_raw_sql(team, volunteer, coordinator):
    entry = record(coordinator, volunteer, team)
    for statement in (
        "UPDATE wellbeing_accessrecord SET what = 'flag' WHERE id = %s",
        "DELETE FROM wellbeing_accessrecord WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AccessRecord.objects.get(pk=entry.pk).what == "scores"


def test_records_past_their_keeping_time_are_pruned_and_no_others(
    team, volunteer, coordinator, settings
):
    old = record(coordinator, volunteer, team)
    settings.WELLBEING_ACCESS_LOG_KEEP_MONTHS = 0
    expired = services.access_record(
        viewer=coordinator,
        subject=volunteer,
        team=team,
        what="scores",
        now=timezone.now() - timedelta(days=2),
    )
    _check_ins, pruned = services.retention_prune()
    assert pruned == 1
    assert list(AccessRecord.objects.values_list("pk", flat=True)) == [old.pk]
    assert expired.pk != old.pk


# --- Team totals: five or nothing ---------------------------------------------------------


def volunteers(team, count):
    return [member(team, Role.VOLUNTEER, display_name=f"V{n}") for n in range(count)]


@pytest.mark.parametrize("count,shown", [(4, False), (5, True), (6, True)])
def test_totals_need_five_people(team, count, shown):
    for person in volunteers(team, count):
        pulse(person)
    (this_month, *_rest) = selectors.team_totals(team=team, instrument=instruments.PULSE)
    assert this_month.respondents == count
    assert this_month.shown is shown
    assert bool(this_month.means) is shown
    assert bool(this_month.bands) is shown


def test_a_person_counts_once_a_month_with_the_mean_of_their_check_ins(team):
    people = volunteers(team, 5)
    for person in people[:4]:
        pulse(person, HEAVY, now=timezone.now() - timedelta(minutes=30))  # 0
        pulse(person)  # 75: this person's month is 37.5, "heavy"
    pulse(people[4])
    pulse(people[4])
    pulse(people[4])  # three steady weeks weigh as one person
    (this_month, *_rest) = selectors.team_totals(team=team, instrument=instruments.PULSE)
    assert this_month.respondents == 5
    assert this_month.means == {"pulse": round((4 * 37.5 + 75) / 5, 1)}
    assert this_month.bands == {"pulse": {"heavy": 4, "steady": 1}}


def test_totals_of_a_questionnaire_with_several_scales_and_raw_bands(team):
    load_wording("who5")
    for person in volunteers(team, 5):
        services.checkin_create(
            user=person, instrument_key="who5", answers=dict.fromkeys(range(1, 6), 2)
        )  # raw 10: 40 %, "low wellbeing"
    (this_month, *_rest) = selectors.team_totals(team=team, instrument=instruments.WHO5)
    assert this_month.means == {"wellbeing": 40.0}
    band = instruments.band_for(instruments.WHO5.subscales[0], 10)
    assert this_month.bands == {"wellbeing": {band.key: 5}}


def test_the_threshold_can_be_raised_never_lowered(team, settings):
    for person in volunteers(team, 6):
        pulse(person)
    settings.WELLBEING_MIN_RESPONDENTS = 7
    assert not selectors.team_totals(team=team, instrument=instruments.PULSE)[0].shown
    settings.WELLBEING_MIN_RESPONDENTS = 2
    assert selectors.min_respondents() == 5


def test_people_who_leave_themselves_out_are_not_counted(team):
    people = volunteers(team, 5)
    for person in people:
        pulse(person)
    share(people[0], team, left_out=True)
    (this_month, *_rest) = selectors.team_totals(team=team, instrument=instruments.PULSE)
    assert this_month.respondents == 4 and not this_month.shown


def test_the_coordinators_page_shows_totals_or_says_why_not(client, team, coordinator):
    for person in volunteers(team, 4):
        pulse(person)
    sign_in(client, coordinator)
    page = team_page(client, team).content.decode()
    assert "Not enough responses to show without identifying anyone" in page
    for person in volunteers(team, 1):
        pulse(person)
    page = team_page(client, team).content.decode()
    assert "75" in page


def test_the_team_page_has_a_query_budget(client, team, coordinator, django_assert_max_num_queries):
    people = volunteers(team, 12)
    for person in people:
        pulse(person)
    for person in people[:4]:
        share(person, team, scores=True)
    sign_in(client, coordinator)
    team_page(client, team)
    with django_assert_max_num_queries(30):
        assert team_page(client, team).status_code == 200
