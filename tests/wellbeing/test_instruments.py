"""The wellbeing questionnaires score as their manuals do, by hand-computed tables, and a
wording file is refused with every problem named by its line."""

import csv
import io
import json

import pytest

from wellbeing.instruments import (
    CBI,
    INSTRUMENTS,
    PROQOL5,
    PULSE,
    WHO5,
    Result,
    ScoringError,
    SubscaleResult,
    WordingError,
    band_for,
    get,
    score,
    who5_change_is_meaningful,
    wording_parse,
    wording_reverse,
)


def answers(instrument, default, **by_item):
    """Every item answered ``default`` except those given as ``i<item>=value``."""
    given = {int(name[1:]): value for name, value in by_item.items()}
    return {item: given.get(item, default) for item in instrument.items}


def summary(result):
    """Subscale → (value, band key), as the tables below write it."""
    return {
        key: (None if sub.value is None else round(sub.value, 2), sub.band and sub.band.key)
        for key, sub in result.subscales.items()
    }


# --- The declarations -------------------------------------------------------------------------


def test_the_instruments_and_their_keys():
    assert list(INSTRUMENTS) == ["proqol5", "who5", "cbi", "pulse"]
    assert get("cbi") is CBI
    with pytest.raises(KeyError):
        get("phq9")
    with pytest.raises(KeyError):
        PROQOL5.subscale("nope")


@pytest.mark.parametrize("instrument", INSTRUMENTS.values(), ids=INSTRUMENTS.keys())
def test_every_item_has_a_scale_and_exactly_one_subscale(instrument):
    placed = [item for sub in instrument.subscales for item in sub.items]
    assert sorted(placed) == list(instrument.items)
    assert set(instrument.item_scales) == set(instrument.items)
    assert all(instrument.scale_for(item).key in instrument.scales for item in instrument.items)
    for sub in instrument.subscales:
        assert set(sub.reverse) <= set(sub.items)
        assert 1 <= sub.min_answered <= len(sub.items)
        if sub.method == "sum":  # a partial sum is not comparable with the cut-offs
            assert sub.min_answered == len(sub.items)
    if instrument.points is not None:
        for scale in instrument.scales.values():
            assert set(scale.values) <= set(instrument.points)
    if instrument.reverse_candidates:
        assert set(instrument.reverse) <= set(instrument.reverse_candidates)
    assert (instrument.item_texts is not None) == instrument.wording_shipped


def reachable(instrument, sub):
    """Every result a subscale can produce, on the scale its bands use."""
    scale = instrument.scale_for(sub.items[0])
    scores = sorted(
        {instrument.points[v] for v in scale.values} if instrument.points else scale.values
    )
    step, low, high = scores[1] - scores[0], scores[0], scores[-1]
    if sub.method == "sum":
        n = len(sub.items)
        totals = range(low * n, high * n + 1, step)
        return [t * (sub.factor if sub.band_on == "value" else 1) for t in totals]
    return [
        total / n
        for n in range(sub.min_answered, len(sub.items) + 1)
        for total in range(low * n, high * n + 1, step)
    ]


@pytest.mark.parametrize("instrument", INSTRUMENTS.values(), ids=INSTRUMENTS.keys())
def test_every_possible_result_falls_in_exactly_one_band(instrument):
    for sub in instrument.subscales:
        for value in reachable(instrument, sub):
            assert sum(band.contains(value) for band in sub.bands) == 1, (sub.key, value)


@pytest.mark.parametrize("instrument", INSTRUMENTS.values(), ids=INSTRUMENTS.keys())
def test_band_messages_are_kind_and_never_a_diagnosis(instrument):
    for sub in instrument.subscales:
        for band in sub.bands:
            words = f"{band.label} {band.message}".lower()
            assert band.message and "depress" not in words
            if band.concern:
                assert "not a diagnosis" in words
            if band.professional_help:
                assert "doctor or a psychologist" in words


# --- ProQOL 5 ---------------------------------------------------------------------------------

CS = "compassion_satisfaction"
BO = "burnout"
STS = "secondary_traumatic_stress"


