"""Fault-detection accuracy of formcoach's findings on simulated and real lunges.

    python benchmarks/fault_accuracy.py [--quick] [--proposed] [--cache DIR] [--tracks DIR] [--data DIR]

Simulated: sessions from the synthetic athlete (``formcoach.sim``) with each mistake at a magnitude
clearly past its limit, below it, or absent, rendered from the front, behind, the side and 45 deg, and read
back through the real pose model (full). Each rep's truth is the simulator's exact magnitude; a rep is
a clear fault when the truth is past the exercise file's limit by at least ``CLEAR_MARGIN`` of its
unit, clean when it is inside the limit by half that, borderline otherwise (left out). Per view and
mistake: recall on clear faults, precision, the false-fault rate on clean reps and the magnitude
error. Reps come from the rep analysis (end to end, matched to the truth by bottom time) and from the
simulator's timing ("oracle", isolating the detectors; tempo is left out there). Pose tracks of the
rendered videos are cached in ``--cache`` (first full run about 10 min here, then seconds).

Real (``fault_real.py``): every clip in ``labels.json``; the labelled faulty rep (EC3D "not low
enough") must be flagged; the other clips are demonstrations whose fault rate is reported per
mistake. ``--proposed`` applies the exercise-file changes proposed in issue 6's report.
Bars: recall >= 0.9, precision >= 0.9, false faults on clean reps <= 5 %.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import tempfile
import time
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.analysis import Analysis, AnalysisParams
from formcoach.analysis.pipeline import analyze_measured
from formcoach.analysis.prepare import measure
from formcoach.analysis.reps import Rep
from formcoach.analysis.result import RepResult
from formcoach.exercise import load_exercise
from formcoach.findings.api import detect_with, finding_features
from formcoach.findings.model import Finding, Rule
from formcoach.findings.views import rules_from_exercise
from formcoach.track import PoseTrack

REPO = Path(__file__).resolve().parents[1]
VIEWS = ("front", "rear", "side", "oblique")
#: how far past (or inside) the limit a truth must lie to count as a clear fault (or clean), per unit
CLEAR_MARGIN = {"deg": 5.0, "cm": 1.5, "fraction": 0.1, "s": 0.5}
BASE_TEMPO = {"lowering_s": 2.6, "bottom_s": 0.5, "rise_s": 1.1, "top_s": 0.7}
#: name -> (mistake magnitudes on the faulty reps, session-wide overrides)
SESSIONS: dict[str, tuple[dict[str, float], dict[str, Any]]] = {
    "knee_hip_heel": ({"knee_valgus_deg": 25.0, "hip_flexion_top_deg": 25.0, "heel_lift_cm": 5.0}, {}),
    "tilt_weight": ({"pelvis_tilt_deg": 12.0, "front_weight_share": 0.45}, {}),
    "drop_varus": ({"hip_drop_deg": 11.0, "knee_valgus_deg": -20.0}, {}),
    "rotation_sway": ({"pelvis_rotation_deg": 18.0, "sway_cm": 8.0}, {"bottom_s": 2.0}),
    "shallow": ({}, {"depth_deg": 55.0}),
    "fast": ({}, {"lowering_s": 1.0, "rise_s": 2.6}),
    "below_a": ({"knee_valgus_deg": 7.0, "hip_flexion_top_deg": 8.0, "heel_lift_cm": 0.8,
                 "front_weight_share": 0.66, "pelvis_tilt_deg": 3.0}, {}),
    "below_b": ({"hip_drop_deg": 2.5, "pelvis_rotation_deg": 5.0, "sway_cm": 2.0}, {"bottom_s": 2.0}),
}
QUICK = ("knee_hip_heel", "tilt_weight", "shallow")


#: Default cache of rendered sessions and pose tracks (outside the repository).
BENCH_DIR = Path(tempfile.gettempdir()) / "formcoach-bench"

def make_spec(name: str, reps_per_side: int) -> Any:
    """The :class:`SessionSpec` of session ``name``: faulty reps 1, 3, 5 (0-based), others clean."""
    from formcoach.sim import Mistakes, SessionSpec, Tempo

    mistakes, overrides = SESSIONS[name]
    tempo = Tempo(**{k: overrides.get(k, v) for k, v in BASE_TEMPO.items()})
    faulty = tuple(range(1, 2 * reps_per_side, 2))
    return SessionSpec(reps_per_side=reps_per_side, tempo=tempo, depth_deg=overrides.get("depth_deg", 90.0),
                       mistakes=Mistakes(**mistakes), mistake_reps=None if not mistakes else faulty,
                       seed=sum(map(ord, name)))


def sway_truth_cm(sim: Any) -> list[float]:
    """Per rep, the side-to-side sway of the exact centre of mass while about half-way down or more,
    cm, measured as the detector defines it (:func:`formcoach.findings.signals.sway_range`)."""
    from formcoach.findings.signals import sway_range

    out = []
    for r in sim.reps:
        lo, hi = r.start_s + 0.5 * r.lowering_s, r.end_s - 0.5 * r.rise_s
        sel = (sim.times_s >= lo) & (sim.times_s <= hi)
        out.append(100 * sway_range(sim.times_s[sel], sim.com[sel, 1]))
    return out


def session_key(name: str, reps_per_side: int) -> str:
    """A short hash of a session's definition here, naming its cache folder."""
    text = json.dumps([SESSIONS[name], BASE_TEMPO, reps_per_side], sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:8]


