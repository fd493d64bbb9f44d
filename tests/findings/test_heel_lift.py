"""heel_lift's floor level: read once the back foot has stepped clear of a planted front foot."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from formcoach.findings import verdicts
from formcoach.findings.detectors import DETECTORS, clear_foot_frames
from formcoach.findings.signals import FindingFeatures
from formcoach.track import LM

from .helpers import FPS, START, T, context, deep_mask, features, rule


@pytest.fixture(autouse=True)
def _no_unsure_band(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit's crossing without the "too close to tell" band (tested in test_unsure.py)."""
    monkeypatch.setattr(verdicts, "UNSURE_Z", 0.0)

RULE = rule("heel_lift", ("heel_lift_cm", 3.0, "cm", "above"))
PARAMS = RULE.params
#: the far foot's heel reads this low (leg lengths, 2 cm at 80 cm a leg) while hidden behind the
#: near foot, up to this frame
HIDDEN_LOW_LEGS = 2.0 / 80.0
HIDDEN_UNTIL = START + 5


def _feet(front_moves: bool = False) -> np.ndarray:
    """(T, 33, 2) pixels: left foot planted at x 100 (or stepping during the lowering when
    ``front_moves``), right ankle stepping back from x 100 to 220 between START and START + 20."""
    pixels = np.zeros((T, 33, 2))
    pixels[:, [LM["left_wrist"], LM["right_wrist"]], 1] = -160.0  # hands at the hips
    back_x = np.interp(np.arange(T), [START, START + 20], [100.0, 220.0])
    pixels[:, LM["right_ankle"], 0] = back_x
    front_x = np.full(T, 100.0)
    if front_moves:
        front_x = np.interp(np.arange(T), [START, START + 20], [100.0, -60.0])  # 1.2 leg lengths a second
    for name in ("left_ankle", "left_heel", "left_foot_index"):
        pixels[:, LM[name], 0] = front_x
    return pixels


def _with_feet(feat: FindingFeatures, pixels: np.ndarray) -> FindingFeatures:
    return replace(feat, prepared=replace(feat.prepared, pixels=pixels))


def _heel_features(heel: np.ndarray, ankle: np.ndarray | None = None) -> FindingFeatures:
    """Features whose heel reads ``heel`` over its toe and in the frame, the ankle rising as much
    (or ``ankle``)."""
    ankle = heel if ankle is None else ankle
    return features(heel_height_legs=heel, heel_level_legs=heel, ankle_level_legs=ankle)


def _hidden_heel(lift_cm: float) -> np.ndarray:
    """(T, 2) heel reading: low while the feet overlap, the floor once clear, + lift when deep."""
    heel = np.zeros((T, 2))
    heel[:HIDDEN_UNTIL, 0] = -HIDDEN_LOW_LEGS
    heel[deep_mask(), 0] = lift_cm / 80.0
    return heel


def test_clear_foot_frames_start_when_the_feet_stand_apart() -> None:
    frames = clear_foot_frames(_with_feet(features(), _feet()), context(leg="left", view="side"), PARAMS)
    # 0.25 leg lengths is 50 px at 200 px a leg: the back ankle, 6 px a frame, is past it at START + 9
    assert frames[0] == START + 9
    assert (frames[-1] - frames[0]) / FPS == pytest.approx(PARAMS.clear_window_s, abs=1 / FPS)


def test_clear_foot_frames_are_empty_when_the_feet_never_part() -> None:
    assert len(clear_foot_frames(features(), context(leg="left", view="front"), PARAMS)) == 0


def test_clear_foot_frames_are_empty_when_the_front_foot_steps() -> None:
    feat = _with_feet(features(), _feet(front_moves=True))
    assert len(clear_foot_frames(feat, context(leg="left", view="side"), PARAMS)) == 0


@pytest.mark.parametrize(("lift_cm", "want"), [(1.5, "ok"), (5.0, "fault")])
def test_a_heel_hidden_while_standing_is_read_from_where_it_stands_clear(lift_cm: float, want: str) -> None:
    heel = _hidden_heel(lift_cm)
    feat = _with_feet(_heel_features(heel), _feet())
    f = DETECTORS["heel_lift"](feat, context(leg="left", view="side"), RULE)
    assert f.verdict == want and f.measured == pytest.approx(lift_cm)
    assert f.extra["baseline"] == "clear_foot"


