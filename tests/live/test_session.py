"""The live loop on a replayed pose track: reps announced while the session plays, once each, in
order; the end is the same analysis ``formcoach analyze`` makes; Ctrl-C and nobody in view."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from formcoach.api import analyze_track
from formcoach.errors import NoPersonError
from formcoach.exercise import load_exercise
from formcoach.live import LiveHooks, RepAnnouncement, run_live
from formcoach.live.events import LiveEvent, PersonEvent, RepEvent, SummaryEvent, ViewEvent
from formcoach.live.session import LiveTiming, sampled
from formcoach.pose.estimate import POSE_MIN_GAP_S
from formcoach.sim import Camera, SessionSpec, Tempo, simulate
from formcoach.sim.api import frame_camera
from formcoach.sim.truth import exact_track
from formcoach.track import PoseTrack

EXERCISE = load_exercise("reverse_lunge")


def test_reps_are_announced_once_each_in_order_as_they_end(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    source, pose = replay(sim_track)
    said: list[RepAnnouncement] = []
    outcome = run_live(source, pose, EXERCISE, mirrored=False, hooks=LiveHooks(on_rep=said.append))
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
    outcome = run_live(source, pose, EXERCISE, mirrored=False, hooks=LiveHooks(on_rep=lambda rep: None))
    # the live track holds the landmarks as the pose backends give them: float32
    as_seen = PoseTrack(sim_track.times_s, sim_track.image.astype(np.float32),
                        sim_track.world.astype(np.float32), sim_track.width, sim_track.height, sim_track.fps,
                        sim_track.source)
    assert outcome.result.to_dict() == analyze_track(as_seen, EXERCISE).to_dict()
    np.testing.assert_array_equal(outcome.result.track.image, as_seen.image)


def test_a_mirrored_source_gets_its_legs_back(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    source, pose = replay(sim_track.mirrored(), kind="camera")
    said: list[RepAnnouncement] = []
    outcome = run_live(source, pose, EXERCISE, mirrored=True, hooks=LiveHooks(on_rep=said.append))
    assert [a.leg for a in said] == ["left", "right", "left", "right"]
    assert outcome.result.analysis.mirrored


def test_ctrl_c_ends_the_session_with_what_was_seen(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    second_end = analyze_track(sim_track, EXERCISE).to_dict()["reps"][1]["end_s"]
    source, pose = replay(sim_track, stop_at_s=second_end + 1.0)
    said: list[RepAnnouncement] = []
    outcome = run_live(source, pose, EXERCISE, mirrored=False, hooks=LiveHooks(on_rep=said.append))
    assert outcome.interrupted
    assert [a.leg for a in said] == ["left", "right"]
    assert [r["leg"] for r in outcome.result.to_dict()["reps"]] == ["left", "right"]


def test_a_camera_tracks_its_measured_frame_rate_and_warnings(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    nominal = dataclasses.replace(sim_track, fps=30.0)  # the driver says 30, frames come at 15
    source, pose = replay(nominal, kind="camera")
    source.warnings.append("webcam 0: the camera stopped sending frames after 242")
    outcome = run_live(source, pose, EXERCISE, mirrored=False, hooks=LiveHooks(on_rep=lambda rep: None),
                       meta={"model": "full", "warnings": []})
    assert outcome.result.track.fps == pytest.approx(15.0)
    assert outcome.result.track.meta["warnings"] == ["webcam 0: the camera stopped sending frames after 242"]


def test_nobody_in_view_is_a_user_error(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    empty_room = PoseTrack(sim_track.times_s[:30], np.full((30, 33, 4), np.nan), np.full((30, 33, 3), np.nan),
                           640, 480, 15.0, "webcam 0")
    source, pose = replay(empty_room, kind="camera")
    with pytest.raises(NoPersonError, match="webcam 0: no person was found in any of its 30 frames"):
        run_live(source, pose, EXERCISE, mirrored=True, hooks=LiveHooks(on_rep=lambda rep: None))
    source, pose = replay(sim_track, stop_at_s=-1.0)
    with pytest.raises(NoPersonError, match="no frame was read"):
        run_live(source, pose, EXERCISE, mirrored=False, hooks=LiveHooks(on_rep=lambda rep: None))


def test_bad_settings_are_refused(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    source, pose = replay(sim_track)
    with pytest.raises(ValueError, match="every_s"):
        run_live(source, pose, EXERCISE, mirrored=False, hooks=LiveHooks(on_rep=lambda rep: None),
                 timing=LiveTiming(every_s=0.0))


def test_the_loop_emits_typed_events_for_the_person_view_reps_summary(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    source, pose = replay(sim_track)
    events: list[LiveEvent] = []
    outcome = run_live(source, pose, EXERCISE, mirrored=False, hooks=LiveHooks(on_event=events.append))
    kinds = [e.type for e in events]
    assert kinds[0] == "person" and events[0].to_dict()["visible"] is True
    assert "view" in kinds and next(e for e in events if isinstance(e, ViewEvent)).view == "side"
    reps = [e for e in events if isinstance(e, RepEvent)]
    assert [(r.number, r.leg) for r in reps] == [(1, "left"), (2, "right"), (3, "left"), (4, "right")]
    assert [r.progress.line() for r in reps][-1] == "Left 2/8 Right 2/8 · set 1 of 2"
    assert [r.number for r in reps] == [a.rep.number for a in outcome.announced]
    assert "frames" in kinds
    summary = events[-1]
    assert isinstance(summary, SummaryEvent) and summary.to_dict()["type"] == "summary"
    assert (summary.reps, summary.left, summary.right, summary.reason) == (4, 2, 2, "end")
    assert summary.analysed == len(sim_track)


def test_two_minutes_with_nobody_in_view_ends_the_session(sim_track: PoseTrack, replay) -> None:  # type: ignore[no-untyped-def]
    n = len(sim_track)
    times = np.concatenate([sim_track.times_s, sim_track.times_s[-1] + np.arange(1, 61) / 15])
    empty = PoseTrack(times, np.concatenate([sim_track.image, np.full((60, 33, 4), np.nan)]),
                      np.concatenate([sim_track.world, np.full((60, 33, 3), np.nan)]), sim_track.width,
                      sim_track.height, sim_track.fps, "browser")
    source, pose = replay(empty, kind="browser")
    events: list[LiveEvent] = []
    outcome = run_live(source, pose, EXERCISE, mirrored=False, hooks=LiveHooks(on_event=events.append),
                       timing=LiveTiming(idle_stop_s=2.0))
    assert outcome.reason == "idle" and not outcome.interrupted
    assert n + 25 <= outcome.stats.frames <= n + 35  # stopped 2 s after the person was last seen
    gone = [e for e in events if isinstance(e, PersonEvent) and not e.visible]
    assert len(gone) == 1 and gone[0].t_s == pytest.approx(sim_track.times_s[-1] + 1.0, abs=0.1)
    assert isinstance(events[-1], SummaryEvent) and events[-1].reason == "idle" and events[-1].reps == 4


def test_a_sparse_live_track_is_not_cut_into_pieces_at_every_frame(sim_track: PoseTrack) -> None:
    """A busy machine analyses 3 frames a second: 0.33 s apart, past the file's 0.25 s for a dropout."""
    sparse = PoseTrack(sim_track.times_s[::5], sim_track.image[::5], sim_track.world[::5], sim_track.width,
                       sim_track.height, 3.0, "browser")
    assert analyze_track(sparse, EXERCISE).to_dict()["counts"]["total"] < 4
    widened = sampled(EXERCISE, sparse.times_s)
    assert widened.rep_detection.max_gap_s == pytest.approx(1.0)
    assert [r["leg"] for r in analyze_track(sparse, widened).to_dict()["reps"]] == ["left", "right", "left",
                                                                                   "right"]
    assert sampled(EXERCISE, sim_track.times_s) is EXERCISE


