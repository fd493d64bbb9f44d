"""The athlete's body as shaded primitives: tapered capsules for limbs, ellipsoids for the rest.

Sizes are fractions of stature (girths scaled by ``BodyShape.build``); colours come from the
session's :class:`~formcoach.sim.session.Appearance`. Everything is in the simulator's world
frame (metres), vectorised over frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from formcoach.sim.body import BodyDims
from formcoach.sim.landmarks import FACE_POINTS
from formcoach.sim.session import Appearance
from formcoach.sim.skeleton import Skeleton, apply, unit

Colour = tuple[int, int, int]
EYE: Colour = (35, 28, 28)
MOUTH: Colour = (165, 80, 80)
SOLE: Colour = (245, 240, 230)


@dataclass(frozen=True)
class Figure:
    """Primitives over T frames.

    cone_a, cone_b: (T, K, 3) end centres of K round cones; cone_r: (K, 2) end radii (m);
    cone_rgb: (K, 3) colours. ell_centre: (T, E, 3); ell_axes: (T, E, 3, 3) semi-axis vectors as
    columns (m); ell_rgb: (E, 3). flat_*: F round cones flattened front to back (the torso):
    flat_frame (T, F, 3, 3) their body frame (columns forward, left, up), flat_depth (F,) the
    forward axis's scale (< 1 flattens).
    """

    cone_a: np.ndarray
    cone_b: np.ndarray
    cone_r: np.ndarray
    cone_rgb: np.ndarray
    ell_centre: np.ndarray
    ell_axes: np.ndarray
    ell_rgb: np.ndarray
    flat_a: np.ndarray
    flat_b: np.ndarray
    flat_r: np.ndarray
    flat_frame: np.ndarray
    flat_depth: np.ndarray
    flat_rgb: np.ndarray


class _Builder:
    def __init__(self) -> None:
        self.cones: list[tuple[np.ndarray, np.ndarray, float, float, Colour]] = []
        self.ells: list[tuple[np.ndarray, np.ndarray, Colour]] = []
        self.flats: list[tuple[np.ndarray, np.ndarray, float, float, np.ndarray, float, Colour]] = []

    def flat(self, a: np.ndarray, b: np.ndarray, ra: float, rb: float, frame: np.ndarray, depth: float,
             rgb: Colour) -> None:
        """A round cone (radii in m) flattened by ``depth`` along ``frame``'s forward column."""
        self.flats.append((a, b, ra, rb, frame, depth, rgb))

    def cone(self, a: np.ndarray, b: np.ndarray, ra: float, rb: float, rgb: Colour) -> None:
        """A round cone from a to b, (T, 3) m, radii ra and rb in m."""
        self.cones.append((a, b, ra, rb, rgb))

    def ell(self, centre: np.ndarray, frame: np.ndarray, semi: np.ndarray | tuple[float, ...],
            rgb: Colour) -> None:
        """An ellipsoid at centre (T, 3) m with semi-axes ``semi`` (m) along frame's columns."""
        self.ells.append((centre, frame * np.asarray(semi)[None, None, :], rgb))

    def build(self) -> Figure:
        """The collected primitives as arrays."""
        return Figure(
            cone_a=np.stack([c[0] for c in self.cones], axis=1),
            cone_b=np.stack([c[1] for c in self.cones], axis=1),
            cone_r=np.array([[c[2], c[3]] for c in self.cones]),
            cone_rgb=np.array([c[4] for c in self.cones], dtype=np.float32),
            ell_centre=np.stack([e[0] for e in self.ells], axis=1),
            ell_axes=np.stack([e[1] for e in self.ells], axis=1),
            ell_rgb=np.array([e[2] for e in self.ells], dtype=np.float32),
            flat_a=np.stack([f[0] for f in self.flats], axis=1),
            flat_b=np.stack([f[1] for f in self.flats], axis=1),
            flat_r=np.array([[f[2], f[3]] for f in self.flats]),
            flat_frame=np.stack([f[4] for f in self.flats], axis=1),
            flat_depth=np.array([f[5] for f in self.flats]),
            flat_rgb=np.array([f[6] for f in self.flats], dtype=np.float32),
        )


