"""A team never depends on one person: never fewer than one coordinator, a standing warning
below two with a second factor, and every change on the append-only audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from people.continuity import (
    audit_record,
    membership_remove,
    membership_role_change,
    team_continuity,
)
from people.models import AuditAction, AuditEntry, Membership, Role
from tests.people.factories import TeamFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def membership(user, team):
    return Membership.objects.get(user=user, team=team)


def test_the_last_coordinator_cannot_be_demoted_or_removed(team, coordinator):
    admin = UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(ValidationError):
        membership_role_change(membership=membership(coordinator, team), role="volunteer", by=admin)
    with pytest.raises(ValidationError):
        membership_remove(membership=membership(coordinator, team), by=admin)
    assert membership(coordinator, team).role == Role.COORDINATOR
    assert not AuditEntry.objects.exists()


def test_with_a_second_coordinator_one_can_step_down_and_it_is_recorded(team, coordinator):
    second = member(team, Role.COORDINATOR, display_name="Marta")
    membership_role_change(membership=membership(second, team), role="volunteer", by=coordinator)
    assert membership(second, team).role == Role.VOLUNTEER
    (entry,) = AuditEntry.objects.all()
    assert (entry.action, entry.actor_id, entry.subject_id, entry.details) == (
        AuditAction.ROLE_CHANGED,
        coordinator.pk,
        second.pk,
        {"from": "coordinator", "to": "volunteer"},
    )


def test_a_deactivated_coordinator_does_not_count(team, coordinator):
    gone = member(team, Role.COORDINATOR, display_name="Gone")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError):
        membership_remove(membership=membership(coordinator, team), by=coordinator)


def test_removing_a_member_is_recorded(team, coordinator, volunteer):
    membership_remove(membership=membership(volunteer, team), by=coordinator)
    assert not Membership.objects.filter(user=volunteer, team=team).exists()
    (entry,) = AuditEntry.objects.all()
    assert entry.action == AuditAction.MEMBER_REMOVED and entry.details == {"role": "volunteer"}


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.SUPERVISOR])
def test_only_coordinators_manage_members(team, volunteer, role):
    actor = member(team, role)
    with pytest.raises(PermissionDenied):
        membership_remove(membership=membership(volunteer, team), by=actor)
    with pytest.raises(PermissionDenied):
        membership_role_change(membership=membership(volunteer, team), role="supervisor", by=actor)


def test_another_teams_coordinator_cannot(team, volunteer):
    other = member(TeamFactory(name="Other", slug="other"), Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        membership_remove(membership=membership(volunteer, team), by=other)


def test_an_unknown_role_is_refused(team, coordinator, volunteer):
    with pytest.raises(ValidationError):
        membership_role_change(membership=membership(volunteer, team), role="boss", by=coordinator)


def test_the_warning_stands_below_two_coordinators_with_a_second_factor(team, coordinator):
    assert team_continuity(team=team).warning
    member(team, Role.COORDINATOR, mfa=False, display_name="No code yet")
    assert team_continuity(team=team).warning
    member(team, Role.COORDINATOR, display_name="Marta")
    state = team_continuity(team=team)
    assert not state.warning and state.ready == 2 and len(state.coordinators) == 3


def test_the_audit_trail_refuses_changes(team, coordinator):
    entry = audit_record(team=team, actor=coordinator, action=AuditAction.ROLE_CHANGED)
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="member_removed")
    for statement in (
        "UPDATE people_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM people_auditentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.ROLE_CHANGED


# --- In the site ---------------------------------------------------------------------------


def member_url(name, team, membership_):
    from django.urls import reverse

    return reverse(f"people:{name}", kwargs={"slug": team.slug, "pk": membership_.pk})


def test_a_coordinator_changes_a_role_in_the_site(client, team, coordinator, volunteer):
    from tests.people.factories import sign_in

    sign_in(client, coordinator)
    url = member_url("member", team, membership(volunteer, team))
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": "supervisor"})
    assert response.status_code == 302
    assert membership(volunteer, team).role == Role.SUPERVISOR
    assert AuditEntry.objects.get().action == AuditAction.ROLE_CHANGED


@pytest.mark.parametrize("value", ["", "boss", "coordinator' OR 1=1"])
def test_a_bad_role_is_explained(client, team, coordinator, volunteer, value):
    from tests.people.factories import sign_in

    sign_in(client, coordinator)
    response = client.post(member_url("member", team, membership(volunteer, team)), {"role": value})
    assert response.status_code == 400
    assert membership(volunteer, team).role == Role.VOLUNTEER


def test_the_last_coordinator_is_told_why_not(client, team, coordinator):
    from tests.people.factories import sign_in

    sign_in(client, coordinator)
    mine = membership(coordinator, team)
    response = client.post(member_url("member", team, mine), {"role": "volunteer"})
    assert response.status_code == 400
    assert "no coordinator left" in response.content.decode()
    response = client.post(member_url("member_remove", team, mine))
    assert response.status_code == 400
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_removing_asks_first_then_removes(client, team, coordinator, volunteer):
    from tests.people.factories import sign_in

    sign_in(client, coordinator)
    url = member_url("member_remove", team, membership(volunteer, team))
    assert client.get(url).status_code == 200
    assert Membership.objects.filter(user=volunteer, team=team).exists()
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(user=volunteer, team=team).exists()


@pytest.mark.parametrize("role,status", [(Role.VOLUNTEER, 403), (Role.SUPERVISOR, 403)])
def test_other_roles_cannot_manage_members_in_the_site(client, team, volunteer, role, status):
    from tests.people.factories import sign_in

    sign_in(client, member(team, role))
    for name in ("member", "member_remove"):
        url = member_url(name, team, membership(volunteer, team))
        assert client.get(url).status_code == status
        assert client.post(url, {"role": "coordinator"}).status_code == status
    assert membership(volunteer, team).role == Role.VOLUNTEER


def test_another_team_sees_nothing(client, team, volunteer):
    from tests.people.factories import sign_in

    other = TeamFactory(name="Other", slug="other")
    sign_in(client, member(other, Role.COORDINATOR))
    url = member_url("member", team, membership(volunteer, team))
    assert client.get(url).status_code == 404
    # Nor a member of another team through this team's address.
    theirs = Membership.objects.get(team=other)
    sign_in(client, member(team, Role.COORDINATOR))
    assert client.get(member_url("member", team, theirs)).status_code == 404


def test_every_coordinators_home_page_warns_while_fewer_than_two(client, team, coordinator):
    from tests.people.factories import sign_in

    sign_in(client, coordinator)
    assert "fewer than two coordinators with a second factor" in client.get("/en/").text
    member(team, Role.COORDINATOR, display_name="Marta")
    assert "fewer than two coordinators with a second factor" not in client.get("/en/").text