@pytest.mark.parametrize(
    ("given", "expected", "concern"),
    [
        # All "Never": burnout's five reverse items count 5 each: 5×5 + 5×1 = 30.
        (answers(PROQOL5, 1), {CS: (10, "low"), BO: (30, "moderate"), STS: (10, "low")}, True),
        # All "Very often": the reverse items count 1 each: 5×1 + 5×5 = 30.
        (answers(PROQOL5, 5), {CS: (50, "high"), BO: (30, "moderate"), STS: (50, "high")}, True),
        (
            answers(PROQOL5, 3),
            {CS: (30, "moderate"), BO: (30, "moderate"), STS: (30, "moderate")},
            False,
        ),
        # Reverse items "Very often" (1 each), the others "Never": 10 → low burnout.
        (
            answers(PROQOL5, 3, i1=5, i4=5, i15=5, i17=5, i29=5, i8=1, i10=1, i19=1, i21=1, i26=1),
            {CS: (30, "moderate"), BO: (10, "low"), STS: (30, "moderate")},
            False,
        ),
        # Reverse items "Never" (5 each), the others "Very often": 50 → high burnout.
        (
            answers(PROQOL5, 3, i1=1, i4=1, i15=1, i17=1, i29=1, i8=5, i10=5, i19=5, i21=5, i26=5),
            {CS: (30, "moderate"), BO: (50, "high"), STS: (30, "moderate")},
            True,
        ),
    ],
)
def test_proqol_sums_with_reverse_items(given, expected, concern):
    result = score(PROQOL5, given)
    assert summary(result) == expected
    assert (result.concern, result.professional_help, result.complete) == (concern, False, True)


def proqol(subscale, stored):
    """All items "Sometimes" except the subscale's, given in its item order."""
    items = PROQOL5.subscale(subscale).items
    return {**answers(PROQOL5, 3), **dict(zip(items, stored, strict=True))}


# Burnout items in order: 1*, 4*, 8, 10, 15*, 17*, 19, 21, 26, 29* (* reverse: 6 − answer).
@pytest.mark.parametrize(
    ("subscale", "stored", "total", "band"),
    [
        (CS, [2, 2, 2, 2, 2, 2, 2, 2, 3, 3], 22, "low"),
        (CS, [2, 2, 2, 2, 2, 2, 2, 3, 3, 3], 23, "moderate"),
        (CS, [4, 4, 4, 4, 4, 4, 4, 4, 4, 5], 41, "moderate"),
        (CS, [4, 4, 4, 4, 4, 4, 4, 4, 5, 5], 42, "high"),
        (STS, [2, 2, 2, 2, 2, 2, 2, 2, 3, 3], 22, "low"),
        (STS, [3, 2, 2, 2, 2, 2, 2, 2, 3, 3], 23, "moderate"),
        (STS, [5, 4, 4, 4, 4, 4, 4, 4, 4, 4], 41, "moderate"),
        (STS, [5, 5, 4, 4, 4, 4, 4, 4, 4, 4], 42, "high"),
        # 2+2+2+2+2+2+2+2+2+4 = 22; one step on reverse item 1 (4 → 3) makes 23.
        (BO, [4, 4, 2, 2, 4, 4, 2, 2, 2, 2], 22, "low"),
        (BO, [3, 4, 2, 2, 4, 4, 2, 2, 2, 2], 23, "moderate"),
        # All scoring 4 (reverse items answered 2) is 40; item 1 answered "Never" adds 1.
        (BO, [1, 2, 4, 4, 2, 2, 4, 4, 4, 2], 41, "moderate"),
        (BO, [1, 1, 4, 4, 2, 2, 4, 4, 4, 2], 42, "high"),
        # The same 42 reached without the reverse items moving off "Sometimes".
        (BO, [3, 3, 5, 5, 3, 3, 5, 5, 5, 3], 40, "moderate"),
        (BO, [2, 2, 5, 5, 3, 3, 5, 5, 5, 3], 42, "high"),
    ],
)
def test_proqol_band_edges(subscale, stored, total, band):
    result = score(PROQOL5, proqol(subscale, stored)).subscales[subscale]
    assert (result.value, result.raw, result.band.key) == (total, total, band)
    concern_band = "low" if subscale == CS else "high"
    assert score(PROQOL5, proqol(subscale, stored)).concern == (band == concern_band)