def _limbs(b: _Builder, p: dict[str, np.ndarray], h: float, g: float, look: Appearance) -> None:
    for s in "lr":
        b.cone(p[f"hip_{s}"], p[f"knee_{s}"], 0.043 * h * g, 0.030 * h * g, look.leggings)
        calf = p[f"knee_{s}"] + 0.35 * (p[f"ankle_{s}"] - p[f"knee_{s}"])
        b.cone(p[f"knee_{s}"], calf, 0.031 * h * g, 0.032 * h * g, look.leggings)
        b.cone(calf, p[f"ankle_{s}"], 0.032 * h * g, 0.018 * h * g, look.leggings)
        shoulder, elbow, wrist = p[f"shoulder_{s}"], p[f"elbow_{s}"], p[f"wrist_{s}"]
        b.cone(shoulder, elbow, 0.022 * h * g, 0.017 * h * g, look.skin)
        b.cone(shoulder, shoulder + 0.4 * (elbow - shoulder), 0.024 * h * g, 0.021 * h * g, look.top)
        b.cone(elbow, wrist, 0.017 * h * g, 0.012 * h * g, look.skin)


def _leg_shape(b: _Builder, skel: Skeleton, dims: BodyDims, look: Appearance) -> None:
    """Quadriceps, kneecap and calf: the front-back asymmetry that shows which way a leg bends."""
    p, h, g = skel.points, dims.shape.height_m, dims.shape.build
    lateral = skel.frames["pelvis"][:, :, 1]
    for s in "lr":
        hip, knee, ankle = p[f"hip_{s}"], p[f"knee_{s}"], p[f"ankle_{s}"]
        thigh, shank = unit(knee - hip), unit(ankle - knee)
        front_thigh, front_shank = unit(np.cross(thigh, lateral)), unit(np.cross(shank, lateral))
        quad = np.stack([thigh, unit(np.cross(front_thigh, thigh)), front_thigh], axis=2)
        b.ell(hip + 0.5 * (knee - hip) + 0.01 * h * front_thigh, quad,
              (0.085 * h, 0.036 * h * g, 0.032 * h * g), look.leggings)
        cap = unit(front_thigh + front_shank)
        b.ell(knee + 0.016 * h * cap, quad, (0.024 * h, 0.022 * h, 0.02 * h), look.leggings)
        calf = np.stack([shank, unit(np.cross(front_shank, shank)), front_shank], axis=2)
        b.ell(knee + 0.3 * (ankle - knee) - 0.01 * h * front_shank, calf,
              (0.075 * h, 0.029 * h * g, 0.030 * h * g), look.leggings)


def _hands_feet(b: _Builder, skel: Skeleton, dims: BodyDims, look: Appearance) -> None:
    p, h = skel.points, dims.shape.height_m
    hand_len = 2.1 * dims.hand
    up = np.array([0.0, 0.0, 1.0])
    for s in "lr":
        frame = skel.frames[f"hand_{s}"]
        centre = p[f"wrist_{s}"] + 0.4 * hand_len * frame[:, :, 0]
        b.ell(centre, frame, (0.44 * hand_len, 0.021 * h, 0.011 * h), look.skin)
        heel, ball, toe = p[f"heel_{s}"], p[f"ball_{s}"], p[f"toe_{s}"]
        rear = unit(ball - heel)
        lateral = np.broadcast_to(np.array([0.0, 1.0, 0.0]), rear.shape)
        rear_frame = np.stack([rear, lateral, np.cross(rear, lateral)], axis=2)
        length = np.linalg.norm(ball - heel, axis=1).mean()
        centre = 0.5 * (heel + ball) + 0.012 * apply(rear_frame, up)
        b.ell(centre, rear_frame, (0.62 * length, 0.026 * h, 0.036 * h), look.shoes)
        b.ell(0.5 * (heel + toe) + 0.002 * up, rear_frame,
              (0.5 * np.linalg.norm(toe - heel, axis=1).mean() + 0.012, 0.029 * h, 0.008 * h), SOLE)
        fwd = unit(toe - ball)
        toe_frame = np.stack([fwd, lateral, np.cross(fwd, lateral)], axis=2)
        b.ell(0.6 * ball + 0.4 * toe + 0.004 * up, toe_frame,
              (0.75 * np.linalg.norm(toe - ball, axis=1).mean(), 0.027 * h, 0.016 * h), look.shoes)


