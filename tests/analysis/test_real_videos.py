"""Reps, legs and lunge type on a few short real clips from ``../shared/data`` against their labels.

Pose tracks are computed once per session (see ``tests/conftest.py``); skipped with a reason when
the data folder is absent, and an error under ``CI=true``. The clips: a 10 fps GIF of a reverse
lunge with a rep cut off by the end of the loop, a front view of forward lunges, and walking lunges
seen from the side by a person who walks into the frame mid-rep.
"""

from __future__ import annotations

from typing import Any

import pytest

from formcoach.analysis import AnalysisParams, analyze

CLIPS = ("side_reverse_ngoquocbao.gif", "front_forward_studio_kt2.mp4", "side_walking_md1.mp4")

pytestmark = pytest.mark.slow


def _params() -> AnalysisParams:
    from formcoach.exercise import load_exercise

    return AnalysisParams.from_exercise(load_exercise("reverse_lunge"))


@pytest.mark.parametrize("clip", CLIPS)
def test_counts_legs_and_bottoms_match_the_labels(clip: str, real_track: Any, labels: dict[str, Any]) -> None:
    label = labels[clip]
    result = analyze(real_track(clip), _params())
    truth = [r for r in label["reps"] if not r["partial"]]
    assert len(result.reps) == label["reps_total"]
    assert [r.rep.leg for r in result.reps] == [r.get("leg_as_rendered") or r["leg"] for r in truth]
    for rep, want in zip(result.reps, truth, strict=True):
        assert abs(rep.rep.deepest_s - want["bottom_s"]) <= 0.25
    assert result.lunge_type == label["lunge_type"]
    assert result.view == label["view"]


def test_a_lowering_quicker_than_a_fall_is_not_timed(real_track: Any) -> None:
    """The blurry 320x240 walking lunges: the pose model finds the first rep's start late, when the
    hips are already half-way down, which timed its lowering at 0.13 s (a "too fast" cue); falling
    its 0.2 m drop takes 0.2 s."""
    analysis = analyze(real_track("rear_side_walking_ucf05.mp4"), _params())
    first = analysis.reps[0]
    assert not first.rep.phases_seen and first.tempo is None
    assert all(r.rep.lowering_s >= 0.2 for r in analysis.reps if r.rep.phases_seen)
