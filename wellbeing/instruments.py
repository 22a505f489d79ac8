"""Wellbeing questionnaires as data, and the one function that scores them.

The validated questionnaires (ProQOL 5, WHO-5, the Copenhagen Burnout Inventory) are declared
here as their manuals score them: which items form a subscale, which are reverse-scored, whether
a subscale is summed or averaged and where the published cut-offs lie. Their wording is not
shipped; an organisation loads the owners' text per language from a CSV that ``wording_parse``
checks against these declarations. The weekly pulse is the project's own, is not validated and
ships its wording.

Nothing here touches the database. A result never names a diagnosis: a band's message is what
volunteers read about their own answers, so it is plain, kind and points to help."""

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

WHO5_MEANINGFUL_CHANGE = 10  # percentage points, from the WHO-5 scoring notes
LANGUAGES = ("en", "lv", "ru")
MAX_TEXT_LENGTH = 500
REQUIRED_COLUMNS = ("instrument", "language", "item", "text")
OPTIONAL_COLUMNS = ("reverse", "scale")


class ScoringError(ValueError):
    """Answers that cannot belong to the instrument: an unknown item or an unoffered value."""


@dataclass(frozen=True)
class Scale:
    """The answers offered for an item: the stored value and its label, in display order."""

    key: str
    options: tuple[tuple[int, str], ...]

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(value for value, _label in self.options)

    @property
    def minimum(self) -> int:
        return min(self.values)

    @property
    def maximum(self) -> int:
        return max(self.values)


@dataclass(frozen=True)
class Band:
    """A named range of a subscale's result. Bounds are inclusive (``None`` leaves that side
    open) and apply to the subscale's reported value, or to its raw value when the subscale
    has ``band_on="raw"``: the WHO-5's published cut-offs are on the raw 0–25 score.

    ``label`` and ``message`` are shown to the volunteer about their own answers, so neither
    names a diagnosis."""

    key: str
    label: str
    minimum: float | None
    maximum: float | None
    concern: bool = False
    professional_help: bool = False
    message: str = ""

    def contains(self, value: float) -> bool:
        return (self.minimum is None or value >= self.minimum) and (
            self.maximum is None or value <= self.maximum
        )


@dataclass(frozen=True)
class Subscale:
    """Items scored together. ``raw`` is the sum or the mean of the items' scores (points
    where the instrument has them, after reverse scoring); the reported ``value`` is
    ``raw × factor`` (the WHO-5's percentage) and ``minimum``/``maximum`` are its range.

    A summed subscale must have all its items answered: a sum of fewer items is not comparable
    with the published cut-offs. A mean needs the manual's ``min_answered``."""

    key: str
    label: str
    items: tuple[int, ...]
    method: Literal["sum", "mean"]
    bands: tuple[Band, ...]
    minimum: float
    maximum: float
    min_answered: int
    higher_is_better: bool
    reverse: tuple[int, ...] = ()
    band_on: Literal["value", "raw"] = "value"
    factor: float = 1


@dataclass(frozen=True, eq=False)
class Instrument:
    """One questionnaire, declared once. Compared by identity, so it can key a dict although
    it holds dicts.

    ``points`` maps a stored answer to the points it scores (the CBI's 0–100); without it an
    answer scores its own value. ``reverse_candidates`` are the items that may be the reverse
    item when published versions number it differently (the CBI); the loaded wording says
    which one it is."""

    key: str
    name: str
    short_name: str
    item_count: int
    scales: dict[str, Scale]
    item_scales: dict[int, str]
    subscales: tuple[Subscale, ...]
    recall: str
    interval_days: int
    minutes: int
    validated: bool
    wording_shipped: bool
    licence: str
    attribution: str
    url: str
    points: dict[int, int] | None = None
    reverse_candidates: tuple[int, ...] = ()
    item_texts: dict[int, str] | None = None

    @property
    def items(self) -> range:
        return range(1, self.item_count + 1)

    @property
    def reverse(self) -> tuple[int, ...]:
        """The declared reverse-scored items of all subscales."""
        return tuple(sorted(item for sub in self.subscales for item in sub.reverse))

    def scale_for(self, item: int) -> Scale:
        return self.scales[self.item_scales[item]]

    def subscale(self, key: str) -> Subscale:
        for sub in self.subscales:
            if sub.key == key:
                return sub
        raise KeyError(key)


