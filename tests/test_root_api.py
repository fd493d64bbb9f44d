"""The package root's public API: ``formcoach.analyze`` on a track path, a str, a PoseTrack."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.analysis.synth import lunge_track

import formcoach
from formcoach.trackio import write_track


def test_import_loads_nothing_heavy() -> None:
    code = "import sys, formcoach; print('numpy' in sys.modules, 'mediapipe' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_analyze_accepts_str_path_and_track(tmp_path: Path) -> None:
    track, _ = lunge_track([("left", "reverse", 1.0), ("right", "reverse", 1.0)])
    path = tmp_path / "s.jsonl"
    write_track(track, path)
    by_str = formcoach.analyze(str(path))
    by_path = formcoach.analyze(path, "reverse_lunge")
    by_track = formcoach.analyze(track, formcoach.load_exercise("reverse_lunge"))
    assert len(by_str.analysis.reps) == len(by_path.analysis.reps) == len(by_track.analysis.reps) > 0
    assert by_str.to_dict() == by_path.to_dict()
