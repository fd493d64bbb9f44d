"""Joint-angle channels over time for a whole session, and the poses they produce.

A rep of a reverse lunge: from standing, the back leg steps back (its foot lands heel-up on the
ball) while the front hip, knee and ankle bend; a hold at the bottom; the rise; the back foot
returns; a pause standing. Every profile is a smoothstep of a piecewise-linear keyframe curve, so
poses and velocities are continuous. The stance and the share of weight on the front leg are
solved per session and per rep on the exact body (see :func:`solve_step` and
:func:`solve_share_offset`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.sim.body import BodyDims, body_dims
from formcoach.sim.landmarks import centre_of_mass, front_share
from formcoach.sim.schedule import RepPlan, plan_reps
from formcoach.sim.session import GOOD_FRONT_SHARE, SessionSpec
from formcoach.sim.skeleton import Channels, Skeleton, build_skeleton

#: Forward lean of pelvis and trunk at the bottom (the guide's hip hinge), degrees.
HINGE_DEG = 22.0
#: Forward lean of the front shank at the bottom, degrees, by lunge type.
SHANK_DEG = {"reverse": 10.0, "forward": 16.0}
#: Bumped whenever a session's movement changes for the same spec (caches of rendered sessions are
#: keyed by it). 2: the front heel lifts in the second half of the descent, not from its start.
MOTION_VERSION = 2
#: Back rear-foot angle to the floor at the bottom, degrees (heel up, weight on the ball).
BACK_PITCH_DEG = 50.0
#: Back knee flexion the automatic step length aims for at the bottom, degrees.
BACK_KNEE_DEG = 95.0
#: Height of the stepping foot at the middle of its swing, metres.
SWING_LIFT_M = 0.06
#: Fraction of the lowering (and of the rise) taken by the step back (and the return).
STEP_FRACTION = 0.7
#: Share of the depth at which a lifting front heel starts to leave the floor: it comes up as the
#: knee travels forward over the foot in the second half of the descent (a smoothstep from here to
#: the bottom), not from the first moment of the step.
HEEL_LIFT_FROM_DEPTH = 0.4
#: Mistake magnitudes applied directly through the channels (the weight share and the hip left
#: bent at the top are realised through the leg and trunk angles instead).
CHANNEL_MISTAKES = ("knee_valgus_deg", "heel_lift_cm", "pelvis_tilt_deg", "hip_drop_deg",
                    "pelvis_rotation_deg", "trunk_lean_deg", "tremor_deg", "sway_cm")


@dataclass(frozen=True)
class Simulation:
    """A simulated session: frame times (s), channels, joints, landmarks (world frame, m), CoM."""

    spec: SessionSpec
    dims: BodyDims
    fps: float
    times_s: np.ndarray
    reps: tuple[RepPlan, ...]
    step_m: float
    channels: Channels
    skeleton: Skeleton
    landmarks: np.ndarray
    com: np.ndarray

    @property
    def duration_s(self) -> float:
        """Length of the session, seconds."""
        return float(self.times_s[-1] + 1.0 / self.fps) if len(self.times_s) else 0.0


def _smooth(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return np.asarray(x * x * (3.0 - 2.0 * x))


def _ramp(t: np.ndarray, keys_s: list[float], values: list[float]) -> np.ndarray:
    return np.asarray(np.interp(t, keys_s, values))


def _envelopes(reps: tuple[RepPlan, ...], t: np.ndarray) -> dict[str, np.ndarray]:
    """Depth d, step progress p and swing bump (0..1 each) over times ``t``, seconds."""
    d, p, swing = (np.zeros_like(t) for _ in range(3))
    for r in reps:
        lower, rise = r.bottom_start_s - r.start_s, r.end_s - r.bottom_end_s
        out_end, back_start = r.start_s + STEP_FRACTION * lower, r.end_s - STEP_FRACTION * rise
        d += _smooth(_ramp(t, [r.start_s, r.bottom_start_s, r.bottom_end_s, r.end_s], [0, 1, 1, 0]))
        p += _smooth(_ramp(t, [r.start_s, out_end, back_start, r.end_s], [0, 1, 1, 0]))
        q_out = _ramp(t, [r.start_s, out_end], [0, 1])
        q_back = _ramp(t, [back_start, r.end_s], [0, 1])
        swing += np.sin(np.pi * q_out) ** 2 + np.sin(np.pi * q_back) ** 2
    return {"d": d, "p": p, "swing": swing}


def _per_frame(reps: tuple[RepPlan, ...], t: np.ndarray) -> np.ndarray:
    """(T,) index of the rep each time belongs to (from its start to the next rep's start)."""
    starts = np.array([r.start_s for r in reps])
    return np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(reps) - 1)


