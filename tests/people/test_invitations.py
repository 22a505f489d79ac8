"""Invite-only signup: a coordinator invites an address; only that address, once, within
seven days, and only while the invitation is not revoked, can sign up with it."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from people.models import Invitation, Membership, Role, User
from people.services import (
    InvitationError,
    invitation_accept,
    invitation_create,
    invitation_revoke,
)
from tests.people.factories import InvitationFactory, UserFactory, sign_in

pytestmark = pytest.mark.django_db

SIGNUP_PASSWORD = "correct-horse-battery-staple"


def signup(client, token, *, email, display_name="River", follow=True):
    client.post(reverse("people:invitation_accept", kwargs={"token": token}))
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "display_name": display_name,
            "preferred_language": "lv",
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
        },
        follow=follow,
    )


def test_coordinator_creates_invitation_and_email_is_sent(client, team, coordinator):
    sign_in(client, coordinator)
    response = client.post(
        reverse("people:invitation_list", kwargs={"slug": team.slug}),
        {"email": "New.Person@Example.org", "role": Role.VOLUNTEER},
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.email == "new.person@example.org"
    assert invitation.invited_by == coordinator
    assert invitation.expires_at - timezone.now() > timedelta(days=6, hours=23)
    # The link is shown once to the coordinator and e-mailed; only its hash is stored.
    link = response.context["new_invitation_url"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in invitation.token_hash
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert link in mail.outbox[0].body


def test_valid_invitation_lets_the_invited_address_sign_up(client, team):
    InvitationFactory(
        team=team, email="river@example.org", role=Role.SUPERVISOR, token="tok-valid-123456"
    )
    response = signup(client, "tok-valid-123456", email="river@example.org")
    assert response.status_code == 200
    user = User.objects.get(email="river@example.org")
    assert user.display_name == "River"
    assert user.preferred_language == "lv"
    membership = Membership.objects.get(user=user)
    assert membership.team == team
    assert membership.role == Role.SUPERVISOR
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert invitation.accepted_at is not None
    # The invitation link proved the address: no separate verification e-mail needed.
    assert user.emailaddress_set.get().verified


def test_invitation_page_shows_team_and_role(client, team):
    InvitationFactory(
        team=team, email="river@example.org", role=Role.VOLUNTEER, token="tok-show-1234567"
    )
    response = client.get(reverse("people:invitation_accept", kwargs={"token": "tok-show-1234567"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert team.name in page
    assert "Volunteer" in page
    assert "river@example.org" in page


def test_open_signup_is_closed_without_an_invitation(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Accounts are by invitation only" in response.content.decode()
    client.post(
        reverse("account_signup"),
        {
            "email": "someone@example.org",
            "display_name": "X",
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
        },
    )
    assert not User.objects.filter(email="someone@example.org").exists()


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("expired", "This invitation has expired"),
        ("revoked", "This invitation was withdrawn"),
        ("used", "This invitation has already been used"),
        ("unknown", "This invitation link is not valid"),
    ],
)
def test_unusable_invitation_is_refused_with_a_clear_message(client, team, state, message):
    invitation = InvitationFactory(team=team, email="river@example.org", token="tok-state-1234567")
    if state == "expired":
        invitation.expires_at = timezone.now() - timedelta(minutes=1)
    elif state == "revoked":
        invitation.revoked_at = timezone.now()
    elif state == "used":
        invitation.accepted_at = timezone.now()
    invitation.save()
    token = "not-a-real-token" if state == "unknown" else "tok-state-1234567"

    response = client.get(reverse("people:invitation_accept", kwargs={"token": token}))
    assert response.status_code == 410
    assert message in response.content.decode()

    signup(client, token, email="river@example.org")
    assert not User.objects.filter(email="river@example.org").exists()


def test_invitation_expires_after_seven_days(client, team, coordinator):
    with time_machine.travel("2026-03-01 10:00Z", tick=False):
        created = invitation_create(
            team=team, email="late@example.org", role=Role.VOLUNTEER, invited_by=coordinator
        )
    with time_machine.travel("2026-03-08 09:59Z", tick=False):
        assert (
            client.get(
                reverse("people:invitation_accept", kwargs={"token": created.token})
            ).status_code
            == 200
        )
    with time_machine.travel("2026-03-08 10:01Z", tick=False):
        assert (
            client.get(
                reverse("people:invitation_accept", kwargs={"token": created.token})
            ).status_code
            == 410
        )


def test_signup_with_a_different_email_than_invited_fails(client, team):
    InvitationFactory(team=team, email="river@example.org", token="tok-wrong-1234567")
    response = signup(client, "tok-wrong-1234567", email="someone.else@example.org", follow=False)
    assert response.status_code == 200
    assert "This invitation was sent to a different e-mail address" in response.content.decode()
    assert not User.objects.filter(email="someone.else@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_invitation_is_single_use(client, team):
    InvitationFactory(team=team, email="river@example.org", token="tok-once-1234567")
    url = reverse("people:invitation_accept", kwargs={"token": "tok-once-1234567"})
    signup(client, "tok-once-1234567", email="river@example.org")
    client.logout()
    response = client.post(url)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_revoked_while_signup_form_is_open_fails_cleanly(client, team, coordinator, monkeypatch):
    """The coordinator revokes the invitation in the very moment the newcomer submits the
    form: after the form was accepted, before the account is saved. A clear page, no
    account, no membership."""
    from people.adapters import InvitationOnlyAccountAdapter

    invitation = InvitationFactory(team=team, email="river@example.org", token="tok-race-1234567")
    client.post(reverse("people:invitation_accept", kwargs={"token": "tok-race-1234567"}))
    original_clean = InvitationOnlyAccountAdapter.clean_password

    def revoke_meanwhile(self, password, user=None):
        invitation_revoke(invitation=invitation, revoked_by=coordinator)
        return original_clean(self, password, user=user)

    monkeypatch.setattr(InvitationOnlyAccountAdapter, "clean_password", revoke_meanwhile)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "river@example.org",
            "display_name": "R",
            "password1": SIGNUP_PASSWORD,
            "password2": SIGNUP_PASSWORD,
        },
    )
    assert response.status_code == 410
    assert "This invitation link is not valid" in response.content.decode()
    assert not User.objects.filter(email="river@example.org").exists()
    assert not Membership.objects.filter(team=team, user__email="river@example.org").exists()


def test_logged_in_user_with_invited_address_joins_another_team(client, team):
    user = UserFactory(email="river@example.org")
    InvitationFactory(
        team=team, email="river@example.org", role=Role.COORDINATOR, token="tok-join-1234567"
    )
    sign_in(client, user)
    response = client.post(
        reverse("people:invitation_accept", kwargs={"token": "tok-join-1234567"})
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=user, team=team).role == Role.COORDINATOR


def test_logged_in_user_with_other_address_cannot_take_the_invitation(client, team):
    user = UserFactory(email="not.river@example.org")
    InvitationFactory(team=team, email="river@example.org", token="tok-steal-1234567")
    sign_in(client, user)
    response = client.post(
        reverse("people:invitation_accept", kwargs={"token": "tok-steal-1234567"})
    )
    assert response.status_code == 403
    assert not Membership.objects.filter(user=user).exists()


def test_coordinator_revokes_and_sees_only_pending(
    client, team, coordinator, django_assert_max_num_queries
):
    pending = InvitationFactory(team=team, email="pending@example.org", invited_by=coordinator)
    InvitationFactory(
        team=team, email="old@example.org", expires_at=timezone.now() - timedelta(days=1)
    )
    InvitationFactory(team=team, email="used@example.org", accepted_at=timezone.now())
    for n in range(10):
        InvitationFactory(team=team, email=f"more{n}@example.org", invited_by=coordinator)
    sign_in(client, coordinator)
    url = reverse("people:invitation_list", kwargs={"slug": team.slug})
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "pending@example.org" in page
    assert "old@example.org" not in page
    assert "used@example.org" not in page

    client.post(reverse("people:invitation_revoke", kwargs={"slug": team.slug, "pk": pending.pk}))
    pending.refresh_from_db()
    assert pending.revoked_by == coordinator
    response = client.get(url)
    assert "was revoked" in response.content.decode()
    assert pending not in response.context["invitations"]


def test_duplicate_pending_invitation_and_existing_member_are_refused(team, coordinator, volunteer):
    invitation_create(
        team=team, email="twice@example.org", role=Role.VOLUNTEER, invited_by=coordinator
    )
    with pytest.raises(InvitationError, match="already has a pending invitation"):
        invitation_create(
            team=team, email="TWICE@example.org", role=Role.VOLUNTEER, invited_by=coordinator
        )
    with pytest.raises(InvitationError, match="already a member"):
        invitation_create(
            team=team, email=volunteer.email, role=Role.VOLUNTEER, invited_by=coordinator
        )


def test_invalid_email_in_the_form_shows_an_error(client, team, coordinator):
    sign_in(client, coordinator)
    response = client.post(
        reverse("people:invitation_list", kwargs={"slug": team.slug}),
        {"email": "not an email", "role": "volunteer"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("role_fixture", ["volunteer", "supervisor", "outsider"])
def test_only_coordinators_invite_or_revoke(client, team, coordinator, role_fixture, request):
    user = request.getfixturevalue(role_fixture)
    invitation = InvitationFactory(team=team)
    sign_in(client, user)
    refused = 404 if role_fixture == "outsider" else 403  # outsiders cannot tell the team exists
    list_url = reverse("people:invitation_list", kwargs={"slug": team.slug})
    assert client.get(list_url).status_code == refused
    data = {"email": "x@example.org", "role": "coordinator"}
    assert client.post(list_url, data).status_code == refused
    revoke_url = reverse(
        "people:invitation_revoke", kwargs={"slug": team.slug, "pk": invitation.pk}
    )
    assert client.post(revoke_url).status_code == refused
    with pytest.raises(PermissionDenied):
        invitation_create(team=team, email="y@example.org", role=Role.VOLUNTEER, invited_by=user)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Invitation.objects.count() == 1


def test_anonymous_is_sent_to_login(client, team):
    response = client.get(reverse("people:invitation_list", kwargs={"slug": team.slug}))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_accepting_twice_in_the_service_is_refused(team):
    user = UserFactory(email="river@example.org")
    invitation = InvitationFactory(team=team, email="river@example.org")
    invitation_accept(invitation=invitation, user=user)
    with pytest.raises(InvitationError, match="already been used"):
        invitation_accept(invitation=invitation, user=user)


def every_row_of_every_table() -> str:
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows.append(repr(cursor.fetchall()))
    return "\n".join(rows)


@pytest.mark.django_db(transaction=True)  # the worker commits and closes its connection
def test_no_table_holds_the_invitation_token_after_the_job_ran(
    site_db, client, team, coordinator, settings
):
    """With the real database job queue: the job's arguments carry the link encrypted, the
    worker sends it, and the finished job is pruned by the tick. At no point is the token
    in clear at rest."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_RESULTS_KEEP_DAYS = 0
    sign_in(client, coordinator)
    response = client.post(
        reverse("people:invitation_list", kwargs={"slug": team.slug}),
        {"email": "new.person@example.org", "role": Role.VOLUNTEER},
    )
    link = response.context["new_invitation_url"]
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert DBTaskResult.objects.count() == 1  # queued, not sent yet
    assert token not in every_row_of_every_table()

    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert len(mail.outbox) == 1 and link in mail.outbox[0].body
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert token not in every_row_of_every_table()

    call_command("tick")
    assert DBTaskResult.objects.count() == 0


