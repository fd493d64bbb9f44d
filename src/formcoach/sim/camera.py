"""A pinhole camera placed around the athlete: side, front, rear or 45-degree views.

Camera coordinates: x to the right of the image, y down, z forward along the optical axis, metres.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

View = Literal["side", "front", "rear", "oblique"]
VIEWS: tuple[str, ...] = ("side", "front", "rear", "oblique")


@dataclass(frozen=True)
class Camera:
    """Where the camera stands and what it records.

    Attributes:
        view: "side", "front", "rear" or "oblique" (45 deg between front and side).
        side: for side and oblique views, which of the athlete's sides faces the camera.
        width, height: frame size in pixels (even, for H.264 yuv420p).
        fps: frames per second.
        hfov_deg: horizontal field of view, degrees (a phone's main camera is about 65).
        height_m: lens height above the floor, metres.
        distance_m: horizontal distance to the middle of the lunge, metres; None frames the
            whole movement with a margin.
        yaw_offset_deg: how far the camera stands off the nominal view, degrees, turned about the
            vertical through the middle of the lunge (+ = anticlockwise seen from above).
        pitch_offset_deg: aim above (+) or below (-) the middle of the movement, degrees (a phone
            on a shelf or on the floor is rarely aimed at the hips).
    """

    view: View = "side"
    side: Literal["left", "right"] = "left"
    width: int = 640
    height: int = 480
    fps: float = 30.0
    hfov_deg: float = 60.0
    height_m: float = 1.0
    distance_m: float | None = None
    yaw_offset_deg: float = 0.0
    pitch_offset_deg: float = 0.0

    def __post_init__(self) -> None:
        if self.view not in VIEWS:
            raise ValueError(f"view must be one of {', '.join(VIEWS)}, got {self.view!r}")
        if self.side not in ("left", "right"):
            raise ValueError(f"side must be 'left' or 'right', got {self.side!r}")
        if self.width < 64 or self.height < 64 or self.width % 2 or self.height % 2:
            raise ValueError(f"frame size must be even and at least 64x64, got {self.width}x{self.height}")
        if not 1.0 <= self.fps <= 240.0:
            raise ValueError(f"fps must be 1..240, got {self.fps}")
        if not 20.0 <= self.hfov_deg <= 120.0:
            raise ValueError(f"hfov_deg must be 20..120, got {self.hfov_deg}")
        if not 0.2 <= self.height_m <= 3.0:
            raise ValueError(f"height_m must be 0.2..3.0 metres, got {self.height_m}")
        if self.distance_m is not None and not 1.0 <= self.distance_m <= 20.0:
            raise ValueError(f"distance_m must be 1..20 metres, got {self.distance_m}")
        if not -45.0 <= self.yaw_offset_deg <= 45.0:
            raise ValueError(f"yaw_offset_deg must be -45..45 degrees, got {self.yaw_offset_deg}")
        if not -30.0 <= self.pitch_offset_deg <= 30.0:
            raise ValueError(f"pitch_offset_deg must be -30..30 degrees, got {self.pitch_offset_deg}")

    @property
    def azimuth(self) -> np.ndarray:
        """(3,) horizontal unit vector from the athlete towards the camera (world frame)."""
        s = 1.0 if self.side == "left" else -1.0
        angle = {"front": 0.0, "side": 90.0 * s, "rear": 180.0, "oblique": 45.0 * s}[self.view]
        a = np.radians(angle + self.yaw_offset_deg)
        return np.array([np.cos(a), np.sin(a), 0.0])


@dataclass(frozen=True)
class PlacedCamera:
    """A camera with its pose: centre (3,) metres and rotation (3, 3) world -> camera."""

    camera: Camera
    centre: np.ndarray
    rotation: np.ndarray
    focal_px: float

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) world points -> camera coordinates, metres."""
        return np.asarray((points - self.centre) @ self.rotation.T)

    def project(self, points: np.ndarray) -> np.ndarray:
        """(..., 3) world points -> (..., 3) pixel x, pixel y and depth along the optical axis (m)."""
        pc = self.to_camera(points)
        z = pc[..., 2]
        cx, cy = self.camera.width / 2.0, self.camera.height / 2.0
        return np.stack([self.focal_px * pc[..., 0] / z + cx, self.focal_px * pc[..., 1] / z + cy, z], -1)


def look_at(centre: np.ndarray, target: np.ndarray) -> np.ndarray:
    """(3, 3) rotation world -> camera for a camera at ``centre`` looking at ``target`` (z up)."""
    forward = target - centre
    forward = forward / np.linalg.norm(forward)
    right = np.cross(forward, np.array([0.0, 0.0, 1.0]))
    right = right / np.linalg.norm(right)
    down = np.cross(forward, right)
    return np.stack([right, down, forward])


def place_camera(camera: Camera, points: np.ndarray, margin: float = 0.82) -> PlacedCamera:
    """Aim ``camera`` at the middle of ``points`` (N, 3) and, unless its distance is given, move it
    so every point falls inside ``margin`` of the frame."""
    lo, hi = points.min(axis=0), points.max(axis=0)
    target = np.array([(lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2, 0.5 * (lo[2] + hi[2])])
    focal = camera.width / 2.0 / np.tan(np.radians(camera.hfov_deg) / 2)
    distance = camera.distance_m if camera.distance_m is not None else 3.0
    for _ in range(1 if camera.distance_m is not None else 4):
        centre = target + distance * camera.azimuth
        centre[2] = camera.height_m
        aim = target.copy()
        aim[2] += np.hypot(*(target - centre)[:2]) * np.tan(np.radians(camera.pitch_offset_deg))
        placed = PlacedCamera(camera, centre, look_at(centre, aim), float(focal))
        if camera.distance_m is not None:
            break
        uv = placed.project(points)[:, :2]
        half = np.array([camera.width, camera.height]) / 2.0
        need = np.max(np.abs(uv - half) / (margin * half))
        distance *= float(max(need, 0.3))
    return placed