def _wobble(t: np.ndarray, seed: int, low_hz: float, high_hz: float) -> np.ndarray:
    """(T,) deterministic band-limited wobble of unit peak amplitude, from three sines."""
    rng = np.random.default_rng(seed)
    freqs, phases = rng.uniform(low_hz, high_hz, 3), rng.uniform(0, 2 * np.pi, 3)
    wave = np.sin(2 * np.pi * freqs[None, :] * t[:, None] + phases[None, :]).sum(axis=1)
    return np.asarray(wave / 3.0)


def _heel_share(d: np.ndarray) -> np.ndarray:
    """(T,) share of a rep's heel lift at depth share ``d``: 0 until :data:`HEEL_LIFT_FROM_DEPTH`,
    then a smoothstep to 1 at the bottom."""
    x = np.clip((d - HEEL_LIFT_FROM_DEPTH) / (1.0 - HEEL_LIFT_FROM_DEPTH), 0.0, 1.0)
    return np.asarray(x * x * (3.0 - 2.0 * x))


def channels_at(spec: SessionSpec, dims: BodyDims, reps: tuple[RepPlan, ...], step_m: float,
                t: np.ndarray) -> Channels:
    """Channels for the whole session at times ``t`` (seconds); see :class:`Channels`."""
    env = _envelopes(reps, t)
    d, p, swing = env["d"], env["p"], env["swing"]
    idx = _per_frame(reps, t)
    mag = {name: np.array([getattr(r.mistakes, name) for r in reps])[idx] for name in CHANNEL_MISTAKES}
    side = np.array([1.0 if r.leg == "left" else -1.0 for r in reps])[idx]
    depth = np.array([r.depth_deg for r in reps])[idx]
    offset = np.array([r.share_offset_deg for r in reps])[idx]
    keys = [x for r in reps for x in (r.start_s, r.end_s)]
    betas = [0.0] + [r.mistakes.hip_flexion_top_deg for r in reps]
    beta = _ramp(t, keys, [b for i in range(len(reps)) for b in (betas[i], betas[i + 1])])
    shank_b = SHANK_DEG[spec.lunge_type] + offset
    lean_b = HINGE_DEG + mag["trunk_lean_deg"] + offset
    tremor = mag["tremor_deg"] * d * _wobble(t, spec.seed + 1, 6.0, 9.0)
    sway_amp = np.degrees(np.arcsin(np.clip(mag["sway_cm"] / 100.0 / dims.leg_length, 0, 1)))
    forward = spec.lunge_type == "forward"
    return Channels(
        side=side,
        shank_deg=(1 - d) * 0.2 * beta + d * shank_b,
        thigh_deg=(1 - d) * 0.4 * beta + d * (depth - shank_b) + tremor,
        trunk_deg=(1 - d) * 0.6 * beta + d * lean_b,
        valgus_deg=d * mag["knee_valgus_deg"] + 0.4 * tremor,
        heel_lift_m=_heel_share(d) * mag["heel_lift_cm"] / 100.0,
        obliquity_deg=side * (d * mag["pelvis_tilt_deg"] + swing * mag["hip_drop_deg"]),
        yaw_deg=-side * d * mag["pelvis_rotation_deg"],
        sway_deg=d * sway_amp * _wobble(t, spec.seed + 2, 0.3, 0.5),
        back_x_m=-step_m * p,
        back_lift_m=(0.0 if forward else SWING_LIFT_M) * swing,
        back_pitch_deg=p * (0.4 + 0.6 * d) * BACK_PITCH_DEG,
        front_lift_m=(SWING_LIFT_M if forward else 0.0) * swing,
        shift_x_m=(step_m if forward else 0.0) * p,
    )


