"""measure(): what the analysis keeps of the track for the whole run, and what it computes on demand."""

from __future__ import annotations

import numpy as np

from formcoach.analysis.prepare import measure
from formcoach.track import PoseTrack

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
