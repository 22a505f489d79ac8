"""The demo's wellbeing: six months of weekly pulses for each helpline volunteer (enough for
the coordinators to see the team's totals), Jānis's last weeks turning heavy and shared with
the supervisors, Olga's scores shared with the coordinators, Aija's weekly reminder and the
team's self-care page in English, Latvian and Russian."""

import os
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from people.models import Team, User
from tests.people.factories import sign_in
from website.demo import demo_wellbeing_seed
from wellbeing import instruments
from wellbeing.models import AccessRecord, CheckIn, Reminder, SelfCareResource, SharingChoice
from wellbeing.selectors import resource_for, shared_flags, sharing_scores, team_totals

pytestmark = pytest.mark.django_db

RIGA = ZoneInfo("Europe/Riga")
UTC = ZoneInfo("UTC")
VOLUNTEERS = [
    "aija@example.org",
    "janis@example.org",
    "olga@example.org",
    "pavel@example.org",
    "liga@example.org",
    "nadia@example.org",
]


def seed(settings):
    settings.DEBUG = True
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", stdout=devnull)


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (CheckIn, SharingChoice, Reminder, SelfCareResource, AccessRecord)
    }


def riga(*args) -> datetime:
    return datetime(*args, tzinfo=RIGA)


def pulses(email: str) -> list[CheckIn]:
    return list(
        CheckIn.objects.filter(user__email=email, instrument="pulse").order_by("created_at")
    )


def month_of(moment: datetime, zone) -> tuple[int, int]:
    local = moment.astimezone(zone)
    return (local.year, local.month)


MARCH_20 = riga(2025, 3, 20, 12, 0)
MOMENTS = [
    MARCH_20,
    riga(2025, 4, 1, 0, 30),  # just after midnight in Riga: still 31 March on the server (UTC)
    datetime(2025, 6, 1, 0, 10, tzinfo=UTC),  # ten minutes into June everywhere
    riga(2025, 10, 26, 3, 30),  # the night the clocks go back
    None,  # today
]
MOMENT_IDS = ["march", "first-of-month-in-riga", "first-of-month-in-utc", "clocks-go-back", "today"]


@pytest.mark.parametrize("moment", MOMENTS, ids=MOMENT_IDS)
def test_six_months_of_weekly_pulses_and_the_team_totals_they_make(settings, client, moment):
    """One seeding per moment (seeding the whole demo takes seconds): first the volunteers'
    weeks, then what the coordinators see of them."""
    with time_machine.travel(moment or timezone.now(), tick=False):
        seed(settings)
        now = timezone.now()
    each_volunteer_has_a_pulse_a_week_for_six_months(now)
    coordinators_see_the_teams_totals_this_month_and_last(client, moment)


def each_volunteer_has_a_pulse_a_week_for_six_months(now):
    for email in VOLUNTEERS:
        check_ins = pulses(email)
        assert len(check_ins) == 26, email
        moments = [c.created_at for c in check_ins]
        assert now - timedelta(days=182) < moments[0] < now - timedelta(days=170)
        assert now - timedelta(days=2) <= moments[-1] <= now
        # One a week, give or take a day, on an evening in Riga (the newest may be late at
        # night when a month has only just begun).
        gaps = [later - earlier for earlier, later in zip(moments, moments[1:], strict=False)]
        assert all(timedelta(days=4) < gap < timedelta(days=10) for gap in gaps), email
        assert timedelta(days=6.5) < sum(gaps, timedelta()) / len(gaps) < timedelta(days=7.5)
        assert {m.astimezone(RIGA).hour for m in moments[:-1]} <= {19, 20, 21, 22}
        # Every one of the last six months in Riga, the current one included.
        months = {month_of(m, RIGA) for m in moments}
        month = now.astimezone(RIGA).date().replace(day=1)
        for _ in range(6):
            assert (month.year, month.month) in months, (email, month)
            month = (month - timedelta(days=1)).replace(day=1)
        # Believable weeks: different from week to week, mostly not heavy.
        values = [c.subscale_value("pulse") for c in check_ins]
        assert len(set(values)) >= 4, email
        assert sum(c.concern for c in check_ins) <= 6, email


def coordinators_see_the_teams_totals_this_month_and_last(client, moment):
    with time_machine.travel(moment or timezone.now(), tick=False):
        team = Team.objects.get(slug="helpline")
        # The server counts months in UTC; a coordinator's page in their own time zone.
        for zone in (UTC, RIGA):
            with timezone.override(zone):
                totals = team_totals(team=team, instrument=instruments.PULSE)
            this_month, last_month = totals[0], totals[1]
            for month in (this_month, last_month):
                assert month.shown and month.respondents == 6, (zone, month)
                assert set(month.means) == {"pulse"}
            assert all(month.shown for month in totals[:6])

    with time_machine.travel((moment or timezone.now()) + timedelta(minutes=5)):
        sign_in(client, User.objects.get(email="ilze@example.org"))
        page = client.get(reverse("wellbeing:team", kwargs={"slug": "helpline"}))
    assert page.status_code == 200
    pulse = page.text.split(">Weekly pulse</h3>")[1].split("</tbody>")[0]
    this_month, last_month = pulse.split("<tbody>")[1].split("</tr>")[:2]
    for row in (this_month, last_month):
        assert "Not enough responses" not in row and "<td>6</td>" in row
    assert "Olga" in page.text


