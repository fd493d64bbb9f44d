"""Numbers the summaries share, computed from the analysis JSON (pure; no drawing)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

SIDES = ("left", "right")


def _values(reps: Sequence[Mapping[str, Any]], leg: str, key: str) -> np.ndarray:
    vals = [r.get(key) for r in reps if r.get("leg") == leg]
    return np.array([v for v in vals if isinstance(v, (int, float))], dtype=np.float64)


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")


def side_stats(reps: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Left versus right: reps, mean front-knee flexion at the bottom (deg), mean lowering and rise
    (s), and faults per rep, as ``{measure: {"left": v, "right": v}}``."""
    stats: dict[str, dict[str, float]] = {
        "reps": {},
        "knee flexion at bottom (deg)": {},
        "lowering (s)": {},
        "rise (s)": {},
        "faults per rep": {},
    }
    for leg in SIDES:
        leg_reps = [r for r in reps if r.get("leg") == leg]
        faults = sum(f.get("verdict") == "fault" for r in leg_reps for f in r.get("findings", []))
        stats["reps"][leg] = float(len(leg_reps))
        stats["knee flexion at bottom (deg)"][leg] = _mean(_values(reps, leg, "front_knee_flexion_deg"))
        stats["lowering (s)"][leg] = _mean(_values(reps, leg, "lowering_s"))
        stats["rise (s)"][leg] = _mean(_values(reps, leg, "rise_s"))
        stats["faults per rep"][leg] = faults / len(leg_reps) if leg_reps else float("nan")
    return stats


def tempo_stats(reps: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """Median lowering and rise time, seconds, over the reps whose tempo the camera view could judge
    (those with a ``tempo`` verdict); NaN when there are none."""
    out = {}
    timed = [r for r in reps if r.get("tempo") is not None]
    for key in ("lowering_s", "rise_s"):
        values = np.array([r[key] for r in timed if isinstance(r.get(key), (int, float))], dtype=np.float64)
        out[key] = float(np.median(values)) if values.size else float("nan")
    return out


def fault_findings(reps: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Every per-rep finding with verdict ``fault``, in rep order."""
    return [f for r in reps for f in r.get("findings", []) if f.get("verdict") == "fault"]


def not_assessable(analysis: Mapping[str, Any]) -> dict[str, str]:
    """``{code: reason}`` for mistakes the camera view could not judge (first reason per code)."""
    reasons: dict[str, str] = {}
    findings = list(analysis.get("findings", [])) + [
        f for r in analysis.get("reps", []) for f in r.get("findings", [])
    ]
    for finding in findings:
        if finding.get("verdict") == "not_assessable":
            reasons.setdefault(
                str(finding.get("code")), str(finding.get("reason") or finding.get("cue") or "")
            )
    return reasons
