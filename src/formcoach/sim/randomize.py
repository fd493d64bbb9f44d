"""Randomized sessions: the bodies, rooms and cameras real homes vary, sampled from a seed.

A :class:`Variation` is one person filmed by one phone: stature 1.50-1.90 m, thigh, shank and arm
lengths within +-5 % of de Leva's ratios, hip and shoulder widths +-15 %, the feet 8-20 cm apart,
clothes, skin, hair, wall, floor and light; the camera 0.3-1.6 m high, 2-5 m away, up to 20 deg off
the nominal view, aimed up to 8 deg above or below the middle of the movement, a vertical field of
view of 45-70 deg, 360p-1080p (landscape 16:9 or 4:3, or portrait 9:16) at 24-60 fps. The same seed
gives the same variation. :func:`place_variation` moves the camera back (never nearer than sampled,
never past 5 m) until the whole movement is in the frame, as a person filming herself would.

A *close* variation (:func:`sample_close_variation`, :func:`widen_to_fit`) is the same person and room
with the phone propped 1.0-1.6 m away, its lens widened (up to 110 deg vertical, 119 across) just
enough to frame the movement, or stepped back with the widest lens when none does: strong
perspective, the near foot far larger than the far one.

:func:`noisy_track` adds pose-model-like noise to an exact track (the fast "exact-track" mode of the
benchmarks: no renderer, no pose model).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from formcoach.sim.body import BodyShape
from formcoach.sim.camera import Camera, PlacedCamera, View, place_camera
from formcoach.sim.session import Appearance, SessionSpec
from formcoach.track import PoseTrack

HEIGHT_M = (1.50, 1.90)
SEGMENT_SPREAD = 0.05
WIDTH_SPREAD = 0.15
STANCE_M = (0.08, 0.20)
CAMERA_HEIGHT_M = (0.3, 1.6)
DISTANCE_M = (2.0, 5.0)
OFF_VIEW_DEG = 20.0
PITCH_DEG = 8.0
VFOV_DEG = (45.0, 70.0)
#: frame sizes by their short side, pixels, and frame rates a phone offers
LINES = (360, 480, 720, 1080)
FPS = (24.0, 25.0, 30.0, 50.0, 60.0)
#: (width, height) per unit of the short side: 16:9 and 4:3 landscape, 9:16 portrait
ASPECTS = ((16 / 9, 1.0), (4 / 3, 1.0), (1.0, 16 / 9))
#: share of the frame the whole movement must stay inside
FRAME_MARGIN = 0.92
#: a close phone: its distance, metres, and the vertical lenses tried to frame the movement, degrees
CLOSE_DISTANCE_M = (1.0, 1.6)
CLOSE_VFOV_DEG = tuple(range(55, 115, 5))
#: the widest horizontal field of view a phone's ultra-wide lens offers, degrees
MAX_HFOV_DEG = 119.0

SKINS = ((250, 220, 195), (235, 190, 160), (224, 172, 138), (190, 140, 100), (150, 100, 70),
         (110, 72, 50), (80, 55, 40))
HAIRS = ((20, 15, 15), (60, 40, 25), (120, 80, 45), (200, 160, 90), (150, 150, 150))


@dataclass(frozen=True)
class Variation:
    """One sampled person, room and camera: the session to simulate and the camera filming it."""

    seed: int
    spec: SessionSpec
    camera: Camera


def _colour(rng: np.random.Generator, low: int = 20, high: int = 235) -> tuple[int, int, int]:
    r, g, b = (int(v) for v in rng.integers(low, high, 3))
    return (r, g, b)


def sample_body(rng: np.random.Generator) -> BodyShape:
    """A body: stature, sex, build, segment lengths and widths drawn from the module's ranges."""
    def seg() -> float:
        return float(rng.uniform(1 - SEGMENT_SPREAD, 1 + SEGMENT_SPREAD))

    def width() -> float:
        return float(rng.uniform(1 - WIDTH_SPREAD, 1 + WIDTH_SPREAD))

    return BodyShape(height_m=float(rng.uniform(*HEIGHT_M)), sex="female" if rng.random() < 0.6 else "male",
                     bmi=float(rng.uniform(18.5, 30.0)), build=float(rng.uniform(0.85, 1.2)),
                     thigh_scale=seg(), shank_scale=seg(), arm_scale=seg(),
                     hip_width_scale=width(), shoulder_width_scale=width())


