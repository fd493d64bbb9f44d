"""The history's progress drawn week by week: a PNG (Matplotlib, off-screen) or a small HTML page.

Made to be read at a glance by anyone: three stacked panels with big type and plain words (how
deep, how slowly down, how often each main mistake), weeks along the bottom with the number of
sessions under each. Takes :class:`formcoach.store.WeekProgress`-like rows (duck-typed: ``week``,
``sessions``, ``depth_left``, ``depth_right``, ``lowering_median_s``, ``fault_share``).
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from formcoach.report.plots import LEG_COLOURS

#: Mistakes drawn: the ones most often found over all the weeks.
MAX_MISTAKES = 3
MISTAKE_COLOURS = ("#c0392b", "#8e44ad", "#16a085")
FONT_PT = 17
ALTS = ("How deep you went each week", "How slowly you lowered each week", "Reps with a mistake each week")
#: Up to this many weeks each is labelled with its date and number of sessions; beyond, only dates
#: on at most MAX_DATED_WEEKS weeks (ending on the latest).
MAX_LABELLED_WEEKS = 6
MAX_DATED_WEEKS = 7
MAX_DATED_WEEKS_NARROW = 5
Aim = tuple[float, float]
#: Thick lines and big dots, drawn over the axes' edges (a 0 % week stays visible).
LINE: dict[str, Any] = {"lw": 4, "ms": 11, "clip_on": False}


def week_ticks(weeks: Sequence[Any], *, sessions: bool = True,
               most: int = MAX_DATED_WEEKS) -> tuple[list[int], list[str]]:
    """Where to label the weeks and how: every week with its sessions when they fit (``sessions``),
    else dates only on every n-th week, ``most`` of them, so no two labels overlap."""
    if sessions and len(weeks) <= MAX_LABELLED_WEEKS:
        return list(range(len(weeks))), [f"{w.week.day} {w.week:%b}\n{w.sessions} session"
                                         f"{'s' if w.sessions != 1 else ''}" for w in weeks]
    step = math.ceil(len(weeks) / most)
    at = list(range(len(weeks) - 1, -1, -step))[::-1]
    return at, [f"{weeks[i].week.day} {weeks[i].week:%b}" for i in at]


def _pct(value: float | None) -> float:
    return float("nan") if value is None else 100.0 * value


def top_mistakes(weeks: Sequence[Any], limit: int = MAX_MISTAKES) -> list[str]:
    """The codes of the mistakes found in the largest share of reps over all weeks (found at least once)."""
    totals: dict[str, float] = {}
    for week in weeks:
        for code, share in week.fault_share.items():
            if share is not None:
                totals[code] = totals.get(code, 0.0) + share
    return [code for code, total in sorted(totals.items(), key=lambda kv: -kv[1]) if total > 0][:limit]


def _figure(width_in: float, height_in: float, rows: int) -> tuple[Any, list[Any]]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=100, layout="constrained")
    axes = fig.subplots(rows, 1, sharex=True, squeeze=False)[:, 0]
    return fig, list(axes)


def _depth(ax: Any, weeks: Sequence[Any]) -> None:
    x = list(range(len(weeks)))
    for leg in ("left", "right"):
        ax.plot(x, [_pct(getattr(w, f"depth_{leg}")) for w in weeks], "o-", **LINE,
                color=LEG_COLOURS[leg], label=f"{leg} leg in front")
    ax.axhline(100, color="#555", ls="--", lw=2)
    ax.text(-0.4, 101, "a full lunge: front thigh level", fontsize=FONT_PT - 3, color="#555", va="bottom")
    ax.set_title("How deep you go (% of a full lunge)", loc="left", fontsize=FONT_PT + 3, fontweight="bold")
    deepest = max([_pct(d) for w in weeks for d in (w.depth_left, w.depth_right) if d is not None] or [0.0])
    ax.set_ylim(0, max(125.0, deepest + 10.0))


def _lowering(ax: Any, weeks: Sequence[Any], aim_s: Aim) -> None:
    x = list(range(len(weeks)))
    ax.axhspan(*aim_s, color="#2ecc71", alpha=0.18)
    ax.text(-0.4, aim_s[1], f"aim: {aim_s[0]:g}-{aim_s[1]:g} s", va="bottom", fontsize=FONT_PT - 3,
            color="#1e8449")
    ax.plot(x, [w.lowering_median_s if w.lowering_median_s is not None else float("nan") for w in weeks],
            "o-", **LINE, color="#34495e", label="both legs")
    ax.set_title("How slowly you lower (seconds)", loc="left", fontsize=FONT_PT + 3, fontweight="bold")
    ax.set_ylim(bottom=0, top=max([aim_s[1] + 1.0] + [(w.lowering_median_s or 0) + 0.5 for w in weeks]))


def _faults(ax: Any, weeks: Sequence[Any], titles: Mapping[str, str]) -> None:
    x = list(range(len(weeks)))
    for colour, code in zip(MISTAKE_COLOURS, top_mistakes(weeks), strict=False):
        ax.plot(x, [_pct(w.fault_share.get(code)) for w in weeks], "o-", **LINE, color=colour,
                label=titles.get(code, code.replace("_", " ")))
    ax.set_title("Reps with a mistake (%)", loc="left", fontsize=FONT_PT + 3, fontweight="bold")
    ax.set_ylim(0, 105)


def _finish(fig: Any, axes: list[Any], weeks: Sequence[Any], *, narrow: bool = False) -> bytes:
    for ax in axes:
        ax.grid(axis="y", alpha=0.35)
        ax.tick_params(labelsize=FONT_PT)
        ax.spines[["top", "right"]].set_visible(False)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=FONT_PT - 2, loc="best", framealpha=0.9, title_fontsize=FONT_PT - 2,
                      title="fewer is better" if ax.get_title(loc="left").startswith("Reps") else None)
        ax.set_xticks(list(range(len(weeks))), minor=True)
    axes[-1].set_xticks(*week_ticks(weeks, sessions=not narrow, most=MAX_DATED_WEEKS_NARROW if narrow
                                    else MAX_DATED_WEEKS))
    axes[-1].set_xlabel("Week starting", fontsize=FONT_PT)
    axes[-1].set_xlim(-0.5, max(len(weeks) - 0.5, 0.5))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def progress_png(weeks: Sequence[Any], titles: Mapping[str, str], lowering_aim_s: Aim) -> bytes:
    """The three-panel progress plot as PNG bytes; ``titles`` names each mistake code in words,
    ``lowering_aim_s`` is the exercise's (least, target) lowering time in seconds."""
    fig, (deep, slow, faults) = _figure(10, 13, 3)
    _depth(deep, weeks)
    _lowering(slow, weeks, lowering_aim_s)
    _faults(faults, weeks, titles)
    return _finish(fig, [deep, slow, faults], weeks)