def test_proqol_needs_every_item_of_a_subscale():
    given = answers(PROQOL5, 3)
    del given[29]
    result = score(PROQOL5, given)
    assert result.subscales[BO] == SubscaleResult(BO, None, None, None, 9)
    assert result.subscales[CS].value == 30
    assert not result.complete


# --- WHO-5 ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "raw", "percentage", "band", "concern", "professional_help"),
    [
        ([0, 0, 0, 0, 0], 0, 0, "likely_depression", True, True),
        ([5, 5, 5, 5, 5], 25, 100, "good", False, False),
        ([5, 4, 3, 2, 1], 15, 60, "good", False, False),
        ([3, 3, 2, 2, 2], 12, 48, "poor", True, False),
        ([3, 3, 3, 2, 2], 13, 52, "good", False, False),
        ([2, 2, 1, 1, 1], 7, 28, "likely_depression", True, True),
        ([2, 2, 2, 1, 1], 8, 32, "poor", True, False),
    ],
)
def test_who5_bands_are_decided_on_the_raw_score(
    stored, raw, percentage, band, concern, professional_help
):
    result = score(WHO5, dict(enumerate(stored, start=1)))
    wellbeing = result.subscales["wellbeing"]
    assert (wellbeing.raw, wellbeing.value, wellbeing.band.key) == (raw, percentage, band)
    assert (result.concern, result.professional_help) == (concern, professional_help)


def test_who5_needs_all_five_answers():
    result = score(WHO5, {1: 5, 2: 5, 3: 5, 4: 5})
    assert result.subscales["wellbeing"].value is None
    assert (result.concern, result.complete) == (False, False)


def who5(percentage):
    if percentage is None:
        sub = SubscaleResult("wellbeing", None, None, None, 4)
    else:
        sub = SubscaleResult("wellbeing", percentage, percentage / 4, None, 5)
    return Result("who5", {"wellbeing": sub}, False, False, percentage is not None)


@pytest.mark.parametrize(
    ("before", "after", "meaningful"),
    [
        (who5(50), who5(60), True),
        (who5(60), who5(50), True),
        (who5(52), who5(60), False),
        (who5(60), who5(52), False),
        (who5(48), who5(48), False),
        (who5(None), who5(80), False),
        # Scored: raw 12 → 14 is 8 points; 12 → 15 is 12.
        (score(WHO5, answers(WHO5, 2, i1=4)), score(WHO5, answers(WHO5, 2, i1=5, i2=3)), False),
        (score(WHO5, answers(WHO5, 2, i1=4)), score(WHO5, answers(WHO5, 3)), True),
    ],
)
def test_who5_change_of_ten_points_is_meaningful(before, after, meaningful):
    assert who5_change_is_meaningful(before, after) is meaningful


def test_who5_change_compares_who5_results_only():
    with pytest.raises(ValueError):
        who5_change_is_meaningful(score(PULSE, answers(PULSE, 2)), who5(50))


# --- Copenhagen Burnout Inventory -------------------------------------------------------------

PB, WB, CB = "personal_burnout", "work_burnout", "client_burnout"