@dataclass(frozen=True)
class SubscaleResult:
    key: str
    value: float | None
    raw: float | None
    band: Band | None
    answered: int


@dataclass(frozen=True)
class Result:
    instrument_key: str
    subscales: dict[str, SubscaleResult]
    concern: bool
    professional_help: bool
    complete: bool

    def as_dict(self) -> dict:
        """What a check-in keeps: band keys, not labels, so a result stays readable after a
        message is reworded or translated."""
        return {
            "instrument": self.instrument_key,
            "subscales": {
                key: {
                    "value": None if sub.value is None else round(sub.value, 1),
                    "raw": None if sub.raw is None else round(sub.raw, 1),
                    "band": sub.band.key if sub.band else None,
                    "answered": sub.answered,
                }
                for key, sub in self.subscales.items()
            },
            "concern": self.concern,
            "professional_help": self.professional_help,
            "complete": self.complete,
        }


# --- ProQOL 5 ----------------------------------------------------------------------------------


def _proqol_bands(*, concern_on: str, low: str, moderate: str, high: str) -> tuple[Band, ...]:
    """The manual's cut-offs on the raw sum (10–50). The 43/57 quoted beside them are t-scores
    of a norm sample and are not used."""
    return (
        Band("low", _("Low"), 10, 22, concern=concern_on == "low", message=low),
        Band("moderate", _("Moderate"), 23, 41, message=moderate),
        Band("high", _("High"), 42, 50, concern=concern_on == "high", message=high),
    )


PROQOL5 = Instrument(
    key="proqol5",
    name=_("Professional Quality of Life Scale (ProQOL 5)"),
    short_name=_("ProQOL 5"),
    item_count=30,
    scales={
        "frequency": Scale(
            "frequency",
            (
                (1, _("Never")),
                (2, _("Rarely")),
                (3, _("Sometimes")),
                (4, _("Often")),
                (5, _("Very often")),
            ),
        )
    },
    item_scales=dict.fromkeys(range(1, 31), "frequency"),
    subscales=(
        Subscale(
            key="compassion_satisfaction",
            label=_("Compassion satisfaction"),
            items=(3, 6, 12, 16, 18, 20, 22, 24, 27, 30),
            method="sum",
            bands=_proqol_bands(
                concern_on="low",
                low=_(
                    "Your answers suggest your work is giving you little satisfaction at the "
                    "moment. That happens to many helpers and it is not a diagnosis. Talking it "
                    "over with someone you trust or with your supervisor can help."
                ),
                moderate=_(
                    "Your answers suggest your work gives you a fair amount of satisfaction."
                ),
                high=_(
                    "Your answers suggest you find a lot of satisfaction in helping. "
                    "That is worth noticing."
                ),
            ),
            minimum=10,
            maximum=50,
            min_answered=10,
            higher_is_better=True,
        ),
        Subscale(
            key="burnout",
            label=_("Burnout"),
            items=(1, 4, 8, 10, 15, 17, 19, 21, 26, 29),
            method="sum",
            bands=_proqol_bands(
                concern_on="high",
                low=_("Your answers show few signs of burnout at the moment."),
                moderate=_(
                    "Your answers are in the middle range. Keep an eye on rest and on what "
                    "helps you recover."
                ),
                high=_(
                    "Your answers suggest a lot of strain. That is common in this work and it "
                    "is not a diagnosis. Talking to someone can help."
                ),
            ),
            minimum=10,
            maximum=50,
            min_answered=10,
            higher_is_better=False,
            reverse=(1, 4, 15, 17, 29),
        ),
        Subscale(
            key="secondary_traumatic_stress",
            label=_("Secondary traumatic stress"),
            items=(2, 5, 7, 9, 11, 13, 14, 23, 25, 28),
            method="sum",
            bands=_proqol_bands(
                concern_on="high",
                low=_(
                    "Your answers suggest the distress you hear about is not weighing heavily "
                    "on you at the moment."
                ),
                moderate=_(
                    "Your answers are in the middle range. Noticing what stays with you after "
                    "a call can help you look after yourself."
                ),
                high=_(
                    "Your answers suggest the distress you hear about is staying with you. "
                    "That is a common reaction in this work and it is not a diagnosis. Talking "
                    "to someone, such as your supervisor, can help."
                ),
            ),
            minimum=10,
            maximum=50,
            min_answered=10,
            higher_is_better=False,
        ),
    ),
    recall=_("the last 30 days"),
    interval_days=30,
    minutes=10,
    validated=True,
    wording_shipped=False,
    licence=_(
        "May be copied freely if the author is credited, nothing is changed and it is not sold."
    ),
    # A citation is reproduced as published, not translated.
    attribution=(
        "© B. Hudnall Stamm, 2009–2012. Professional Quality of Life: Compassion Satisfaction "
        "and Fatigue Version 5 (ProQOL). www.proqol.org"
    ),
    url="https://proqol.org",
)


