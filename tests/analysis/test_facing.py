"""The whole body turned round while standing: found against the deep lunge frames, and undone."""

from __future__ import annotations

import numpy as np

from formcoach.analysis.facing import across_sign, repair_turned_round, turned_round_frames
from formcoach.analysis.signals import image_leg_scale
from formcoach.arrays import knee_flexion_deg
from formcoach.track import LM, PoseTrack, mirror_index

from .helpers import PARAMS, legs, run
from .synth import lunge_track

PLAN = [("right", "reverse", 1.0), ("left", "reverse", 1.0), ("right", "reverse", 1.0)]


def turned(track: PoseTrack, frames: np.ndarray) -> PoseTrack:
    """``track`` as a pose model that read the person the wrong way round on ``frames``: every left
    landmark labelled right and the body mirrored along the camera's axis."""
    image, world = track.image.copy(), track.world.copy()
    idx = mirror_index()
    image[frames] = track.image[frames][:, idx]
    world[frames] = track.world[frames][:, idx]
    world[frames, :, 2] *= -1.0
    return PoseTrack(track.times_s, image, world, track.width, track.height, track.fps, track.source)


def standing(track: PoseTrack) -> np.ndarray:
    """Frames whose knees are both nearly straight (between reps)."""
    return np.asarray(np.nanmax(knee_flexion_deg(track.world), axis=1) < 15.0)


def found(track: PoseTrack) -> np.ndarray:
    pixels = track.pixels()
    return turned_round_frames(pixels, track.world, image_leg_scale(pixels), track.times_s, PARAMS)


def test_the_sides_across_the_image_say_which_way_the_labels_face() -> None:
    front, _ = lunge_track(PLAN, view="front")
    rear, _ = lunge_track(PLAN, view="rear")
    side, _ = lunge_track(PLAN, view="side")
    for track, want in ((front, 1), (rear, -1), (side, 0)):
        pixels = track.pixels()
        assert set(np.unique(across_sign(pixels, image_leg_scale(pixels), 0.1))) == {want}


def test_standing_frames_turned_round_are_found_and_undone() -> None:
    for view in ("front", "rear"):
        track, truth = lunge_track(PLAN, view=view, jitter_m=0.003)
        frames = standing(track)
        wrong = turned(track, frames)
        assert np.array_equal(found(wrong), frames)
        image, world = repair_turned_round(wrong.image, wrong.world, found(wrong))
        assert np.allclose(image, track.image, equal_nan=True)
        assert np.allclose(world, track.world, equal_nan=True)
        # the analysis sees one steady view and the right legs, as on the track read the right way
        before, after = run(wrong), run(track)
        assert after.view == view and before.view == view
        assert legs(before) == [t.leg for t in truth]
        assert before.views[0].confidence > 0.9
        assert before.leg_swaps_repaired >= int(frames.sum())


def test_a_person_who_really_lunges_both_ways_round_is_left_alone() -> None:
    track, _ = lunge_track(PLAN, view="front", jitter_m=0.003)
    # the last rep and everything after it faces away: half the deep frames disagree
    later = track.times_s >= track.times_s[len(track) // 2]
    assert not found(turned(track, later)).any()


def test_nothing_is_turned_without_lunges_or_from_the_side() -> None:
    track, _ = lunge_track(PLAN, view="side", jitter_m=0.003)
    assert not found(turned(track, standing(track))).any()
    still, _ = lunge_track([("right", "reverse", 0.2)], view="front")   # never bends past 50 deg
    assert not found(turned(still, standing(still))).any()


def test_repair_leaves_the_arrays_alone_when_nothing_is_turned() -> None:
    track, _ = lunge_track(PLAN, view="front")
    none = np.zeros(len(track), dtype=bool)
    image, world = repair_turned_round(track.image, track.world, none)
    assert image is track.image and world is track.world
    assert LM["left_hip"] != mirror_index()[LM["left_hip"]]
