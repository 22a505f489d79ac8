"""A volunteer's own check-ins: answering, the result, the trend, deleting, downloading, the
private note encrypted at rest, and nobody else reaching any of it."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from people.models import Role
from supervision.models import DebriefRequest, DebriefStatus
from tests.people.factories import member, sign_in
from tests.wellbeing.factories import HEAVY, load_wording, pulse
from wellbeing import services
from wellbeing.models import CheckIn

pytestmark = pytest.mark.django_db

NOTE = "The call about the train station stays with me"


def pulse_post(answers=(3, 1, 3, 3, 1), note=""):
    data = {f"item_{item}": value for item, value in enumerate(answers, start=1)}
    data["note"] = note
    return data


def test_a_pulse_from_the_form_is_scored_and_shown(client, volunteer):
    sign_in(client, volunteer)
    url = reverse("wellbeing:check_in_new", kwargs={"instrument": "pulse"})
    page = client.get(url)
    assert page.status_code == 200
    assert "not a validated" in page.content.decode().lower() or "Written for Atbalsts" in (
        page.content.decode()
    )
    response = client.post(url, pulse_post(note=NOTE))
    check_in = CheckIn.objects.get(user=volunteer)
    assert response["Location"] == reverse("wellbeing:check_in", kwargs={"pk": check_in.pk})
    assert check_in.scores["subscales"]["pulse"]["value"] == 75.0
    assert check_in.scores["subscales"]["pulse"]["band"] == "steady"
    assert not check_in.concern
    result = client.get(response["Location"])
    assert result.status_code == 200
    assert "no-store" in result["Cache-Control"]
    assert "75" in result.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        pulse_post() | {"item_3": "7"},
        pulse_post() | {"item_1": "x"},
        {key: value for key, value in pulse_post().items() if key != "item_5"},
        pulse_post(note="x" * 2001),
    ],
)
def test_bad_answers_are_explained_and_nothing_is_kept(client, volunteer, data):
    sign_in(client, volunteer)
    response = client.post(reverse("wellbeing:check_in_new", kwargs={"instrument": "pulse"}), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not CheckIn.objects.exists()


def test_an_unknown_questionnaire_is_not_found(client, volunteer):
    sign_in(client, volunteer)
    url = reverse("wellbeing:check_in_new", kwargs={"instrument": "mbi"})
    assert client.get(url).status_code == 404


def test_a_validated_questionnaire_without_wording_says_so(client, volunteer):
    sign_in(client, volunteer)
    home = client.get(reverse("wellbeing:home")).content.decode()
    assert "Wording not loaded" in home
    assert "proqol.org" in home
    page = client.get(reverse("wellbeing:check_in_new", kwargs={"instrument": "proqol5"}))
    assert page.status_code == 404
    assert "has not been loaded" in page.content.decode()


def test_a_validated_questionnaire_once_loaded(client, volunteer):
    load_wording("who5")
    sign_in(client, volunteer)
    url = reverse("wellbeing:check_in_new", kwargs={"instrument": "who5"})
    page = client.get(url).content.decode()
    assert "Placeholder item 5 of who5" in page
    data = {f"item_{item}": 1 for item in range(1, 6)}  # raw 5: likely depression
    response = client.post(url, data)
    check_in = CheckIn.objects.get(user=volunteer)
    assert check_in.concern and check_in.professional_help
    result = client.get(response["Location"]).content.decode()
    assert "Professional help" in result
    assert "I&#x27;d like to talk to someone" in result or "I'd like to talk to someone" in result


def test_wording_in_english_is_shown_with_a_notice_to_a_latvian_reader(client, volunteer):
    load_wording("who5")
    volunteer.preferred_language = "lv"
    volunteer.save()
    sign_in(client, volunteer)
    page = client.get("/lv/check-ins/new/who5/")
    assert page.status_code == 200
    assert page.context["wording_elsewhere"]
    assert 'lang="lv"' in page.content.decode()


def test_a_concerning_result_offers_help_and_one_click_to_talk(client, volunteer, team):
    sign_in(client, volunteer)
    response = client.post(
        reverse("wellbeing:check_in_new", kwargs={"instrument": "pulse"}), pulse_post(HEAVY)
    )
    page = client.get(response["Location"]).content.decode()
    assert "Take care of yourself" in page
    talk = client.post(reverse("wellbeing:talk"), {"team": team.pk})
    request_ = DebriefRequest.objects.get(requester=volunteer)
    assert talk["Location"] == reverse("supervision:debrief", kwargs={"pk": request_.pk})
    assert request_.urgency == "today" and request_.status == DebriefStatus.OPEN
    assert request_.note == ""  # nothing of the check-in goes to supervision


def test_asking_to_talk_for_a_team_i_am_not_in_is_refused(client, volunteer, outsider):
    from tests.people.factories import TeamFactory

    other = TeamFactory(name="Other", slug="other")
    sign_in(client, volunteer)
    response = client.post(reverse("wellbeing:talk"), {"team": other.pk})
    assert response.status_code == 302
    assert not DebriefRequest.objects.exists()


def test_someone_without_a_team_cannot_ask_to_talk(client, outsider):
    sign_in(client, outsider)
    assert client.post(reverse("wellbeing:talk"), {"team": 1}).status_code == 403


def test_the_note_is_encrypted_at_rest(volunteer):
    check_in = pulse(volunteer, note=NOTE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM wellbeing_checkin WHERE id = %s", [check_in.pk])
        (stored,) = cursor.fetchone()
    assert "train station" not in stored
    assert CheckIn.objects.get(pk=check_in.pk).note == NOTE


def stored_note(check_in) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM wellbeing_checkin WHERE id = %s", [check_in.pk])
        return cursor.fetchone()[0]


def test_the_note_is_re_encrypted_by_the_rotation_command(volunteer, settings):
    from django.core.management import call_command

    from website.encryption import DecryptionError, key_generate

    check_in = pulse(volunteer, note=NOTE)
    before = stored_note(check_in)
    old_keys = list(settings.FIELD_ENCRYPTION_KEYS)
    settings.FIELD_ENCRYPTION_KEYS = [key_generate(), *old_keys]
    call_command("encryption_rotate", verbosity=0)
    assert stored_note(check_in) != before
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key dropped
    assert CheckIn.objects.get(pk=check_in.pk).note == NOTE
    settings.FIELD_ENCRYPTION_KEYS = old_keys  # a wrong key raises, never returns ciphertext
    with pytest.raises(DecryptionError):
        CheckIn.objects.get(pk=check_in.pk).note  # noqa: B018


def test_the_trend_chart_is_an_svg_with_a_table(client, volunteer):
    now = timezone.now()
    for weeks, answers in enumerate([(3, 1, 3, 3, 1), (2, 2, 2, 2, 2), HEAVY]):
        pulse(volunteer, answers, now=now - timedelta(weeks=3 - weeks))
    sign_in(client, volunteer)
    page = client.get(reverse("wellbeing:home")).content.decode()
    assert "<svg" in page and "<polyline" in page
    assert page.count('class="chart-dot') == 3
    assert "<table" in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_deleting_one_check_in(client, volunteer):
    kept, gone = pulse(volunteer), pulse(volunteer)
    sign_in(client, volunteer)
    url = reverse("wellbeing:check_in_delete", kwargs={"pk": gone.pk})
    assert client.get(url).status_code == 200  # asks first
    assert CheckIn.objects.filter(pk=gone.pk).exists()
    assert client.post(url).status_code == 302
    assert list(CheckIn.objects.values_list("pk", flat=True)) == [kept.pk]


def test_deleting_all_my_check_ins_leaves_others(client, volunteer, team):
    other = member(team, Role.VOLUNTEER, display_name="Other")
    pulse(volunteer), pulse(volunteer)
    theirs = pulse(other)
    sign_in(client, volunteer)
    assert client.post(reverse("wellbeing:delete_all")).status_code == 302
    assert list(CheckIn.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_the_downloads_hold_my_check_ins_with_scores(client, volunteer, team):
    pulse(volunteer, note=NOTE)
    pulse(member(team, Role.VOLUNTEER, display_name="Other"), note="not mine")
    sign_in(client, volunteer)
    data = json.loads(client.get(reverse("wellbeing:export_json")).content)
    (row,) = data["check_ins"]
    assert row["questionnaire"] == "pulse"
    assert row["scores"]["pulse"]["value"] == 75.0
    assert row["answers"] == {"1": 3, "2": 1, "3": 3, "4": 3, "5": 1}
    assert row["note"] == NOTE
    response = client.get(reverse("wellbeing:export_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["check_in", "questionnaire", "answered_at", "kind"]
    kinds = [r[3] for r in rows[1:]]
    assert kinds.count("answer") == 5 and kinds.count("score") == 1 and kinds.count("note") == 1
    assert "not mine" not in response.content.decode()


@pytest.mark.parametrize("person", ["coordinator", "supervisor", "outsider"])
def test_nobody_else_opens_deletes_or_downloads_my_check_in(client, request, volunteer, person):
    check_in = pulse(volunteer, note=NOTE)
    sign_in(client, request.getfixturevalue(person))
    for name in ("wellbeing:check_in", "wellbeing:check_in_delete"):
        url = reverse(name, kwargs={"pk": check_in.pk})
        assert client.get(url).status_code == 404
    delete = reverse("wellbeing:check_in_delete", kwargs={"pk": check_in.pk})
    assert client.post(delete).status_code == 404
    assert "train station" not in client.get(reverse("wellbeing:export_json")).content.decode()
    client.post(reverse("wellbeing:delete_all"))
    assert CheckIn.objects.filter(pk=check_in.pk).exists()


@pytest.mark.parametrize(
    "name,kwargs",
    [
        ("wellbeing:home", {}),
        ("wellbeing:check_in_new", {"instrument": "pulse"}),
        ("wellbeing:export_json", {}),
        ("wellbeing:export_csv", {}),
        ("wellbeing:delete_all", {}),
    ],
)
def test_signed_out_visitors_are_sent_to_log_in(client, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_every_wellbeing_page_says_no_store(client, volunteer):
    check_in = pulse(volunteer)
    sign_in(client, volunteer)
    for url in (
        reverse("wellbeing:home"),
        reverse("wellbeing:check_in", kwargs={"pk": check_in.pk}),
        reverse("wellbeing:check_in_new", kwargs={"instrument": "pulse"}),
        reverse("wellbeing:export_json"),
        reverse("wellbeing:export_csv"),
    ):
        assert "no-store" in client.get(url)["Cache-Control"], url


def test_the_home_page_offers_the_weekly_pulse(client, volunteer):
    sign_in(client, volunteer)
    page = client.get("/en/").content.decode()
    assert reverse("wellbeing:check_in_new", kwargs={"instrument": "pulse"}) in page


def test_a_reminder_choice_is_kept_and_can_be_stopped(client, volunteer):
    from wellbeing.models import Reminder

    sign_in(client, volunteer)
    url = reverse("wellbeing:reminder", kwargs={"instrument": "pulse"})
    client.post(url, {"pulse-every": "7"})
    assert Reminder.objects.get(user=volunteer).every_days == 7
    client.post(url, {"pulse-every": ""})
    assert not Reminder.objects.filter(user=volunteer).exists()
    response = client.post(url, {"pulse-every": "3"})
    assert response.status_code == 302
    assert not Reminder.objects.filter(user=volunteer).exists()


def test_services_refuse_what_the_form_would_not_send(volunteer):
    with pytest.raises(services.WellbeingError):
        services.checkin_create(user=volunteer, instrument_key="pulse", answers={1: 3})
    with pytest.raises(services.WellbeingError):
        services.checkin_create(user=volunteer, instrument_key="pulse", answers={9: 3})
    with pytest.raises(services.WellbeingError):
        services.checkin_create(user=volunteer, instrument_key="nope", answers={})
    with pytest.raises(services.WellbeingError):
        services.checkin_create(
            user=volunteer, instrument_key="proqol5", answers=dict.fromkeys(range(1, 31), 3)
        )


def test_the_check_ins_page_has_a_query_budget(
    client, volunteer, team, django_assert_max_num_queries
):
    now = timezone.now()
    for weeks in range(104):
        pulse(volunteer, now=now - timedelta(weeks=weeks))
    load_wording("who5")
    services.sharing_update(
        user=volunteer, team=team, flag_to_supervisors=True, scores_to_coordinators=False
    )
    sign_in(client, volunteer)
    client.get(reverse("wellbeing:home"))
    with django_assert_max_num_queries(30):
        page = client.get(reverse("wellbeing:home"))
    assert page.content.decode().count('class="chart-dot') == 104
