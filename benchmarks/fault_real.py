"""Real clips for ``fault_accuracy.py``: fault verdicts on every clip of ``labels.json``.

The EC3D "not low enough" clip is the one labelled faulty; the other labelled clips are treated as
demonstrations (not all are reverse lunges) and their fault rate is reported per mistake.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

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


def run_real(args: argparse.Namespace, exercise: Any, rules: dict[str, Rule]) -> list[str]:
    """Fault verdicts on the labelled real clips."""
    labels = json.loads((args.data / "labels.json").read_text())["videos"]
    params = AnalysisParams.from_exercise(exercise)
    per_code: dict[str, list[int]] = {}
    lines = [f"{'clip':44s} {'view':8s} reps  faults (code x reps)"]
    for entry in labels:
        clip = entry["file"]
        track = real_clip(clip, args)
        measured = measure(track, params, mirrored=bool(entry.get("mirrored")))
        analysis = analyze_measured(measured, params)
        per_rep = {}
        if analysis.reps or analysis.attempts:
            per_rep = detect_with(finding_features(measured), analysis, rules)
        faults: dict[str, int] = {}
        for findings in per_rep.values():
            for f in findings:
                faults[f.code] = faults.get(f.code, 0) + f.is_fault
                if clip not in NOT_CLEAN and f.verdict != "not_assessable":
                    per_code.setdefault(f.code, [0, 0])
                    per_code[f.code][0] += f.is_fault
                    per_code[f.code][1] += 1
        shown = ", ".join(f"{c} {n}" for c, n in faults.items() if n) or "-"
        tag = f" [{NOT_CLEAN[clip]}]" if clip in NOT_CLEAN else ""
        lines.append(f"{clip + tag:44s} {analysis.view:8s} {len(analysis.reps):4d}  {shown}")
        if clip == "rear_forward_ec3d_notlow.gif":
            shallow = [f for fs in per_rep.values() for f in fs if f.code == "shallow_depth"]
            lines.append("    labelled 'not low enough': " + "; ".join(
                f"{f.verdict} (front knee {f.measured:.0f} deg, {f.reason or ''})" for f in shallow))
    lines += ["", "demonstration clips, share of assessed rep checks with a fault:"]
    lines += [f"  {code:17s} {n}/{total} ({100 * n / max(total, 1):.0f} %)"
              for code, (n, total) in per_code.items()]
    return lines
