"""The landmarks as every later stage measures them, prepared once per analysis.

:func:`measure` undoes a mirror image, repairs brief leg swaps, computes the rep analysis's
:class:`~formcoach.analysis.signals.Features` and gap-fills and low-passes the landmarks within the
usable stretches (:class:`Prepared`). The rep analysis, the findings, the report's plots and the
annotated video all read this one :class:`Measured`; nothing downstream flips, repairs or smooths
the track again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from formcoach.analysis.facing import repair_turned_round, turned_round_frames
from formcoach.analysis.params import AnalysisParams
from formcoach.analysis.segment import labelled_runs
from formcoach.analysis.signals import (
    Features,
    compute_features,
    image_leg_scale,
    leg_lengths,
    smooth_stretches,
)
from formcoach.analysis.view import ViewSpan, repair_leg_swaps, view_spans
from formcoach.track import PoseTrack


@dataclass(frozen=True)
class Prepared:
    """Landmarks ready for measuring: mirroring undone, leg swaps repaired, gap-filled and filtered.

    Attributes:
        times_s: (T,) seconds.
        world: (T, 33, 3) metres, MediaPipe world axes, NaN outside usable stretches.
        pixels: (T, 33, 2) image positions, pixels, filtered.
        scale_px: (T,) image leg length, pixels (median of the frame's stretch).
        leg_length_m: the person's hip-knee-ankle length in the world landmarks, metres.
        fps: the track's nominal frame rate.
        max_gap_s: the longest gap bridged, seconds (what :attr:`world_raw` may still be filled over).
        usable: (T,) bool, the frame lies in a usable stretch.
        source_world: (T, 33, 3) the track's world landmarks, metres, unfiltered and unmasked (the
            track's own array, not a copy).
        source_visibility: (T, 33) the track's BlazePose visibility, 0..1 (a view of the track).
        frame_px: the frame's (width, height), pixels; NaN when unknown.
        relabelled: (T,) bool, frames the pose model read the whole person the wrong way round on,
            relabelled (:mod:`formcoach.analysis.facing`); None when there were none.

    The unfiltered landmarks stay the track's own arrays plus the ``usable`` mask rather than masked
    copies: on a 10-minute video each copy would hold tens of megabytes for the whole run.
    """

    times_s: np.ndarray
    world: np.ndarray
    pixels: np.ndarray
    scale_px: np.ndarray
    leg_length_m: float
    fps: float
    max_gap_s: float
    usable: np.ndarray
    source_world: np.ndarray
    source_visibility: np.ndarray
    frame_px: tuple[float, float] = (math.nan, math.nan)
    relabelled: np.ndarray | None = None

    @property
    def world_raw(self) -> np.ndarray:
        """(T, 33, 3) world landmarks, metres, NaN outside the usable stretches, not low-passed (for
        the knee's shake); a new array on every call."""
        return np.where(self.usable[:, None, None], self.source_world, np.nan)

    def visibility(self, frames: np.ndarray, landmarks: np.ndarray) -> np.ndarray:
        """(len(frames), len(landmarks)) BlazePose visibility, 0..1, of those frame and landmark
        indices; NaN on frames outside the usable stretches."""
        vis = self.source_visibility[np.ix_(frames, landmarks)]
        return np.where(self.usable[frames][:, None], vis, np.nan)


@dataclass(frozen=True)
class Measured:
    """What one analysis measured its track from.

    Attributes:
        track: the track as the person's own left and right: mirror image undone when the footage
            was one, the body turned round while standing and brief leg swaps repaired; not filtered.
        mirrored: the footage was a mirror image (``track`` is flipped back from it).
        leg_swaps_repaired: frames whose leg labels were swapped back (alone, or with the whole body's).
        features: the rep analysis's signals; None for a track under two frames.
        landmarks: ``track``'s landmarks gap-filled and low-passed within the usable stretches; None
            for a track under two frames.
        views: the camera view over each usable stretch (the body's facing read from the world
            landmarks with the mirror image and the body turned round undone, before the leg-swap
            repair).
    """

    track: PoseTrack
    mirrored: bool
    leg_swaps_repaired: int
    features: Features | None
    landmarks: Prepared | None
    views: tuple[ViewSpan, ...] = ()

    def video_track(self) -> PoseTrack:
        """``track`` with its image landmarks placed where they appear in the video as filmed (x
        flipped back for a mirror image) but labelled as the person's own left and right: what the
        report's stills and the annotated video draw."""
        if not self.mirrored:
            return self.track
        image = self.track.image.copy()
        image[:, :, 0] = 1.0 - image[:, :, 0]
        t = self.track
        return PoseTrack(t.times_s, image, t.world, t.width, t.height, t.fps, t.source, t.meta)

    def flexion_deg(self) -> tuple[np.ndarray, np.ndarray]:
        """(T, 2) knee and (T, 2) hip flexion of the person's left and right leg, degrees (0 =
        straight), as the rep analysis measured them, for showing: the knees NaN on frames whose feet
        were out of the picture (their angle needs the ankle the pose model only guessed there); NaN
        for a track under two frames."""
        if self.features is None:
            nan = np.full((len(self.track), 2), np.nan)
            return nan, nan.copy()
        feat = self.features
        cut = (feat.stretch >= 0) & ~feat.feet_in_view
        return np.where(cut[:, None], np.nan, feat.knee_flexion_deg), feat.hip_flexion_deg


def turned_back_track(track: PoseTrack, params: AnalysisParams) -> tuple[PoseTrack, np.ndarray]:
    """``track`` with the frames where the pose model turned the whole body round relabelled
    (``params.turned_*``, :mod:`formcoach.analysis.facing`), and those frames ((T,) bool)."""
    pixels = track.pixels()
    scale = image_leg_scale(pixels)
    turned = turned_round_frames(pixels, track.world, np.where(scale > 0, scale, np.nan), track.times_s,
                                 params)
    if not turned.any():
        return track, turned
    image, world = repair_turned_round(track.image, track.world, turned)
    return PoseTrack(track.times_s, image, world, track.width, track.height, track.fps, track.source,
                     track.meta), turned


def repaired_track(track: PoseTrack, params: AnalysisParams) -> tuple[PoseTrack, int]:
    """``track`` with leg swaps repaired (``params.swap_*``, ``params.held_swap_*``), and the number of
    frames repaired."""
    image, world, repaired = repair_leg_swaps(track.image, track.world, track.times_s,
                                              (track.width, track.height), image_leg_scale(track.pixels()),
                                              params)
    fixed = PoseTrack(track.times_s, image, world, track.width, track.height, track.fps, track.source,
                      track.meta)
    return fixed, repaired


def track_features(track: PoseTrack, params: AnalysisParams) -> Features:
    """The rep analysis's signals of a track whose left and right are already the person's own."""
    return compute_features(track, params)


def _stretch_scale(chain: np.ndarray, spans: np.ndarray, standing: np.ndarray) -> np.ndarray:
    """(T,) per stretch, the median image leg length of its standing frames (else its 90th percentile:
    with no standing frame, the most extended legs, since foreshortening reads short)."""
    scale = np.full(len(chain), np.nan)
    for start, stop in spans:
        part = chain[start:stop]
        stand = part[standing[start:stop]]
        if np.isfinite(stand).any():
            scale[start:stop] = np.nanmedian(stand)
        elif np.isfinite(part).any():
            scale[start:stop] = np.nanpercentile(part, 90)
    return scale


def smooth_landmarks(track: PoseTrack, feat: Features, *, cutoff_hz: float, max_gap_s: float,
                     standing_depth: float, relabelled: np.ndarray | None = None) -> Prepared:
    """``track``'s landmarks (left and right already the person's own) within the rep analysis's
    usable stretches (``feat.stretch``), gap-filled (gaps up to ``max_gap_s`` seconds) and low-passed
    (``cutoff_hz`` Hz) per stretch; ``relabelled``: (T,) bool, the frames the pose model read the
    wrong way round (kept as :attr:`Prepared.relabelled`; None or all False: none)."""
    usable = feat.stretch >= 0
    spans = labelled_runs(feat.stretch)
    times = track.times_s
    world_f = smooth_stretches(times, np.where(usable[:, None, None], track.world, np.nan), spans, cutoff_hz,
                               max_gap_s)
    size = np.array([track.width, track.height], dtype=track.image.dtype)  # float32 stays float32
    pix_f = smooth_stretches(times, np.where(usable[:, None, None], track.image[:, :, :2] * size, np.nan),
                             spans, cutoff_hz, max_gap_s)
    standing = np.nan_to_num(feat.depth, nan=1.0) < standing_depth
    return Prepared(times_s=times, world=world_f, pixels=pix_f,
                    scale_px=_stretch_scale(leg_lengths(pix_f), spans, standing),
                    leg_length_m=feat.leg_length_m, fps=track.fps, max_gap_s=max_gap_s, usable=usable,
                    source_world=track.world, source_visibility=track.image[:, :, 3],
                    frame_px=(float(track.width), float(track.height)),
                    relabelled=relabelled if relabelled is not None and relabelled.any() else None)


def measure(track: PoseTrack, params: AnalysisParams, *, mirrored: bool = False) -> Measured:
    """Prepare ``track`` once for the whole analysis (see the module docstring).

    Args:
        track: the pose track as filmed.
        params: the analysis's numbers (filter cut-off in Hz, longest gap bridged in seconds, ...).
        mirrored: the footage is a mirror image (a selfie camera): left and right are swapped back.
    """
    unmirrored = track.mirrored() if mirrored else track
    if len(track) < 2:
        return Measured(unmirrored, mirrored, 0, None, None)
    unturned, turned = turned_back_track(unmirrored, params)
    fixed, repaired = repaired_track(unturned, params)
    feat = track_features(fixed, params)
    landmarks = smooth_landmarks(fixed, feat, cutoff_hz=params.filter_cutoff_hz, max_gap_s=params.max_gap_s,
                                 standing_depth=params.standing_depth, relabelled=turned)
    views = view_spans(unturned.times_s, unturned.world, feat.stretch, params.yaw_limits_deg)
    return Measured(fixed, mirrored, repaired + int(turned.sum()), feat, landmarks, tuple(views))
