"""The renderer: the simulated athlete as a shaded figure on a floor, written as H.264 MP4.

Each primitive of :mod:`formcoach.sim.figure` is ray-cast analytically over its screen bounding
box into a z-buffer (Lambert plus ambient and sky light), on a precomputed background (a wall and
a floor) darkened by a soft shadow. Frames are drawn at ``supersample`` times the output size and
reduced with area averaging, which anti-aliases the edges.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from formcoach.sim.camera import PlacedCamera
from formcoach.sim.figure import Figure, build_figure
from formcoach.sim.motion import Simulation
from formcoach.sim.raycast import ellipsoid, round_cone
from formcoach.sim.session import Appearance

#: Wall distance behind the middle of the lunge, metres.
WALL_BEHIND_M = 2.2
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Scene:
    """Per-camera constants: ray directions (3, H, W) of the supersampled frame, the background
    (H, W, 3) float RGB, the floor point each low-resolution pixel sees (h, w, 2) metres (NaN off
    the floor), and the light direction in camera coordinates."""

    placed: PlacedCamera
    supersample: int
    rays: np.ndarray
    background: np.ndarray
    floor_xy: np.ndarray
    light: np.ndarray
    sky: np.ndarray
    strength: float = 1.0


def _rays(placed: PlacedCamera, scale: float) -> np.ndarray:
    cam = placed.camera
    w, h = int(round(cam.width * scale)), int(round(cam.height * scale))
    u = (np.arange(w, dtype=np.float32) + 0.5) / scale - cam.width / 2.0
    v = (np.arange(h, dtype=np.float32) + 0.5) / scale - cam.height / 2.0
    d = np.empty((3, h, w), dtype=np.float32)
    d[0], d[1], d[2] = u[None, :] / placed.focal_px, v[:, None] / placed.focal_px, 1.0
    return np.asarray(d / np.sqrt((d * d).sum(axis=0)))


def _backdrop(placed: PlacedCamera, rays: np.ndarray, target: np.ndarray,
              look: Appearance) -> tuple[np.ndarray, np.ndarray]:
    """Background colour (H, W, 3) and the floor point (H, W, 2) each ray hits (NaN: the wall)."""
    world = np.einsum("ij,ihw->jhw", placed.rotation, rays)
    c = placed.centre
    normal = placed.camera.azimuth
    wall_point = target - WALL_BEHIND_M * normal
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = np.where(world[2] < 0, -c[2] / world[2], np.inf)
        denom = np.einsum("i,ihw->hw", normal, world)
        t_wall = np.where(denom < 0, ((wall_point - c) @ normal) / denom, np.inf)
    floor = t_floor < t_wall
    hit = c[:, None, None] + world * np.where(floor, t_floor, t_wall)
    height = np.clip(hit[2] / 2.5, 0.0, 1.0)
    wall = np.asarray(look.wall, np.float32)[None, None, :] * (0.92 + 0.08 * height[..., None])
    dist = np.clip(np.where(floor, t_floor, 0.0) / 8.0, 0.0, 1.0)
    corner = np.exp(-np.clip(np.where(floor, np.abs((hit.transpose(1, 2, 0) - wall_point) @ normal),
                                      hit[2]), 0, None) / 0.12)
    floor_rgb = np.asarray(look.floor, np.float32)[None, None, :] * (1.0 - 0.25 * dist[..., None])
    rgb = np.where(floor[..., None], floor_rgb, wall) * (1.0 - 0.18 * corner[..., None])
    xy = np.where(floor[None], hit[:2], np.nan).transpose(1, 2, 0)
    return rgb.astype(np.float32), xy.astype(np.float32)


def make_scene(placed: PlacedCamera, target: np.ndarray, supersample: int = 2,
               look: Appearance | None = None) -> Scene:
    """Precompute what every frame of ``placed`` shares; ``target`` is the middle of the lunge (m);
    ``look`` gives the wall, floor and light (the defaults when None)."""
    if supersample not in (1, 2, 3):
        raise ValueError(f"supersample must be 1, 2 or 3, got {supersample}")
    look = look or Appearance()
    rays = _rays(placed, supersample)
    background, _ = _backdrop(placed, rays, target, look)
    _, floor_xy = _backdrop(placed, _rays(placed, 0.25), target, look)
    a = np.radians(look.light_deg)
    across = np.cos(a) * placed.rotation[0] - np.sin(a) * 0.64 * placed.camera.azimuth
    light_world = np.array([0.0, 0.0, 1.0]) + 0.45 * placed.camera.azimuth + 0.7 * across
    light = placed.rotation @ (light_world / np.linalg.norm(light_world))
    return Scene(placed, supersample, rays, background * min(1.0, 0.75 + 0.25 * look.light),
                 floor_xy, light.astype(np.float32),
                 (placed.rotation @ np.array([0.0, 0.0, 1.0])).astype(np.float32), look.light)


def _shadow(scene: Scene, points: np.ndarray) -> np.ndarray:
    """(h, w) soft shadow strength 0..1 on the low-resolution floor, from (P, 3) body points."""
    xy = scene.floor_xy
    sigma = 0.05 + 0.12 * points[:, 2]
    strength = 0.45 * np.exp(-points[:, 2] / 0.6)
    dx = xy[None, :, :, 0] - points[:, 0, None, None]
    dy = xy[None, :, :, 1] - points[:, 1, None, None]
    blobs = strength[:, None, None] * np.exp(-(dx * dx + dy * dy) / (2 * sigma[:, None, None] ** 2))
    return np.asarray(np.clip(np.nan_to_num(blobs.sum(axis=0)), 0.0, 0.55))


def _box(scene: Scene, centres: np.ndarray, radii: np.ndarray) -> tuple[int, int, int, int] | None:
    """Pixel box (x0, x1, y0, y1) of the supersampled frame covering spheres (camera coords)."""
    z_near = centres[:, 2] - radii
    if np.any(z_near <= 0.05):
        return None
    f = scene.placed.focal_px * scene.supersample
    lo_x = np.minimum((centres[:, 0] - radii) / z_near, (centres[:, 0] - radii) / (centres[:, 2] + radii))
    hi_x = np.maximum((centres[:, 0] + radii) / z_near, (centres[:, 0] + radii) / (centres[:, 2] + radii))
    lo_y = np.minimum((centres[:, 1] - radii) / z_near, (centres[:, 1] - radii) / (centres[:, 2] + radii))
    hi_y = np.maximum((centres[:, 1] + radii) / z_near, (centres[:, 1] + radii) / (centres[:, 2] + radii))
    h, w = scene.rays.shape[1:]
    x0, x1 = int(np.floor(f * lo_x.min() + w / 2)) - 1, int(np.ceil(f * hi_x.max() + w / 2)) + 1
    y0, y1 = int(np.floor(f * lo_y.min() + h / 2)) - 1, int(np.ceil(f * hi_y.max() + h / 2)) + 1
    x0, x1, y0, y1 = max(x0, 0), min(x1, w), max(y0, 0), min(y1, h)
    return (x0, x1, y0, y1) if x0 < x1 and y0 < y1 else None


def _shade(scene: Scene, normal: np.ndarray, rays: np.ndarray, rgb: np.ndarray) -> np.ndarray:
    """(N, 3) colours for (3, N) unit normals seen along (3, N) rays: ambient, sky and Lambert
    light, darkened towards the silhouette so overlapping limbs keep a visible outline."""
    lambert = np.clip(scene.light @ normal, 0.0, None)
    sky = 0.5 + 0.5 * (-(scene.sky @ normal))
    facing = np.abs((normal * rays).sum(axis=0)) ** 0.5
    light = (0.26 + 0.12 * sky + 0.7 * scene.strength * lambert) * (0.4 + 0.6 * facing)
    return np.asarray(rgb[None, :] * light[:, None])


def _draw(scene: Scene, zbuf: np.ndarray, img: np.ndarray, box: tuple[int, int, int, int],
          hit: tuple[np.ndarray, np.ndarray], rgb: np.ndarray, rays: np.ndarray) -> None:
    x0, x1, y0, y1 = box
    t, n = hit
    z = zbuf[y0:y1, x0:x1]
    closer = t < z
    if not closer.any():
        return
    z[closer] = t[closer]
    img[y0:y1, x0:x1][closer] = _shade(scene, n[:, closer], rays[:, closer], rgb)


def flat_cone(rd: np.ndarray, pa: np.ndarray, pb: np.ndarray, ra: float, rb: float, frame: np.ndarray,
              depth: float) -> tuple[np.ndarray, np.ndarray]:
    """Hit of a round cone flattened by ``depth`` along ``frame``'s first column (camera coords).

    The ray is mapped into the space where the shape is an ordinary round cone, cast there and
    its distance and normal mapped back.
    """
    to_local = np.diag([1.0 / depth, 1.0, 1.0]) @ frame.T
    d = np.einsum("ij,jhw->ihw", to_local, rd)
    length = np.sqrt((d * d).sum(axis=0))
    t, n = round_cone(d / length, to_local @ pa, to_local @ pb, ra, rb)
    n_world = np.einsum("ji,jhw->ihw", to_local, n)
    n_world /= np.maximum(np.sqrt((n_world * n_world).sum(axis=0)), 1e-12)
    return t / length, n_world


def _draw_flat(scene: Scene, figure: Figure, k: int, zbuf: np.ndarray, img: np.ndarray) -> None:
    placed = scene.placed
    a, b = placed.to_camera(figure.flat_a[k]), placed.to_camera(figure.flat_b[k])
    frames = np.einsum("ij,fjk->fik", placed.rotation, figure.flat_frame[k])
    for i in range(len(figure.flat_r)):
        ra, rb = figure.flat_r[i]
        box = _box(scene, np.stack([a[i], b[i]]), np.array([ra, rb]))
        if box is not None:
            sub = scene.rays[:, box[2]:box[3], box[0]:box[1]]
            hit = flat_cone(sub, a[i], b[i], ra, rb, frames[i], float(figure.flat_depth[i]))
            _draw(scene, zbuf, img, box, hit, figure.flat_rgb[i], sub)


def render_frame(scene: Scene, figure: Figure, k: int, shadow_points: np.ndarray) -> np.ndarray:
    """Frame ``k`` of ``figure`` as an (H, W, 3) uint8 RGB image at the camera's size."""
    placed = scene.placed
    img = scene.background.copy()
    shade = cv2.resize(_shadow(scene, shadow_points), img.shape[1::-1], interpolation=cv2.INTER_LINEAR)
    img *= (1.0 - shade)[..., None]
    zbuf = np.full(img.shape[:2], np.inf, dtype=np.float32)
    rays = scene.rays
    a, b = placed.to_camera(figure.cone_a[k]), placed.to_camera(figure.cone_b[k])
    for i in range(len(figure.cone_r)):
        ra, rb = figure.cone_r[i]
        box = _box(scene, np.stack([a[i], b[i]]), np.array([ra, rb]))
        if box is not None:
            sub = rays[:, box[2]:box[3], box[0]:box[1]]
            _draw(scene, zbuf, img, box, round_cone(sub, a[i], b[i], ra, rb), figure.cone_rgb[i], sub)
    _draw_flat(scene, figure, k, zbuf, img)
    centres = placed.to_camera(figure.ell_centre[k])
    axes = np.einsum("ij,ejk->eik", placed.rotation, figure.ell_axes[k])
    for i in range(len(centres)):
        radius = float(np.linalg.norm(axes[i], axis=0).max())
        box = _box(scene, centres[i:i + 1], np.array([radius]))
        if box is not None:
            sub = rays[:, box[2]:box[3], box[0]:box[1]]
            _draw(scene, zbuf, img, box, ellipsoid(sub, centres[i], axes[i]), figure.ell_rgb[i], sub)
    cam = placed.camera
    if scene.supersample > 1:
        img = cv2.resize(img, (cam.width, cam.height), interpolation=cv2.INTER_AREA)
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)