def test_janis_is_flagged_for_the_supervisors_and_olga_shares_her_scores(settings, client):
    with time_machine.travel(MARCH_20, tick=False):
        seed(settings)
        team = Team.objects.get(slug="helpline")
        flags = shared_flags(team=team)
        coordinators_see = list(sharing_scores(team=team))
    janis = User.objects.get(email="janis@example.org")
    assert [flag.user for flag in flags] == [janis]

    # His last three weeks go down into the heavy band; the months before were not like that.
    check_ins = pulses("janis@example.org")
    last_three = check_ins[-3:]
    values = [c.subscale_value("pulse") for c in last_three]
    assert values == sorted(values, reverse=True) and len(set(values)) == 3
    assert last_three[-1].concern and last_three[-1].subscale_band("pulse") == "heavy"
    assert not last_three[0].concern
    assert flags[0].at == last_three[-1].created_at
    assert sum(c.concern for c in check_ins[:-3]) <= 3
    assert SharingChoice.objects.get(user=janis, team=team).scores_to_coordinators is False

    olga = User.objects.get(email="olga@example.org")
    assert coordinators_see == [olga]
    assert SharingChoice.objects.get(user=olga, team=team).flag_to_supervisors is False
    assert SharingChoice.objects.count() == 2

    reminder = Reminder.objects.get()
    assert (reminder.user.email, reminder.instrument, reminder.every_days) == (
        "aija@example.org",
        "pulse",
        7,
    )

    # Dace, the team's supervisor, sees Jānis on the team's check-ins page, and he sees
    # that she looked.
    with time_machine.travel(MARCH_20 + timedelta(minutes=5)):
        sign_in(client, User.objects.get(email="dace@example.org"))
        page = client.get(reverse("wellbeing:team", kwargs={"slug": "helpline"}))
    assert page.status_code == 200
    assert "Jānis" in page.text
    record = AccessRecord.objects.get()
    assert (record.viewer.email, record.subject, record.what) == ("dace@example.org", janis, "flag")


@pytest.mark.parametrize("moment", [MOMENTS[1], None], ids=[MOMENT_IDS[1], "today"])
def test_seeding_twice_creates_nothing_new(settings, moment):
    with time_machine.travel(moment or timezone.now(), tick=False):
        seed(settings)
        first = counts()
        seed(settings)
        assert counts() == first
        # Even run again past its once-only claim, the step adds nothing.
        demo_wellbeing_seed()
        assert counts() == first
    assert first == {
        "CheckIn": 6 * 26,
        "SharingChoice": 2,
        "Reminder": 1,
        "SelfCareResource": 3,
        "AccessRecord": 0,
    }


def test_the_weeks_are_the_same_every_time(settings):
    with time_machine.travel(MARCH_20, tick=False):
        seed(settings)
    before = {email: [c.answers for c in pulses(email)] for email in VOLUNTEERS}
    CheckIn.objects.all().delete()
    with time_machine.travel(MARCH_20 + timedelta(days=40), tick=False):
        demo_wellbeing_seed()
    after = {email: [c.answers for c in pulses(email)] for email in VOLUNTEERS}
    assert after == before
    assert len({str(answers) for answers in before.values()}) == len(VOLUNTEERS)


def test_without_the_demo_team_nothing_is_seeded():
    demo_wellbeing_seed()
    assert set(counts().values()) == {0}
    Team.objects.create(name="Helpline", slug="helpline")
    demo_wellbeing_seed()  # no volunteers: only the team's self-care page
    assert counts()["CheckIn"] == counts()["SharingChoice"] == counts()["Reminder"] == 0


def test_the_self_care_page_is_there_in_each_language(settings):
    with time_machine.travel(MARCH_20, tick=False):
        seed(settings)
    team = Team.objects.get(slug="helpline")
    resources = {r.locale.language_code: r for r in SelfCareResource.objects.all()}
    assert set(resources) == {"en", "lv", "ru"}
    assert len({r.translation_key for r in resources.values()}) == 1
    assert {r.team for r in resources.values()} == {team}
    for code, resource in resources.items():
        assert resource_for(team=team, language=code) == resource
        assert resource.title and resource.body and resource.contacts
        assert resource.professional_help
        text = resource.body + resource.contacts + resource.professional_help
        assert not re.search(r"\d{3}", text), code  # no phone numbers
    assert (
        "Dace" in resources["en"].contacts and "family doctor" in resources["en"].professional_help
    )
    assert "„Vēlos ar kādu parunāt”" in resources["lv"].contacts
    assert "«Я хочу с кем-нибудь поговорить»" in resources["ru"].contacts
    lv = " ".join([resources["lv"].body, resources["lv"].contacts]).lower()
    assert "jums" in lv and not re.search(r"\b(tu|tev|tavs|tava)\b", lv)
    ru = " ".join([resources["ru"].body, resources["ru"].contacts]).lower()
    assert "вы" in ru and not re.search(r"\b(ты|тебе|твой|твоя)\b", ru)
