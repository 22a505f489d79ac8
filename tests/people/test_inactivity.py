"""A coordinator who stops signing in: colleagues and site admins are told once per absence,
discreetly, by the tick."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from people.inactivity import coordinators_absent, inactivity_alerts_send
from people.models import Role
from tests.people.factories import TeamFactory, UserFactory, member

pytestmark = pytest.mark.django_db


def seen(user, days_ago, now):
    user.last_login = now - timedelta(days=days_ago)
    user.save(update_fields=["last_login"])


@pytest.fixture
def now():
    return timezone.now()


def test_who_counts_as_absent(team, coordinator, volunteer, now):
    quiet = member(team, Role.COORDINATOR, display_name="Quiet")
    seen(coordinator, 1, now)
    seen(quiet, 14, now)
    seen(volunteer, 60, now)  # volunteers are not watched
    never = member(team, Role.COORDINATOR, display_name="Never", date_joined=now - timedelta(30))
    suspended = member(team, Role.COORDINATOR, is_active=False)
    seen(suspended, 40, now)
    absent = {a.coordinator for a in coordinators_absent(now=now)}
    assert absent == {quiet, never}


def test_colleagues_and_site_admins_are_told_once(team, coordinator, volunteer, now):
    quiet = member(team, Role.COORDINATOR, display_name="Quiet")
    admin = UserFactory(is_superuser=True, is_staff=True)
    member(TeamFactory(), Role.COORDINATOR)  # another team's coordinator: not told
    seen(coordinator, 1, now)
    seen(quiet, 20, now)
    assert inactivity_alerts_send(now=now) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, admin.email])
    for message in mail.outbox:
        assert quiet.display_name not in message.body and team.name not in message.body
        assert "20 days" in message.body
    assert inactivity_alerts_send(now=now) == 0
    assert inactivity_alerts_send(now=now + timedelta(days=3)) == 0
    assert len(mail.outbox) == 2


def test_a_new_absence_after_a_sign_in_is_told_again(team, coordinator, now):
    quiet = member(team, Role.COORDINATOR, display_name="Quiet")
    seen(coordinator, 1, now)
    seen(quiet, 15, now)
    inactivity_alerts_send(now=now)
    seen(quiet, -1, now)  # signs in tomorrow, then is gone again
    later = now + timedelta(days=20)
    seen(coordinator, -19, now)
    assert inactivity_alerts_send(now=later) == 1
    assert len(mail.outbox) == 2


def test_without_discreet_mode_the_alert_names_the_coordinator(team, coordinator, now):
    team.discreet_mode = False
    team.save()
    quiet = member(team, Role.COORDINATOR, display_name="Quiet")
    seen(coordinator, 1, now)
    seen(quiet, 15, now)
    inactivity_alerts_send(now=now)
    assert "Quiet" in mail.outbox[0].body


def test_the_days_are_a_setting(team, coordinator, now, settings):
    settings.COORDINATOR_INACTIVE_DAYS = 30
    quiet = member(team, Role.COORDINATOR, display_name="Quiet")
    seen(coordinator, 1, now)
    seen(quiet, 20, now)
    assert coordinators_absent(now=now) == []


def test_the_tick_sends_them(team, coordinator, now):
    quiet = member(team, Role.COORDINATOR, display_name="Quiet")
    seen(coordinator, 1, now)
    seen(quiet, 16, now)
    with time_machine.travel(now, tick=False):
        call_command("tick", verbosity=0)
        call_command("tick", verbosity=0)
    assert [m.to for m in mail.outbox] == [[coordinator.email]]


def test_a_recipient_left_out_by_a_failed_run_is_told_later(team, coordinator, now):
    """Claims are per recipient: one already told (say, before the mail server failed) is not
    told again, and the other still is."""
    from people.inactivity import INACTIVITY_ALERT, coordinators_absent
    from website.services import dispatch_claim

    quiet = member(team, Role.COORDINATOR, display_name="Quiet")
    admin = UserFactory(is_superuser=True, is_staff=True)
    seen(coordinator, 1, now)
    seen(quiet, 15, now)
    (absence,) = coordinators_absent(now=now)
    dispatch_claim(kind=INACTIVITY_ALERT, target=absence.key, occurrence=coordinator.pk)
    assert inactivity_alerts_send(now=now) == 1
    assert [m.to for m in mail.outbox] == [[admin.email]]
