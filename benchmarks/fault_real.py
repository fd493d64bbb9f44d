"""Real clips for ``fault_accuracy.py``: fault verdicts on every clip of ``labels.json``.

Scored against the form labels (``benchmarks/form_labels.yaml``: per rep and mistake yes / no /
unclear, by eye): found reps are matched to labelled ones by their bottom (within 0.6 s); per mistake,
the share of "no" reps flagged (the bar: at most 1 in 10) and the recall on "yes" reps (a "yes" rep
not found or not judged counts as missed). Unclear labels are left out. The share of assessed rep
checks with a fault on the demonstration clips is printed as before.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import yaml
from fault_scoring import standing_turned_counts

from formcoach.analysis import AnalysisParams
from formcoach.analysis.pipeline import analyze_measured
from formcoach.analysis.prepare import measure
from formcoach.findings.api import detect_with, finding_features
from formcoach.findings.model import Rule
from formcoach.track import PoseTrack


def real_clip(clip: str, args: argparse.Namespace) -> PoseTrack:
    """The clip's pose track from ``--tracks`` (``<clip>.npz``), else computed (and cached there)."""
    from formcoach.pose import estimate_track
    from formcoach.trackio import read_track, write_track

    cached = args.tracks / f"{clip}.npz"
    if cached.exists():
        return read_track(cached)
    track = estimate_track(args.data / "videos" / clip, model="full")
    args.tracks.mkdir(parents=True, exist_ok=True)
    write_track(track, cached)
    return track


#: clips that are not demonstrations of a lunge done well, or not the exercise at all
NOT_CLEAN = {"rear_forward_ec3d_notlow.gif": "shallow", "front_lateral_lunge_nowva.mp4": "lateral",
             "oblique_jumping_prakhar.mp4": "jumping", "mixed_compilation_istock4.mp4": "compilation"}


FORM_LABELS = Path(__file__).with_name("form_labels.yaml")
#: found and labelled reps pair when their bottoms lie this close, seconds
MATCH_S = 0.6


def label_rows(clip: str, labels: dict[str, Any], analysis: Any,
               per_rep: dict[int, Any]) -> list[dict[str, Any]]:
    """One row per labelled (rep, mistake) of ``clip`` with a yes/no label: the label and the verdict
    of the matched found rep ("missing" when no found rep lies within ``MATCH_S`` of its bottom)."""
    entry = labels.get("clips", {}).get(clip)
    if entry is None:
        return []
    rows = []
    for rep in entry["reps"]:
        found = [r for r in analysis.reps if abs(r.rep.bottom_s - float(rep["bottom_s"])) <= MATCH_S]
        best = min(found, key=lambda r: abs(r.rep.bottom_s - float(rep["bottom_s"])), default=None)
        verdicts = {f.code: f.verdict for f in per_rep.get(best.index, ())} if best is not None else {}
        for code, text in rep.items():
            label = str(text).split(":", 1)[0] if code not in ("rep", "leg", "bottom_s") else ""
            if label in ("yes", "no"):
                rows.append({"clip": clip, "rep": rep["rep"], "code": code, "label": label,
                             "verdict": verdicts.get(code, "missing")})
    return rows


def label_table(rows: list[dict[str, Any]]) -> list[str]:
    """Per mistake: "no" reps flagged / judged (and not judged), recall on "yes" reps."""
    lines = [f"{'mistake':17s} {'no: flagged/judged':>19s} {'not judged':>10s} {'yes: recall':>12s}"]
    for code in sorted({r["code"] for r in rows}):
        no = [r for r in rows if r["code"] == code and r["label"] == "no"]
        yes = [r for r in rows if r["code"] == code and r["label"] == "yes"]
        judged = [r for r in no if r["verdict"] in ("fault", "ok")]
        flagged = sum(r["verdict"] == "fault" for r in judged)
        hit = sum(r["verdict"] == "fault" for r in yes)
        rate = f"{flagged}/{len(judged)} ({100 * flagged / len(judged):.0f} %)" if judged else "-"
        recall = f"{hit}/{len(yes)} ({100 * hit / len(yes):.0f} %)" if yes else "-"
        lines.append(f"{code:17s} {rate:>19s} {len(no) - len(judged):>10d} {recall:>12s}")
    return lines


def run_real(args: argparse.Namespace, exercise: Any, rules: dict[str, Rule]) -> list[str]:
    """Fault verdicts on the labelled real clips, scored against the form labels."""
    form = yaml.safe_load(FORM_LABELS.read_text()) if FORM_LABELS.exists() else {}
    scored: list[dict[str, Any]] = []
    labels = json.loads((args.data / "labels.json").read_text())["videos"]
    params = AnalysisParams.from_exercise(exercise)
    per_code: dict[str, list[int]] = {}
    turned: dict[str, list[int]] = {}  # view -> standing frames, read the wrong way round, clips
    lines = [f"{'clip':44s} {'view':8s} reps  faults (code x reps)"]
    for entry in labels:
        clip = entry["file"]
        track = real_clip(clip, args)
        measured = measure(track, params, mirrored=bool(entry.get("mirrored")))
        analysis = analyze_measured(measured, params)
        per_rep = {}
        feat = finding_features(measured, exercise)
        if analysis.reps or analysis.attempts:
            per_rep = detect_with(feat, analysis, rules)
        if analysis.view in ("front", "rear") and measured.features is not None:
            seen = standing_turned_counts(feat, measured.features.depth, params.standing_depth)
            sums = turned.get(analysis.view, [0, 0, 0])
            turned[analysis.view] = [a + b for a, b in zip(sums, (*seen, 1), strict=True)]
        faults: dict[str, int] = {}
        for findings in per_rep.values():
            for f in findings:
                faults[f.code] = faults.get(f.code, 0) + f.is_fault
                if clip not in NOT_CLEAN and f.verdict != "not_assessable":
                    per_code.setdefault(f.code, [0, 0])
                    per_code[f.code][0] += f.is_fault
                    per_code[f.code][1] += 1
        scored += label_rows(clip, form, analysis, per_rep)
        shown = ", ".join(f"{c} {n}" for c, n in faults.items() if n) or "-"
        tag = f" [{NOT_CLEAN[clip]}]" if clip in NOT_CLEAN else ""
        lines.append(f"{clip + tag:44s} {analysis.view:8s} {len(analysis.reps):4d}  {shown}")
        if clip == "rear_forward_ec3d_notlow.gif":
            shallow = [f for fs in per_rep.values() for f in fs if f.code == "shallow_depth"]
            lines.append("    labelled 'not low enough': " + "; ".join(
                f"{f.verdict} (front knee {f.measured:.0f} deg, {f.reason or ''})" for f in shallow))
    lines += [f"standing frames read the wrong way round ({view}): {n}/{total} "
              f"({100 * n / max(total, 1):.1f} %) over {clips} clips"
              for view, (total, n, clips) in turned.items()]
    lines += ["", "form labels (benchmarks/form_labels.yaml), per mistake:", *label_table(scored)]
    lines += ["", "demonstration clips, share of assessed rep checks with a fault:"]
    lines += [f"  {code:17s} {n}/{total} ({100 * n / max(total, 1):.0f} %)"
              for code, (n, total) in per_code.items()]
    return lines
