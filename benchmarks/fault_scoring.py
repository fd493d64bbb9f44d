"""Scoring shared by the fault benchmarks: each rep's truth class per mistake, the finding's
comparable reading, the per view and mistake table and the clean-rep false-fault rate.

A rep is a clear fault for a mistake when its true magnitude lies past the exercise file's limit by
at least ``CLEAR_MARGIN`` of its unit, clean when it lies inside the limit by half that, borderline
otherwise (left out of recall and false-fault rates).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

import numpy as np

from formcoach.analysis import Analysis, AnalysisParams
from formcoach.analysis.pipeline import analyze_measured
from formcoach.analysis.prepare import measure
from formcoach.analysis.reps import Rep
from formcoach.analysis.result import RepResult
from formcoach.findings.api import detect_with, finding_features
from formcoach.findings.model import Finding, Rule
from formcoach.findings.signals import FindingFeatures
from formcoach.track import PoseTrack

VIEWS = ("front", "rear", "side", "oblique")
#: how far past (or inside) the limit a truth must lie to count as a clear fault (or clean), per unit
CLEAR_MARGIN = {"deg": 5.0, "cm": 1.5, "fraction": 0.1, "s": 0.5}


def truth_values(rep: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per code, the true value of each signal the exercise file checks, from the simulator's truth."""
    m, q = rep["measured"], rep["requested"]
    return {
        "pelvis_tilt": {"pelvis_obliquity_deg": abs(q["pelvis_tilt_deg"]),
                        "pelvis_rotation_deg": abs(q["pelvis_rotation_deg"])},
        # the knee's true sideways offset from the foot's line (3-D), whatever the camera
        "knee_caving": {"knee_over_foot_cm": abs(m["knee_over_foot_cm"]),
                        "knee_frontal_angle_deg": abs(m["knee_valgus_deg"])},
        "hip_drop": {"hip_drop_deg": q["hip_drop_deg"]},
        "hip_not_extended": {"hip_flexion_top_deg": m["hip_flexion_top_deg"]},
        "back_leg_weight": {"front_leg_weight_fraction": m["front_weight_share"]},
        "heel_lift": {"heel_lift_cm": m["heel_lift_cm"]},
        "shallow_depth": {"front_knee_flexion_deg": m["depth_deg"]},
        "balance": {"com_sway_cm": m.get("sway_range_cm", math.nan)},
        "tempo": {"lowering_s": rep["lowering_s"], "rise_s": rep["rise_s"]},
    }


def truth_class(rule: Rule, values: dict[str, float]) -> tuple[str, float]:
    """("fault" | "clean" | "border", the main signal's true value) for one rep and mistake."""
    excess = [c.excess(values[c.signal]) / CLEAR_MARGIN.get(c.unit, 1.0)
              for c in rule.checks if c.signal in values]
    main = values.get(rule.main.signal, math.nan)
    if not excess or not all(math.isfinite(e) for e in excess):
        return "border", main
    if max(excess) >= 1.0:
        return "fault", main
    return ("clean" if max(excess) <= -0.5 else "border"), main


def measured_main(f: Finding, signal: str) -> float:
    """The finding's value comparable with the truth of ``signal`` (the main signal its view judges)."""
    if f.code == "pelvis_tilt":
        value = f.extra.get("rotation_deg" if signal == "pelvis_rotation_deg" else "obliquity_deg")
        return abs(float(value)) if isinstance(value, float) else math.nan
    if f.code == "knee_caving":
        return abs(f.measured)
    if f.code == "tempo":
        value = f.extra.get("lowering_s")
        return float(value) if isinstance(value, float) else math.nan
    return f.measured


#: pelvis_tilt's two checks, scored apart as well: (row name, signal, the finding's direction, the
#: evidence key holding the signed reading)
PELVIS_PARTS = (("pelvis_tilt:tilt", "pelvis_obliquity_deg", "tilt", "obliquity_deg"),
                ("pelvis_tilt:turn", "pelvis_rotation_deg", "rotation", "rotation_deg"))