# --- WHO-5 -------------------------------------------------------------------------------------

WHO5 = Instrument(
    key="who5",
    name=_("WHO-5 Well-Being Index"),
    short_name=_("WHO-5"),
    item_count=5,
    scales={
        "time": Scale(
            "time",
            (
                (0, _("At no time")),
                (1, _("Some of the time")),
                (2, _("Less than half of the time")),
                (3, _("More than half of the time")),
                (4, _("Most of the time")),
                (5, _("All of the time")),
            ),
        )
    },
    item_scales=dict.fromkeys(range(1, 6), "time"),
    subscales=(
        Subscale(
            key="wellbeing",
            label=_("Wellbeing"),
            items=(1, 2, 3, 4, 5),
            method="sum",
            # On the raw 0–25 score, as published: below 13 is poor wellbeing, 7 or less (28%)
            # is the range where screening studies advise seeing a professional.
            bands=(
                Band(
                    "likely_depression",
                    _("Very low wellbeing"),
                    0,
                    7,
                    concern=True,
                    professional_help=True,
                    message=_(
                        "Your answers are in a range where a professional, such as a doctor or "
                        "a psychologist, can help. This is not a diagnosis, and it is worth "
                        "reaching out to one. You do not have to carry this alone."
                    ),
                ),
                Band(
                    "poor",
                    _("Low wellbeing"),
                    8,
                    12,
                    concern=True,
                    message=_(
                        "Your answers suggest your wellbeing has been low lately. That happens "
                        "to many people in this work and it is not a diagnosis. Talking to "
                        "someone you trust or to your supervisor can help."
                    ),
                ),
                Band(
                    "good",
                    _("Good wellbeing"),
                    13,
                    25,
                    message=_("Your answers suggest your wellbeing is good at the moment."),
                ),
            ),
            minimum=0,
            maximum=100,
            min_answered=5,
            higher_is_better=True,
            band_on="raw",
            factor=4,
        ),
    ),
    recall=_("the last two weeks"),
    interval_days=14,
    minutes=2,
    validated=True,
    wording_shipped=False,
    licence=_("Free to use."),
    attribution=(
        "WHO-Five Well-Being Index (WHO-5). © Psychiatric Research Unit, Mental Health Centre "
        "North Zealand; WHO Regional Office for Europe, 1998."
    ),
    url="https://www.psykiatri-regionh.dk/who-5/",
)


# --- Copenhagen Burnout Inventory -------------------------------------------------------------


