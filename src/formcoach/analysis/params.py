"""Every number the rep analysis uses, in one typed, frozen object with units in the names.

The values come from the exercise file (``formcoach.exercise``) at the edge of the program. The
``rep_detection`` fields take their defaults from the exercise schema
(:class:`formcoach.exercise.tuning.RepDetection`), the one place those values are written in Python;
the packaged ``reverse_lunge.yaml`` gives the reason for each. Inner functions take the fields they
need as explicit arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

import numpy as np

from formcoach.exercise.tuning import RepDetection

if TYPE_CHECKING:
    from formcoach.exercise import Exercise

#: the exercise file's ``rep_detection`` defaults: the one place their values are written
_FILE = RepDetection()


@dataclass(frozen=True)
class AnalysisParams:
    """Parameters of signal filtering, rep segmentation, sets and tempo checks.

    Depth is the drop of the hips below their standing height as a share of a full lunge's drop
    (half the standing hip height, thigh level): 0 standing, about 1 at the bottom of a full lunge.
    Lengths are in leg lengths (hip to ankle of the person's own body), times in seconds, angles
    in degrees.
    """

    exercise: str = "reverse_lunge"
    #: the lunge the exercise file prescribes ("reverse", "forward", ...)
    lunge_type: str = "reverse"
    # --- prescription (exercise file) ---
    sets: int = 2
    reps_per_side: int = 8
    rest_between_sets_s: float = 60.0
    # --- tempo (exercise file) ---
    lowering_s_min: float = 2.0
    lowering_s_target: float = 3.0
    rise_s_min: float = 0.75
    rise_s_max: float = 2.0
    # --- rep detection (exercise file) ---
    #: zero-phase Butterworth low-pass cut-off: a rep lasts 1-5 s, so the movement sits well below
    #: 2 Hz; 3 Hz keeps the turn at the bottom while removing most pose jitter (the usual practice
    #: for human movement, e.g. Winter, Biomechanics and Motor Control of Human Movement, 2009)
    filter_cutoff_hz: float = _FILE.filter_cutoff_hz
    #: dropouts up to this long are bridged by linear interpolation; longer ones split the video
    max_gap_s: float = _FILE.max_gap_s
    #: hysteresis: a rep begins when depth rises above enter_depth ...
    enter_depth: float = _FILE.enter_depth
    #: ... and ends when depth falls back below exit_depth
    exit_depth: float = _FILE.exit_depth
    #: the front knee must bend at least this much at the bottom for a rep to count (not checked
    #: where the depth came from the image: world landmarks that miss the movement along the
    #: camera's axis read a 90 deg knee as 15-50 deg)
    min_knee_flexion_deg: float = _FILE.min_knee_flexion_deg
    min_rep_s: float = _FILE.min_rep_s
    max_rep_s: float = _FILE.max_rep_s
    #: a pause longer than this between reps starts a new set
    set_rest_s: float = _FILE.set_rest_s
    # --- further rep analysis settings (exercise file rep_detection, optional) ---
    #: a dip that reaches this depth but not enter_depth, or is cut off, is an attempt
    attempt_depth: float = _FILE.attempt_depth
    #: a rep whose footage starts (a stretch's edge, its start unseen) while the hips are past this
    #: share of its depth is cut off, not counted ...
    cut_start_share: float = _FILE.cut_start_share
    #: ... or that is seen going down for less than this many seconds, ...
    cut_min_seen_lowering_s: float = _FILE.cut_min_seen_lowering_s
    #: ... as is one whose footage stops while they are still past this share ...
    cut_end_share: float = _FILE.cut_end_share
    #: ... the hips' depth at the edge being the median over this many seconds of the stretch's
    #: first or last frames (a first frame from the detector can be off)
    cut_edge_window_s: float = _FILE.cut_edge_window_s
    #: the bottom phase's edges: where the knees' speed stays below this share of the phase's
    #: peak speed ...
    phase_speed_frac: float = _FILE.phase_speed_frac
    #: ... for at least this long, seconds (shorter dips of the speed are jitter)
    phase_pause_s: float = _FILE.phase_pause_s
    #: a rep starts where its movement (the most advanced of the knees, the hips and the feet's
    #: spread, each as a share of the way from its standing level to the bottom) last leaves
    #: standing, and ends where it is back: this share of the way (0.05: above the filtered
    #: jitter of the pose model, yet reached early in a smooth 3 s lowering)
    onset_share: float = _FILE.onset_share
    #: ... last leaving it before the movement passes this share on its way to the bottom (and
    #: first coming back after it passes it on the way up), so that a bump while standing cannot
    #: start the rep early
    moving_share: float = _FILE.moving_share
    #: ... and the exact edge lies where, going back from that share towards standing, the
    #: movement's speed drops below this share of its fastest (or its progress to 0): a threshold
    #: alone would come late by a tenth of a smooth lowering
    onset_speed_frac: float = _FILE.onset_speed_frac
    #: hips that move more than this many leg lengths within 0.1 s mark a camera cut or the pose
    #: model jumping to someone else (real hips move less than about 0.25 leg lengths in 0.1 s)
    cut_jump_legs: float = _FILE.cut_jump_legs
    #: footage between two cuts or gaps shorter than this is a glitch and is ignored
    min_stretch_s: float = _FILE.min_stretch_s
    #: a foot that moves more than this many leg lengths during a phase has stepped
    step_min_legs: float = _FILE.step_min_legs
    #: hips that travel further than this over a rep (image, leg lengths) make it a walking lunge
    walk_travel_legs: float = _FILE.walk_travel_legs
    #: ... and so does the trunk's image length changing by more than this share over a rep
    walk_scale_change: float = _FILE.walk_scale_change
    #: a rep whose feet are further apart sideways than this share of their separation is lateral
    lateral_stance_frac: float = _FILE.lateral_stance_frac
    #: ... and the other knee is bent less than this (in a lunge both knees bend 60-110 deg)
    straight_knee_deg: float = _FILE.straight_knee_deg
    #: ... and the feet are at least this many leg lengths apart along the hip line (lateral lunges
    #: measure 1.0-1.4; lunges 0.2-0.3, but seen from the front or rear the world landmarks shrink
    #: their step so much that the stance alone can look sideways)
    lateral_min_width_legs: float = _FILE.lateral_min_width_legs
    #: a rep whose front leg was called with less confidence than this, and whose other leg would
    #: make it the session's lunge (forward or reverse), takes that leg
    #: (:func:`~formcoach.analysis.reps.agree_lunge_types`)
    leg_flip_max_confidence: float = _FILE.leg_flip_max_confidence
    # --- depth from the image (formcoach.analysis.depth) ---
    #: the image depth may replace the world depth only when the person faces the camera or away
    #: from it within this many degrees: the front, rear and 45-degree views, where a lunge moves the
    #: legs along the camera's axis, which the world landmarks can miss; from the side they see it
    image_depth_max_yaw_deg: float = _FILE.image_depth_max_yaw_deg
    #: ... and only in stretches of video at least this long, seconds: the image depth's standing
    #: height is the stretch's tallest, which a fragment may never show
    image_depth_min_stretch_s: float = _FILE.image_depth_min_stretch_s
    #: ... and only when the world depth's deepest dips (98th percentile) stay below enter_depth,
    #: so that the world landmarks see no lunge at all, and reach less than this share of the image
    #: depth's. Where the world landmarks see the lunge the two agree within about a third (the
    #: image reads high or low with the camera's height and distance, and a forward lunge seen
    #: along the camera's axis moves the front foot's floor in the image), while on the rendered
    #: front and rear sessions the world misses a third to three quarters of it
    #: (ratios 0.2-0.65)
    world_compressed_ratio: float = _FILE.world_compressed_ratio
    #: a foot is planted, and can be the floor the image depth is measured from, while its ankle's
    #: net image speed over planted_window_s (how far it got, not how far it wandered) stays below
    #: this, leg lengths per second: a step of 0.5-1 leg lengths within a second gets at least 0.5 at
    #: its middle even seen along the camera's axis, a planted ankle nowhere however the pose model
    #: jitters about it
    planted_legs_s: float = _FILE.planted_legs_s
    #: ... seconds: about one step, so that the back foot, once it has stepped, does not count as
    #: planted at the start of its rise
    planted_window_s: float = _FILE.planted_window_s
    #: with both feet planted and the knees more than this apart in the image, leg lengths, the
    #: carrying foot is the one under the higher knee (the back knee nears the floor); closer, the
    #: front foot is told by the view (the nearer foot from the front, the further from behind)
    floor_knees_apart_legs: float = _FILE.floor_knees_apart_legs
    #: lower-body landmarks further than this outside the image make a frame unusable
    frame_margin: float = _FILE.frame_margin
    #: ankles further than ``frame_margin`` but no further than this outside the image (the feet cut
    #: off by the frame's edge, the pose model guessing where they are): the frame still counts reps,
    #: but a rep with such frames is not judged (:attr:`formcoach.analysis.reps.Rep.feet_seen`)
    feet_margin: float = _FILE.feet_margin
    #: tolerance around the tempo limits before a phase is called fast or slow
    tempo_tolerance_s: float = _FILE.tempo_tolerance_s
    # --- rep, leg, view and depth detection (exercise file ``rep_detection``; values and reasons
    # there, defaults in formcoach.exercise.schema.RepDetection) ---
    #: a full lunge drops the hips by this share of their standing height (thigh level): depth 1
    full_lunge_drop_frac: float = _FILE.full_lunge_drop_frac
    #: frames shallower than this depth are standing (they measure the person's size in the image)
    standing_depth: float = _FILE.standing_depth
    #: frames within this share of the deepest depth make up the bottom of a rep
    bottom_share: float = _FILE.bottom_share
    #: the feet's steps are measured from this long before the rep to this long after it, seconds
    step_margin_s: float = _FILE.step_margin_s
    #: a foot stepped when it moved this many times further than the other
    step_dominance_ratio: float = _FILE.step_dominance_ratio
    #: smallest change from standing to the bottom for each movement signal to time a rep on
    onset_min_knee_flexion_deg: float = _FILE.onset_min_knee_flexion_deg
    onset_min_depth: float = _FILE.onset_min_depth
    onset_min_feet_world_legs: float = _FILE.onset_min_feet_world_legs
    onset_min_feet_image_legs: float = _FILE.onset_min_feet_image_legs
    #: a movement signal is still while it changes by less than this share of its range per second
    onset_still_share_per_s: float = _FILE.onset_still_share_per_s
    #: where the depth came from the image, the bottom phase is timed on depth and the feet's image
    #: spread scaled to knee degrees by these (degrees per depth unit, per leg length)
    phase_depth_to_knee_deg: float = _FILE.phase_depth_to_knee_deg
    phase_spread_to_knee_deg: float = _FILE.phase_spread_to_knee_deg
    #: the phase signal's speed is taken over this window, seconds
    phase_speed_window_s: float = _FILE.phase_speed_window_s
    #: |facing yaw| limits of the views: front, front-oblique, side, rear-oblique (beyond: rear)
    view_front_max_yaw_deg: float = _FILE.view_front_max_yaw_deg
    view_front_oblique_max_yaw_deg: float = _FILE.view_front_oblique_max_yaw_deg
    view_side_max_yaw_deg: float = _FILE.view_side_max_yaw_deg
    view_rear_oblique_max_yaw_deg: float = _FILE.view_rear_oblique_max_yaw_deg
    #: brief leg swaps (formcoach.analysis.view.swapped_frames)
    swap_window_s: float = _FILE.swap_window_s
    swap_min_jump_legs: float = _FILE.swap_min_jump_legs
    swap_ratio: float = _FILE.swap_ratio
    #: held leg swaps (formcoach.analysis.view.held_swap_frames)
    held_swap_lag_s: float = _FILE.held_swap_lag_s
    held_swap_min_jump_legs: float = _FILE.held_swap_min_jump_legs
    held_swap_ratio: float = _FILE.held_swap_ratio
    held_swap_max_s: float = _FILE.held_swap_max_s
    #: the whole body turned round while standing (formcoach.analysis.facing.turned_round_frames)
    turned_deep_knee_deg: float = _FILE.turned_deep_knee_deg
    turned_across_legs: float = _FILE.turned_across_legs
    turned_agree_share: float = _FILE.turned_agree_share
    turned_min_deep_s: float = _FILE.turned_min_deep_s

    @property
    def yaw_limits_deg(self) -> tuple[float, float, float, float]:
        """|yaw| limits in degrees of the front, front-oblique, side and rear-oblique views."""
        return (self.view_front_max_yaw_deg, self.view_front_oblique_max_yaw_deg, self.view_side_max_yaw_deg,
                self.view_rear_oblique_max_yaw_deg)

    @property
    def onset_min_range(self) -> np.ndarray:
        """(4,) smallest change of the knees (deg), depth, world and image feet spread (leg lengths)."""
        return np.array([self.onset_min_knee_flexion_deg, self.onset_min_depth,
                         self.onset_min_feet_world_legs, self.onset_min_feet_image_legs])

    def __post_init__(self) -> None:
        positive = ("filter_cutoff_hz", "max_rep_s", "min_rep_s", "enter_depth", "set_rest_s",
                    "planted_legs_s", "planted_window_s", "floor_knees_apart_legs",
                    "world_compressed_ratio")
        for name in positive:
            value = getattr(self, name)
            if not value > 0:
                raise ValueError(f"{name} must be positive, got {value!r}")
        if not 0 < self.exit_depth < self.enter_depth:
            raise ValueError(f"exit_depth must be between 0 and enter_depth ({self.enter_depth}), "
                             f"got {self.exit_depth!r}")
        if not 0 <= self.image_depth_max_yaw_deg <= 90:
            raise ValueError("image_depth_max_yaw_deg must be between 0 and 90, "
                             f"got {self.image_depth_max_yaw_deg!r}")
        if not 0 < self.onset_share < self.moving_share < 1:
            raise ValueError("onset_share and moving_share must satisfy 0 < onset_share < moving_share < 1, "
                             f"got {self.onset_share!r} and {self.moving_share!r}")
        if self.min_rep_s >= self.max_rep_s:
            raise ValueError(f"min_rep_s ({self.min_rep_s}) must be below max_rep_s ({self.max_rep_s})")

    @classmethod
    def from_exercise(cls, exercise: Exercise, **overrides: Any) -> AnalysisParams:
        """Build the parameters from a loaded exercise (``formcoach.exercise.load_exercise``).

        Reads ``prescription``, ``tempo``, ``rep_detection``, ``lunge_type`` and the exercise's id;
        a field the exercise lacks keeps its default. ``overrides`` win over both.
        """
        values: dict[str, Any] = {}
        names = {f.name for f in fields(cls)}
        for section in ("prescription", "tempo", "rep_detection"):
            obj = getattr(exercise, section, None)
            for name in names:
                if obj is not None and hasattr(obj, name):
                    values[name] = getattr(obj, name)
        for attr in ("id", "name", "key", "slug"):
            value = getattr(exercise, attr, None)
            if isinstance(value, str) and value:
                values["exercise"] = value
                break
        lunge_type = getattr(exercise, "lunge_type", None)
        if lunge_type is not None:
            values["lunge_type"] = str(getattr(lunge_type, "value", lunge_type))
        return replace(cls(), **{**values, **overrides})
