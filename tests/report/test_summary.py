"""Summary numbers: left versus right, tempo medians, faults, and what a view could not judge."""

from __future__ import annotations

import math

from formcoach.report.summary import fault_findings, not_assessable, side_stats, tempo_stats

OK = {"lowering": "ok", "rise": "ok"}
REPS = [
    {"leg": "left", "lowering_s": 2.0, "rise_s": 1.0, "front_knee_flexion_deg": 90.0, "tempo": OK,
     "findings": [{"code": "hip_drop", "verdict": "fault"}, {"code": "heel_lift", "verdict": "ok"}]},
    {"leg": "left", "lowering_s": 3.0, "rise_s": 1.2, "front_knee_flexion_deg": 80.0, "tempo": OK,
     "findings": []},
    {"leg": "right", "lowering_s": 1.0, "rise_s": None, "front_knee_flexion_deg": 70.0, "tempo": OK,
     "findings": [{"code": "knee_caving", "verdict": "not_assessable", "reason": "film from the front"}]},
]


def test_side_stats() -> None:
    stats = side_stats(REPS)
    assert stats["reps"] == {"left": 2.0, "right": 1.0}
    assert stats["knee flexion at bottom (deg)"]["left"] == 85.0
    assert stats["faults per rep"] == {"left": 0.5, "right": 0.0}
    assert math.isnan(stats["rise (s)"]["right"])


def test_tempo_faults_and_unjudged() -> None:
    assert tempo_stats(REPS) == {"lowering_s": 2.0, "rise_s": 1.1}
    assert [f["code"] for f in fault_findings(REPS)] == ["hip_drop"]
    assert not_assessable({"reps": REPS, "findings": []}) == {"knee_caving": "film from the front"}
    assert math.isnan(tempo_stats([])["rise_s"])


def test_tempo_medians_leave_out_reps_the_view_could_not_time() -> None:
    untimed = [{**r, "tempo": None} for r in REPS]
    assert tempo_stats(REPS[:2] + untimed[2:]) == {"lowering_s": 2.5, "rise_s": 1.1}
    assert math.isnan(tempo_stats(untimed)["lowering_s"])
