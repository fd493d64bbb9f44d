"""Numbers the summaries share, computed from the analysis's reps (pure; no drawing)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import get_args

import numpy as np

from formcoach.analysis.result import Analysis, RepResult
from formcoach.exercise import Exercise
from formcoach.exercise.wording import views_phrase
from formcoach.findings.api import SHALLOW_CODE
from formcoach.findings.model import Finding
from formcoach.vocab import SIDES, Leg, View
from formcoach.wording import FEET_OUT, FOOT_REDRAWN, TURNED_STANDING, VIEW_UNSURE


def _mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")


def judged_depth_deg(rep: RepResult) -> float:
    """The rep's front-knee flexion at the bottom, degrees, where the depth could be judged on it: its
    ``shallow_depth`` finding is ``ok`` or ``fault``, as the analysis JSON's session finding counts
    it (from the front the pose model's knee angle can be 27 deg off: a rendered woman's two legs,
    bent alike, read 48 and 81 deg); without findings, where its feet were in the picture (else the
    knee is a guess). NaN otherwise."""
    depth = [f for f in rep.findings if f.code == SHALLOW_CODE]
    if depth:
        return rep.front_knee_flexion_deg if depth[0].verdict != "not_assessable" else math.nan
    return rep.front_knee_flexion_deg if rep.rep.feet_seen else math.nan


def side_stats(reps: Sequence[RepResult]) -> dict[str, dict[Leg, float]]:
    """Left versus right: reps, mean front-knee flexion at the bottom (deg; over the reps whose depth
    could be judged, :func:`judged_depth_deg`), mean lowering and rise
    (s) over the reps the camera view could time (those with a ``tempo`` verdict, as
    :func:`tempo_stats`), and faults per rep over the reps on which some mistake could be judged
    (:func:`judged_reps`), as ``{measure: {"left": v, "right": v}}``; NaN where no rep qualifies."""
    measures: dict[str, Callable[[RepResult], float]] = {
        "knee flexion at bottom (deg)": judged_depth_deg,
        "lowering (s)": lambda r: r.lowering_s if r.tempo is not None else float("nan"),
        "rise (s)": lambda r: r.rise_s if r.tempo is not None else float("nan"),
    }
    stats: dict[str, dict[Leg, float]] = {"reps": {}, **{name: {} for name in measures}, "faults per rep": {}}
    judged_rep = judged_reps(reps)
    for leg in SIDES:
        leg_reps = [r for r in reps if r.leg == leg]
        stats["reps"][leg] = float(len(leg_reps))
        for name, value in measures.items():
            stats[name][leg] = _mean([value(r) for r in leg_reps])
        judged = [r for r, ok in zip(reps, judged_rep, strict=True) if ok and r.leg == leg]
        faults = sum(len(r.faults) for r in judged)
        stats["faults per rep"][leg] = faults / len(judged) if judged else float("nan")
    return stats


def tempo_stats(reps: Sequence[RepResult]) -> dict[str, float]:
    """Median lowering and rise time, seconds, over the reps whose tempo the camera view could judge
    (those with a ``tempo`` verdict); NaN when there are none."""
    timed = [r for r in reps if r.tempo is not None]
    out = {}
    for key, values in (("lowering_s", [r.lowering_s for r in timed]), ("rise_s", [r.rise_s for r in timed])):
        finite = [v for v in values if math.isfinite(v)]
        out[key] = float(np.median(finite)) if finite else float("nan")
    return out


def fault_findings(reps: Sequence[RepResult]) -> list[Finding]:
    """Every per-rep finding with verdict ``fault``, in rep order."""
    return [f for r in reps for f in r.faults]


@dataclass(frozen=True)
class Unjudged:
    """A mistake the analysis could not judge: its title (exercise file), why, in a short clause, and
    where to film from so that it can be (``from the front or from behind``)."""

    code: str
    title: str
    why: str
    film_from: str

    def line(self) -> str:
        """One short line: ``Knee caving in or out: not judged from the side (film from the front)``;
        no advice on where to film when this view could judge it (a reading too close to call)."""
        return f"{self.title}: {self.why}" + (f" (film {self.film_from})" if self.film_from else "")


def _why(reason: str, hint: str, view: str) -> str:
    """The short clause that says why: the reason's own first clause where the detector gave one
    (reasons are written ``"<why>; <the file's hint>"``), else that the view cannot judge it."""
    own = reason.removesuffix(hint).rstrip("; ") if reason != hint else ""
    if own:
        return own.split(",")[0]
    return f"not judged {views_phrase([view])}" if view in get_args(View)[:4] else "not judged from this view"


#: where to film from when the feet were out of the picture
FURTHER_AWAY = "from further away, with your feet in the picture"
#: how to film when the pose model kept turning the body round (the view was a guess)
CLEARER_VIEW = "from a little further away, in good light, with your whole body in the picture"
#: how to film when the pose model redrew the front foot (a phone looking steeply down at the feet)
LOWER_PHONE = "with the phone lower or further away, so that it does not look steeply down at your feet"
#: reasons the report words its own way: (how the reason starts, why in short, how to film)
OWN_WORDS = ((FEET_OUT, "the feet were out of the picture", FURTHER_AWAY),
             (VIEW_UNSURE, "the pose model could not tell which way you faced", CLEARER_VIEW),
             (FOOT_REDRAWN, "the pose model could not follow the front foot", LOWER_PHONE),
             (TURNED_STANDING, "the pose model read you the wrong way round while you stood between reps",
              CLEARER_VIEW))


def judged_flags(feet_seen: Sequence[bool], verdicts: Sequence[Sequence[str]]) -> list[bool]:
    """Per rep, whether any mistake could be judged on it, from its ``feet_seen`` and its findings'
    verdicts: its feet were in the picture and, once the analysis has findings, one of them is other
    than ``not_assessable`` (on a rep whose feet were out of the picture, or whose view the pose
    model kept turning round, every finding is ``not_assessable``). The one rule for the report, the
    terminal and the web page (which holds the analysis as JSON)."""
    any_findings = any(verdicts)
    return [seen and (not any_findings or any(v != "not_assessable" for v in rep))
            for seen, rep in zip(feet_seen, verdicts, strict=True)]


def judged_reps(reps: Sequence[RepResult]) -> list[bool]:
    """Per rep, whether any mistake could be judged on it (:func:`judged_flags`)."""
    return judged_flags([r.rep.feet_seen for r in reps], [[f.verdict for f in r.findings] for r in reps])


def judged_any(reps: Sequence[RepResult]) -> bool:
    """Whether any mistake could be judged on any rep (:func:`judged_reps`)."""
    return any(judged_reps(reps))


def view_unsure(analysis: Analysis) -> bool:
    """Whether the session's camera view was a guess: it has reps, and on every one of them every
    finding is ``not_assessable`` because the pose model kept turning the body round
    (``wording.VIEW_UNSURE``). The report and the terminal then do not name a view."""
    findings = [f for r in analysis.reps for f in r.findings]
    return bool(findings) and all(r.findings for r in analysis.reps) and all(
        f.verdict == "not_assessable" and f.reason == VIEW_UNSURE for f in findings)


def view_phrase(analysis: Analysis) -> str:
    """How the session was filmed, for a header: ``filmed from the side`` (``(mirrored)`` added when
    the video was), or that the view could not be told (:func:`view_unsure`)."""
    if view_unsure(analysis):
        return "camera view unclear"
    return f"filmed from the {analysis.view}" + (" (mirrored)" if analysis.mirrored else "")


def unjudged(analysis: Analysis, exercise: Exercise) -> list[Unjudged]:
    """One entry per mistake that was ``not_assessable`` on the session or on any rep, in the
    exercise file's order, with the first reason given for it; a single entry for all of them
    when they all share one reason (every rep's feet out of the picture)."""
    reasons: dict[str, str] = {}
    for finding in (*analysis.findings, *(f for r in analysis.reps for f in r.findings)):
        if finding.verdict == "not_assessable":
            reasons.setdefault(finding.code, finding.reason or "")
    out = []
    for mistake in exercise.mistakes:
        if mistake.id in reasons:
            why = _why(reasons[mistake.id], mistake.not_assessable_hint, analysis.view)
            views: list[str] = list(mistake.judged_views())
            film_from = "" if analysis.view in views else views_phrase(views)
            for start, own_why, own_film in OWN_WORDS:
                if reasons[mistake.id].startswith(start):
                    why, film_from = own_why, own_film
            out.append(Unjudged(mistake.id, mistake.title, why, film_from))
    if len(out) > 2 and len({(u.why, u.film_from) for u in out}) == 1:
        return [Unjudged("", "Every mistake", out[0].why, out[0].film_from)]
    return out