def sim_case(name: str, view: str, cache: Path, reps_per_side: int) -> tuple[PoseTrack, dict[str, Any]]:
    """Pose track (real model on the rendered video) and truth of one session seen from ``view``."""
    from formcoach.pose import estimate_track
    from formcoach.sim import Camera, render_session, simulate
    from formcoach.trackio import read_track, write_track

    spec = make_spec(name, reps_per_side)
    key = session_key(name, reps_per_side)
    folder = cache / f"{name}-{view}-{reps_per_side}-{key}"
    track_file, truth_file = folder / "pose.npz", folder / "truth_full.json"
    if track_file.exists() and truth_file.exists():
        truth = json.loads(truth_file.read_text())
        add_derived_truth(truth, simulate(spec, fps=truth["fps"]), read_track(folder / "track.jsonl"))
        return read_track(track_file), truth
    camera = Camera(view=view, width=480, height=360, fps=15.0)  # type: ignore[arg-type]
    sim = simulate(spec, fps=camera.fps)
    paths = render_session(spec, camera, folder, sim=sim)
    assert paths.video is not None
    track = estimate_track(paths.video, model="full")
    write_track(track, track_file)
    truth_file.write_text(paths.truth.read_text())
    paths.video.unlink()
    truth = json.loads(paths.truth.read_text())
    add_derived_truth(truth, sim, read_track(paths.track))
    return track, truth


def add_derived_truth(truth: dict[str, Any], sim: Any, exact: PoseTrack) -> None:
    """Add to each rep's ``measured`` truth the sway range (``sway_range_cm``) and the 2D knee FPPA
    the camera sees on the exact body (``knee_fppa_2d_deg``)."""
    for rep, sway in zip(truth["reps"], sway_truth_cm(sim), strict=True):
        rep["measured"]["sway_range_cm"] = sway
    add_2d_truth(truth, exact)


def add_2d_truth(truth: dict[str, Any], exact: PoseTrack) -> None:
    """Add each rep's 2D knee FPPA at the bottom as the camera sees the exact body (``knee_fppa_2d_deg``).

    The exercise file's knee limit is a 2D video measure (Willson & Davis 2008); the simulator's own
    valgus angle is the 3D frontal-plane one, which a camera above knee height sees smaller.
    """
    from formcoach.findings.signals import knee_frontal

    fppa = knee_frontal(exact.pixels())[0]
    for rep in truth["reps"]:
        i = int(np.argmin(np.abs(exact.times_s - rep["bottom_s"])))
        col = 0 if rep["leg"] == "left" else 1
        rep["measured"]["knee_fppa_2d_deg"] = float(np.median(fppa[max(i - 3, 0):i + 4, col]))


