"""The session report: one self-contained HTML file (inline CSS, images as data URIs, no script),
that opens offline and prints cleanly."""

from __future__ import annotations

import base64
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from formcoach.analysis.signals import joint_angles
from formcoach.coaching import CoachingEvent, cue_texts, top_cues
from formcoach.exercise import Exercise
from formcoach.report import plots
from formcoach.report.stills import stills
from formcoach.report.summary import fault_findings, not_assessable, side_stats, tempo_stats
from formcoach.track import PoseTrack

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


def _finding_frame(finding: Mapping[str, Any], rep: Mapping[str, Any]) -> int | None:
    frames = finding.get("frames") or []
    if len(frames) == 2 and all(isinstance(f, int) for f in frames):
        return (frames[0] + frames[1]) // 2
    rep_frames = rep.get("frames") or []
    return int(rep_frames[1]) if len(rep_frames) >= 2 else None


def _finding_cards(
    analysis: Mapping[str, Any], exercise: Exercise, track: PoseTrack, video: Path | None
) -> list[dict[str, Any]]:
    cards: list[dict[str, Any]] = []
    for rep in analysis.get("reps", []):
        for finding in rep.get("findings", []):
            if finding.get("verdict") == "fault" and len(cards) < MAX_STILLS:
                cards.append(
                    {
                        "rep": rep,
                        "finding": finding,
                        "frame": _finding_frame(finding, rep),
                        "mistake": exercise.find_mistake(str(finding.get("code"))),
                    }
                )
    images = stills(track, [c["frame"] for c in cards if c["frame"] is not None], video)
    for card in cards:
        png = images.get(card["frame"]) if card["frame"] is not None else None
        card["image"] = data_uri(png) if png else None
    return cards


def _plots(analysis: Mapping[str, Any], exercise: Exercise, track: PoseTrack) -> list[dict[str, str]]:
    reps = analysis.get("reps", [])
    knee, hip, _, _ = joint_angles(track.world)
    timed = [r for r in reps if r.get("tempo") is not None]
    tempo = [] if not timed else [{
        "title": "Tempo of each rep",
        "alt": "Bar chart of lowering and rise time of each rep in seconds, with the guide's tempo "
        "targets as horizontal lines.",
        "src": data_uri(plots.tempo_plot(timed, exercise.tempo.lowering_s_target, exercise.tempo.rise_s_max)),
    }]
    return [
        {
            "title": "Knee and hip angles over time",
            "alt": "Line chart of knee and hip flexion of the left and right leg over the session, with "
            "each rep shaded in its working leg's colour and mistakes marked by dashed lines.",
            "src": data_uri(plots.angles_plot(track.times_s, knee, hip, reps)),
        },
        *tempo,
        {
            "title": "Left versus right",
            "alt": "Bar charts comparing the left and right leg: reps, knee flexion at the bottom, "
            "lowering and rise times, and faults per rep.",
            "src": data_uri(plots.sides_plot(side_stats(reps))),
        },
    ]


def render_report(
    analysis: Mapping[str, Any],
    exercise: Exercise,
    track: PoseTrack,
    events: Sequence[CoachingEvent],
    video: Path | None = None,
    synthetic: bool = False,
) -> str:
    """The whole report as an HTML document (str). ``analysis`` is the analysis JSON object."""
    from formcoach import __version__

    reps = list(analysis.get("reps", []))
    texts = cue_texts(exercise)
    found_codes = list(dict.fromkeys(str(f.get("code")) for f in fault_findings(reps)))
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            a=analysis,
            ex=exercise,
            reps=reps,
            events=list(events),
            fmt=_fmt,
            tempo=tempo_stats(reps),
            sides=side_stats(reps),
            top=top_cues(reps, texts),
            plots=_plots(analysis, exercise, track),
            cards=_finding_cards(analysis, exercise, track, video),
            mistakes=[m for code in found_codes if (m := exercise.find_mistake(code)) is not None],
            unjudged=not_assessable(analysis),
            synthetic=synthetic,
            version=__version__,
            created=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        )
    )


def write_report(path: Path, html: str) -> Path:
    """Write the report to ``path`` (UTF-8) and return it."""
    path.write_text(html, encoding="utf-8")
    return path
