"""measure(): what the analysis keeps of the track for the whole run, and what it computes on demand."""

from __future__ import annotations

import numpy as np

from formcoach.analysis.prepare import measure
from formcoach.track import LM, PoseTrack

from .helpers import PARAMS
from .synth import lunge_track

PLAN = [("right", "reverse", 1.0), ("left", "reverse", 1.0)]


def test_the_unfiltered_landmarks_are_the_tracks_own_arrays_masked_on_demand() -> None:
    track, _ = lunge_track(PLAN, view="side", jitter_m=0.003)
    track.image[:5] = np.nan  # nobody in the first frames: outside every usable stretch
    track.world[:5] = np.nan
    prep = measure(track, PARAMS).landmarks
    assert prep is not None
    assert prep.source_world is track.world  # held, not copied
    assert np.shares_memory(prep.source_visibility, track.image)
    usable = prep.usable
    assert not usable[:5].any() and usable[10:-10].all()
    raw = prep.world_raw
    np.testing.assert_array_equal(raw[usable], track.world[usable])
    assert np.isnan(raw[~usable]).all()
    frames, cols = np.array([0, 20, 30]), np.array([23, 25])
    vis = prep.visibility(frames, cols)
    assert np.isnan(vis[0]).all()
    np.testing.assert_array_equal(vis[1:], track.image[frames[1:]][:, cols, 3])


def test_a_float32_track_is_measured_in_float32() -> None:
    """The filtered landmarks of a pose model's (float32) track stay float32: a 10-minute video's
    prepared landmarks take half the memory."""
    track, _ = lunge_track(PLAN, view="side", jitter_m=0.003)
    narrow = PoseTrack(track.times_s, track.image.astype(np.float32), track.world.astype(np.float32),
                       track.width, track.height, track.fps)
    prep = measure(narrow, PARAMS).landmarks
    assert prep is not None
    assert prep.world.dtype == prep.pixels.dtype == np.float32


def test_knee_angles_for_showing_leave_out_frames_whose_feet_were_guessed() -> None:
    """Feet drawn below the picture's edge (what the pose model guesses when they are cut off): the
    knee angle needs the ankle, so the report and the annotated video show none there; the hip's
    stays."""
    track, _ = lunge_track(PLAN, jitter_m=0.003)
    image = track.image.copy()
    feet = np.array([LM[f"{s}_{p}"] for s in ("left", "right") for p in ("ankle", "heel", "foot_index")])
    cut = np.zeros(len(track), dtype=bool)
    cut[len(track) // 3:len(track) // 2] = True
    image[np.ix_(np.flatnonzero(cut), feet, np.array([1]))] += 1.2 - np.nanmin(image[:, feet, 1])
    measured = measure(PoseTrack(track.times_s, image, track.world, track.width, track.height, track.fps,
                                 track.source), PARAMS)
    knee, hip = measured.flexion_deg()
    assert np.isnan(knee[cut]).all() and np.isfinite(knee[~cut][5:-5]).all()
    assert np.isfinite(hip[cut]).all()
    assert measured.features is not None and np.isfinite(measured.features.knee_flexion_deg[cut]).all()