def _cbi_bands(high: str) -> tuple[Band, ...]:
    """50 is the usual threshold for a high score on the 0–100 mean. The mean of at most seven
    items scored in steps of 25 never falls strictly between 49.99 and 50."""
    return (
        Band(
            "lower",
            _("Lower"),
            0,
            49.99,
            message=_("Your answers are below the level usually seen as high burnout."),
        ),
        Band("high", _("High"), 50, 100, concern=True, message=high),
    )


CBI = Instrument(
    key="cbi",
    name=_("Copenhagen Burnout Inventory"),
    short_name=_("CBI"),
    item_count=19,
    scales={
        "frequency": Scale(
            "frequency",
            (
                (0, _("Always")),
                (1, _("Often")),
                (2, _("Sometimes")),
                (3, _("Seldom")),
                (4, _("Never or almost never")),
            ),
        ),
        "degree": Scale(
            "degree",
            (
                (0, _("To a very high degree")),
                (1, _("To a high degree")),
                (2, _("Somewhat")),
                (3, _("To a low degree")),
                (4, _("To a very low degree")),
            ),
        ),
    },
    # The numbering that asks the "how often" work items first (the reverse item is 10). The
    # loaded wording's ``scale`` column gives each item's scale for other numberings.
    item_scales={item: "degree" if 11 <= item <= 17 else "frequency" for item in range(1, 20)},
    subscales=(
        Subscale(
            key="personal_burnout",
            label=_("Personal burnout"),
            items=tuple(range(1, 7)),
            method="mean",
            bands=_cbi_bands(
                _(
                    "Your answers suggest a lot of tiredness and exhaustion. That is common in "
                    "this work and it is not a diagnosis. Talking to someone can help."
                )
            ),
            minimum=0,
            maximum=100,
            min_answered=3,
            higher_is_better=False,
        ),
        Subscale(
            key="work_burnout",
            label=_("Work-related burnout"),
            items=tuple(range(7, 14)),
            method="mean",
            bands=_cbi_bands(
                _(
                    "Your answers suggest your volunteering is wearing you out. That is common "
                    "in this work and it is not a diagnosis. Talking to someone, such as your "
                    "coordinator or supervisor, can help."
                )
            ),
            minimum=0,
            maximum=100,
            min_answered=4,
            higher_is_better=False,
            reverse=(10,),
        ),
        Subscale(
            key="client_burnout",
            label=_("Burnout from work with callers"),
            items=tuple(range(14, 20)),
            method="mean",
            bands=_cbi_bands(
                _(
                    "Your answers suggest the calls are draining you. That is common in this "
                    "work and it is not a diagnosis. Talking to someone, such as your "
                    "supervisor, can help."
                )
            ),
            minimum=0,
            maximum=100,
            min_answered=3,
            higher_is_better=False,
        ),
    ),
    recall=_("how things are for you these days"),
    interval_days=90,
    minutes=5,
    validated=True,
    wording_shipped=False,
    licence=_("Free to use with a reference to the publication."),
    attribution=(
        "Kristensen TS, Borritz M, Villadsen E, Christensen KB. The Copenhagen Burnout "
        "Inventory: a new tool for the assessment of burnout. Work & Stress 2005;19(3):192–207."
    ),
    url="https://doi.org/10.1080/02678370500297720",
    points={0: 100, 1: 75, 2: 50, 3: 25, 4: 0},
    reverse_candidates=tuple(range(7, 14)),
)


# --- Weekly pulse ------------------------------------------------------------------------------

