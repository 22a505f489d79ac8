import re

import pytest
from django.urls import reverse

from people.models import Role
from tests.people.factories import member, sign_in

pytestmark = pytest.mark.django_db


def test_team_page_members_visible_to_staff_roles_only(
    client, team, coordinator, supervisor, volunteer
):
    url = reverse("people:team_detail", kwargs={"slug": team.slug})
    for user, sees_members in ((coordinator, True), (supervisor, True), (volunteer, False)):
        sign_in(client, user)
        page = client.get(url).content.decode()
        assert ("Supervisor</td>" in page) is sees_members


def test_outsider_cannot_tell_a_team_from_a_missing_one(client, team, outsider):
    """A team name cannot be discovered by trying it: another team's page and a team that
    does not exist answer the same 404."""
    sign_in(client, outsider)
    existing = client.get(reverse("people:team_detail", kwargs={"slug": team.slug}))
    missing = client.get(reverse("people:team_detail", kwargs={"slug": "no-such-team"}))
    assert existing.status_code == missing.status_code == 404
    # The same page, but for the CSRF token and the "next" of the language switch.
    without_tokens = [re.sub(r'value="[^"]+"', "", r.content.decode()) for r in (existing, missing)]
    assert without_tokens[0] == without_tokens[1]
    for name in ("settings", "invitations", "training"):
        url = f"/en/teams/{team.slug}/{name}/"
        assert client.get(url).status_code == 404, url


def test_single_coordinator_warning(client, team, coordinator):
    sign_in(client, coordinator)
    url = reverse("people:team_detail", kwargs={"slug": team.slug})
    assert "fewer than two coordinators" in client.get(url).content.decode()
    member(team, Role.COORDINATOR)
    assert "fewer than two coordinators" not in client.get(url).content.decode()


def test_team_page_query_count_is_constant(
    client, team, coordinator, django_assert_max_num_queries
):
    for _ in range(25):
        member(team, Role.VOLUNTEER)
    sign_in(client, coordinator)
    with django_assert_max_num_queries(14):
        client.get(reverse("people:team_detail", kwargs={"slug": team.slug}))
    with django_assert_max_num_queries(12):
        client.get(reverse("people:team_list"))


def test_team_settings_only_for_coordinators(client, team, coordinator, supervisor, volunteer):
    url = reverse("people:team_settings", kwargs={"slug": team.slug})
    for user in (supervisor, volunteer):
        sign_in(client, user)
        assert client.post(url, {"require_mfa_for_volunteers": "on"}).status_code == 403
    team.refresh_from_db()
    assert not team.require_mfa_for_volunteers
    sign_in(client, coordinator)
    assert client.post(url, {"require_mfa_for_volunteers": "on"}).status_code == 302
    team.refresh_from_db()
    assert team.require_mfa_for_volunteers


def test_preferences_save_and_reject_bad_timezone(client, volunteer):
    sign_in(client, volunteer)
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