def truth_values(rep: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per code, the true value of each signal the exercise file checks, from the simulator's truth."""
    m, q = rep["measured"], rep["requested"]
    return {
        "pelvis_tilt": {"pelvis_obliquity_deg": abs(q["pelvis_tilt_deg"]),
                        "pelvis_rotation_deg": abs(q["pelvis_rotation_deg"])},
        "knee_caving": {"knee_frontal_angle_deg": abs(m["knee_fppa_2d_deg"])},
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
                    out[name] = replace(rule, code=name, checks=(check,), views=check.views or rule.views)
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
                  view: str, case: str, rows: list[dict[str, Any]]) -> None:
    """Append one row per (rep, mistake) for both rep sources to ``rows``."""
    params = AnalysisParams.from_exercise(exercise)
    measured = measure(track, params)
    found = analyze_measured(measured, params)
    feat = finding_features(measured)
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
            rows.append({"source": "count", "view": view, "found": len(pairs),
                         "truth_reps": len(truth["reps"])})


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
    """Per view, the share of clean reps (no mistake, full depth, slow lowering) with any fault
    verdict on a mistake the view can judge (tempo left out: it is a prescription, not a form fault)."""
    lines = []
    for view in VIEWS:
        mine = [r for r in rows if r["source"] == source and r["view"] == view and r.get("clean_rep")]
        reps: dict[str, list[str]] = {}
        for r in mine:
            bad = r["verdict"] == "fault" and r["code"] != "tempo"
            reps.setdefault(r["rep_id"], []).extend([r["code"]] if bad else [])
        flagged = [codes for codes in reps.values() if codes]
        which = sorted({c for codes in flagged for c in codes})
        rate = len(flagged) / len(reps) if reps else math.nan
        lines.append(f"{view:8s} clean reps {len(reps):3d}  with a false fault {len(flagged):3d} "
                     f"({_fmt(rate).strip()})  codes: {', '.join(which) or '-'}")
    return lines


def run_sim(args: argparse.Namespace, exercise: Any, rules: dict[str, Rule]) -> list[str]:
    """Render, estimate and judge every simulated session; the printed tables."""
    names = QUICK if args.quick else tuple(SESSIONS)
    views = ("front", "side") if args.quick else VIEWS
    reps_per_side = 2 if args.quick else 3
    rows: list[dict[str, Any]] = []
    for view in views:
        for name in names:
            began = time.perf_counter()
            track, truth = sim_case(name, view, args.cache, reps_per_side)
            evaluate_case(track, truth, exercise, rules, view, name, rows)
            print(f"  {view:8s} {name:14s} {len(truth['reps'])} reps, {time.perf_counter() - began:5.1f} s",
                  file=sys.stderr)
    out = []
    counts = [r for r in rows if r["source"] == "count"]
    for view in views:
        found = sum(r["found"] for r in counts if r["view"] == view)
        total = sum(r["truth_reps"] for r in counts if r["view"] == view)
        out.append(f"reps found by the rep analysis ({view}): {found}/{total}")
    for source, title in (("e2e", "end to end (reps as the rep analysis finds them)"),
                          ("oracle", "oracle reps (the simulator's timing; isolates the detectors)")):
        out += ["", f"## Simulated, {title}", *sim_table(rows, split_rules(rules), source), "",
                "false faults on clean reps:", *clean_rep_rate(rows, source)]
    return out


def proposed(rules: dict[str, Rule]) -> dict[str, Rule]:
    """The rules with the exercise-file changes proposed in issue 6's report (for comparison only):
    pelvis_tilt without the rotation check and not from 45 deg; heel_lift from the side, past 3 cm."""
    out = dict(rules)
    tilt, heel = rules["pelvis_tilt"], rules["heel_lift"]
    out["pelvis_tilt"] = replace(tilt, checks=tilt.checks[:1], views=frozenset({"front", "rear"}))
    out["heel_lift"] = replace(heel, checks=(replace(heel.main, limit=3.0),), views=frozenset({"side"}))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="three sessions, front and side, 2 reps a side")
    parser.add_argument("--cache", type=Path, default=BENCH_DIR / "faults",
                        help="folder for rendered sessions' pose tracks and truth")
    parser.add_argument("--tracks", type=Path, default=BENCH_DIR / "tracks",
                        help="folder of the real clips' pose tracks (<clip>.npz); computed when absent")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--no-sim", action="store_true", help="skip the simulated sessions")
    parser.add_argument("--no-real", action="store_true", help="skip the real clips")
    parser.add_argument("--proposed", action="store_true",
                        help="apply the exercise-file changes the issue 6 report proposes")
    args = parser.parse_args(argv)
    exercise = load_exercise("reverse_lunge")
    rules = rules_from_exercise(exercise)
    if args.proposed:
        rules = proposed(rules)
    began = time.perf_counter()
    out: list[str] = []
    if not args.no_sim:
        out += run_sim(args, exercise, rules)
    if not args.no_real and (args.data / "labels.json").exists():
        from fault_real import run_real

        out += ["", "## Real videos (labels.json)", *run_real(args, exercise, rules)]
    out.append(f"\n(total {time.perf_counter() - began:.0f} s)")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