def split_rules(rules: dict[str, Rule]) -> dict[str, Rule]:
    """``rules`` with pelvis_tilt followed by one rule per check (tilt, turn), each scored on its own
    and judged from that check's views."""
    out: dict[str, Rule] = {}
    for code, rule in rules.items():
        out[code] = rule
        if code == "pelvis_tilt":
            for name, signal, _, _ in PELVIS_PARTS:
                check = rule.check(signal)
                if check is not None:
                    out[name] = replace(rule, code=name, checks=(check,),
                                        views=rule.views if check.views is None else check.views)
    return out


def part_rows(f: Finding, rules: dict[str, Rule], values: dict[str, float],
              base: dict[str, Any]) -> list[dict[str, Any]]:
    """pelvis_tilt's finding scored per check: a fault of that check's direction, against its truth;
    ``not_assessable`` where the check's views do not include the rep's (``base["view"]``)."""
    out = []
    for name, signal, direction, key in PELVIS_PARTS:
        rule = rules.get(name)
        if rule is None or f.code != "pelvis_tilt":
            continue
        cls, true_value = truth_class(rule, {signal: values[signal]})
        reading = f.extra.get(key)
        verdict = f.verdict if f.verdict != "fault" or f.direction == direction else "ok"
        if not rule.checks_for(base["view"]):
            verdict = "not_assessable"
        out.append({**base, "code": name, "truth": cls, "clean_rep": False, "verdict": verdict,
                    "true": true_value, "measured": abs(reading) if isinstance(reading, float) else math.nan})
    return out


def standing_turned_counts(feat: FindingFeatures, depth: np.ndarray,
                           standing_depth: float) -> tuple[int, int]:
    """(standing frames, those the pose model read the wrong way round): frames shallower than
    ``standing_depth`` (``depth``: (T,) the rep analysis's depth, NaN counts as not standing), and of
    them the ones :mod:`formcoach.analysis.facing` relabelled. The pelvis is not judged against such
    a standing (``findings/pelvis_detectors.turned_standing``)."""
    standing = np.nan_to_num(depth, nan=1.0) < standing_depth
    turned = feat.prepared.relabelled
    return int(standing.sum()), int((standing & turned).sum()) if turned is not None else 0


def oracle(analysis: Analysis, truth: dict[str, Any], times_s: np.ndarray) -> Analysis:
    """``analysis`` with the simulator's reps (exact timing and leg) in place of the found ones."""
    reps = []
    for i, t in enumerate(truth["reps"]):
        frames = tuple(int(np.argmin(np.abs(times_s - t[k]))) for k in ("start_s", "bottom_s", "end_s"))
        known: dict[str, Any] = {
            "leg": t["leg"], "start_s": t["start_s"], "bottom_s": t["bottom_s"], "deepest_s": t["bottom_s"],
            "end_s": t["end_s"], "lowering_s": t["lowering_s"], "bottom_hold_s": t["bottom_hold_s"],
            "rise_s": t["rise_s"], "leg_confidence": 1.0, "lunge_type": "reverse", "complete": True,
            "reason": "", "frames": frames}
        rep = Rep(**{f.name: known.get(f.name, math.nan) for f in fields(Rep)})
        reps.append(RepResult(index=i + 1, set=1, rep=rep, tempo=None))
    return replace(analysis, reps=tuple(reps), attempts=())


def match(analysis: Analysis, truth: dict[str, Any], tol_s: float = 0.6) -> dict[int, int]:
    """Found rep key (counted rep ``i``, shallow attempt ``-k``, as ``detect_with`` keys them) ->
    truth rep position, pairing bottoms within ``tol_s`` seconds on the same leg."""
    found = [(r.index, r.rep) for r in analysis.reps]
    found += [(-a.index, a.rep) for a in analysis.attempts if a.rep.reason == "shallow"]
    out: dict[int, int] = {}
    for key, rep in found:
        gaps = [abs(rep.bottom_s - t["bottom_s"]) if t["leg"] == rep.leg else math.inf
                for t in truth["reps"]]
        k = int(np.argmin(gaps)) if gaps else -1
        if k >= 0 and gaps[k] <= tol_s and k not in out.values():
            out[key] = k
    return out