PULSE = Instrument(
    key="pulse",
    name=_("Weekly pulse"),
    short_name=_("Pulse"),
    item_count=5,
    scales={
        "amount": Scale(
            "amount",
            (
                (0, _("Not at all")),
                (1, _("A little")),
                (2, _("Somewhat")),
                (3, _("Quite a lot")),
                (4, _("Very much")),
            ),
        )
    },
    item_scales=dict.fromkeys(range(1, 6), "amount"),
    item_texts={
        1: _("Over the last 7 days, how much energy have you had?"),
        2: _("Over the last 7 days, how stressed have you felt?"),
        3: _("Over the last 7 days, how well have you slept?"),
        4: _("Over the last 7 days, how supported have you felt by your team?"),
        5: _("Over the last 7 days, how hard have the calls been for you?"),
    },
    subscales=(
        Subscale(
            key="pulse",
            label=_("Your week"),
            items=(1, 2, 3, 4, 5),
            method="mean",
            bands=(
                Band(
                    "heavy",
                    _("Heavy"),
                    0,
                    39.99,
                    concern=True,
                    message=_(
                        "Your answers suggest a heavy week. That is common in this work and it "
                        "is not a diagnosis. Talking to someone can help."
                    ),
                ),
                Band(
                    "some_strain",
                    _("Some strain"),
                    40,
                    59.99,
                    message=_(
                        "Your answers suggest some strain this week. Be kind to yourself and "
                        "make room for rest."
                    ),
                ),
                Band(
                    "steady",
                    _("Steady"),
                    60,
                    100,
                    message=_("Your answers suggest a steady week."),
                ),
            ),
            minimum=0,
            maximum=100,
            min_answered=4,
            higher_is_better=True,
            reverse=(2, 5),
        ),
    ),
    recall=_("the last 7 days"),
    interval_days=7,
    minutes=1,
    validated=False,
    wording_shipped=True,
    licence=_(
        "Written for Atbalsts; not a validated instrument: a quick look at your week, "
        "not a measurement"
    ),
    attribution="Atbalsts",
    url="",
    points={value: value * 25 for value in range(5)},
)

INSTRUMENTS: dict[str, Instrument] = {
    instrument.key: instrument for instrument in (PROQOL5, WHO5, CBI, PULSE)
}


def get(key: str) -> Instrument:
    """The instrument with this key; ``KeyError`` for any other."""
    return INSTRUMENTS[key]


# --- Scoring -----------------------------------------------------------------------------------


def _reverse_items(instrument: Instrument, reverse: Iterable[int] | None) -> frozenset[int]:
    """The reverse items to score with. An override must be among the candidates of an
    instrument whose versions differ; any other instrument accepts only its declaration, so a
    caller may pass what a wording file stated for any instrument."""
    declared = frozenset(instrument.reverse)
    if reverse is None:
        return declared
    stated = frozenset(reverse)
    if instrument.reverse_candidates:
        if not stated <= set(instrument.reverse_candidates):
            raise ScoringError(
                f"reverse items {sorted(stated)} are not among {instrument.key}'s candidates "
                f"{list(instrument.reverse_candidates)}"
            )
    elif stated != declared:
        raise ScoringError(
            f"{instrument.key} reverse-scores {sorted(declared)}, not {sorted(stated)}"
        )
    return stated


def _item_score(instrument: Instrument, item: object, value: object, *, reverse: bool) -> int:
    if isinstance(item, bool) or not isinstance(item, int) or item not in instrument.items:
        raise ScoringError(
            f"{item!r} is not an item of {instrument.key} (1–{instrument.item_count})"
        )
    scale = instrument.scale_for(item)
    if isinstance(value, bool) or not isinstance(value, int) or value not in scale.values:
        raise ScoringError(f"{value!r} is not an answer to {instrument.key} item {item}")
    if instrument.points is None:
        return scale.minimum + scale.maximum - value if reverse else value
    points = instrument.points[value]
    if reverse:
        return min(instrument.points.values()) + max(instrument.points.values()) - points
    return points


def band_for(subscale: Subscale, value: float | None) -> Band | None:
    """The band holding ``value``, given on the scale the subscale's bands use (``band_on``)."""
    if value is None:
        return None
    return next((band for band in subscale.bands if band.contains(value)), None)