def iter_frames(sim: Simulation, placed: PlacedCamera, supersample: int = 2) -> Iterator[np.ndarray]:
    """Every frame of ``sim`` seen by ``placed``, as (H, W, 3) uint8 RGB."""
    figure = build_figure(sim.skeleton, sim.dims, sim.spec.appearance)
    pts = sim.skeleton.points
    lo, hi = sim.landmarks.reshape(-1, 3).min(axis=0), sim.landmarks.reshape(-1, 3).max(axis=0)
    scene = make_scene(placed, 0.5 * (lo + hi), supersample, sim.spec.appearance)
    names = [f"{j}_{s}" for j in ("ankle", "heel", "toe", "knee", "hip") for s in "lr"]
    casters = np.stack([pts[n] for n in names] + [sim.com], axis=1)
    for k in range(len(sim.times_s)):
        yield render_frame(scene, figure, k, casters[k])


def write_video(sim: Simulation, placed: PlacedCamera, path: Path, supersample: int = 2,
                progress: Progress | None = None) -> Path:
    """Render ``sim`` from ``placed`` into an H.264 MP4 at ``path``; frame k is shown at k / fps s."""
    from formcoach.video import VideoWriter

    cam = placed.camera
    total = len(sim.times_s)
    with VideoWriter(path, cam.width, cam.height, fps=sim.fps, crf=18) as out:
        for k, rgb in enumerate(iter_frames(sim, placed, supersample)):
            out.write(rgb, float(sim.times_s[k]))
            if progress is not None:
                progress(k + 1, total)
    return path
