"""A mirrored (selfie) session: the report's per-leg curves and the annotated video's leg labels are
the analysis's legs, and the landmarks are prepared once per analysis."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.test_golden import case_track

import formcoach.analysis.prepare as prepare
from formcoach.analysis.signals import joint_angles
from formcoach.api import analyze_track, write_report
from formcoach.exercise import load_exercise
from formcoach.report.annotate import interior_angles_deg
from formcoach.track import LM

EXERCISE = load_exercise("reverse_lunge")


def test_mirrored_session_plots_and_labels_the_analysis_legs() -> None:
    filmed, mirrored = case_track("demo_side_mirrored")
    assert mirrored
    result = analyze_track(filmed, EXERCISE, mirrored=True)
    measured = result.prepared()
    knee_flex, _ = measured.flexion_deg()
    knee_deg, _ = interior_angles_deg(measured)
    drawn = measured.video_track().image
    raw_knee_flex = joint_angles(filmed.world)[0]
    assert {r.leg for r in result.analysis.reps} == {"left", "right"}
    for rep in result.analysis.reps:
        peak, col, other = rep.rep.frames[1], 0 if rep.leg == "left" else 1, 1 if rep.leg == "left" else 0
        # the plot's curve of the working leg is the rep's front knee, and it is the bent one
        assert knee_flex[peak, col] == pytest.approx(rep.front_knee_flexion_deg)
        assert knee_flex[peak, col] > knee_flex[peak, other] - 5
        # the raw track labels the legs of the mirror image the other way round
        assert abs(raw_knee_flex[peak, other] - rep.front_knee_flexion_deg) < \
            abs(raw_knee_flex[peak, col] - rep.front_knee_flexion_deg) + 1.0
        # the video labels the working knee with its angle, where the mirror image shows that knee
        assert 180.0 - knee_deg[peak, col] == pytest.approx(rep.front_knee_flexion_deg)
        mirror_label = "right" if rep.leg == "left" else "left"
        np.testing.assert_allclose(drawn[peak, LM[f"{rep.leg}_knee"], :2],
                                   filmed.image[peak, LM[f"{mirror_label}_knee"], :2])


def test_landmarks_are_prepared_once_per_analysis(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls = {"repair": 0, "features": 0, "smooth": 0}

    def counted(name: str, real):  # type: ignore[no-untyped-def]
        def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
            calls[name] += 1
            return real(*args, **kwargs)
        return wrapper

    monkeypatch.setattr(prepare, "repair_leg_swaps", counted("repair", prepare.repair_leg_swaps))
    monkeypatch.setattr(prepare, "compute_features", counted("features", prepare.compute_features))
    monkeypatch.setattr(prepare, "smooth_landmarks", counted("smooth", prepare.smooth_landmarks))
    filmed, _ = case_track("demo_side_mirrored")
    result = analyze_track(filmed, EXERCISE, mirrored=True)
    write_report(result, tmp_path / "report.html")
    assert calls == {"repair": 1, "features": 1, "smooth": 1}
