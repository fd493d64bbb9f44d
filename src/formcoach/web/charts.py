"""Weekly progress as simple bar charts, laid out here (numbers in, boxes out) and drawn as inline
SVG by the template: no script, no image files, sharp on a phone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

#: Chart size in SVG units (scaled to the screen's width by the stylesheet).
WIDTH, HEIGHT, TOP, BOTTOM = 360.0, 200.0, 24.0, 36.0
#: At most this many weeks, the most recent ones.
MAX_WEEKS = 8


@dataclass(frozen=True)
class Bar:
    """One week's bar: its box in SVG units, the value's words above it and the week below."""

    x: float
    y: float
    width: float
    height: float
    text: str
    label: str


@dataclass(frozen=True)
class Chart:
    """A titled bar chart; ``target_y`` is the height of a target line (None: no target)."""

    title: str
    note: str
    bars: tuple[Bar, ...]
    target_y: float | None = None
    target_text: str = ""
    width: float = WIDTH
    height: float = HEIGHT


def bar_chart(title: str, note: str, weeks: Sequence[Any], value: Callable[[Any], float | None],
              text: Callable[[float], str], target: float | None = None) -> Chart:
    """Lay out one bar per week of ``value(week)`` (None: no bar), scaled to the largest value."""
    shown = list(weeks)[-MAX_WEEKS:]
    values = [value(w) for w in shown]
    top = max([v for v in values if v is not None] + ([target] if target else []) + [1e-9])
    slot = WIDTH / max(len(shown), 1)
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for i, (week, v) in enumerate(zip(shown, values, strict=True)):
        height = 0.0 if v is None else usable * v / top
        bars.append(Bar(x=i * slot + slot * 0.15, y=TOP + usable - height, width=slot * 0.7, height=height,
                        text="–" if v is None else text(v), label=f"{week.week.day} {week.week:%b}"))
    target_y = None if target is None else TOP + usable - usable * target / top
    return Chart(title, note, tuple(bars), target_y, "" if target is None else text(target))


def progress_charts(weeks: Sequence[Any], lowering_target_s: float) -> list[Chart]:
    """The weekly charts of the history page: reps, depth, lowering time."""
    return [
        bar_chart("Reps each week", "Both legs together.", weeks,
                  lambda w: float(w.reps_left + w.reps_right), lambda v: f"{v:.0f}"),
        bar_chart("How deep you go", "Median depth: 100 % is the front thigh level with the floor.",
                  weeks, lambda w: w.depth_median, lambda v: f"{v * 100:.0f}%"),
        bar_chart("Time on the way down", "Median lowering time; the line is the guide's aim.", weeks,
                  lambda w: w.lowering_median_s, lambda v: f"{v:.1f}s", target=lowering_target_s),
    ]