def _torso(b: _Builder, skel: Skeleton, dims: BodyDims, look: Appearance) -> None:
    """Chest and belly (the top, in the trunk's frame), shoulders and neck; the pelvis below."""
    p, f, h, g = skel.points, skel.frames, dims.shape.height_m, dims.shape.build
    trunk = f["trunk"]
    wide = 1.0 if dims.shape.sex == "female" else 1.08
    # the top is two shapes: the chest in the trunk's frame and the belly in the pelvis's, whose lower
    # edge (the waistband, where the leggings take over) tips with the pelvis; a single top shape
    # reaching over the hips in the trunk's frame kept a level hem over a tilted pelvis
    b.flat(p["pelvis"] + apply(trunk, np.array([0.0, 0.0, 0.16])) * h,
           p["neck"] + apply(trunk, np.array([-0.005, 0.0, -0.095]) * h),
           0.080 * h * g**0.7, 0.098 * h * wide * g**0.5, trunk, 0.62 * g**0.5, look.top)
    pelvis = f["pelvis"]
    b.flat(p["pelvis"] + apply(pelvis, np.array([-0.004, 0.0, 0.05])) * h,
           p["pelvis"] + apply(pelvis, np.array([0.0, 0.0, 0.15])) * h,
           0.072 * h * g**0.7, 0.074 * h * g**0.7, pelvis, 0.62 * g**0.5, look.top)
    _pelvis(b, skel, dims, look)
    for s in "lr":
        b.ell(p[f"shoulder_{s}"], trunk, (0.025 * h * g, 0.025 * h * g, 0.025 * h * g), look.top)
    b.cone(p["neck"] - apply(trunk, np.array([0.0, 0.0, 0.02 * h])),
           p["head"] - apply(f["head"], np.array([0.01, 0.0, 0.03]) * h), 0.029 * h, 0.026 * h, look.skin)


def _pelvis(b: _Builder, skel: Skeleton, dims: BodyDims, look: Appearance) -> None:
    """Hips and buttocks in the pelvis's own frame, so they tip and turn with it.

    A capsule across the hips (its top edge the waistband over the iliac crests, its round ends the
    hips' outline) sits in front of the top's lower edge, so the waistband is the visible boundary;
    two gluteal ellipsoids behind it show the buttocks and the gluteal folds from behind.
    """
    p, h, g = skel.points, dims.shape.height_m, dims.shape.build
    pelvis = skel.frames["pelvis"]
    half_width = (0.100 if dims.shape.sex == "female" else 0.092) * h * g**0.7
    radius = 0.066 * h * g**0.7

    def at(x: float, y: float, z: float) -> np.ndarray:
        return np.asarray(p["pelvis"] + apply(pelvis, np.array([x, y, z])))

    reach = half_width - radius
    b.flat(at(-0.008 * h, reach, 0.016 * h), at(-0.008 * h, -reach, 0.016 * h), radius, radius, pelvis,
           0.9 * g**0.3, look.leggings)
    for s in (1.0, -1.0):
        b.ell(at(-0.026 * h, s * 0.042 * h, -0.016 * h), pelvis,
              (0.038 * h * g, 0.045 * h * g**0.7, 0.052 * h), look.leggings)


def _head(b: _Builder, skel: Skeleton, dims: BodyDims, look: Appearance) -> None:
    p, head, h = skel.points, skel.frames["head"], dims.shape.height_m

    def at(local: tuple[float, float, float]) -> np.ndarray:
        return np.asarray(p["head"] + apply(head, np.asarray(local) * h))

    b.ell(p["head"], head, (0.057 * h, 0.044 * h, 0.066 * h), look.skin)
    b.ell(at((-0.009, 0.0, 0.013)), head, (0.058 * h, 0.047 * h, 0.066 * h), look.hair)
    if look.long_hair:
        b.ell(at((-0.05, 0.0, -0.045)), head, (0.028 * h, 0.034 * h, 0.06 * h), look.hair)
    for s in ("left", "right"):
        x, y, z = FACE_POINTS[f"{s}_eye"]
        b.ell(at((x - 0.002, y, z)), head, (0.0055 * h, 0.0065 * h, 0.004 * h), EYE)
        b.ell(at((x - 0.001, y, z + 0.013)), head, (0.004 * h, 0.011 * h, 0.0025 * h), look.hair)
        b.ell(at(FACE_POINTS[f"{s}_ear"]), head, (0.009 * h, 0.007 * h, 0.016 * h), look.skin)
    b.ell(at((0.056, 0.0, -0.006)), head, (0.011 * h, 0.008 * h, 0.017 * h), look.skin)
    b.ell(at((0.045, 0.0, -0.032)), head, (0.006 * h, 0.016 * h, 0.0045 * h), MOUTH)


def build_figure(skel: Skeleton, dims: BodyDims, look: Appearance) -> Figure:
    """All primitives of the athlete over the skeleton's frames."""
    b = _Builder()
    h, g = dims.shape.height_m, dims.shape.build
    _limbs(b, skel.points, h, g, look)
    _leg_shape(b, skel, dims, look)
    _hands_feet(b, skel, dims, look)
    _torso(b, skel, dims, look)
    _head(b, skel, dims, look)
    return b.build()