def _bottom_channels(spec: SessionSpec, n: int, step_m: np.ndarray | float,
                     offset_deg: np.ndarray | float, depth_deg: float, lean_deg: float = 0.0) -> Channels:
    """Channels of ``n`` clean bottom poses (left leg in front) for the stance solvers."""
    one = np.ones(n)
    zero = np.zeros(n)
    shank = SHANK_DEG[spec.lunge_type] + offset_deg * one
    return Channels(side=one, shank_deg=shank, thigh_deg=depth_deg - shank,
                    trunk_deg=HINGE_DEG + lean_deg + offset_deg * one,
                    valgus_deg=zero, heel_lift_m=zero, obliquity_deg=zero, yaw_deg=zero,
                    sway_deg=zero, back_x_m=-step_m * one, back_lift_m=zero,
                    back_pitch_deg=BACK_PITCH_DEG * one, front_lift_m=zero, shift_x_m=zero)


def _knee_flexion(skel: Skeleton, side: str) -> np.ndarray:
    hip, knee, ankle = (skel.points[f"{j}_{side}"] for j in ("hip", "knee", "ankle"))
    a, b = hip - knee, ankle - knee
    cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
    return np.asarray(180.0 - np.degrees(np.arccos(np.clip(cos, -1, 1))))


def solve_step(spec: SessionSpec, dims: BodyDims) -> float:
    """Front toe to back toe at the bottom, metres, so the back knee bends ``BACK_KNEE_DEG`` in a
    clean rep (good weight share); alternates twice with the weight-share solver."""
    if spec.step_length_m is not None:
        return spec.step_length_m
    steps = np.linspace(0.25, 0.7, 91) * dims.shape.height_m
    offset, step = 0.0, 0.0
    for _ in range(2):
        ch = _bottom_channels(spec, len(steps), steps, offset, spec.depth_deg)
        flex = _knee_flexion(build_skeleton(dims, ch, spec.stance_width_m, spec.arms), "r")
        order = np.argsort(flex)
        step = float(np.interp(BACK_KNEE_DEG, flex[order], steps[order]))
        offset = solve_share_offset(spec, dims, step, spec.depth_deg, GOOD_FRONT_SHARE)
    return step


def solve_share_offset(spec: SessionSpec, dims: BodyDims, step_m: float, depth_deg: float,
                       share: float, lean_deg: float = 0.0) -> float:
    """Degrees added to the front shank's and the trunk's lean at the bottom for the given share.

    Leaning the shank and trunk forward moves the centre of mass towards the front foot; the
    offset is found on a grid of exact bottom poses and interpolated.
    """
    offsets = np.linspace(-30.0, 30.0, 121)
    ch = _bottom_channels(spec, len(offsets), step_m, offsets, depth_deg, lean_deg)
    skel = build_skeleton(dims, ch, spec.stance_width_m, spec.arms)
    got = front_share(centre_of_mass(skel, dims), skel.points["heel_l"], skel.points["toe_l"],
                      skel.points["toe_r"])
    order = np.argsort(got)
    return float(np.interp(share, got[order], offsets[order]))


def simulate(spec: SessionSpec, fps: float = 30.0) -> Simulation:
    """Simulate ``spec`` sampled at ``fps`` frames per second (timestamps k / fps seconds)."""
    from formcoach.sim.landmarks import landmarks_world

    if not 1.0 <= fps <= 240.0:
        raise ValueError(f"fps must be 1..240, got {fps}")
    dims = body_dims(spec.body)
    step = solve_step(spec, dims)
    reps = plan_reps(spec, lambda depth, m: solve_share_offset(spec, dims, step, depth,
                                                              m.front_weight_share, m.trunk_lean_deg))
    total_s = reps[-1].end_s + reps[-1].top_s + spec.lead_out_s
    times = np.arange(int(np.ceil(total_s * fps))) / fps
    ch = channels_at(spec, dims, reps, step, times)
    skel = build_skeleton(dims, ch, spec.stance_width_m, spec.arms)
    return Simulation(spec, dims, fps, times, reps, step, ch, skel, landmarks_world(skel, dims),
                      centre_of_mass(skel, dims))