def test_a_30_fps_source_goes_to_the_pose_model_every_second_frame(replay) -> None:  # type: ignore[no-untyped-def]
    spec = SessionSpec(reps_per_side=1, tempo=Tempo(2.0, 0.3, 1.0, 0.5), lead_in_s=0.5, lead_out_s=0.8,
                       seed=5)
    camera = Camera(view="side", fps=30.0)
    sim = simulate(spec, fps=camera.fps)
    track = exact_track(sim, frame_camera(sim, camera))
    for gap_s, posed in ((POSE_MIN_GAP_S, (len(track) + 1) // 2), (0.0, len(track))):
        source, pose = replay(track)
        seen: list[float] = []
        pose.process = lambda rgb, t_s, answer=pose.process, seen=seen: seen.append(t_s) or answer(rgb, t_s)
        outcome = run_live(source, pose, EXERCISE, mirrored=False, hooks=LiveHooks(on_rep=lambda rep: None),
                           timing=LiveTiming(pose_min_gap_s=gap_s))
        assert outcome.stats.frames == len(track) and outcome.stats.posed == len(seen) == posed
        assert np.diff(seen).min() >= min(gap_s, 1 / 30) - 0.002
        assert [r["leg"] for r in outcome.result.to_dict()["reps"]] == ["left", "right"]
