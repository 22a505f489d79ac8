"""Reminders people asked for go once per due day, discreetly; old check-ins are deleted by the
tick; questionnaire wording is loaded whole or not at all."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.people.factories import sign_in
from tests.wellbeing.factories import pulse, wording_csv
from wellbeing import notifications, services
from wellbeing.models import CheckIn, InstrumentWording

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_admin_user(db):
    from tests.people.factories import UserFactory, enrol_totp

    admin = UserFactory(is_staff=True, is_superuser=True, email="admin@example.org")
    enrol_totp(admin)
    return admin


@pytest.fixture
def weekly(volunteer):
    services.reminder_set(
        user=volunteer,
        instrument_key="pulse",
        every_days=7,
        now=timezone.now() - timedelta(days=8),
    )
    return volunteer


def test_a_due_reminder_goes_once_however_often_the_tick_runs(weekly, mailoutbox):
    call_command("tick")
    call_command("tick")
    (message,) = mailoutbox
    assert message.to == [weekly.email]
    assert message.subject == "A reminder you asked for"
    for word in ("wellbeing", "burnout", "check-in", "Helpline", "Atbalsts", "supervision"):
        assert word.lower() not in message.subject.lower()
    assert "/en/check-ins/" in message.body


def test_two_workers_on_the_same_reminder_send_one(weekly, mailoutbox):
    ((target, occurrence),) = notifications.reminders_due(now=timezone.now())
    assert notifications.deliver(target, occurrence) is True
    assert notifications.deliver(target, occurrence) is False
    assert len(mailoutbox) == 1


def test_a_check_in_moves_the_next_reminder(weekly, mailoutbox):
    pulse(weekly)
    call_command("tick")
    assert mailoutbox == []
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        call_command("tick")
        call_command("tick")
    assert len(mailoutbox) == 1


def test_the_next_week_brings_the_next_reminder(weekly, mailoutbox):
    call_command("tick")
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        call_command("tick")
    assert len(mailoutbox) == 2


def test_a_stale_job_sends_nothing(weekly, mailoutbox):
    ((target, occurrence),) = notifications.reminders_due(now=timezone.now())
    pulse(weekly)  # checked in meanwhile: no longer due
    assert notifications.deliver(target, occurrence) is False
    services.reminder_set(user=weekly, instrument_key="pulse", every_days=None)
    assert notifications.deliver(target, occurrence) is False
    assert mailoutbox == []


def test_no_reminder_for_a_deactivated_person(weekly, mailoutbox):
    weekly.is_active = False
    weekly.save()
    call_command("tick")
    assert mailoutbox == []


def test_the_reminder_is_in_the_persons_language(weekly, mailoutbox):
    weekly.preferred_language = "lv"
    weekly.save()
    call_command("tick")
    (message,) = mailoutbox
    assert "/lv/check-ins/" in message.body


# --- Retention ----------------------------------------------------------------------------


def test_the_tick_deletes_check_ins_past_the_keeping_time(volunteer, settings):
    settings.WELLBEING_KEEP_MONTHS = 24
    old = pulse(volunteer, now=timezone.now() - timedelta(days=2 * 366))
    kept = pulse(volunteer, now=timezone.now() - timedelta(days=700))
    call_command("tick")
    assert list(CheckIn.objects.values_list("pk", flat=True)) == [kept.pk]
    assert old.pk != kept.pk


# --- Wording ------------------------------------------------------------------------------


def test_the_command_loads_a_whole_file(tmp_path):
    path = tmp_path / "wording.csv"
    path.write_text(wording_csv("proqol5", "who5", "cbi"), encoding="utf-8")
    call_command("wellbeing_wording_load", str(path), verbosity=0)
    assert InstrumentWording.objects.filter(instrument="proqol5").count() == 30
    assert InstrumentWording.objects.filter(instrument="cbi").count() == 19
    # Loading again replaces, never duplicates.
    call_command("wellbeing_wording_load", str(path), verbosity=0)
    assert InstrumentWording.objects.count() == 30 + 5 + 19


def test_a_file_with_any_error_loads_nothing(tmp_path):
    path = tmp_path / "wording.csv"
    text = wording_csv("who5") + "who5,en,6,An item too many\n"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("wellbeing_wording_load", str(path), verbosity=0)
    assert "line 7" in str(error.value)
    assert not InstrumentWording.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("wellbeing_wording_load", str(tmp_path / "nope.csv"), verbosity=0)


def test_the_cbi_reverse_item_follows_the_loaded_version(volunteer):
    text = wording_csv("cbi", reverse_column=True).replace("cbi,en,10,", "cbi,en,10,X")
    lines = text.splitlines()
    fixed = []
    for line in lines:
        parts = line.split(",")
        if parts[0] == "cbi" and parts[2] in ("10", "13"):
            parts[-1] = "yes" if parts[2] == "13" else ""
        fixed.append(",".join(parts))
    services.wording_load(text="\n".join(fixed) + "\n")
    from wellbeing import instruments

    assert services.instrument_reverse(instruments.CBI) == (13,)
    answers = dict.fromkeys(range(1, 20), 0)  # "always" everywhere
    check_in = services.checkin_create(user=volunteer, instrument_key="cbi", answers=answers)
    # Item 13 reversed: work = (6 × 100 + 0) / 7.
    assert check_in.scores["subscales"]["work_burnout"]["value"] == round(600 / 7, 1)


def test_a_site_admin_uploads_wording_in_the_data_admin(client, site_admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    sign_in(client, site_admin_user)
    url = reverse("admin:wellbeing_instrumentwording_load")
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("w.csv", b"instrument,language,item,text\nwho5,en,9,x\n")
    response = client.post(url, {"file": bad})
    assert response.status_code == 400
    assert "line 2" in response.content.decode()
    good = SimpleUploadedFile("w.csv", wording_csv("who5", language="lv").encode())
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert InstrumentWording.objects.filter(instrument="who5", language="lv").count() == 5


def test_only_a_site_admin_reaches_the_upload(client, coordinator):
    sign_in(client, coordinator)
    response = client.get(reverse("admin:wellbeing_instrumentwording_load"))
    assert response.status_code in (302, 403)
