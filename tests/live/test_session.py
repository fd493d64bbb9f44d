"""The live loop on a replayed pose track: reps announced while the session plays, once each, in
order; the end is the same analysis ``formcoach analyze`` makes; Ctrl-C and nobody in view."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcoach.api import analyze_track
from formcoach.errors import NoPersonError
from formcoach.exercise import load_exercise
from formcoach.live import RepAnnouncement, run_live
from formcoach.live.session import LiveTiming
from formcoach.track import PoseTrack

EXERCISE = load_exercise("reverse_lunge")


def test_reps_are_announced_once_each_in_order_as_they_end(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    source, pose = replay(sim_track)
    said: list[RepAnnouncement] = []
    outcome = run_live(source, pose, EXERCISE, mirrored=False, on_rep=said.append)
    final = outcome.result.to_dict()["reps"]
    assert [r["leg"] for r in final] == ["left", "right", "left", "right"]
    assert [(a.number, a.leg) for a in said] == [(r["index"], r["leg"]) for r in final]
    assert [a.rep for a in outcome.announced] == said
    for announced, rep in zip(said, final, strict=True):
        # during the session, within a second of the rep's end, with the same timing as at the end
        assert rep["end_s"] < announced.footage_s <= rep["end_s"] + 1.0
        assert announced.bottom_s == pytest.approx(rep["bottom_s"], abs=0.1)
        assert announced.rise_s == pytest.approx(rep["rise_s"], abs=0.15)
    assert not outcome.interrupted
    assert outcome.stats.frames == len(sim_track) and outcome.stats.analyses >= 2 * sim_track.duration_s - 2


def test_the_end_is_the_analysis_analyze_makes(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    source, pose = replay(sim_track)
    outcome = run_live(source, pose, EXERCISE, mirrored=False, on_rep=lambda rep: None)
    assert outcome.result.to_dict() == analyze_track(sim_track, EXERCISE).to_dict()
    np.testing.assert_array_equal(outcome.result.track.image, sim_track.image)


def test_a_mirrored_source_gets_its_legs_back(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    source, pose = replay(sim_track.mirrored(), kind="camera")
    said: list[RepAnnouncement] = []
    outcome = run_live(source, pose, EXERCISE, mirrored=True, on_rep=said.append)
    assert [a.leg for a in said] == ["left", "right", "left", "right"]
    assert outcome.result.analysis.mirrored


def test_ctrl_c_ends_the_session_with_what_was_seen(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    second_end = analyze_track(sim_track, EXERCISE).to_dict()["reps"][1]["end_s"]
    source, pose = replay(sim_track, stop_at_s=second_end + 1.0)
    said: list[RepAnnouncement] = []
    outcome = run_live(source, pose, EXERCISE, mirrored=False, on_rep=said.append)
    assert outcome.interrupted
    assert [a.leg for a in said] == ["left", "right"]
    assert [r["leg"] for r in outcome.result.to_dict()["reps"]] == ["left", "right"]


def test_a_camera_tracks_its_measured_frame_rate_and_warnings(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    nominal = dataclasses.replace(sim_track, fps=30.0)  # the driver says 30, frames come at 15
    source, pose = replay(nominal, kind="camera")
    source.warnings.append("webcam 0: the camera stopped sending frames after 242")
    outcome = run_live(source, pose, EXERCISE, mirrored=False, on_rep=lambda rep: None,
                       meta={"model": "full", "warnings": []})
    assert outcome.result.track.fps == pytest.approx(15.0)
    assert outcome.result.track.meta["warnings"] == ["webcam 0: the camera stopped sending frames after 242"]


def test_nobody_in_view_is_a_user_error(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    empty_room = PoseTrack(sim_track.times_s[:30], np.full((30, 33, 4), np.nan), np.full((30, 33, 3), np.nan),
                           640, 480, 15.0, "webcam 0")
    source, pose = replay(empty_room, kind="camera")
    with pytest.raises(NoPersonError, match="webcam 0: no person was found in any of its 30 frames"):
        run_live(source, pose, EXERCISE, mirrored=True, on_rep=lambda rep: None)
    source, pose = replay(sim_track, stop_at_s=-1.0)
    with pytest.raises(NoPersonError, match="no frame was read"):
        run_live(source, pose, EXERCISE, mirrored=False, on_rep=lambda rep: None)


def test_bad_settings_are_refused(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    source, pose = replay(sim_track)
    with pytest.raises(ValueError, match="every_s"):
        run_live(source, pose, EXERCISE, mirrored=False, on_rep=lambda rep: None,
                 timing=LiveTiming(every_s=0.0))
