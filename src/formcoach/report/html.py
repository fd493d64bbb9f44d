"""The session report: one self-contained HTML file (inline CSS, images as data URIs, no script),
that opens offline and prints cleanly."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from formcoach.analysis.prepare import Measured
from formcoach.analysis.result import Analysis, RepResult
from formcoach.coaching import cue_texts, top_cues
from formcoach.exercise import Exercise, Mistake
from formcoach.findings.model import Finding
from formcoach.report import plots
from formcoach.report.stills import stills
from formcoach.report.summary import (
    fault_findings,
    judged_any,
    judged_depth_deg,
    side_stats,
    tempo_stats,
    unjudged,
    view_phrase,
)
from formcoach.track import PoseTrack

if TYPE_CHECKING:
    from formcoach.api import SessionResult

#: At most this many stills (one per fault finding, in rep order) go in the report.
MAX_STILLS = 12


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("formcoach.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def data_uri(png: bytes) -> str:
    """``data:image/png;base64,...`` for PNG bytes."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _fmt(value: Any, digits: int = 1, unit: str = "") -> str:
    if not isinstance(value, (int, float)) or value != value:
        return "–"
    return f"{value:.{digits}f}{(' ' + unit) if unit else ''}"


def _finding_frame(finding: Finding, rep: RepResult) -> int:
    """The frame a still of ``finding`` shows: the middle of the frames it was measured over."""
    return (finding.frames[0] + finding.frames[1]) // 2


@dataclass(frozen=True)
class Card:
    """One fault as the report shows it: the rep, the finding, the frame of its still, the exercise
    file's mistake (None for a finding the file does not describe) and the still as a data URI."""

    rep: RepResult
    finding: Finding
    frame: int
    mistake: Mistake | None
    image: str | None = None


def _finding_cards(analysis: Analysis, exercise: Exercise, track: PoseTrack,
                   video: Path | None) -> list[Card]:
    """Up to :data:`MAX_STILLS` faults with their stills (``track`` as the video shows it)."""
    cards = [Card(rep, f, _finding_frame(f, rep), exercise.find_mistake(f.code))
             for rep in analysis.reps for f in rep.faults][:MAX_STILLS]
    images = stills(track, [c.frame for c in cards], video)
    return [replace(c, image=data_uri(png) if (png := images.get(c.frame)) else None) for c in cards]


def _plots(analysis: Analysis, exercise: Exercise, measured: Measured) -> list[dict[str, str]]:
    """The report's plots: the legs' angles as the analysis measured them, tempo, left vs right; each
    drawn for a laptop's page (``src``) and a phone's (``narrow_src``)."""
    reps = analysis.reps
    times_s, (knee, hip) = measured.track.times_s, measured.flexion_deg()
    timed = [r for r in reps if r.tempo is not None]
    target_s, rise_s = exercise.tempo.lowering_s_target, exercise.tempo.rise_s_max
    drawn: list[tuple[str, str, Callable[[bool], bytes]]] = [
        ("Knee and hip angles over time",
         "Line chart of knee and hip flexion of the left and right leg over the session, with each rep "
         "shaded in its working leg's colour and mistakes marked by dashed lines.",
         lambda narrow: plots.angles_plot(times_s, knee, hip, reps, narrow=narrow)),
        *([] if not timed else [(
            "Tempo of each rep",
            "Bar chart of lowering and rise time of each rep in seconds, with the guide's tempo targets "
            "as horizontal lines.",
            lambda narrow: plots.tempo_plot(timed, target_s, rise_s, narrow=narrow))]),
        ("Left versus right",
         "Bar charts comparing the left and right leg: reps, knee flexion at the bottom, lowering and "
         "rise times, and faults per rep.",
         lambda narrow: plots.sides_plot(side_stats(reps), narrow=narrow)),
    ]
    return [{"title": title, "alt": alt, "src": data_uri(draw(False)), "narrow_src": data_uri(draw(True))}
            for title, alt, draw in drawn]


def render_report(result: SessionResult, synthetic: bool = False) -> str:
    """The whole report of ``result`` (its analysis with findings and coaching) as an HTML document."""
    from formcoach import __version__
    from formcoach.pose.builder import track_notes

    analysis, exercise, measured = result.analysis, result.exercise, result.prepared()
    reps = list(analysis.reps)
    texts = cue_texts(exercise)
    found_codes = list(dict.fromkeys(f.code for f in fault_findings(reps)))
    knee_bends = [judged_depth_deg(r) for r in reps]  # NaN where the view cannot measure it
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            a=analysis,
            ex=exercise,
            reps=reps,
            events=list(result.events),
            fmt=_fmt,
            tempo=tempo_stats(reps),
            sides=side_stats(reps),
            knee_bends=knee_bends,
            rep_legs={r.index: r.leg for r in reps},
            titles={code: text.title for code, text in texts.items()},
            show_knee=any(math.isfinite(k) for k in knee_bends),
            top=top_cues(reps, texts),
            judged_any=judged_any(reps),
            filmed=view_phrase(analysis),
            plots=_plots(analysis, exercise, measured),
            cards=_finding_cards(analysis, exercise, measured.video_track(), result.video),
            mistakes=[m for code in found_codes if (m := exercise.find_mistake(code)) is not None],
            unjudged=unjudged(analysis, exercise),
            video_notes=track_notes(result.track),
            synthetic=synthetic,
            version=__version__,
            created=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        )
    )


def write_report(path: Path, html: str) -> Path:
    """Write the report to ``path`` (UTF-8) and return it."""
    path.write_text(html, encoding="utf-8")
    return path