def panel_pngs(weeks: Sequence[Any], titles: Mapping[str, str], lowering_aim_s: Aim) -> list[bytes]:
    """The same three panels as separate narrower PNGs (for a page read on a phone)."""
    pngs = []
    draws: list[Callable[[Any], None]] = [lambda ax: _depth(ax, weeks),
                                          lambda ax: _lowering(ax, weeks, lowering_aim_s),
                                          lambda ax: _faults(ax, weeks, titles)]
    for draw in draws:
        fig, axes = _figure(7.0, 5.2, 1)
        draw(axes[0])
        pngs.append(_finish(fig, axes, weeks, narrow=True))
    return pngs


def progress_html(weeks: Sequence[Any], titles: Mapping[str, str], lowering_aim_s: Aim) -> str:
    """A self-contained HTML page: the plot and a table of the same numbers (no scripts, no CDN)."""
    images = "".join(f"<img src='data:image/png;base64,{base64.b64encode(png).decode('ascii')}' alt='{alt}'>"
                     for png, alt in zip(panel_pngs(weeks, titles, lowering_aim_s), ALTS, strict=True))
    codes = top_mistakes(weeks)
    head = "".join(f"<th>{html.escape(titles.get(c, c))}</th>" for c in codes)
    rows = []
    for w in weeks:
        cells = [f"{w.week:%d %b %Y}", str(w.sessions), f"{w.reps_left} / {w.reps_right}",
                 _cell(w.depth_left, pct=True), _cell(w.depth_right, pct=True), _cell(w.lowering_median_s)]
        cells += [_cell(w.fault_share.get(c), pct=True) for c in codes]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Your progress, week by week</title><style>"
        "body{font:20px/1.5 system-ui,sans-serif;margin:1rem auto;max-width:60rem;padding:0 1rem;color:#222}"
        ".plots img{display:block;width:100%;max-width:44rem;height:auto;margin:0 auto 1rem}"
        "table{border-collapse:collapse;width:100%;font-size:18px}"
        "th,td{padding:.4rem .6rem;border-bottom:1px solid #ccc;text-align:right}"
        "th:first-child,td:first-child{text-align:left}.wrap{overflow-x:auto}</style></head><body>"
        "<h1>Your progress, week by week</h1>"
        f"<div class='plots'>{images}</div>"
        "<div class='wrap'><table><thead><tr><th>Week starting</th><th>Sessions</th>"
        f"<th>Reps left / right</th><th>Depth left</th><th>Depth right</th><th>Lowering (s)</th>"
        f"{head}</tr></thead><tbody>"
        + "".join(rows) + "</tbody></table></div></body></html>\n"
    )


def _cell(value: float | None, pct: bool = False) -> str:
    if value is None:
        return "-"
    return f"{100 * value:.0f} %" if pct else f"{value:.1f}"
