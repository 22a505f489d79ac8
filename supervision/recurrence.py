"""Schedules as RFC 5545 recurrence rules ("FREQ=MONTHLY;BYDAY=1TU"), expanded with
python-dateutil from a start that carries its time zone.

The rule is applied to the local wall-clock time (18:00 in Europe/Riga) and only then turned
into UTC, so a session stays at 18:00 local across the March and October changes; expanding a
UTC start would move it to 19:00 or 17:00. Nothing here touches the database."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Sessions happen at most daily: a rule that repeats by the hour or minute is a mistake.
ALLOWED_FREQUENCIES = {rrule.YEARLY, rrule.MONTHLY, rrule.WEEKLY, rrule.DAILY}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MAX_RULE_LENGTH = 300


class RuleError(ValueError):
    """A rule that cannot be a schedule, with a message for the person who wrote it."""


def rule_parse(rule: str, *, start: datetime) -> rrule.rrule:
    """The rule, checked: RFC 5545 syntax, daily or less often, and with occurrences."""
    text = (rule or "").strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text:
        raise RuleError(_("Write a schedule, for example FREQ=MONTHLY;BYDAY=1TU."))
    if len(text) > MAX_RULE_LENGTH or "\n" in text or "DTSTART" in text.upper():
        raise RuleError(_("Write the rule on one line, without a start date (DTSTART)."))
    try:
        parsed = rrule.rrulestr(text, dtstart=start, forceset=False)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise RuleError(
            _("This is not a valid schedule rule (%(problem)s). Example: FREQ=MONTHLY;BYDAY=1TU.")
            % {"problem": str(error)[:80]}
        ) from error
    if not isinstance(parsed, rrule.rrule) or parsed._freq not in ALLOWED_FREQUENCIES:
        raise RuleError(
            _("A schedule can repeat daily, weekly, monthly or yearly, not more often.")
        )
    try:
        first = parsed.after(start - timedelta(seconds=1), inc=True)
    except (ValueError, OverflowError) as error:
        raise RuleError(_("This schedule has no dates.")) from error
    if first is None:
        raise RuleError(_("This schedule has no dates after its first day."))
    return parsed


def local_start(series_start: date, start_time: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(series_start, start_time, tzinfo=zone)


def occurrences(
    *,
    rule: str,
    series_start: date,
    start_time: time,
    zone: ZoneInfo,
    after: datetime,
    before: datetime,
) -> list[datetime]:
    """The schedule's start times (UTC) from ``after`` to ``before`` (both aware)."""
    start = local_start(series_start, start_time, zone)
    parsed = rule_parse(rule, start=start)
    found = parsed.between(after.astimezone(zone), before.astimezone(zone), inc=True)
    return [moment.astimezone(UTC) for moment in found]


# --- Schedules a person can pick without writing a rule ----------------------------------


@dataclass(frozen=True)
class Preset:
    kind: str  # "monthly" (nth weekday of the month) or "weekly" (every n weeks)
    weekday: str  # MO … SU
    position: int = 1  # monthly: 1-4, or -1 for the last
    interval: int = 1  # weekly: every n weeks

    def rule(self) -> str:
        if self.kind == "monthly":
            return f"FREQ=MONTHLY;BYDAY={self.position}{self.weekday}"
        interval = f";INTERVAL={self.interval}" if self.interval > 1 else ""
        return f"FREQ=WEEKLY{interval};BYDAY={self.weekday}"


POSITIONS = {
    1: pgettext_lazy("the nth weekday of a month", "first"),
    2: pgettext_lazy("the nth weekday of a month", "second"),
    3: pgettext_lazy("the nth weekday of a month", "third"),
    4: pgettext_lazy("the nth weekday of a month", "fourth"),
    -1: pgettext_lazy("the nth weekday of a month", "last"),
}
WEEKDAY_NAMES = {
    "MO": _("Monday"),
    "TU": _("Tuesday"),
    "WE": _("Wednesday"),
    "TH": _("Thursday"),
    "FR": _("Friday"),
    "SA": _("Saturday"),
    "SU": _("Sunday"),
}


def preset_from_rule(rule: str) -> Preset | None:
    """The simple schedule a rule stands for, if it is one (else None: a custom rule)."""
    parts = dict(item.split("=", 1) for item in (rule or "").upper().split(";") if "=" in item)
    allowed = {"FREQ", "BYDAY", "INTERVAL"}
    if not parts or set(parts) - allowed or "BYDAY" not in parts:
        return None
    byday = parts["BYDAY"]
    if parts.get("FREQ") == "MONTHLY" and "INTERVAL" not in parts:
        weekday, number = byday[-2:], byday[:-2]
        if weekday in WEEKDAYS and number in {"1", "2", "3", "4", "-1"}:
            return Preset("monthly", weekday, position=int(number))
    if parts.get("FREQ") == "WEEKLY" and byday in WEEKDAYS:
        interval = parts.get("INTERVAL", "1")
        if interval.isdigit() and 1 <= int(interval) <= 8:
            return Preset("weekly", byday, interval=int(interval))
    return None


def rule_describe(rule: str) -> str:
    """The schedule in words, for the pages ("The first Tuesday of every month")."""
    preset = preset_from_rule(rule)
    if preset is None:
        return rule
    day = WEEKDAY_NAMES[preset.weekday]
    if preset.kind == "monthly":
        return str(
            _("The %(position)s %(weekday)s of every month")
            % {"position": POSITIONS[preset.position], "weekday": day}
        )
    if preset.interval == 1:
        return str(_("Every %(weekday)s") % {"weekday": day})
    return str(
        _("Every %(weeks)s weeks on %(weekday)s") % {"weeks": preset.interval, "weekday": day}
    )
