"""One call from a session description to files: video, exact pose track and ground truth."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from formcoach.sim.camera import Camera, PlacedCamera, place_camera
from formcoach.sim.motion import Simulation, simulate
from formcoach.sim.session import SessionSpec


@dataclass(frozen=True)
class SimPaths:
    """Files written by :func:`render_session`: ``video.mp4`` (None when not rendered),
    ``track.jsonl`` (the exact pose track) and ``truth.json``."""

    video: Path | None
    track: Path
    truth: Path


def frame_camera(sim: Simulation, camera: Camera) -> PlacedCamera:
    """``camera`` placed to frame the whole simulated movement."""
    return place_camera(camera, sim.landmarks.reshape(-1, 3))


def render_session(spec: SessionSpec, camera: Camera, out_dir: Path | str, *, video: bool = True,
                   supersample: int = 2, sim: Simulation | None = None) -> SimPaths:
    """Simulate ``spec`` at ``camera.fps`` and write video, exact track and truth into ``out_dir``.

    ``video=False`` skips the (slow) rendering. Returns the paths written.
    """
    from formcoach.sim.render import write_video
    from formcoach.sim.truth import exact_track, truth_dict
    from formcoach.trackio import write_track

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sim = sim if sim is not None else simulate(spec, fps=camera.fps)
    placed = frame_camera(sim, camera)
    track_path = out / "track.jsonl"
    write_track(exact_track(sim, placed), track_path)
    truth_path = out / "truth.json"
    truth_path.write_text(json.dumps(truth_dict(sim, placed), indent=1) + "\n")
    video_path = write_video(sim, placed, out / "video.mp4", supersample) if video else None
    return SimPaths(video_path, track_path, truth_path)
