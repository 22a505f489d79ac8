import pytest
from django.urls import reverse

from people.models import Role
from tests.people.factories import member

pytestmark = pytest.mark.django_db


def test_team_page_members_visible_to_staff_roles_only(
    client, team, coordinator, supervisor, volunteer
):
    url = reverse("people:team_detail", kwargs={"slug": team.slug})
    for user, sees_members in ((coordinator, True), (supervisor, True), (volunteer, False)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert ("Supervisor</td>" in page) is sees_members


def test_outsider_cannot_see_team(client, team, outsider):
    client.force_login(outsider)
    response = client.get(reverse("people:team_detail", kwargs={"slug": team.slug}))
    assert response.status_code == 403
    assert "have access to this page" in response.content.decode()


def test_single_coordinator_warning(client, team, coordinator):
    client.force_login(coordinator)
    url = reverse("people:team_detail", kwargs={"slug": team.slug})
    assert "fewer than two coordinators" in client.get(url).content.decode()
    member(team, Role.COORDINATOR)
    assert "fewer than two coordinators" not in client.get(url).content.decode()


def test_team_page_query_count_is_constant(
    client, team, coordinator, django_assert_max_num_queries
):
    for _ in range(25):
        member(team, Role.VOLUNTEER)
    client.force_login(coordinator)
    with django_assert_max_num_queries(14):
        client.get(reverse("people:team_detail", kwargs={"slug": team.slug}))
    with django_assert_max_num_queries(12):
        client.get(reverse("people:team_list"))


def test_team_settings_only_for_coordinators(client, team, coordinator, supervisor, volunteer):
    url = reverse("people:team_settings", kwargs={"slug": team.slug})
    for user in (supervisor, volunteer):
        client.force_login(user)
        assert client.post(url, {"require_mfa_for_volunteers": "on"}).status_code == 403
    team.refresh_from_db()
    assert not team.require_mfa_for_volunteers
    client.force_login(coordinator)
    assert client.post(url, {"require_mfa_for_volunteers": "on"}).status_code == 302
    team.refresh_from_db()
    assert team.require_mfa_for_volunteers


def test_preferences_save_and_reject_bad_timezone(client, volunteer):
    client.force_login(volunteer)
    url = reverse("people:preferences")
    response = client.post(
        url, {"display_name": "Blue", "preferred_language": "ru", "timezone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["timezone"]
    response = client.post(
        url, {"display_name": "Blue", "preferred_language": "ru", "timezone": "Europe/Riga"}
    )
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert (volunteer.display_name, volunteer.preferred_language) == ("Blue", "ru")
    assert response.cookies["atbalsts_language"].value == "ru"
