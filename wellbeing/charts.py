"""Trend charts drawn on the server: the geometry of an SVG line chart, which the template
draws with CSS classes only (the strict CSP allows no inline styles or scripts) and with a
table of the same numbers beside it."""

from dataclasses import dataclass, field

from django.utils import formats, timezone

WIDTH = 320
HEIGHT = 180
LEFT, RIGHT, TOP, BOTTOM = 34, 10, 10, 26


@dataclass
class Line:
    key: str
    label: str
    number: int  # 1, 2, 3: its CSS class (chart-line-1 …)
    points: str  # "x,y x,y …" for <polyline>
    dots: list[tuple[float, float, str]] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    lines: list[Line]
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    empty: bool
    bottom: float = HEIGHT - BOTTOM
    left: float = LEFT
    right: float = WIDTH - RIGHT


def y_for(value: float, minimum: float, maximum: float) -> float:
    span = (maximum - minimum) or 1
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - minimum) / span), 1)


def chart_for(series, *, minimum: float, maximum: float) -> Chart:
    """``series``: ``selectors.Series`` (a subscale and its points, oldest first)."""
    moments = sorted({p.at for s in series for p in s.points})
    if not moments:
        return Chart(WIDTH, HEIGHT, [], [], [], empty=True)
    first, last = moments[0], moments[-1]
    span = (last - first).total_seconds()
    inner = WIDTH - LEFT - RIGHT

    def x_for(moment) -> float:
        if span == 0:
            return round(LEFT + inner / 2, 1)
        return round(LEFT + inner * (moment - first).total_seconds() / span, 1)

    lines = []
    for number, line in enumerate(series, start=1):
        if not line.points:
            continue
        coordinates = [(x_for(p.at), y_for(p.value, minimum, maximum), p) for p in line.points]
        lines.append(
            Line(
                key=line.subscale.key,
                label=str(line.subscale.label),
                number=number,
                points=" ".join(f"{x},{y}" for x, y, _p in coordinates),
                dots=[
                    (
                        x,
                        y,
                        f"{formats.date_format(timezone.localtime(p.at), 'SHORT_DATE_FORMAT')}: "
                        f"{p.value:g}",
                    )
                    for x, y, p in coordinates
                ],
            )
        )
    steps = 4
    y_ticks = [
        (
            y_for(minimum + (maximum - minimum) * i / steps, minimum, maximum),
            f"{minimum + (maximum - minimum) * i / steps:g}",
        )
        for i in range(steps + 1)
    ]
    x_labels = [(x_for(first), formats.date_format(timezone.localtime(first), "SHORT_DATE_FORMAT"))]
    if span:
        x_labels.append(
            (x_for(last), formats.date_format(timezone.localtime(last), "SHORT_DATE_FORMAT"))
        )
    return Chart(WIDTH, HEIGHT, lines, y_ticks, x_labels, empty=False)


def table_for(series) -> list[dict]:
    """The chart's numbers, one row per check-in (newest first), one cell per subscale."""
    rows: dict[int, dict] = {}
    for column, line in enumerate(series):
        labels = {band.key: str(band.label) for band in line.subscale.bands}
        for point in line.points:
            row = rows.setdefault(
                point.check_in_id, {"at": point.at, "cells": [None] * len(series)}
            )
            row["cells"][column] = {"value": point.value, "band_label": labels.get(point.band, "")}
    return sorted(rows.values(), key=lambda row: row["at"], reverse=True)
