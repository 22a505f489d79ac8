"""Charts drawn on the server as SVG geometry for a template to draw with CSS classes only
(the strict CSP allows no inline styles or scripts). A chart is one series of numbers with a
label each — months in a report — shown as bars or as a line; the page puts a table of the
same numbers beside it. Generic on purpose: wellbeing's trend charts plot dated points on a
score scale, these plot counts on evenly spaced labels."""

from dataclasses import dataclass, field

WIDTH = 360
HEIGHT = 180
LEFT, RIGHT, TOP, BOTTOM = 34, 8, 10, 26


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float


@dataclass
class Point:
    x: float
    y: float
    label: str
    value: float


@dataclass
class CountChart:
    width: int
    height: int
    left: float
    right: float
    bottom: float
    y_ticks: list[tuple[float, str]]
    x_labels: list[tuple[float, str]]
    bars: list[Bar] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    polyline: str = ""
    empty: bool = True

    @property
    def x_axis(self) -> list[tuple[float, str, str]]:
        """``x_labels`` with each one's ``text-anchor``: the first is anchored at its start
        and the last at its end, so that neither runs off the chart."""
        last = len(self.x_labels) - 1
        return [
            (x, text, "start" if i == 0 and last else "end" if i == last and last else "middle")
            for i, (x, text) in enumerate(self.x_labels)
        ]


def nice_maximum(value: float) -> int:
    """The top of the scale: four equal whole-number steps of 1, 2, 2.5, 3 or 5 times a
    power of ten, the smallest that reaches ``value`` (4 for an empty chart)."""
    magnitude = 1
    while True:
        for step in (1, 2, 2.5, 3, 5):
            size = step * magnitude
            if float(size).is_integer() and 4 * size >= value:
                return int(4 * size)
        magnitude *= 10


def _frame(values: list[float]):
    top = nice_maximum(max(values, default=0))
    inner_height = HEIGHT - TOP - BOTTOM

    def y_for(value: float) -> float:
        return round(TOP + inner_height * (1 - value / top), 1)

    ticks = [(y_for(top * i / 4), f"{top * i / 4:g}") for i in range(5)]
    return y_for, ticks


def _x_labels(centres: list[float], labels: list[str]) -> list[tuple[float, str]]:
    """At most four labels under the axis, evenly picked, always the first and the last."""
    if not labels:
        return []
    last = len(labels) - 1
    picked = sorted({round(last * i / 3) for i in range(4)})
    return [(centres[i], labels[i]) for i in picked]


def bar_chart(
    items: list[tuple[str, float]], *, axis_labels: list[str] | None = None
) -> CountChart:
    """``items``: (label, value) in order; one bar each. ``axis_labels``: shorter labels for
    under the axis (the items' own labels name each bar in its tooltip)."""
    values = [value for _label, value in items]
    y_for, ticks = _frame(values)
    inner = WIDTH - LEFT - RIGHT
    slot = inner / max(len(items), 1)
    gap = min(4.0, slot * 0.2)
    bars, centres = [], []
    for i, (label, value) in enumerate(items):
        x = LEFT + i * slot + gap / 2
        y = y_for(value)
        bars.append(
            Bar(
                x=round(x, 1),
                y=y,
                width=round(slot - gap, 1),
                height=round(HEIGHT - BOTTOM - y, 1),
                label=label,
                value=value,
            )
        )
        centres.append(round(LEFT + (i + 0.5) * slot, 1))
    return CountChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        bottom=HEIGHT - BOTTOM,
        y_ticks=ticks,
        x_labels=_x_labels(centres, axis_labels or [label for label, _value in items]),
        bars=bars,
        empty=not any(values),
    )


def line_chart(
    items: list[tuple[str, float]], *, axis_labels: list[str] | None = None
) -> CountChart:
    """``items``: (label, value) in order; one point each, joined by a line."""
    values = [value for _label, value in items]
    y_for, ticks = _frame(values)
    inner = WIDTH - LEFT - RIGHT
    slot = inner / max(len(items), 1)
    points = [
        Point(x=round(LEFT + (i + 0.5) * slot, 1), y=y_for(value), label=label, value=value)
        for i, (label, value) in enumerate(items)
    ]
    return CountChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=WIDTH - RIGHT,
        bottom=HEIGHT - BOTTOM,
        y_ticks=ticks,
        x_labels=_x_labels([p.x for p in points], axis_labels or [label for label, _v in items]),
        points=points,
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
        empty=not any(values),
    )