@pytest.mark.parametrize(
    ("given", "reverse", "expected"),
    [
        # All "Always" (100 each); the reverse item 10 scores 0: work = 600 / 7.
        (answers(CBI, 0), None, {PB: (100, "high"), WB: (85.71, "high"), CB: (100, "high")}),
        # All "Never" (0 each); item 10 reversed scores 100: work = 100 / 7.
        (answers(CBI, 4), None, {PB: (0, "lower"), WB: (14.29, "lower"), CB: (0, "lower")}),
        (answers(CBI, 2), None, {PB: (50, "high"), WB: (50, "high"), CB: (50, "high")}),
        # Work items "Sometimes" (50), item 10 "Always", item 13 "Never".
        # Reverse 10: 10 → 0, 13 → 0: 250 / 7. Reverse 13: 10 → 100, 13 → 100: 450 / 7.
        (
            answers(CBI, 4, **{f"i{i}": 2 for i in (7, 8, 9, 11, 12)}, i10=0, i13=4),
            None,
            {PB: (0, "lower"), WB: (35.71, "lower"), CB: (0, "lower")},
        ),
        (
            answers(CBI, 4, **{f"i{i}": 2 for i in (7, 8, 9, 11, 12)}, i10=0, i13=4),
            (13,),
            {PB: (0, "lower"), WB: (64.29, "high"), CB: (0, "lower")},
        ),
        (
            answers(CBI, 4, **{f"i{i}": 2 for i in (7, 8, 9, 11, 12)}, i10=0, i13=4),
            (10,),
            {PB: (0, "lower"), WB: (35.71, "lower"), CB: (0, "lower")},
        ),
    ],
)
def test_cbi_means_of_points_with_the_reverse_item(given, reverse, expected):
    result = score(CBI, given, reverse=reverse)
    assert summary(result) == expected
    assert result.concern == any(band == "high" for _value, band in expected.values())
    assert not result.professional_help


@pytest.mark.parametrize(
    ("given", "subscale", "value"),
    [
        ({1: 0, 2: 1, 3: 2}, PB, 75),  # 3 of 6: (100 + 75 + 50) / 3
        ({1: 0, 2: 1}, PB, None),
        ({7: 0, 8: 0, 9: 4, 10: 4}, WB, 75),  # 4 of 7: 100 + 100 + 0 + 100 (10 reversed)
        ({7: 0, 8: 0, 9: 4}, WB, None),
        ({14: 3, 15: 3, 19: 0}, CB, 50),  # 3 of 6: (25 + 25 + 100) / 3
        ({14: 3, 15: 3}, CB, None),
    ],
)
def test_cbi_scores_a_subscale_from_the_published_minimum_of_answers(given, subscale, value):
    result = score(CBI, given)
    sub = result.subscales[subscale]
    assert (sub.value, sub.answered) == (value, len(given))
    assert (sub.band is None) == (value is None)
    assert not result.complete


@pytest.mark.parametrize(
    ("given", "value", "band"),
    [
        # The nearest a mean of up to seven items gets below 50 is 325 / 7.
        ({7: 2, 8: 2, 9: 2, 10: 2, 11: 2, 12: 3, 13: 2}, 46.43, "lower"),
        ({7: 2, 8: 2, 9: 2, 10: 2, 11: 2, 12: 2, 13: 2}, 50, "high"),
        ({1: 2, 2: 2, 3: 3, 4: 2, 5: 2, 6: 2}, 45.83, "lower"),
        ({1: 1, 2: 2, 3: 3, 4: 2, 5: 2, 6: 2}, 50, "high"),
    ],
)
def test_cbi_high_starts_at_fifty(given, value, band):
    (sub,) = [s for s in score(CBI, given).subscales.values() if s.value is not None]
    assert (round(sub.value, 2), sub.band.key) == (value, band)


@pytest.mark.parametrize(("value", "band"), [(49.99, "lower"), (49.9, "lower"), (50, "high")])
def test_cbi_band_edge_on_any_value(value, band):
    assert band_for(CBI.subscale(WB), value).key == band


@pytest.mark.parametrize(
    ("instrument", "reverse"),
    [
        (CBI, (3,)),  # a personal item cannot be the reverse item
        (CBI, (14,)),
        (CBI, (20,)),
        (PROQOL5, (1,)),  # fixed instruments take only their own declaration
        (PROQOL5, ()),
        (WHO5, (1,)),
        (PULSE, (2,)),
    ],
)
def test_a_reverse_outside_the_candidates_is_refused(instrument, reverse):
    with pytest.raises(ScoringError):
        score(instrument, answers(instrument, 2), reverse=reverse)


@pytest.mark.parametrize(
    ("instrument", "reverse"),
    [(PROQOL5, (29, 17, 15, 4, 1)), (WHO5, ()), (PULSE, (2, 5)), (CBI, (13,)), (CBI, (7,))],
)
def test_a_reverse_the_instrument_allows_is_accepted(instrument, reverse):
    assert score(instrument, answers(instrument, 2), reverse=reverse).complete