def evaluate_case(track: PoseTrack, truth: dict[str, Any], exercise: Any, rules: dict[str, Rule],
                  view: str, case: str, rows: list[dict[str, Any]], *,
                  patch: Callable[[FindingFeatures], FindingFeatures] | None = None) -> None:
    """Append one row per (rep, mistake) for both rep sources to ``rows``; ``patch`` changes the finding
    signals before the detectors read them (``benchmarks/wrist_model.py`` swaps the wrists' line)."""
    params = AnalysisParams.from_exercise(exercise)
    measured = measure(track, params)
    found = analyze_measured(measured, params)
    feat = finding_features(measured, exercise)
    if patch is not None:
        feat = patch(feat)
    sources = {"e2e": (found, match(found, truth)),
               "oracle": (oracle(found, truth, track.times_s), {i + 1: i for i in range(len(truth["reps"]))})}
    for source, (analysis, pairs) in sources.items():
        findings = detect_with(feat, analysis, rules)
        for index, k in pairs.items():
            t = truth["reps"][k]
            values = truth_values(t)
            clean_rep = (not t["faulty"] and t["requested"]["depth_deg"] > 80 and t["lowering_s"] > 2.0
                         and 0.75 < t["rise_s"] < 2.0)
            for f in findings.get(index, ()):
                if source == "oracle" and f.code == "tempo":
                    continue
                judged = rules[f.code].for_view(view) or rules[f.code]
                cls, true_main = truth_class(judged, values[f.code])
                rows.append({"source": source, "view": view, "code": f.code, "truth": cls,
                             "clean_rep": clean_rep,
                             "rep_id": f"{case}-{k}", "verdict": f.verdict,
                             "measured": measured_main(f, judged.main.signal), "true": true_main})
                rows += part_rows(f, split_rules(rules), values[f.code],
                                  {"source": source, "view": view, "rep_id": f"{case}-{k}"})
        if source == "e2e":
            assert measured.features is not None
            standing, turned = standing_turned_counts(feat, measured.features.depth, params.standing_depth)
            rows.append({"source": "count", "view": view, "found": len(pairs), "counted": len(analysis.reps),
                         "truth_reps": len(truth["reps"]), "standing": standing, "turned": turned})


def _fmt(x: float | None, pct: bool = True) -> str:
    ok = x is not None and math.isfinite(x)
    return ("  -  " if not ok else f"{100 * x:4.0f}%" if pct else f"{x:5.2f}")  # type: ignore[operator]


def sim_table(rows: list[dict[str, Any]], rules: dict[str, Rule], source: str) -> list[str]:
    """The per view and mistake table for one rep source."""
    lines = [f"{'mistake':17s} {'view':8s} {'judges':6s} {'recall':>6s} {'prec':>6s} {'falseOK':>7s} "
             f"{'|err| med':>9s} {'n fault/clean':>13s}"]
    for code, rule in rules.items():
        for view in VIEWS:
            mine = [r for r in rows if r["source"] == source and r["code"] == code and r["view"] == view]
            if not mine:
                continue
            judged = [r for r in mine if r["verdict"] != "not_assessable"]
            faults = [r for r in judged if r["truth"] == "fault"]
            cleans = [r for r in judged if r["truth"] == "clean"]
            tp = sum(r["verdict"] == "fault" for r in faults)
            fp = sum(r["verdict"] == "fault" for r in cleans)
            recall = tp / len(faults) if faults else None
            precision = tp / (tp + fp) if tp + fp else None
            false_rate = fp / len(cleans) if cleans else None
            errs = [abs(r["measured"] - r["true"]) for r in judged if math.isfinite(r["measured"])
                    and math.isfinite(r["true"]) and r["truth"] != "border"]
            judges = "yes" if view in rule.views else "no"
            err = float(np.median(errs)) if errs else None
            lines.append(f"{code:17s} {view:8s} {judges:6s} {_fmt(recall):>6s} {_fmt(precision):>6s} "
                         f"{_fmt(false_rate):>7s} {_fmt(err, False):>9s} {len(faults):>6d}/{len(cleans):<6d}")
    return lines