def test_tick_keeps_recent_job_results_and_prunes_old_ones(settings):
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    from website.services import task_results_prune

    settings.TASK_RESULTS_KEEP_DAYS = 1
    now = timezone.now()
    base = {"args_kwargs": {}, "task_path": "x", "backend_name": "default", "run_after": now}
    old = DBTaskResult.objects.create(
        status="SUCCESSFUL", finished_at=now - timedelta(days=2), **base
    )
    failed = DBTaskResult.objects.create(
        status="FAILED", finished_at=now - timedelta(days=3), **base
    )
    recent = DBTaskResult.objects.create(status="SUCCESSFUL", finished_at=now, **base)
    waiting = DBTaskResult.objects.create(status="READY", **base)
    assert task_results_prune(now=now) == 2
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, waiting.pk}
    assert old.pk not in remaining and failed.pk not in remaining


def test_an_invitation_revoked_before_its_job_runs_is_not_sent(team, coordinator):
    from people.tasks import invitation_send_email
    from website import encryption

    created = invitation_create(
        team=team, email="late@example.org", role=Role.VOLUNTEER, invited_by=coordinator
    )
    invitation_revoke(invitation=created.invitation, revoked_by=coordinator)
    invitation_send_email.call(
        invitation_id=created.invitation.pk,
        accept_url_encrypted=encryption.encrypt("http://testserver/x/"),
        language="en",
    )
    assert mail.outbox == []
