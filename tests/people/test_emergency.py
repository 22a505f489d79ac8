"""Emergencies: suspending a member at once (every session refused on its next request,
secrets void, invitations revoked, the other coordinators told once), the two-person rule
for reinstating, the last coordinator only by a site admin, and a person signing out their
own lost phone from another device."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from people.devices import device_describe, user_devices_sign_out
from people.emergency import (
    member_suspend,
    suspension_open,
    suspension_reinstate,
)
from people.models import AuditAction, AuditEntry, Invitation, Membership, Role, Suspension
from people.tasks import suspension_notify
from supervision.models import CalendarToken
from supervision.services import calendar_token_create
from tests.people.factories import (
    TEST_PASSWORD,
    InvitationFactory,
    MembershipFactory,
    TeamFactory,
    UserFactory,
    member,
    sign_in,
)

pytestmark = pytest.mark.django_db


def membership(user, team):
    return Membership.objects.get(user=user, team=team)


def site_admin():
    return UserFactory(is_superuser=True, is_staff=True)


def test_suspension_stops_everything_at_once(team, coordinator, volunteer):
    second = member(team, Role.COORDINATOR, display_name="Marta")
    calendar_token_create(user=volunteer)
    Authenticator.objects.filter(user=second).delete()
    member_suspend(membership=membership(volunteer, team), reason="device_taken", by=coordinator)
    volunteer.refresh_from_db()
    assert not volunteer.is_active
    assert not volunteer.has_usable_password()
    assert not CalendarToken.objects.filter(user=volunteer).exists()
    assert suspension_open(user=volunteer).reason == "device_taken"
    (entry,) = AuditEntry.objects.filter(action=AuditAction.MEMBER_SUSPENDED)
    assert (entry.actor_id, entry.subject_id, entry.details) == (
        coordinator.pk,
        volunteer.pk,
        {"reason": "device_taken"},
    )


def test_suspension_removes_second_factors_and_revokes_invitations_they_sent(team, coordinator):
    second = member(team, Role.COORDINATOR, display_name="Marta")
    pending = InvitationFactory(team=team, invited_by=second)
    accepted = InvitationFactory(team=team, invited_by=second)
    Invitation.objects.filter(pk=accepted.pk).update(accepted_at=accepted.created_at)
    assert Authenticator.objects.filter(user=second).exists()
    member_suspend(membership=membership(second, team), reason="detained", by=coordinator)
    assert not Authenticator.objects.filter(user=second).exists()
    pending.refresh_from_db()
    assert pending.revoked_at is not None and pending.revoked_by == coordinator
    accepted.refresh_from_db()
    assert accepted.revoked_at is None
    revoked = AuditEntry.objects.get(action=AuditAction.INVITATION_REVOKED)
    assert revoked.details == {
        "invitation": pending.pk,
        "role": "volunteer",
        "because": "suspension",
    }


def test_an_open_session_is_refused_on_its_very_next_request(client, team, coordinator, volunteer):
    sign_in(client, volunteer)
    assert client.get(reverse("people:preferences")).status_code == 200
    member_suspend(membership=membership(volunteer, team), reason="device_lost", by=coordinator)
    response = client.get(reverse("people:preferences"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_session_stays_refused_after_reinstating(client, team, coordinator, volunteer):
    """The old session died with the password: a phone that was taken does not come back."""
    sign_in(client, volunteer)
    second = member(team, Role.COORDINATOR, display_name="Marta")
    suspension = member_suspend(
        membership=membership(volunteer, team), reason="device_taken", by=coordinator
    )
    suspension_reinstate(suspension=suspension, by=second)
    assert client.get(reverse("people:preferences")).status_code == 302


def test_a_suspended_person_cannot_sign_in(client, team, coordinator, volunteer):
    member_suspend(membership=membership(volunteer, team), reason="other", by=coordinator)
    response = client.post(
        reverse("account_login"), {"login": volunteer.email, "password": TEST_PASSWORD}
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)


def test_reinstating_needs_a_different_person(team, coordinator, volunteer):
    second = member(team, Role.COORDINATOR, display_name="Marta")
    suspension = member_suspend(
        membership=membership(volunteer, team), reason="device_lost", by=coordinator
    )
    with pytest.raises(ValidationError, match="other than you"):
        suspension_reinstate(suspension=suspension, by=coordinator)
    volunteer.refresh_from_db()
    assert not volunteer.is_active
    suspension_reinstate(suspension=suspension, by=second)
    volunteer.refresh_from_db()
    assert volunteer.is_active
    suspension.refresh_from_db()
    assert suspension.reinstated_by == second
    reinstated = AuditEntry.objects.get(action=AuditAction.MEMBER_REINSTATED)
    assert (reinstated.actor_id, reinstated.subject_id) == (second.pk, volunteer.pk)
    with pytest.raises(ValidationError):
        suspension_reinstate(suspension=suspension, by=second)


def test_a_site_admin_who_suspended_cannot_reinstate_alone(team, volunteer):
    admin, other_admin = site_admin(), site_admin()
    suspension = member_suspend(
        membership=membership(volunteer, team), reason="device_lost", by=admin
    )
    with pytest.raises(ValidationError):
        suspension_reinstate(suspension=suspension, by=admin)
    suspension_reinstate(suspension=suspension, by=other_admin)


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.SUPERVISOR])
def test_only_coordinators_and_site_admins_suspend(team, volunteer, role):
    someone = member(team, role)
    with pytest.raises(PermissionDenied):
        member_suspend(membership=membership(volunteer, team), reason="other", by=someone)


def test_a_coordinator_of_another_team_cannot_suspend_or_reinstate(team, coordinator, volunteer):
    elsewhere = member(TeamFactory(), Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        member_suspend(membership=membership(volunteer, team), reason="other", by=elsewhere)
    suspension = member_suspend(
        membership=membership(volunteer, team), reason="other", by=coordinator
    )
    with pytest.raises(PermissionDenied):
        suspension_reinstate(suspension=suspension, by=elsewhere)


def test_nobody_suspends_themselves(team, coordinator):
    member(team, Role.COORDINATOR)
    with pytest.raises(ValidationError, match="yourself"):
        member_suspend(membership=membership(coordinator, team), reason="other", by=coordinator)


def test_the_last_coordinator_only_by_a_site_admin(team, coordinator):
    """The coordinator is also a volunteer elsewhere: that team's coordinator cannot suspend
    them, because their own team would have nobody left to act; a site admin can."""
    other = TeamFactory()
    MembershipFactory(user=coordinator, team=other, role=Role.VOLUNTEER)
    other_coordinator = member(other, Role.COORDINATOR)
    with pytest.raises(ValidationError, match="site admin"):
        member_suspend(
            membership=membership(coordinator, other), reason="detained", by=other_coordinator
        )
    assert not Suspension.objects.exists()
    member_suspend(membership=membership(coordinator, team), reason="detained", by=site_admin())
    coordinator.refresh_from_db()
    assert not coordinator.is_active


def test_two_coordinators_one_suspends_the_other_then_is_the_last(team, coordinator):
    second = member(team, Role.COORDINATOR, display_name="Marta")
    member_suspend(membership=membership(second, team), reason="detained", by=coordinator)
    # A suspended coordinator does not count: the team has one left, who cannot be demoted.
    from people.continuity import membership_role_change

    with pytest.raises(ValidationError):
        membership_role_change(
            membership=membership(coordinator, team), role=Role.VOLUNTEER, by=coordinator
        )


def test_suspending_twice_is_refused(team, coordinator, volunteer):
    member_suspend(membership=membership(volunteer, team), reason="other", by=coordinator)
    with pytest.raises(ValidationError, match="already"):
        member_suspend(membership=membership(volunteer, team), reason="other", by=coordinator)


def test_a_reason_outside_the_list_is_refused(team, coordinator, volunteer):
    with pytest.raises(ValidationError):
        member_suspend(membership=membership(volunteer, team), reason="a story", by=coordinator)
    assert not Suspension.objects.exists()


def test_other_coordinators_are_told_once_each_and_discreetly(
    team, coordinator, volunteer, django_capture_on_commit_callbacks
):
    second = member(team, Role.COORDINATOR, display_name="Marta", preferred_language="lv")
    member(team, Role.SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        suspension = member_suspend(
            membership=membership(volunteer, team), reason="detained", by=coordinator
        )
    assert [m.to for m in mail.outbox] == [[second.email]]
    message = mail.outbox[0]
    for secret in (volunteer.display_name, team.name, "suspend", "detain"):
        assert secret.lower() not in (message.subject + message.body).lower()
    assert suspension_notify.call(suspension_id=suspension.pk) == 0  # a retried job: nothing
    assert len(mail.outbox) == 1


def test_without_discreet_mode_the_notice_names_the_person(
    team, coordinator, volunteer, django_capture_on_commit_callbacks
):
    team.discreet_mode = False
    team.save()
    member(team, Role.COORDINATOR, display_name="Marta")
    with django_capture_on_commit_callbacks(execute=True):
        member_suspend(membership=membership(volunteer, team), reason="detained", by=coordinator)
    assert volunteer.display_name in mail.outbox[0].body


# --- The pages -----------------------------------------------------------------------------


def suspend_url(team, user):
    return reverse("people:member_suspend", args=[team.slug, membership(user, team).pk])


def reinstate_url(team, user):
    return reverse("people:member_reinstate", args=[team.slug, membership(user, team).pk])


def test_a_coordinator_suspends_and_another_reinstates_in_the_site(client, team, coordinator):
    volunteer = member(team, Role.VOLUNTEER, display_name="Ilze")
    second = member(team, Role.COORDINATOR, display_name="Marta")
    sign_in(client, coordinator)
    page = client.get(reverse("people:member", args=[team.slug, membership(volunteer, team).pk]))
    assert suspend_url(team, volunteer) in page.content.decode()
    assert client.get(suspend_url(team, volunteer)).status_code == 200
    response = client.post(suspend_url(team, volunteer), {"reason": "device_lost"})
    assert response.status_code == 302
    volunteer.refresh_from_db()
    assert not volunteer.is_active
    # The same coordinator sees why they cannot reinstate, and the POST changes nothing.
    page = client.get(reinstate_url(team, volunteer))
    assert page.status_code == 200 and "other than you" in page.content.decode()
    assert client.post(reinstate_url(team, volunteer)).status_code == 400
    volunteer.refresh_from_db()
    assert not volunteer.is_active
    other = Client()
    sign_in(other, second)
    assert other.post(reinstate_url(team, volunteer)).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.is_active


def test_the_suspend_page_refuses_a_bad_reason_with_a_message(client, team, coordinator, volunteer):
    sign_in(client, coordinator)
    response = client.post(suspend_url(team, volunteer), {"reason": "<script>"})
    assert response.status_code == 400
    volunteer.refresh_from_db()
    assert volunteer.is_active


def test_the_suspend_page_explains_the_last_coordinator_rule(client, team, coordinator):
    other = TeamFactory()
    MembershipFactory(user=coordinator, team=other, role=Role.VOLUNTEER)
    other_coordinator = member(other, Role.COORDINATOR)
    sign_in(client, other_coordinator)
    page = client.get(suspend_url(other, coordinator))
    assert page.status_code == 200 and "site admin" in page.content.decode()
    assert client.post(suspend_url(other, coordinator), {"reason": "other"}).status_code == 400
    coordinator.refresh_from_db()
    assert coordinator.is_active


def test_a_site_admin_without_a_role_in_the_team_can_suspend(client, team, coordinator):
    admin = site_admin()
    sign_in(client, admin, second_factor=True)
    assert client.post(suspend_url(team, coordinator), {"reason": "detained"}).status_code == 302
    coordinator.refresh_from_db()
    assert not coordinator.is_active


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.SUPERVISOR])
def test_the_pages_are_forbidden_to_other_roles(client, team, volunteer, role):
    someone = member(team, role)
    sign_in(client, someone)
    assert client.get(suspend_url(team, volunteer)).status_code == 403
    assert client.post(suspend_url(team, volunteer), {"reason": "other"}).status_code == 403
    assert client.post(reinstate_url(team, volunteer)).status_code == 403


def test_the_pages_do_not_exist_for_another_team(client, team, volunteer):
    sign_in(client, member(TeamFactory(), Role.COORDINATOR))
    assert client.get(suspend_url(team, volunteer)).status_code == 404
    assert client.post(reinstate_url(team, volunteer)).status_code == 404


def test_the_pages_send_the_anonymous_to_sign_in(client, team, volunteer):
    response = client.get(suspend_url(team, volunteer))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- A person's own devices -----------------------------------------------------------------


def login(user) -> Client:
    browser = Client(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile")
    response = browser.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302, response.content[:500]
    return browser


def test_a_person_signs_out_a_lost_phone_from_another_device(volunteer):
    from allauth.usersessions.models import UserSession

    phone, laptop = login(volunteer), login(volunteer)
    assert UserSession.objects.filter(user=volunteer).count() == 2
    assert set(UserSession.objects.values_list("ip", flat=True)) == {"0.0.0.0"}  # noqa: S104
    page = laptop.get(reverse("people:devices"))
    assert page.status_code == 200
    assert "Chrome on Android" in page.content.decode()
    phone_key = phone.session.session_key
    phone_device = UserSession.objects.get(session_key=phone_key)
    response = laptop.post(reverse("people:devices"), {"device": phone_device.pk})
    assert response.status_code == 302
    assert phone.get(reverse("people:preferences")).status_code == 302
    assert laptop.get(reverse("people:preferences")).status_code == 200


def test_signing_out_everywhere_keeps_this_device_and_can_stop_the_calendar(volunteer):
    phone, tablet, laptop = login(volunteer), login(volunteer), login(volunteer)
    calendar_token_create(user=volunteer)
    response = laptop.post(reverse("people:devices"), {"everywhere": "on", "calendar": "on"})
    assert response.status_code == 302
    assert phone.get(reverse("people:preferences")).status_code == 302
    assert tablet.get(reverse("people:preferences")).status_code == 302
    assert laptop.get(reverse("people:preferences")).status_code == 200
    assert not CalendarToken.objects.filter(user=volunteer).exists()


def test_the_calendar_stays_unless_asked(volunteer):
    login(volunteer)
    calendar_token_create(user=volunteer)
    user_devices_sign_out(user=volunteer, current_session_key=None)
    assert CalendarToken.objects.filter(user=volunteer).exists()


def test_nobody_signs_out_someone_elses_device(volunteer, coordinator):
    from allauth.usersessions.models import UserSession

    theirs = login(volunteer)
    mine = Client()
    sign_in(mine, coordinator)
    device = UserSession.objects.get(session_key=theirs.session.session_key)
    assert mine.post(reverse("people:devices"), {"device": device.pk}).status_code == 302
    assert theirs.get(reverse("people:preferences")).status_code == 200


@pytest.mark.parametrize("body", [{}, {"device": "x"}, {"device": "-1"}, {"device": "9" * 30}])
def test_bad_input_gets_a_message_not_an_error(client, volunteer, body):
    sign_in(client, volunteer)
    assert client.post(reverse("people:devices"), body).status_code == 400


def test_allauths_session_list_leads_to_ours(client, volunteer):
    sign_in(client, volunteer)
    response = client.get("/en/accounts/sessions/")
    assert response.status_code == 302 and response["Location"] == reverse("people:devices")


@pytest.mark.parametrize(
    ("agent", "name"),
    [
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131.0 Safari/537.36 Edg/131.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
            "Firefox on Linux",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) Chrome/131.0 Safari/537.36",
            "Chrome on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S918B) SamsungBrowser/25.0 Chrome/121.0 "
            "Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        ("curl/8.5", "Unknown device"),
        ("", "Unknown device"),
    ],
)
def test_devices_are_named_from_the_browser(agent, name):
    assert device_describe(agent) == name


def test_a_reinstated_person_gets_back_in_through_forgot_password(client, team, coordinator):
    volunteer = member(team, Role.VOLUNTEER, display_name="Ilze")
    second = member(team, Role.COORDINATOR, display_name="Marta")
    suspension = member_suspend(
        membership=membership(volunteer, team), reason="device_lost", by=coordinator
    )
    suspension_reinstate(suspension=suspension, by=second)
    mail.outbox.clear()
    response = client.post(reverse("account_reset_password"), {"email": volunteer.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[volunteer.email]]


def test_the_tick_sends_notices_whose_job_was_lost(team, coordinator, volunteer):
    """Without running the on-commit job (a lost job), the tick sends each notice once."""
    from django.core.management import call_command

    second = member(team, Role.COORDINATOR, display_name="Marta")
    member_suspend(membership=membership(volunteer, team), reason="detained", by=coordinator)
    assert mail.outbox == []
    call_command("tick", verbosity=0)
    call_command("tick", verbosity=0)
    assert [m.to for m in mail.outbox] == [[second.email]]


def test_the_data_admin_cannot_switch_a_suspended_account_back_on(team, coordinator, volunteer):
    """No second door: the data admin's "active" box is read-only while a suspension is open."""
    from django.contrib import admin as django_admin

    from people.models import User

    user_admin = django_admin.site._registry[User]
    assert "is_active" not in user_admin.get_readonly_fields(None, volunteer)
    member_suspend(membership=membership(volunteer, team), reason="device_lost", by=coordinator)
    assert "is_active" in user_admin.get_readonly_fields(None, volunteer)