def sample_appearance(rng: np.random.Generator) -> Appearance:
    """Clothes, skin, hair, wall, floor and light."""
    skin = SKINS[int(rng.integers(len(SKINS)))]
    hair = HAIRS[int(rng.integers(len(HAIRS)))]
    return Appearance(skin=skin, hair=hair, top=_colour(rng), leggings=_colour(rng, 15, 200),
                      shoes=_colour(rng), long_hair=bool(rng.random() < 0.5),
                      wall=_colour(rng, 120, 245), floor=_colour(rng, 60, 200),
                      light_deg=float(rng.uniform(-60, 60)), light=float(rng.uniform(0.6, 1.3)))


def sample_camera(rng: np.random.Generator, view: View, *, max_lines: int = 1080,
                  max_fps: float = 60.0) -> Camera:
    """A phone camera for ``view``: height, distance, off-view angle, pitch, lens, size and rate.

    ``max_lines`` and ``max_fps`` cap the sampled short side and frame rate (the benchmarks render
    small and slow to save time); the other draws do not depend on them.
    """
    lines = int(LINES[int(rng.integers(len(LINES)))])
    aspect = ASPECTS[int(rng.integers(len(ASPECTS)))]
    fps = float(FPS[int(rng.integers(len(FPS)))])
    vfov = float(rng.uniform(*VFOV_DEG))
    lines, fps = min(lines, max_lines), min(fps, max_fps)
    width, height = (2 * int(round(lines * a / 2)) for a in aspect)
    hfov = float(np.degrees(2 * np.arctan(np.tan(np.radians(vfov) / 2) * width / height)))
    return Camera(view=view, side="left" if rng.random() < 0.5 else "right", width=width, height=height,
                  fps=fps, hfov_deg=hfov, height_m=float(rng.uniform(*CAMERA_HEIGHT_M)),
                  distance_m=float(rng.uniform(*DISTANCE_M)),
                  yaw_offset_deg=float(rng.uniform(-OFF_VIEW_DEG, OFF_VIEW_DEG)),
                  pitch_offset_deg=float(rng.uniform(-PITCH_DEG, PITCH_DEG)))


def sample_variation(seed: int, view: View, base: SessionSpec | None = None, *, max_lines: int = 1080,
                     max_fps: float = 60.0) -> Variation:
    """The variation of ``seed`` for ``view``: ``base`` (the session's reps, tempo and mistakes) with
    a sampled body, stance and appearance, and a sampled camera (see :func:`sample_camera`)."""
    rng = np.random.default_rng([seed, VIEW_CODES[view]])
    base = base or SessionSpec()
    spec = replace(base, body=sample_body(rng), appearance=sample_appearance(rng),
                   stance_width_m=float(rng.uniform(*STANCE_M)), seed=seed)
    return Variation(seed, spec, sample_camera(rng, view, max_lines=max_lines, max_fps=max_fps))


VIEW_CODES = {"front": 1, "side": 2, "rear": 3, "oblique": 4}
#: the close variation's extra draw (its distance) comes from its own stream
CLOSE_CODE = 77


def sample_close_variation(seed: int, view: View, base: SessionSpec | None = None, *, max_lines: int = 1080,
                           max_fps: float = 60.0) -> Variation:
    """The variation of ``seed`` for ``view`` (:func:`sample_variation`: the same body, room, frame and
    camera height) with the phone :data:`CLOSE_DISTANCE_M` away; :func:`widen_to_fit` then picks its lens."""
    var = sample_variation(seed, view, base, max_lines=max_lines, max_fps=max_fps)
    rng = np.random.default_rng([seed, CLOSE_CODE])
    return replace(var, camera=replace(var.camera, distance_m=float(rng.uniform(*CLOSE_DISTANCE_M))))