def _subscale_score(subscale: Subscale, scores: Mapping[int, int]) -> SubscaleResult:
    answered = [scores[item] for item in subscale.items if item in scores]
    if len(answered) < subscale.min_answered:
        return SubscaleResult(subscale.key, None, None, None, len(answered))
    raw = float(sum(answered))
    if subscale.method == "mean":
        raw /= len(answered)
    value = raw * subscale.factor
    band = band_for(subscale, raw if subscale.band_on == "raw" else value)
    return SubscaleResult(subscale.key, value, raw, band, len(answered))


def score(
    instrument: Instrument, answers: Mapping[int, int], *, reverse: tuple[int, ...] | None = None
) -> Result:
    """Score one set of answers (item → stored answer; unanswered items are absent).

    ``reverse`` replaces the declared reverse items: the CBI's reverse item is numbered
    differently in published versions, and the loaded wording says which it is. A subscale
    with fewer answers than its manual requires has no value and no band."""
    reversed_items = _reverse_items(instrument, reverse)
    scores = {
        item: _item_score(instrument, item, value, reverse=item in reversed_items)
        for item, value in answers.items()
    }
    subscales = {sub.key: _subscale_score(sub, scores) for sub in instrument.subscales}
    bands = [sub.band for sub in subscales.values() if sub.band is not None]
    return Result(
        instrument_key=instrument.key,
        subscales=subscales,
        concern=any(band.concern for band in bands),
        professional_help=any(band.professional_help for band in bands),
        complete=len(scores) == instrument.item_count,
    )


def who5_change_is_meaningful(before: Result, after: Result) -> bool:
    """A change of at least 10 points on the 0–100 percentage is what the WHO-5 treats as
    real rather than noise. False when either result has no score."""
    if before.instrument_key != WHO5.key or after.instrument_key != WHO5.key:
        raise ValueError("both results must be WHO-5 results")
    first = before.subscales["wellbeing"].value
    second = after.subscales["wellbeing"].value
    if first is None or second is None:
        return False
    return abs(second - first) >= WHO5_MEANINGFUL_CHANGE


# --- Wording import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class WordingRow:
    instrument: str
    language: str
    item: int
    text: str
    reverse: bool | None
    scale: str | None


