"""Schedules: RFC 5545 rules expanded from a local start time in the group's zone."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from supervision.recurrence import (
    Preset,
    RuleError,
    occurrences,
    preset_from_rule,
    rule_describe,
    rule_parse,
)

RIGA = ZoneInfo("Europe/Riga")


def riga_times(moments):
    return [(m.astimezone(RIGA).date(), m.astimezone(RIGA).time()) for m in moments]


def test_first_tuesday_at_18_riga_stays_at_18_across_both_changes():
    """Riga moves its clocks on 29 March and 25 October 2026: the sessions stay at 18:00
    local while their UTC time moves by an hour."""
    found = occurrences(
        rule="FREQ=MONTHLY;BYDAY=1TU",
        series_start=date(2026, 1, 1),
        start_time=time(18, 0),
        zone=RIGA,
        after=datetime(2026, 1, 1, tzinfo=UTC),
        before=datetime(2026, 12, 31, tzinfo=UTC),
    )
    assert riga_times(found)[:4] == [
        (date(2026, 1, 6), time(18, 0)),
        (date(2026, 2, 3), time(18, 0)),
        (date(2026, 3, 3), time(18, 0)),
        (date(2026, 4, 7), time(18, 0)),
    ]
    assert all(local == time(18, 0) for _day, local in riga_times(found))
    assert len(found) == 12
    by_month = {m.astimezone(RIGA).month: m for m in found}
    assert by_month[3].hour == 16  # winter time, UTC+2
    assert by_month[4].hour == 15  # summer time, UTC+3
    assert by_month[10].hour == 15  # 6 October: still summer time
    assert by_month[11].hour == 16  # 3 November: winter time again
    assert all(m.tzinfo == UTC for m in found)


def test_weekly_sessions_on_the_days_around_the_march_change():
    found = occurrences(
        rule="FREQ=WEEKLY;BYDAY=SA",
        series_start=date(2027, 3, 1),
        start_time=time(10, 30),
        zone=RIGA,
        after=datetime(2027, 3, 20, tzinfo=UTC),
        before=datetime(2027, 4, 4, tzinfo=UTC),
    )
    assert riga_times(found) == [
        (date(2027, 3, 20), time(10, 30)),
        (date(2027, 3, 27), time(10, 30)),
        (date(2027, 4, 3), time(10, 30)),
    ]
    assert [m.hour for m in found] == [8, 8, 7]


def test_a_utc_start_would_drift_which_is_why_the_local_start_is_kept():
    """The same rule expanded from a UTC start lands at 19:00 Riga after the March change:
    the bug the local expansion avoids."""
    from dateutil import rrule

    utc_start = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)  # 18:00 in Riga in winter
    drifting = list(rrule.rrulestr("FREQ=MONTHLY;BYDAY=1TU", dtstart=utc_start)[:2])
    assert drifting[1].astimezone(RIGA).time() == time(19, 0)
    right = occurrences(
        rule="FREQ=MONTHLY;BYDAY=1TU",
        series_start=date(2026, 3, 3),
        start_time=time(18, 0),
        zone=RIGA,
        after=utc_start,
        before=datetime(2026, 4, 30, tzinfo=UTC),
    )
    assert [m.astimezone(RIGA).time() for m in right] == [time(18, 0), time(18, 0)]


def test_a_time_in_the_spring_gap_leaves_the_days_around_it_right():
    """03:30 does not exist in Riga on 29 March 2026; the day before and after are right."""
    found = occurrences(
        rule="FREQ=DAILY",
        series_start=date(2026, 3, 28),
        start_time=time(3, 30),
        zone=RIGA,
        after=datetime(2026, 3, 27, tzinfo=UTC),
        before=datetime(2026, 3, 31, tzinfo=UTC),
    )
    days = riga_times(found)
    assert (date(2026, 3, 28), time(3, 30)) in days
    assert (date(2026, 3, 30), time(3, 30)) in days


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "Write a schedule"),
        ("FREQ=HOURLY", "not more often"),
        ("FREQ=MINUTELY;INTERVAL=5", "not more often"),
        ("FREQ=MONTHLY;BYDAY=9XX", "not a valid schedule rule"),
        ("BYDAY=1TU", "not a valid schedule rule"),
        ("FREQ=WEEKLY;COUNT=abc", "not a valid schedule rule"),
        ("DTSTART:20260101T000000\nRRULE:FREQ=DAILY", "one line"),
        ("FREQ=DAILY;" + "BYMONTH=1;" * 60, "one line"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no dates"),
        ("FREQ=DAILY;UNTIL=20200101T000000Z", "no dates"),
    ],
)
def test_bad_rules_are_refused_with_a_message(rule, message):
    with pytest.raises(RuleError) as error:
        rule_parse(rule, start=datetime(2026, 1, 1, 18, tzinfo=RIGA))
    assert message in str(error.value)


def test_rrule_prefix_is_accepted():
    parsed = rule_parse("RRULE:FREQ=WEEKLY;BYDAY=MO", start=datetime(2026, 1, 1, 18, tzinfo=RIGA))
    assert parsed.after(datetime(2026, 1, 1, 18, tzinfo=RIGA)).date() == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("rule", "preset", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=1TU", Preset("monthly", "TU", 1), "The first Tuesday of every month"),
        ("FREQ=MONTHLY;BYDAY=-1FR", Preset("monthly", "FR", -1), "The last Friday of every month"),
        ("FREQ=WEEKLY;BYDAY=WE", Preset("weekly", "WE"), "Every Wednesday"),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
            Preset("weekly", "MO", interval=2),
            "Every 2 weeks on Monday",
        ),
        ("FREQ=MONTHLY;BYMONTHDAY=15", None, "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("FREQ=MONTHLY;BYDAY=1TU;COUNT=3", None, "FREQ=MONTHLY;BYDAY=1TU;COUNT=3"),
    ],
)
def test_simple_schedules_are_read_back_and_described(rule, preset, words):
    assert preset_from_rule(rule) == preset
    if preset is not None:
        assert preset.rule() == rule
    assert rule_describe(rule) == words