# --- Weekly pulse -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "value", "band", "concern"),
    [
        # Stress (2) and hard calls (5) are reversed: 0 → 100.
        ({1: 0, 2: 0, 3: 0, 4: 0, 5: 0}, 40, "some_strain", False),
        ({1: 4, 2: 4, 3: 4, 4: 4, 5: 4}, 60, "steady", False),
        ({1: 4, 2: 0, 3: 4, 4: 4, 5: 0}, 100, "steady", False),
        ({1: 0, 2: 4, 3: 0, 4: 0, 5: 4}, 0, "heavy", True),
        ({1: 2, 2: 2, 3: 2, 4: 2, 5: 2}, 50, "some_strain", False),
        ({1: 0, 2: 4, 3: 0, 4: 1, 5: 2}, 15, "heavy", True),  # (0 + 0 + 0 + 25 + 50) / 5
        ({1: 1, 2: 3, 3: 1, 4: 2, 5: 2}, 35, "heavy", True),  # (25 + 25 + 25 + 50 + 50) / 5
        ({1: 3, 2: 2, 3: 2, 4: 2, 5: 2}, 55, "some_strain", False),
        # Four of five answered is enough: the mean of those four.
        ({1: 2, 2: 2, 3: 2, 4: 0}, 37.5, "heavy", True),  # (50 + 50 + 50 + 0) / 4
        ({1: 2, 2: 4, 3: 2, 4: 1}, 31.25, "heavy", True),  # (50 + 0 + 50 + 25) / 4
        ({1: 3, 2: 2, 3: 2, 4: 2}, 56.25, "some_strain", False),  # (75 + 50 + 50 + 50) / 4
        ({1: 3, 2: 1, 3: 2, 4: 2}, 62.5, "steady", False),  # (75 + 75 + 50 + 50) / 4
        ({1: 4, 2: 4, 3: 4}, None, None, False),  # three of five: too few
    ],
)
def test_pulse_bands_and_reverse_items(given, value, band, concern):
    result = score(PULSE, given)
    assert summary(result) == {"pulse": (value, band)}
    assert result.concern is concern


# --- Answers that cannot be scored ------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "given"),
    [
        (PROQOL5, {31: 3}),
        (PROQOL5, {0: 3}),
        (PROQOL5, {"1": 3}),
        (PROQOL5, {1: 0}),
        (PROQOL5, {1: 6}),
        (PROQOL5, {1: "3"}),
        (PROQOL5, {1: True}),
        (WHO5, {6: 1}),
        (WHO5, {1: -1}),
        (WHO5, {1: 2.5}),
        (CBI, {20: 1}),
        (CBI, {1: 5}),
        (PULSE, {1: 5}),
        (PULSE, {True: 1}),
    ],
)
def test_unknown_items_and_answers_off_the_scale_are_refused(instrument, given):
    with pytest.raises(ScoringError):
        score(instrument, given)


@pytest.mark.parametrize("instrument", INSTRUMENTS.values(), ids=INSTRUMENTS.keys())
@pytest.mark.parametrize("how", ["all", "first_item_only"])
def test_a_result_is_kept_as_json(instrument, how):
    given = answers(instrument, instrument.scale_for(1).values[1])
    if how == "first_item_only":
        given = {1: given[1]}
    data = score(instrument, given).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["instrument"] == instrument.key
    assert set(data["subscales"]) == {sub.key for sub in instrument.subscales}
    for sub in data["subscales"].values():
        assert set(sub) == {"value", "raw", "band", "answered"}
        assert sub["value"] is None or sub["value"] == round(sub["value"], 1)


def test_a_kept_result_rounds_to_one_decimal_and_names_bands_by_key():
    data = score(CBI, answers(CBI, 0)).as_dict()
    assert data["subscales"][WB] == {"value": 85.7, "raw": 85.7, "band": "high", "answered": 7}
    assert (data["concern"], data["professional_help"], data["complete"]) == (True, False, True)


# --- Wording files ----------------------------------------------------------------------------

HEADER = ["instrument", "language", "item", "text", "reverse", "scale"]