class WordingError(ValueError):
    """Everything wrong with a wording file at once, each problem naming its line."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = list(errors)


Numbered = list[tuple[int, WordingRow]]  # rows with the line each starts on


def _at(line: int, message: str, **values) -> str:
    """A translated problem with ``%(name)s`` placeholders, filled in and given its line."""
    return gettext("line %(line)d: %(problem)s") % {"line": line, "problem": message % values}


def _numbers(items: Iterable[int]) -> str:
    return ", ".join(str(item) for item in sorted(items))


def _header_problems(header: list[str]) -> list[str]:
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    odd = [column for column in dict.fromkeys(header) if column not in known]
    odd += sorted({column for column in header if column in known and header.count(column) > 1})
    problems = []
    if missing:
        problems.append(
            _at(1, gettext("the header lacks the columns %(missing)s"), missing=", ".join(missing))
        )
    if odd:
        problems.append(
            _at(
                1,
                gettext("unexpected or repeated columns %(odd)s (the columns are %(known)s)"),
                odd=", ".join(f"“{column}”" for column in odd),
                known=", ".join(known),
            )
        )
    return problems


def _wording_row(values: dict[str, str], line: int, errors: list[str]) -> WordingRow | None:
    """One row, or None with its problems added to ``errors``."""
    found = []
    key = values.get("instrument", "").strip().lower()
    instrument = INSTRUMENTS.get(key)
    if instrument is None:
        loadable = (k for k, i in INSTRUMENTS.items() if not i.wording_shipped)
        found.append(
            gettext("unknown questionnaire “%(key)s” (expected %(keys)s)")
            % {"key": key, "keys": ", ".join(loadable)}
        )
    elif instrument.wording_shipped:
        found.append(
            gettext("the wording of %(name)s comes with Atbalsts and is not loaded")
            % {"name": instrument.short_name}
        )
        instrument = None
    language = values.get("language", "").strip().lower()
    if language not in LANGUAGES:
        found.append(
            gettext("unknown language “%(language)s” (expected %(languages)s)")
            % {"language": language, "languages": ", ".join(LANGUAGES)}
        )
    raw_item = values.get("item", "").strip()
    item = int(raw_item) if re.fullmatch(r"-?[0-9]+", raw_item) else None
    if item is None:
        found.append(gettext("item “%(item)s” is not a whole number") % {"item": raw_item})
    elif instrument is not None and item not in instrument.items:
        found.append(
            gettext("item %(item)d is not an item of %(name)s (1–%(count)d)")
            % {"item": item, "name": instrument.short_name, "count": instrument.item_count}
        )
    text = values.get("text", "").strip()
    if not text:
        found.append(gettext("the text is empty"))
    elif len(text) > MAX_TEXT_LENGTH:
        found.append(
            gettext("the text has %(length)d characters; at most %(most)d are allowed")
            % {"length": len(text), "most": MAX_TEXT_LENGTH}
        )
    raw_reverse = values.get("reverse", "").strip().lower()
    if raw_reverse not in ("yes", "no", ""):
        found.append(
            gettext("reverse must be yes, no or empty, not “%(value)s”") % {"value": raw_reverse}
        )
    scale = values.get("scale", "").strip().lower() or None
    if scale is not None and instrument is not None and scale not in instrument.scales:
        found.append(
            gettext("%(name)s has no answer scale “%(scale)s” (expected %(scales)s)")
            % {
                "name": instrument.short_name,
                "scale": scale,
                "scales": ", ".join(instrument.scales),
            }
        )
    errors.extend(_at(line, "%(text)s", text=problem) for problem in found)
    if found:
        return None
    reverse = raw_reverse == "yes" if raw_reverse else None
    return WordingRow(key, language, item, text, reverse, scale)


def _read_rows(reader, header: list[str], errors: list[str]) -> Numbered:
    """The file's rows after the header, each checked alone and against earlier rows."""
    rows: Numbered = []
    seen: dict[tuple[str, str, int], int] = {}
    while True:
        line = reader.line_num + 1  # where the next record starts, blank lines included
        try:
            cells = next(reader)
        except StopIteration:
            return rows
        except csv.Error as error:
            errors.append(_at(line, "%(error)s", error=error))
            return rows
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            errors.append(
                _at(
                    line,
                    gettext("%(found)d values for %(width)d columns"),
                    found=len(cells),
                    width=len(header),
                )
            )
            continue
        row = _wording_row(dict(zip(header, cells, strict=False)), line, errors)
        if row is None:
            continue
        identity = (row.instrument, row.language, row.item)
        if identity in seen:
            errors.append(
                _at(
                    line,
                    gettext(
                        "item %(item)d of %(name)s (%(language)s) is already on line %(first)d"
                    ),
                    item=row.item,
                    name=INSTRUMENTS[row.instrument].short_name,
                    language=row.language,
                    first=seen[identity],
                )
            )
            continue
        seen[identity] = line
        rows.append((line, row))


