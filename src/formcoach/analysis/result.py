"""The typed result of an analysis and its versioned JSON form (``docs/analysis-json.md``)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from formcoach.analysis.reps import Rep
from formcoach.analysis.sets import SetSummary, Tempo
from formcoach.analysis.view import ViewSpan

FORMAT = "formcoach.analysis"
VERSION = 1


def _num(value: float, digits: int = 3) -> float | None:
    """A float rounded for JSON, or None for NaN/inf (JSON has no NaN)."""
    return round(float(value), digits) if math.isfinite(value) else None


@dataclass(frozen=True)
class RepResult:
    """A rep or attempt as reported: the measured rep plus its place in the session."""

    index: int
    set: int | None
    rep: Rep
    tempo: Tempo | None
    top_s: float = math.nan
    findings: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The rep as the analysis JSON writes it (times in seconds, angles in degrees)."""
        r = self.rep
        return {
            "index": self.index, "set": self.set, "leg": r.leg,
            "start_s": _num(r.start_s), "bottom_s": _num(r.bottom_s), "deepest_s": _num(r.deepest_s),
            "end_s": _num(r.end_s),
            "lowering_s": _num(r.lowering_s), "bottom_hold_s": _num(r.bottom_hold_s),
            "rise_s": _num(r.rise_s), "top_s": _num(self.top_s),
            "complete": r.complete, "reason": r.reason or None,
            "depth": _num(r.depth), "front_knee_flexion_deg": _num(r.front_knee_flexion_deg, 1),
            "back_knee_flexion_deg": _num(r.back_knee_flexion_deg, 1),
            "leg_confidence": _num(r.leg_confidence, 2), "lunge_type": r.lunge_type,
            "frames": list(r.frames),
            "tempo": None if self.tempo is None else {"lowering": self.tempo.lowering,
                                                      "rise": self.tempo.rise},
            "findings": list(self.findings),
        }


@dataclass(frozen=True)
class Analysis:
    """Everything one analysis found: reps, attempts, sets, view and lunge type.

    ``is_lunge`` is False when the movement was not a lunge (a lateral lunge, walking about); then
    ``message`` says so and ``reps`` is empty.
    """

    exercise: str
    source: str
    duration_s: float
    frames: int
    fps: float
    lunge_type: str
    expected_lunge_type: str
    is_lunge: bool
    message: str
    view: str
    views: tuple[ViewSpan, ...]
    mirrored: bool
    leg_swaps_repaired: int
    usable_fraction: float
    reps: tuple[RepResult, ...]
    attempts: tuple[RepResult, ...]
    sets: tuple[SetSummary, ...]
    prescription: dict[str, Any]
    findings: tuple[dict[str, Any], ...] = ()
    timing: dict[str, float] = field(default_factory=dict)

    def progress_lines(self) -> list[str]:
        """One line per set: "set 1: left 8/8, right 7/8"."""
        return [s.progress() for s in self.sets]

    def to_dict(self) -> dict[str, Any]:
        """The documented JSON object (format ``formcoach.analysis``, version 1)."""
        return {
            "format": FORMAT, "version": VERSION, "exercise": self.exercise, "source": self.source,
            "duration_s": _num(self.duration_s), "frames": self.frames, "fps": _num(self.fps),
            "lunge_type": self.lunge_type, "expected_lunge_type": self.expected_lunge_type,
            "is_lunge": self.is_lunge, "message": self.message,
            "view": self.view,
            "views": [{"start_s": _num(v.start_s), "end_s": _num(v.end_s), "view": v.view,
                       "detail": v.detail, "yaw_deg": _num(v.yaw_deg, 1),
                       "confidence": _num(v.confidence, 2)} for v in self.views],
            "mirrored": self.mirrored, "leg_swaps_repaired": self.leg_swaps_repaired,
            "usable_fraction": _num(self.usable_fraction),
            "counts": {"total": len(self.reps), "left": sum(r.rep.leg == "left" for r in self.reps),
                       "right": sum(r.rep.leg == "right" for r in self.reps), "attempts": len(self.attempts)},
            "reps": [r.to_dict() for r in self.reps],
            "attempts": [r.to_dict() for r in self.attempts],
            "sets": [{"index": s.index, "left": s.left, "right": s.right, "target_per_side": s.target,
                      "start_s": _num(s.start_s), "end_s": _num(s.end_s), "progress": s.progress()}
                     for s in self.sets],
            "prescription": self.prescription,
            "findings": list(self.findings),
        }