def wording(instrument, language="en", *, reverse=None, edit=None, header=HEADER):
    """A complete placeholder file, line 1 the header and item n on line n + 1. ``reverse``
    fills the reverse column (yes for those items, no for the rest); ``edit`` maps an item to
    the row that replaces its line, or to None to drop it."""
    lines = []
    for item in instrument.items:
        flag = "" if reverse is None else ("yes" if item in reverse else "no")
        row = [instrument.key, language, str(item), f"Placeholder item {item}", flag, ""]
        lines.append(row[: len(header)])
    for item, row in (edit or {}).items():
        lines[item - 1] = row
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *filter(None, lines)])
    return out.getvalue()


def without_header(text):
    return text.split("\n", 1)[1]


def problems(text):
    with pytest.raises(WordingError) as caught:
        wording_parse(text)
    assert str(caught.value) == "\n".join(caught.value.errors)
    return caught.value.errors


@pytest.mark.parametrize(
    ("instrument", "reverse"),
    [(PROQOL5, (1, 4, 15, 17, 29)), (WHO5, ()), (CBI, (10,)), (PROQOL5, None), (CBI, None)],
)
def test_a_complete_file_loads(instrument, reverse):
    rows = wording_parse(wording(instrument, reverse=reverse))
    assert [row.item for row in rows] == list(instrument.items)
    assert {(row.instrument, row.language) for row in rows} == {(instrument.key, "en")}
    assert rows[2].text == "Placeholder item 3"
    assert wording_reverse(rows, instrument) == reverse
    assert wording_reverse(rows, instrument.key) == reverse


def test_a_file_without_optional_columns_in_three_languages_with_a_bom_loads():
    header = HEADER[:4]
    text = "\ufeff" + wording(WHO5, "en", header=header)
    text += without_header(wording(WHO5, "lv", header=header))
    text += "\n" + without_header(wording(WHO5, "ru", header=header))  # a blank line is skipped
    rows = wording_parse(text)
    assert [(row.language, row.item) for row in rows][::5] == [("en", 1), ("lv", 1), ("ru", 1)]
    assert len(rows) == 15
    assert wording_reverse(rows, WHO5) is None


def test_the_cbi_version_is_confirmed_by_the_file():
    """A file whose numbering reverses item 13 says so; scoring with it differs."""
    energy = ["cbi", "en", "13", "Energy for family and friends", "yes", "frequency"]
    rows = wording_parse(wording(CBI, reverse=(13,), edit={13: energy}))
    stated = wording_reverse(rows, CBI)
    assert stated == (13,)
    assert rows[12].scale == "frequency"
    given = answers(CBI, 4, **{f"i{i}": 2 for i in (7, 8, 9, 11, 12)}, i10=0, i13=4)
    assert score(CBI, given, reverse=stated) != score(CBI, given)
    assert score(CBI, given, reverse=stated).subscales[WB].band.key == "high"
    assert score(CBI, given).subscales[WB].band.key == "lower"


