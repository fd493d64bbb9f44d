"""Session-level findings: per mistake, how many reps showed it on each leg, and left/right asymmetry.

One session finding per mistake code, in the same shape as a rep's finding (``rep`` is None):
``measured`` is the number of reps with the fault (unit ``"reps"``), ``limit`` 0, the verdict
``"fault"`` when any assessed rep had it, ``"ok"`` when none did and ``"not_assessable"`` when no
rep could be judged. Extra keys give the counts per leg (the guide asks to compare sides), and the
``shallow_depth`` and ``tempo`` findings carry the depth and phase times per side and their
left-minus-right differences.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from formcoach.arrays import SIDES
from formcoach.findings.model import Finding, Rule


def _mean(values: list[float]) -> float | None:
    finite = [v for v in values if math.isfinite(v)]
    return round(float(np.mean(finite)), 3) if finite else None


def _diff(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else round(a - b, 3)


def per_side(findings: Sequence[Finding], key: str) -> dict[str, float | None]:
    """Mean of ``measured`` (or of the extra ``key``) per leg, and left minus right ("asymmetry")."""
    means: dict[str, float | None] = {}
    for side in SIDES:
        vals = []
        for f in findings:
            if f.leg != side or f.verdict == "not_assessable":
                continue
            raw = f.measured if key == "measured" else f.extra.get(key)
            if isinstance(raw, float | int):
                vals.append(float(raw))
        means[side] = _mean(vals)
    return {**means, "asymmetry": _diff(means["left"], means["right"])}


def _asymmetry_extra(code: str, mine: Sequence[Finding]) -> dict[str, float | str | None]:
    """Depth or tempo per side for the ``shallow_depth`` and ``tempo`` session findings."""
    out: dict[str, float | str | None] = {}
    if code == "shallow_depth":
        depth = per_side(mine, "measured")
        out.update({"knee_flexion_left_deg": depth["left"], "knee_flexion_right_deg": depth["right"],
                    "knee_flexion_asymmetry_deg": depth["asymmetry"]})
    if code == "tempo":
        for phase in ("lowering_s", "rise_s"):
            stats = per_side(mine, phase)
            name = phase.removesuffix("_s")
            out.update({f"{name}_left_s": stats["left"], f"{name}_right_s": stats["right"],
                        f"{name}_asymmetry_s": stats["asymmetry"]})
    return out


def session_finding(rule: Rule, mine: Sequence[Finding]) -> Finding:
    """The session finding of one mistake from its per-rep findings ``mine``."""
    assessed = [f for f in mine if f.verdict != "not_assessable"]
    faults = [f for f in assessed if f.verdict == "fault"]
    frames = (min((f.frames[0] for f in mine), default=0), max((f.frames[1] for f in mine), default=0))
    extra: dict[str, float | str | None] = {"assessed": float(len(assessed)), "reps": float(len(mine))}
    for side in SIDES:
        extra[f"faults_{side}"] = float(sum(f.leg == side for f in faults))
        extra[f"assessed_{side}"] = float(sum(f.leg == side for f in assessed))
    extra.update(_asymmetry_extra(rule.code, assessed))
    if not assessed:
        reason = mine[0].reason if mine else rule.hint
        return Finding(code=rule.code, rep=None, leg=None, measured=math.nan, unit="reps", limit=0.0,
                       verdict="not_assessable", confidence=0.0, frames=frames, cue=rule.cue,
                       reason=reason, extra=extra)
    chosen = faults or assessed
    conf = float(np.mean([f.confidence for f in chosen]))
    legs = {f.leg for f in faults}
    return Finding(code=rule.code, rep=None, leg=legs.pop() if len(legs) == 1 else None,
                   measured=float(len(faults)), unit="reps", limit=0.0,
                   verdict="fault" if faults else "ok", confidence=conf, frames=frames, cue=rule.cue,
                   direction=_common_direction(faults), extra=extra)


def _common_direction(faults: Sequence[Finding]) -> str | None:
    dirs = [f.direction for f in faults if f.direction]
    # the most common, the first seen on a tie (a set's order would change with the hash seed)
    return max(dict.fromkeys(dirs), key=dirs.count) if dirs else None


def summarise(rules: Mapping[str, Rule], per_rep: Mapping[int, Sequence[Finding]]) -> tuple[Finding, ...]:
    """One session finding per rule, in the rules' order, from every rep's findings."""
    out = []
    for code, rule in rules.items():
        mine = [f for findings in per_rep.values() for f in findings if f.code == code]
        out.append(session_finding(rule, mine))
    return tuple(out)