def test_feet_that_never_part_keep_the_standing_baseline() -> None:
    heel = _hidden_heel(1.5)
    f = DETECTORS["heel_lift"](_heel_features(heel),
                               context(leg="left", view="side"), RULE)
    assert f.extra["baseline"] == "standing"
    assert f.measured == pytest.approx(1.5 + 2.0)  # the standing frames' low reading is the reference


def test_a_front_foot_that_steps_is_not_judged() -> None:
    """Its toe leaves the floor position of the standing frames: there is no floor level to read."""
    heel = _hidden_heel(1.5)
    feat = _with_feet(_heel_features(heel), _feet(front_moves=True))
    f = DETECTORS["heel_lift"](feat, context(leg="left", view="side"), RULE)
    assert f.verdict == "not_assessable" and "wander" in (f.reason or "")


@pytest.mark.parametrize(("lost_share", "want"), [(0.0, "ok"), (0.3, "ok"), (0.7, "not_assessable")])
def test_frames_where_the_pose_model_loses_the_front_foot_are_left_out(lost_share: float, want: str) -> None:
    """A share of the deep frames has the front toe 0.3 leg lengths off its floor position and the heel
    10 cm up (the back leg crossing in front of the foot): those frames are not read; with most of
    them lost, the heel is "couldn't tell"."""
    pixels = _feet()
    heel = _hidden_heel(1.5)
    deep = np.flatnonzero(deep_mask())
    lost = deep[:round(lost_share * len(deep))]
    pixels[lost, LM["left_foot_index"], 0] += 0.3 * 200.0  # 200 px a leg
    heel[lost, 0] = 10.0 / 80.0
    f = DETECTORS["heel_lift"](_with_feet(_heel_features(heel), pixels),
                               context(leg="left", view="side"), RULE)
    assert f.verdict == want
    if want == "ok":
        assert f.measured == pytest.approx(1.5)
    else:
        assert "wander" in (f.reason or "")


@pytest.mark.parametrize(("hand_above_heel_legs", "judged"), [(0.2, False), (0.5, True)])
def test_a_hand_at_the_heel_leaves_it_unjudged(hand_above_heel_legs: float, judged: bool) -> None:
    """A dumbbell hanging by the front heel pulls its landmarks up: a wrist that near is "couldn't
    tell", not a lifted heel."""
    pixels = _feet()
    for wrist in ("left_wrist", "right_wrist"):
        pixels[:, LM[wrist]] = (100.0, -200.0 * hand_above_heel_legs)  # 200 px a leg
    heel = _hidden_heel(5.0)
    feat = _with_feet(_heel_features(heel), pixels)
    f = DETECTORS["heel_lift"](feat, context(leg="left", view="side"), RULE)
    assert (f.verdict == "fault") is judged
    assert (f.verdict == "not_assessable" and "hand" in (f.reason or "")) is not judged


@pytest.mark.parametrize(("ankle_share", "want"), [(0.0, "not_assessable"), (0.35, "not_assessable"),
                                                   (0.68, "fault"), (1.0, "fault")])
def test_a_heel_that_rises_without_its_ankle_is_a_redrawn_foot(ankle_share: float, want: str) -> None:
    """A heel lifting 5 cm pivots on the ball of the foot and takes the ankle up by about 0.68 of
    that: a reading of 5 cm whose ankle rose 0.35 of it (1.75 cm, a 2.6 cm lift by the ankle, inside
    the 3 cm limit) or not at all is the pose model redrawing the foot (a phone close by looking
    steeply down), "couldn't tell"."""
    heel = _hidden_heel(5.0)
    ankle = heel.copy()
    ankle[deep_mask(), 0] *= ankle_share
    feat = _with_feet(_heel_features(heel, ankle), _feet())
    f = DETECTORS["heel_lift"](feat, context(leg="left", view="side"), RULE)
    assert f.verdict == want
    assert ("redrew the foot" in (f.reason or "")) is (want == "not_assessable")