def line(item, *cells):
    return ["proqol5", "en", str(item), f"Placeholder item {item}", "", "", *cells]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            wording(PROQOL5, edit={6: line(31)}),
            "line 7: item 31 is not an item of ProQOL 5 (1–30)",
        ),
        (
            wording(PROQOL5, edit={6: ["phq9", "en", "6", "Placeholder item 6", "", ""]}),
            "line 7: unknown questionnaire “phq9” (expected proqol5, who5, cbi)",
        ),
        (
            wording(PULSE),
            "line 2: the wording of Pulse comes with Atbalsts and is not loaded",
        ),
        (
            wording(PROQOL5, edit={4: ["proqol5", "de", "4", "Placeholder item 4", "", ""]}),
            "line 5: unknown language “de” (expected en, lv, ru)",
        ),
        (
            wording(PROQOL5, edit={3: ["proqol5", "en", "three", "x", "", ""]}),
            "line 4: item “three” is not a whole number",
        ),
        (
            wording(PROQOL5, edit={3: ["proqol5", "en", "-3", "x", "", ""]}),
            "line 4: item -3 is not an item of ProQOL 5 (1–30)",
        ),
        (
            wording(PROQOL5, edit={9: ["proqol5", "en", "9", "   ", "", ""]}),
            "line 10: the text is empty",
        ),
        (
            wording(PROQOL5, edit={9: ["proqol5", "en", "9", "x" * 501, "", ""]}),
            "line 10: the text has 501 characters; at most 500 are allowed",
        ),
        (
            wording(PROQOL5, edit={9: line(8)}),
            "line 10: item 8 of ProQOL 5 (en) is already on line 9",
        ),
        (
            wording(PROQOL5, edit={2: ["proqol5", "en", "2", "x", "", "degree"]}),
            "line 3: ProQOL 5 has no answer scale “degree” (expected frequency)",
        ),
        (
            wording(PROQOL5, edit={2: ["proqol5", "en", "2", "x", "maybe", ""]}),
            "line 3: reverse must be yes, no or empty, not “maybe”",
        ),
        (
            wording(PROQOL5, edit={2: line(2, "extra")}),
            "line 3: 7 values for 6 columns",
        ),
        (
            wording(PROQOL5, edit={2: None, 30: None}),
            "line 2: ProQOL 5 (en) lacks items 2, 30",
        ),
        (
            "item,text\n1,x\n",
            "line 1: the header lacks the columns instrument, language",
        ),
        (
            "instrument,language,item,text,revers\n",
            "line 1: unexpected or repeated columns “revers” (the columns are instrument, "
            "language, item, text, reverse, scale)",
        ),
        (
            "instrument,language,item,text,text\n",
            "line 1: unexpected or repeated columns “text” (the columns are instrument, "
            "language, item, text, reverse, scale)",
        ),
        (
            wording(PROQOL5, reverse=(1, 4, 9, 15, 17, 29)),
            "line 10: item 9 of ProQOL 5 is not reverse-scored (1, 4, 15, 17, 29 are)",
        ),
        (
            wording(PROQOL5, reverse=(1, 4, 15, 17)),
            "line 30: item 29 of ProQOL 5 is reverse-scored: mark it yes",
        ),
        (
            wording(PROQOL5, edit={29: line(29, "")[:4] + ["", ""]}, reverse=(1, 4, 15, 17, 29)),
            "line 30: item 29 of ProQOL 5 is reverse-scored: mark it yes",
        ),
        (
            wording(WHO5, reverse=(3,)),
            "line 4: item 3 of WHO-5 is not reverse-scored (no items are)",
        ),
        (
            wording(CBI, reverse=(10, 13)),
            "line 14: CBI has one reverse item, but (en) marks 10, 13",
        ),
        (
            wording(CBI, reverse=(3,)),
            "line 4: item 3 of CBI cannot be its reverse item (7, 8, 9, 10, 11, 12, 13)",
        ),
        (
            wording(CBI, reverse=()),
            "line 2: CBI has one reverse item, but (en) marks none",
        ),
        (
            wording(CBI, reverse=(10,)) + without_header(wording(CBI, "lv", reverse=(13,))),
            "line 21: CBI (lv) reverses item 13 but (en) item 10; the languages must agree",
        ),
    ],
)
def test_each_problem_in_a_wording_file_names_its_line(text, message):
    assert message in problems(text)


def test_every_problem_is_reported_at_once():
    text = wording(PROQOL5, edit={3: line(3, "")[:2] + ["x", "", "", ""], 6: line(31)})
    text += "who5,fr,1,Placeholder item 1,,\n"
    found = problems(text)
    assert found == [
        "line 4: item “x” is not a whole number",
        "line 4: the text is empty",
        "line 7: item 31 is not an item of ProQOL 5 (1–30)",
        "line 32: unknown language “fr” (expected en, lv, ru)",
        "line 2: ProQOL 5 (en) lacks items 3, 6",
    ]


def test_a_quoted_text_over_two_lines_keeps_the_line_numbers_right():
    text = wording(PROQOL5, edit={2: line(2)[:3] + ["two\nlines", "", ""], 5: line(31)})
    assert "line 7: item 31 is not an item of ProQOL 5 (1–30)" in problems(text)
