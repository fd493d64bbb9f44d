"""The report's plots (Matplotlib, off-screen): angles over time, tempo per rep, left vs right.

Each function returns PNG bytes; nothing is shown on screen and nothing is written to disk. With
``narrow`` a plot is drawn for a phone's width (``NARROW_IN`` instead of ``WIDE_IN`` inches, panels
stacked), so that its text stays legible when the page scales it to the screen.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from formcoach.analysis.result import RepResult
from formcoach.vocab import Leg

LEG_COLOURS = {"left": "#e8842a", "right": "#2a9df4"}
#: figure widths, inches at 110 dpi: a laptop's page (990 px) and a phone's (480 px, shown at 340-400)
WIDE_IN, NARROW_IN = 9.0, 4.4


def _figure(width_in: float, height_in: float) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=110, layout="constrained")


def _png(fig: Any) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def angles_plot(
    times_s: np.ndarray,
    knee_flexion_deg: np.ndarray,
    hip_flexion_deg: np.ndarray,
    reps: Sequence[RepResult],
    narrow: bool = False,
) -> bytes:
    """Knee and hip flexion (degrees, 0 = straight) of both legs over time, reps shaded by leg,
    faults marked where they were measured (dashed lines, with the finding's code unless ``narrow``)."""
    fig = _figure(NARROW_IN, 4.8) if narrow else _figure(WIDE_IN, 4.2)
    axes = fig.subplots(2, 1, sharex=True)
    for ax, values, name in (
        (axes[0], knee_flexion_deg, "Knee flexion (deg)"),
        (axes[1], hip_flexion_deg, "Hip flexion (deg)"),
    ):
        for s, leg in enumerate(("left", "right")):
            ax.plot(times_s, values[:, s], color=LEG_COLOURS[leg], lw=1.4, label=f"{leg} leg")
        for rep in reps:
            if np.isfinite(rep.start_s) and np.isfinite(rep.end_s):
                ax.axvspan(rep.start_s, rep.end_s, color=LEG_COLOURS[rep.leg], alpha=0.12)
        ax.set_ylabel(name)
        ax.grid(alpha=0.3)
    for rep in reps:
        for finding in rep.faults:
            if 0 <= finding.frames[0] < len(times_s):
                t = times_s[finding.frames[0]]
                axes[0].axvline(t, color="#c0392b", lw=1, ls="--")
                if narrow:  # no room for the codes: the findings' cards below name them
                    continue
                axes[0].annotate(
                    finding.code,
                    (t, axes[0].get_ylim()[1]),
                    fontsize=7,
                    rotation=90,
                    va="top",
                    ha="right",
                    color="#c0392b",
                )
    axes[0].legend(loc="upper right", fontsize=8)
    axes[1].set_xlabel("Time (s)")
    return _png(fig)


def tempo_plot(reps: Sequence[RepResult], lowering_target_s: float, rise_max_s: float,
               narrow: bool = False) -> bytes:
    """Lowering and rise time of each rep (seconds) against the exercise's tempo targets."""
    fig = _figure(NARROW_IN, 4.0) if narrow else _figure(WIDE_IN, 3.0)
    ax = fig.subplots()
    index = np.arange(len(reps))
    lowering = [r.lowering_s for r in reps]
    rise = [r.rise_s for r in reps]
    ax.bar(index - 0.2, lowering, 0.4, label="lowering", color="#6c5ce7")
    ax.bar(index + 0.2, rise, 0.4, label="rise", color="#00b894")
    ax.axhline(
        lowering_target_s, color="#6c5ce7", ls="--", lw=1, label=f"lowering target {lowering_target_s:g} s"
    )
    ax.axhline(rise_max_s, color="#00b894", ls=":", lw=1, label=f"rise at most {rise_max_s:g} s")
    ax.set_xticks(index, [f"{r.index}{r.leg[:1].upper()}" for r in reps],
                  fontsize=7 if narrow and len(reps) > 12 else None)
    ax.set_xlabel("Rep (L = left leg, R = right leg)")
    ax.set_ylabel("Seconds")
    if narrow:  # under the bars, where it hides none
        ax.legend(fontsize=8, ncols=2, loc="upper center", bbox_to_anchor=(0.5, -0.3))
    else:
        ax.legend(fontsize=8, ncols=2)
    ax.grid(axis="y", alpha=0.3)
    return _png(fig)


def bar_limits(values: np.ndarray) -> tuple[float, float | None]:
    """The y-axis range of a left/right bar pair of a measure that is never negative (a count, an
    angle, a time): from 0, to 1 when every bar is 0 (not a range around 0), else matplotlib's own top
    (None)."""
    finite = values[np.isfinite(values)]
    return (0.0, 1.0) if len(finite) and not np.any(finite > 0) else (0.0, None)


def sides_plot(sides: Mapping[str, Mapping[Leg, float]], narrow: bool = False) -> bytes:
    """Left versus right: one small bar pair per measure (``{measure: {"left": v, "right": v}}``), in
    a row (two a row with ``narrow``); a side with no value (NaN: no rep of that leg, or none the view
    could time) is marked "n/a"."""
    names = list(sides)
    columns = min(2, max(1, len(names))) if narrow else max(1, len(names))
    rows = -(-max(1, len(names)) // columns)
    fig = _figure(NARROW_IN, 2.0 * rows) if narrow else _figure(WIDE_IN, 2.6)
    axes = np.atleast_1d(fig.subplots(rows, columns)).ravel()
    for ax in axes[len(names):]:
        ax.set_axis_off()
    for ax, name in zip(axes, names, strict=False):
        values = np.array([sides[name].get("left", np.nan), sides[name].get("right", np.nan)], dtype=float)
        ax.bar([0, 1], np.nan_to_num(values), color=[LEG_COLOURS["left"], LEG_COLOURS["right"]])
        ax.set_xticks([0, 1], ["left", "right"])
        for x in np.flatnonzero(~np.isfinite(values)):
            ax.text(float(x), 0.0, "n/a", ha="center", va="bottom", fontsize=8)
        if not np.isfinite(values).any():
            ax.set_yticks([])  # no scale for bars that are not there
        else:
            ax.set_ylim(*bar_limits(values))
        ax.set_title(name, fontsize=8 if narrow else 9)
        ax.grid(axis="y", alpha=0.3)
    return _png(fig)