def widen_to_fit(camera: Camera, points: np.ndarray) -> PlacedCamera:
    """``camera`` at its own distance with the narrowest lens of :data:`CLOSE_VFOV_DEG` (vertical,
    degrees; at most :data:`MAX_HFOV_DEG` across) that frames ``points`` (N, 3, the whole movement,
    metres), as a person filming herself close by switches to the wide lens; when even the widest
    does not (a landscape frame close by), that lens moved back in 5 % steps until it does, up to the
    far end of :data:`DISTANCE_M`."""
    widest = camera
    for vfov in CLOSE_VFOV_DEG:
        hfov = float(np.degrees(2 * np.arctan(np.tan(np.radians(vfov) / 2) * camera.width / camera.height)))
        if hfov > MAX_HFOV_DEG:
            break
        widest = replace(camera, hfov_deg=hfov)
        placed = place_camera(widest, points)
        if _fits(placed, points):
            return placed
    return place_variation(widest, points)


def _fits(placed: PlacedCamera, points: np.ndarray) -> bool:
    uv = placed.project(points)
    half = np.array([placed.camera.width, placed.camera.height]) / 2.0
    inside = np.abs(uv[:, :2] - half) <= FRAME_MARGIN * half
    return bool(np.all(uv[:, 2] > 0.3) and np.all(inside))


def place_variation(camera: Camera, points: np.ndarray) -> PlacedCamera:
    """``camera`` placed around ``points`` (N, 3, the whole simulated movement, metres): at its own
    distance if the movement fits the frame, else moved back in 5 % steps up to the far end of
    :data:`DISTANCE_M`, then aimed at the middle (pitch offset dropped) as a last resort."""
    assert camera.distance_m is not None
    distance = camera.distance_m
    while True:
        placed = place_camera(replace(camera, distance_m=distance), points)
        if _fits(placed, points) or distance >= DISTANCE_M[1]:
            break
        distance = min(distance * 1.05, DISTANCE_M[1])
    if not _fits(placed, points):
        placed = place_camera(replace(camera, distance_m=distance, pitch_offset_deg=0.0), points)
    return placed


def noisy_track(track: PoseTrack, seed: int, image_sd: float = 0.004, world_sd_m: float = 0.01) -> PoseTrack:
    """``track`` with pose-model-like noise: white jitter of ``image_sd`` of the person's image height
    on the image landmarks (x and y) and ``world_sd_m`` metres on the world landmarks, plus a slow
    drift of the same size (a 0.3 s moving average of another draw, rescaled), reproducible by ``seed``.
    """
    rng = np.random.default_rng(seed)
    n = len(track.times_s)
    span = np.nanmax(track.image[:, :, 1], axis=1) - np.nanmin(track.image[:, :, 1], axis=1)
    scale_y = float(np.nanmedian(span))
    k = max(1, int(round(0.3 * track.fps)))
    kernel = np.ones(k) / k

    def noise(shape: tuple[int, ...], sd: float) -> np.ndarray:
        white = rng.normal(0.0, sd, shape)
        slow = rng.normal(0.0, 1.0, shape)
        slow = np.apply_along_axis(lambda v: np.convolve(v, kernel, mode="same"), 0, slow)
        slow *= sd / max(float(np.std(slow)), 1e-12)
        return np.asarray(white + slow)

    image = track.image.copy()
    image[:, :, 1] += noise((n, image.shape[1]), image_sd * scale_y)
    image[:, :, 0] += noise((n, image.shape[1]), image_sd * scale_y * track.height / track.width)
    world = track.world + noise(track.world.shape, world_sd_m)
    return replace(track, image=image, world=world)
