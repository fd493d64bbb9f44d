"""The exercise file's optional tuning sections: how reps, legs, views and depth are found
(``rep_detection``), what the mistake detectors share (``finding_detection``) and how the coach
speaks (``coaching``).

Each field's default here is the one place its value is written in Python; the packaged
``reverse_lunge.yaml`` spells every one out with the reason for its value, and the analysis's
parameters (``formcoach.analysis.params.AnalysisParams``) and the findings' rules read them from the
loaded file. See ``docs/exercise-file.md``.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from formcoach.exercise.quantity import Model, field_error


class RepDetection(Model):
    """Settings for finding reps in the depth signal; every field can be overridden in the file."""

    filter_cutoff_hz: float = Field(default=3.0, gt=0)
    max_gap_s: float = Field(default=0.25, ge=0)
    enter_depth: float = Field(default=0.45, gt=0, lt=1)
    exit_depth: float = Field(default=0.2, gt=0, lt=1)
    min_knee_flexion_deg: float = Field(default=40.0, ge=0, le=180)
    min_rep_s: float = Field(default=0.6, gt=0)
    max_rep_s: float = Field(default=12.0, gt=0)
    set_rest_s: float = Field(default=8.0, gt=0)
    # --- optional tuning of rep, leg, view and depth detection (see the packaged files' comments) ---
    full_lunge_drop_frac: float = Field(default=0.5, gt=0, le=1)
    standing_depth: float = Field(default=0.15, gt=0, lt=1)
    bottom_share: float = Field(default=0.95, gt=0, le=1)
    step_margin_s: float = Field(default=0.3, ge=0)
    step_dominance_ratio: float = Field(default=1.5, ge=1)
    onset_min_knee_flexion_deg: float = Field(default=20.0, ge=0)
    onset_min_depth: float = Field(default=0.1, ge=0)
    onset_min_feet_world_legs: float = Field(default=0.1, ge=0)
    onset_min_feet_image_legs: float = Field(default=0.1, ge=0)
    onset_still_share_per_s: float = Field(default=0.1, gt=0)
    phase_depth_to_knee_deg: float = Field(default=90.0, gt=0)
    phase_spread_to_knee_deg: float = Field(default=90.0, ge=0)
    phase_speed_window_s: float = Field(default=0.3, ge=0)
    view_front_max_yaw_deg: float = Field(default=20.0, ge=0, le=180)
    view_front_oblique_max_yaw_deg: float = Field(default=65.0, ge=0, le=180)
    view_side_max_yaw_deg: float = Field(default=115.0, ge=0, le=180)
    view_rear_oblique_max_yaw_deg: float = Field(default=155.0, ge=0, le=180)
    swap_window_s: float = Field(default=0.4, gt=0)
    swap_min_jump_legs: float = Field(default=0.15, ge=0)
    swap_ratio: float = Field(default=0.5, gt=0, le=1)
    held_swap_lag_s: float = Field(default=0.3, gt=0)
    held_swap_min_jump_legs: float = Field(default=0.3, ge=0)
    held_swap_ratio: float = Field(default=0.3, gt=0, le=1)
    held_swap_max_s: float = Field(default=4.0, gt=0)
    turned_deep_knee_deg: float = Field(default=45.0, ge=0, le=180)
    turned_across_legs: float = Field(default=0.1, ge=0)
    turned_agree_share: float = Field(default=0.9, gt=0.5, le=1)
    turned_min_deep_s: float = Field(default=1.0, ge=0)
    attempt_depth: float = Field(default=0.3, gt=0, lt=1)
    cut_start_share: float = Field(default=0.8, gt=0, le=1)
    cut_end_share: float = Field(default=0.5, gt=0, le=1)
    cut_min_seen_lowering_s: float = Field(default=0.3, ge=0)
    cut_edge_window_s: float = Field(default=0.2, ge=0)
    phase_speed_frac: float = Field(default=0.08, gt=0, lt=1)
    phase_pause_s: float = Field(default=0.12, ge=0)
    onset_share: float = Field(default=0.05, gt=0, lt=1)
    moving_share: float = Field(default=0.3, gt=0, lt=1)
    onset_speed_frac: float = Field(default=0.08, gt=0, lt=1)
    cut_jump_legs: float = Field(default=0.3, gt=0)
    min_stretch_s: float = Field(default=1.0, ge=0)
    step_min_legs: float = Field(default=0.1, ge=0)
    walk_travel_legs: float = Field(default=0.25, gt=0)
    walk_scale_change: float = Field(default=0.15, gt=0)
    lateral_stance_frac: float = Field(default=0.7, gt=0, le=1)
    straight_knee_deg: float = Field(default=30.0, ge=0, le=180)
    lateral_min_width_legs: float = Field(default=0.6, ge=0)
    leg_flip_max_confidence: float = Field(default=0.25, ge=0, le=1)
    image_depth_max_yaw_deg: float = Field(default=55.0, ge=0, le=90)
    image_depth_min_stretch_s: float = Field(default=3.0, ge=0)
    world_compressed_ratio: float = Field(default=0.8, gt=0)
    planted_legs_s: float = Field(default=0.25, gt=0)
    planted_window_s: float = Field(default=1.0, gt=0)
    floor_knees_apart_legs: float = Field(default=0.2, gt=0)
    frame_margin: float = Field(default=0.1, ge=0)
    feet_margin: float = Field(default=0.35, ge=0)
    tempo_tolerance_s: float = Field(default=0.15, ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> RepDetection:
        if self.exit_depth >= self.enter_depth:
            raise field_error("exit_depth", "must be below enter_depth (the hysteresis needs a gap)")
        if self.max_rep_s <= self.min_rep_s:
            raise field_error("max_rep_s", "must be above min_rep_s")
        if self.feet_margin < self.frame_margin:
            raise field_error("feet_margin", "must be at least frame_margin")
        if self.moving_share <= self.onset_share:
            raise field_error("moving_share", "must be above onset_share")
        yaw = (self.view_front_max_yaw_deg, self.view_front_oblique_max_yaw_deg, self.view_side_max_yaw_deg,
               self.view_rear_oblique_max_yaw_deg)
        if list(yaw) != sorted(yaw):
            raise field_error("view_front_max_yaw_deg", "the view limits must rise from front to rear")
        return self


class FindingDetection(Model):
    """Settings of the mistake detectors shared by every check; every field is optional."""

    confidence_sigma_deg: float = Field(default=3.0, gt=0)
    confidence_sigma_cm: float = Field(default=1.0, gt=0)
    confidence_sigma_fraction: float = Field(default=0.05, gt=0)
    confidence_sigma_s: float = Field(default=0.15, gt=0)
    deep_frac: float = Field(default=0.5, gt=0, le=1)
    bottom_frac: float = Field(default=0.8, gt=0, le=1)
    peak_pct: float = Field(default=90.0, ge=50, le=100)
    clear_feet_legs: float = Field(default=0.25, ge=0)
    clear_window_s: float = Field(default=0.2, gt=0)
    front_heel_planted_legs_s: float = Field(default=0.5, gt=0)
    heel_hand_clear_legs: float = Field(default=0.35, ge=0)
    heel_toe_still_legs: float = Field(default=0.12, gt=0)
    heel_min_still_frac: float = Field(default=0.5, gt=0, le=1)
    heel_ankle_rise_ratio: float = Field(default=0.68, gt=0, le=1)
    depth_knee_sigma_deg: dict[str, float] = Field(
        default_factory=lambda: {"side": 5.0, "oblique": 10.0, "rear": 27.0, "front": 27.0})
    tempo_sigma_s: dict[str, float] = Field(
        default_factory=lambda: {"side": 0.3, "oblique": 0.6, "rear": 0.45, "front": 0.45})
    baseline_s: float = Field(default=0.5, gt=0)
    top_max_s: float = Field(default=1.5, gt=0)
    wrist_rise_min_legs: float = Field(default=0.06)
    wrist_rise_max_legs: float = Field(default=0.40)
    wrist_sideways_max_legs: float = Field(default=0.25, ge=0)
    wrist_spread_min_ratio: float = Field(default=1.2, ge=0)
    hands_share_min: float = Field(default=0.8, gt=0, le=1)
    hands_width_legs: float = Field(default=0.39, gt=0)
    camera_fov_deg: float = Field(default=65.0, gt=0, lt=180)
    perspective_max_deg: float = Field(default=6.0, ge=0)
    shake_highpass_hz: float = Field(default=5.0, gt=0)
    leg_per_stature: float = Field(default=0.49, gt=0, lt=1)
    default_body_height_m: float = Field(default=1.70, gt=0)
    knee_foot_point_frac: float = Field(default=0.75, ge=0, le=1)
    knee_offset_sigma_cm: float = Field(default=1.0, gt=0)
    knee_forward_slack_cm: float = Field(default=6.0, ge=0)
    view_min_steadiness: float = Field(default=0.5, ge=0, le=1)

    @model_validator(mode="after")
    def _consistent(self) -> FindingDetection:
        if self.wrist_rise_max_legs <= self.wrist_rise_min_legs:
            raise field_error("wrist_rise_max_legs", "must be above wrist_rise_min_legs")
        return self

    def sigma(self, unit: str, other: float) -> float:
        """Typical measurement error in ``unit`` ("deg", "cm", "fraction", "s"); ``other`` for any
        other unit."""
        return float(getattr(self, f"confidence_sigma_{unit}", other))


class Coaching(Model):
    """How the coach speaks between reps; every field is optional."""

    cooldown_reps: int = Field(default=2, ge=0)