def _reverse_problems(instrument: Instrument, language: str, rows: Numbered) -> list[str]:
    """What the reverse column gets wrong for one questionnaire in one language. Left empty it
    says nothing; filled in, it must agree with the manual, or for the CBI name exactly one
    candidate: that is how the loaded version says which item it reverses."""
    stated = [(line, row) for line, row in rows if row.reverse is not None]
    if not stated:
        return []
    marked = [(line, row) for line, row in stated if row.reverse]
    name = instrument.short_name
    problems = []
    if not instrument.reverse_candidates:
        declared = set(instrument.reverse)
        for line, row in rows:
            if row.reverse and row.item not in declared:
                problems.append(
                    _at(
                        line,
                        gettext(
                            "item %(item)d of %(name)s is not reverse-scored (%(declared)s are)"
                        ),
                        item=row.item,
                        name=name,
                        declared=_numbers(declared) or gettext("no items"),
                    )
                )
            elif not row.reverse and row.item in declared:
                problems.append(
                    _at(
                        line,
                        gettext("item %(item)d of %(name)s is reverse-scored: mark it yes"),
                        item=row.item,
                        name=name,
                    )
                )
        return problems
    candidates = instrument.reverse_candidates
    for line, row in marked:
        if row.item not in candidates:
            problems.append(
                _at(
                    line,
                    gettext("item %(item)d of %(name)s cannot be its reverse item (%(options)s)"),
                    item=row.item,
                    name=name,
                    options=_numbers(candidates),
                )
            )
    inside = [(line, row) for line, row in marked if row.item in candidates]
    if len(inside) > 1:
        problems.append(
            _at(
                inside[1][0],
                gettext("%(name)s has one reverse item, but (%(language)s) marks %(items)s"),
                name=name,
                language=language,
                items=_numbers(row.item for _line, row in inside),
            )
        )
    if not marked:
        problems.append(
            _at(
                stated[0][0],
                gettext("%(name)s has one reverse item, but (%(language)s) marks none"),
                name=name,
                language=language,
            )
        )
    return problems


def _group_problems(rows: Numbered) -> list[str]:
    """Per questionnaire and language: every item present, the reverse column right, and the
    same reverse items in every language (scoring cannot depend on the reader's language)."""
    groups: dict[tuple[str, str], Numbered] = {}
    for line, row in rows:
        groups.setdefault((row.instrument, row.language), []).append((line, row))
    problems = []
    reverse_stated: dict[str, tuple[str, frozenset[int]]] = {}
    for (key, language), members in groups.items():
        instrument = INSTRUMENTS[key]
        absent = set(instrument.items) - {row.item for _line, row in members}
        if absent:
            problems.append(
                _at(
                    members[0][0],
                    gettext("%(name)s (%(language)s) lacks items %(items)s"),
                    name=instrument.short_name,
                    language=language,
                    items=_numbers(absent),
                )
            )
        wrong = _reverse_problems(instrument, language, members)
        problems += wrong
        stated = [(line, row) for line, row in members if row.reverse is not None]
        if wrong or not stated:
            continue
        marked = frozenset(row.item for _line, row in stated if row.reverse)
        other_language, other = reverse_stated.setdefault(key, (language, marked))
        if marked != other:
            problems.append(
                _at(
                    stated[0][0],
                    gettext(
                        "%(name)s (%(language)s) reverses item %(items)s but (%(other_language)s) "
                        "item %(other)s; the languages must agree"
                    ),
                    name=instrument.short_name,
                    language=language,
                    items=_numbers(marked),
                    other_language=other_language,
                    other=_numbers(other),
                )
            )
    return problems


def wording_parse(text: str) -> list[WordingRow]:
    """Read and check a wording file: UTF-8 CSV with the header
    ``instrument,language,item,text`` and optionally ``reverse`` (yes/no/empty) and ``scale``.

    Raises ``WordingError`` listing every problem with its line, so an organisation can fix
    the file in one go. An unknown column is refused rather than ignored: a misspelt
    ``reverse`` column would silently keep the wrong reverse item of the CBI."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    header = [cell.strip().lower() for cell in next(reader, [])]
    errors = _header_problems(header)
    if errors:
        raise WordingError(errors)
    rows = _read_rows(reader, header, errors)
    errors += _group_problems(rows)
    if errors:
        raise WordingError(errors)
    return [row for _line, row in rows]


def wording_reverse(
    rows: Iterable[WordingRow], instrument: Instrument | str
) -> tuple[int, ...] | None:
    """The reverse-scored items a parsed file states for the instrument, or None when its
    rows leave the reverse column empty."""
    key = instrument.key if isinstance(instrument, Instrument) else instrument
    stated = [row for row in rows if row.instrument == key and row.reverse is not None]
    if not stated:
        return None
    return tuple(sorted({row.item for row in stated if row.reverse}))
