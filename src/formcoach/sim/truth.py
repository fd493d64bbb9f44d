"""Ground truth of a simulation: the exact pose track seen by a camera, and per-rep answers.

The exact track follows MediaPipe's conventions: image landmarks x, y normalised to the frame,
z the depth relative to the hips' midpoint on the scale of x, visibility 1; world landmarks in
metres, hips-centred, with axes along the camera's (x right, y down, z away from the camera).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from formcoach.sim.camera import PlacedCamera
from formcoach.sim.landmarks import centre_of_mass, front_share, landmarks_world
from formcoach.sim.motion import Simulation, channels_at
from formcoach.sim.skeleton import Skeleton, build_skeleton, frontal_angle
from formcoach.track import LM, PoseTrack

TRUTH_FORMAT = "formcoach.sim_truth"
TRUTH_VERSION = 1


def exact_track(sim: Simulation, placed: PlacedCamera) -> PoseTrack:
    """The simulated landmarks as a :class:`PoseTrack` seen by ``placed`` (source "simulator")."""
    cam = placed.camera
    world = sim.landmarks
    mid = 0.5 * (world[:, LM["left_hip"]] + world[:, LM["right_hip"]])
    pix = placed.project(world)
    mid_z = placed.to_camera(mid)[:, 2]
    image = np.empty((*world.shape[:2], 4))
    image[..., 0] = pix[..., 0] / cam.width
    image[..., 1] = pix[..., 1] / cam.height
    image[..., 2] = (pix[..., 2] - mid_z[:, None]) * placed.focal_px / mid_z[:, None] / cam.width
    image[..., 3] = 1.0
    rel = (world - mid[:, None, :]) @ placed.rotation.T
    return PoseTrack(sim.times_s, image, rel, cam.width, cam.height, sim.fps, "simulator",
                     {"view": cam.view, "synthetic": True})


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """(N,) angle at b between b->a and b->c, degrees."""
    u, v = a - b, c - b
    cos = np.sum(u * v, axis=-1) / (np.linalg.norm(u, axis=-1) * np.linalg.norm(v, axis=-1))
    return np.asarray(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def knee_flexion(points: dict[str, np.ndarray], side: str) -> np.ndarray:
    """(N,) knee flexion of one leg ('l' or 'r'), degrees (0 = straight)."""
    return 180.0 - _angle(points[f"hip_{side}"], points[f"knee_{side}"], points[f"ankle_{side}"])


def hip_flexion(points: dict[str, np.ndarray], side: str) -> np.ndarray:
    """(N,) hip flexion of one leg, degrees: the thigh against the line from mid-shoulder to mid-hip."""
    shoulders = 0.5 * (points["shoulder_l"] + points["shoulder_r"])
    hips = 0.5 * (points["hip_l"] + points["hip_r"])
    up = shoulders - hips
    return 180.0 - _angle(points[f"hip_{side}"] + up, points[f"hip_{side}"], points[f"knee_{side}"])


def _skeleton_at(sim: Simulation, times: np.ndarray) -> Skeleton:
    ch = channels_at(sim.spec, sim.dims, sim.reps, sim.step_m, np.asarray(times, dtype=np.float64))
    return build_skeleton(sim.dims, ch, sim.spec.stance_width_m, sim.spec.arms)


def knee_over_foot_cm(bottom: dict[str, np.ndarray], standing: dict[str, np.ndarray], side: str) -> float:
    """The knee's sideways offset from the foot's line at the bottom (the foot points along the
    world's x), less its offset from its own ankle when standing, cm; + = towards the other leg."""
    medial = -1.0 if side == "l" else 1.0
    at_bottom = bottom[f"knee_{side}"][0, 1] - bottom[f"toe_{side}"][0, 1]
    at_stand = standing[f"knee_{side}"][0, 1] - standing[f"ankle_{side}"][0, 1]
    return float(100 * medial * (at_bottom - at_stand))


def _measured(sim: Simulation) -> list[dict[str, float]]:
    """Magnitudes measured on the exact body at each rep's bottom and at its top."""
    bottoms = _skeleton_at(sim, np.array([r.bottom_s for r in sim.reps]))
    tops = _skeleton_at(sim, np.array([r.end_s + 0.5 * r.top_s for r in sim.reps]))
    standing = _skeleton_at(sim, np.array([0.0]))
    com = centre_of_mass(bottoms, sim.dims)
    out = []
    p = bottoms.points
    for i, rep in enumerate(sim.reps):
        f, b = ("l", "r") if rep.leg == "left" else ("r", "l")
        one = {k: v[i:i + 1] for k, v in p.items()}
        sign = 1.0 if f == "l" else -1.0
        share = front_share(com[i:i + 1], one[f"heel_{f}"], one[f"toe_{f}"], one[f"toe_{b}"])
        out.append({
            "depth_deg": float(knee_flexion(one, f)[0]),
            "back_knee_deg": float(knee_flexion(one, b)[0]),
            "knee_valgus_deg": float(frontal_angle(one[f"hip_{f}"], one[f"knee_{f}"], one[f"ankle_{f}"],
                                                   np.array([sign]))[0]),
            "knee_over_foot_cm": knee_over_foot_cm(one, standing.points, f),
            "front_weight_share": float(share[0]),
            "heel_lift_cm": float(100 * (one[f"heel_{f}"][0, 2] - standing.points[f"heel_{f}"][0, 2])),
            "hip_flexion_top_deg": float(hip_flexion({k: v[i:i + 1] for k, v in tops.points.items()}, f)[0]),
            "front_hip_flexion_deg": float(hip_flexion(one, f)[0]),
        })
    return out


def truth_dict(sim: Simulation, placed: PlacedCamera | None = None) -> dict[str, Any]:
    """The ground truth as a JSON-ready dict (format ``formcoach.sim_truth`` version 1).

    Per rep: index, set, leg (the front, working leg, by the athlete's own side), start/bottom/
    end and phase durations in seconds, whether mistakes were applied, the requested magnitudes
    and the same quantities measured on the exact body (``measured``).
    """
    spec = sim.spec
    reps = []
    for rep, measured in zip(sim.reps, _measured(sim), strict=True):
        reps.append({
            "index": rep.index, "set": rep.set_index, "leg": rep.leg, "complete": True,
            "start_s": round(rep.start_s, 4), "bottom_s": round(rep.bottom_s, 4),
            "end_s": round(rep.end_s, 4), "lowering_s": round(rep.lowering_s, 4),
            "bottom_hold_s": round(rep.bottom_end_s - rep.bottom_start_s, 4),
            "rise_s": round(rep.rise_s, 4), "top_s": round(rep.top_s, 4),
            "faulty": rep.faulty, "requested": {"depth_deg": round(rep.depth_deg, 3),
                                                **rep.mistakes.as_dict()},
            "measured": {k: round(v, 4) for k, v in measured.items()},
        })
    sets = [{"index": s, "left": sum(r.set_index == s and r.leg == "left" for r in sim.reps),
             "right": sum(r.set_index == s and r.leg == "right" for r in sim.reps)}
            for s in range(spec.sets)]
    out: dict[str, Any] = {
        "format": TRUTH_FORMAT, "version": TRUTH_VERSION, "synthetic": True,
        "exercise": "reverse_lunge", "lunge_type": spec.lunge_type, "fps": sim.fps,
        "duration_s": round(sim.duration_s, 4), "frames": len(sim.times_s), "seed": spec.seed,
        "body": {"height_m": spec.body.height_m, "sex": spec.body.sex, "mass_kg": round(sim.dims.mass_kg, 2),
                 "leg_length_m": round(sim.dims.leg_length, 4)},
        "step_length_m": round(sim.step_m, 4), "stance_width_m": spec.stance_width_m,
        "reps": reps, "sets": sets,
    }
    if placed is not None:
        cam = placed.camera
        out["camera"] = {"view": cam.view, "side": cam.side, "width": cam.width, "height": cam.height,
                         "hfov_deg": cam.hfov_deg, "height_m": cam.height_m,
                         "centre_m": [round(float(v), 4) for v in placed.centre]}
    return out


def world_landmarks(sim: Simulation) -> np.ndarray:
    """(T, 33, 3) landmarks in the simulator's own world frame (x forward, y left, z up), metres."""
    return landmarks_world(sim.skeleton, sim.dims)