def clean_rep_rate(rows: list[dict[str, Any]], source: str) -> list[str]:
    """Per view, the share of clean reps (no mistake, full depth, a lowering over 2 s and a rise of
    0.75-2 s) with any fault verdict on a mistake the view can judge, tempo included: a rushed rep
    called on a well-paced one is as false as any other fault (until 2026-12-05 tempo was left out)."""
    lines = []
    for view in VIEWS:
        mine = [r for r in rows if r["source"] == source and r["view"] == view and r.get("clean_rep")]
        reps: dict[str, list[str]] = {}
        for r in mine:
            bad = r["verdict"] == "fault"
            reps.setdefault(r["rep_id"], []).extend([r["code"]] if bad else [])
        flagged = [codes for codes in reps.values() if codes]
        which = sorted({c for codes in flagged for c in codes})
        rate = len(flagged) / len(reps) if reps else math.nan
        lines.append(f"{view:8s} clean reps {len(reps):3d}  with a false fault {len(flagged):3d} "
                     f"({_fmt(rate).strip()})  codes: {', '.join(which) or '-'}")
    return lines


def score(rows: list[dict[str, Any]], code: str, view: str, source: str) -> dict[str, Any]:
    """Recall on clear faults, false-fault rate on clean reps, median |error| and counts for one
    mistake and view (rows of :func:`evaluate_case`)."""
    mine = [r for r in rows if r["source"] == source and r["code"] == code and r["view"] == view]
    judged = [r for r in mine if r["verdict"] not in ("not_assessable", "unclear")]
    faults = [r for r in mine if r["truth"] == "fault"]
    cleans = [r for r in judged if r["truth"] == "clean"]
    tp = sum(r["verdict"] == "fault" for r in faults)
    fp = sum(r["verdict"] == "fault" for r in cleans)
    errs = [abs(r["measured"] - r["true"]) for r in judged if math.isfinite(r["measured"])
            and math.isfinite(r["true"]) and r["truth"] != "border"]
    return {"n": len(mine), "recall": tp / len(faults) if faults else None,
            "false": fp / len(cleans) if cleans else None,
            "err": float(np.median(errs)) if errs else None, "faults": len(faults), "cleans": len(cleans),
            "unjudged": sum(r["verdict"] in ("not_assessable", "unclear") for r in faults)}


def side_by_side(sets: dict[str, list[dict[str, Any]]], rules: dict[str, Rule], source: str) -> list[str]:
    """Per mistake and view, each set's recall on clear faults (counting a fault the detector could not
    judge as missed), false faults on clean reps it judged, median |error| and n faults/clean."""
    names = list(sets)
    head = f"{'mistake':17s} {'view':8s} {'judges':6s}"
    for name in names:
        head += f" | {name[:10]:>10s} recall false |err| fault/clean"
    lines = [head]
    for code, rule in rules.items():
        for view in VIEWS:
            scores = [score(sets[n], code, view, source) for n in names]
            if not any(s["n"] for s in scores) or view not in rule.views:
                continue
            line = f"{code:17s} {view:8s} {'yes' if view in rule.views else 'no':6s}"
            for s in scores:
                line += (f" | {'':10s} {_fmt(s['recall']):>6s} {_fmt(s['false']):>5s} "
                         f"{_fmt(s['err'], False):>5s} {s['faults']:>5d}/{s['cleans']:<5d}")
            lines.append(line)
    return lines
