"""Numbers the summaries share, computed from the analysis's reps (pure; no drawing)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from formcoach.analysis.result import Analysis, RepResult
from formcoach.findings.model import Finding
from formcoach.vocab import SIDES, Leg


def _mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return float(np.mean(finite)) if finite else float("nan")


def side_stats(reps: Sequence[RepResult]) -> dict[str, dict[Leg, float]]:
    """Left versus right: reps, mean front-knee flexion at the bottom (deg), mean lowering and rise
    (s), and faults per rep, as ``{measure: {"left": v, "right": v}}``."""
    measures: dict[str, Callable[[RepResult], float]] = {
        "knee flexion at bottom (deg)": lambda r: r.front_knee_flexion_deg,
        "lowering (s)": lambda r: r.lowering_s,
        "rise (s)": lambda r: r.rise_s,
    }
    stats: dict[str, dict[Leg, float]] = {"reps": {}, **{name: {} for name in measures}, "faults per rep": {}}
    for leg in SIDES:
        leg_reps = [r for r in reps if r.leg == leg]
        stats["reps"][leg] = float(len(leg_reps))
        for name, value in measures.items():
            stats[name][leg] = _mean([value(r) for r in leg_reps])
        faults = sum(len(r.faults) for r in leg_reps)
        stats["faults per rep"][leg] = faults / len(leg_reps) if leg_reps else float("nan")
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


def not_assessable(analysis: Analysis) -> dict[str, str]:
    """``{code: reason}`` for mistakes the camera view could not judge (first reason per code)."""
    reasons: dict[str, str] = {}
    for finding in (*analysis.findings, *(f for r in analysis.reps for f in r.findings)):
        if finding.verdict == "not_assessable":
            reasons.setdefault(finding.code, finding.reason or finding.cue)
    return reasons
