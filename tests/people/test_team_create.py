"""A brand-new site admin starts a team from the site (or the command line) by inviting its
first coordinator."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from people.models import Invitation, Role, Team
from people.services import team_slug_for
from tests.people.factories import UserFactory, enrol_totp, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_admin(db):
    admin = UserFactory(is_staff=True, is_superuser=True, email="root@example.org")
    enrol_totp(admin)
    return admin


def test_the_home_page_tells_a_new_site_admin_how_to_start(client, site_admin):
    sign_in(client, site_admin)
    page = client.get("/en/").content.decode()
    assert "how to start" in page
    assert reverse("people:team_create") in page and "/django-admin/" in page


def test_a_site_admin_starts_a_team_with_its_first_coordinator(client, site_admin):
    sign_in(client, site_admin)
    response = client.post(
        reverse("people:team_create"),
        {"name": "  Night   line ", "coordinator_email": "First.Coord@Example.org"},
    )
    assert response.status_code == 200
    team = Team.objects.get()
    assert (team.name, team.slug) == ("Night line", "night-line")
    invitation = Invitation.objects.get()
    assert (invitation.team, invitation.role, invitation.email) == (
        team,
        Role.COORDINATOR,
        "first.coord@example.org",
    )
    link = response.context["link"]
    assert link in response.content.decode()
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert not team.memberships.exists()  # the site admin holds no team role


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "coordinator_email": "a@example.org"}, "This field is required"),
        ({"name": "x" * 121, "coordinator_email": "a@example.org"}, "at most 120"),
        ({"name": "Line", "coordinator_email": "not an address"}, "valid email"),
        ({"name": "Line", "coordinator_email": "a" * 250 + "@x.org"}, "at most 254"),
        ({"name": "helpline", "coordinator_email": "a@example.org"}, "already exists"),
    ],
)
def test_bad_input_is_a_clear_form_error(client, site_admin, team, data, message):
    sign_in(client, site_admin)
    response = client.post(reverse("people:team_create"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Team.objects.count() == 1


@pytest.mark.parametrize("role", ["volunteer", "supervisor", "coordinator", "outsider"])
def test_only_site_admins_start_teams(client, role, request):
    sign_in(client, request.getfixturevalue(role))
    assert client.get(reverse("people:team_create")).status_code == 403
    data = {"name": "Sneaky", "coordinator_email": "x@example.org"}
    assert client.post(reverse("people:team_create"), data).status_code == 403
    assert not Team.objects.filter(name="Sneaky").exists()


@pytest.mark.parametrize(
    ("name", "slug"),
    [("Helpline", "helpline-2"), ("Линия доверия", "team"), ("new", "new-2"), ("Ēnas", "enas")],
)
def test_team_addresses_are_plain_and_unique(team, name, slug):
    assert team_slug_for(name) == slug


def test_the_command_line_does_the_same(site_admin):
    out = io.StringIO()
    call_command("team_create", "Trust line", "coord@example.org", stdout=out)
    assert Team.objects.filter(name="Trust line").exists()
    assert "/invitations/" in out.getvalue()
    assert Invitation.objects.get().role == Role.COORDINATOR
    with pytest.raises(CommandError, match="already exists"):
        call_command("team_create", "trust line", "other@example.org", stdout=io.StringIO())


def test_the_command_needs_a_site_admin(db):
    with pytest.raises(CommandError, match="createsuperuser"):
        call_command("team_create", "Line", "c@example.org", stdout=io.StringIO())
