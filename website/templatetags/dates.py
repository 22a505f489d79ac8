"""Dates inside sentences. Django's formats give a month in its dictionary form; after
"until" (Latvian "līdz") Latvian needs the dative: "līdz 2026. gada 22. novembrim"."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language

register = template.Library()

LATVIAN_MONTHS_DATIVE = (
    "janvārim",
    "februārim",
    "martam",
    "aprīlim",
    "maijam",
    "jūnijam",
    "jūlijam",
    "augustam",
    "septembrim",
    "oktobrim",
    "novembrim",
    "decembrim",
)


def _local(value):
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


@register.filter
def until_date(value) -> str:
    """A date to follow "until" or "by" in a sentence, in the active language."""
    if not value:
        return ""
    value = _local(value)
    if (get_language() or "").startswith("lv"):
        return f"{value.year}. gada {value.day}. {LATVIAN_MONTHS_DATIVE[value.month - 1]}"
    return formats.date_format(value, "DATE_FORMAT")


@register.filter
def until_datetime(value) -> str:
    """A date and time to follow "until" in a sentence."""
    if not value:
        return ""
    value = _local(value)
    return f"{until_date(value)}, {formats.time_format(value, 'TIME_FORMAT')}"


@register.simple_tag
def time_span(starts, ends) -> str:
    """ "Tuesday, Dec. 1, 2026, 18:00–19:30" in the active language and time zone."""
    if not starts:
        return ""
    starts, ends = _local(starts), _local(ends) if ends else None
    text = f"{formats.date_format(starts, 'l')}, {formats.date_format(starts, 'DATE_FORMAT')}, "
    text += formats.time_format(starts, "TIME_FORMAT")
    if ends:
        if ends.date() != starts.date():
            text += f" – {formats.date_format(ends, 'DATE_FORMAT')}, "
            text += formats.time_format(ends, "TIME_FORMAT")
        else:
            text += f"–{formats.time_format(ends, 'TIME_FORMAT')}"
    return text
