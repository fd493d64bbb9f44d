"""The one analysis call: reps, findings and coaching from a simulated session's exact track."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcoach.api import analyze_file, analyze_track, write_annotated_video
from formcoach.errors import UserError
from formcoach.exercise import load_exercise
from formcoach.sim import Mistakes, SessionSpec, Tempo, simulate
from formcoach.sim.api import frame_camera
from formcoach.sim.camera import Camera
from formcoach.sim.truth import exact_track
from formcoach.trackio import write_track


def exact(spec: SessionSpec, view: str = "side"):  # type: ignore[no-untyped-def]
    sim = simulate(spec, fps=30.0)
    return exact_track(sim, frame_camera(sim, Camera(view=view)))  # type: ignore[arg-type]


# 7 cm: the exact track reads a 5 cm far-leg lift as about 3.7 cm, "too close to tell" against 3 +- 1 cm
SPEC = SessionSpec(reps_per_side=2, tempo=Tempo(2.2, 0.3, 1.0, 0.6), mistakes=Mistakes(heel_lift_cm=7.0),
                   mistake_reps=(2, 3), arms="hips", seed=5)


def test_session_json_has_reps_findings_and_coaching() -> None:
    result = analyze_track(exact(SPEC), load_exercise("reverse_lunge"))
    data = result.to_dict()
    assert data["format"] == "formcoach.analysis" and data["version"] == 1
    assert [r["leg"] for r in data["reps"]] == ["left", "right", "left", "right"]
    heel = {r["index"]: next(f for f in r["findings"] if f["code"] == "heel_lift") for r in data["reps"]}
    assert [heel[i]["verdict"] for i in (1, 2, 3, 4)] == ["ok", "ok", "fault", "fault"]
    assert {"code", "rep", "leg", "measured", "unit", "limit", "verdict", "confidence", "frames",
            "cue"} <= set(heel[3])
    cue = load_exercise("reverse_lunge").mistake("heel_lift").cue
    assert data["coaching"][0] == {"rep": 3, "time_s": data["reps"][2]["end_s"], "kind": "cue",
                                   "code": "heel_lift", "text": cue}


def test_track_file_round_trip_and_no_annotated_video_without_the_video(tmp_path: Path) -> None:
    path = write_track(exact(SPEC), tmp_path / "session.jsonl")
    result = analyze_file(path, load_exercise("reverse_lunge"))
    assert len(result.analysis.reps) == 4 and result.video is None
    with pytest.raises(UserError, match="needs the original video"):
        write_annotated_video(result, tmp_path / "out.mp4")
