"""Pose-track files: the documented JSON-lines format and a fast ``.npz`` cache form.

The JSON-lines format (``docs/pose-track.md``) is a contract other tools read:

* line 1, the header: ``{"format": "formcoach.pose-track", "version": 1, "source": str,
  "width": int, "height": int, "fps": float, "landmarks": [33 BlazePose names]}``
* then one line per frame: ``{"t": seconds, "image": [[x, y, z, visibility] x 33] | null,
  "world": [[x, y, z] x 33] | null}``.

Reading validates everything and raises :class:`~formcoach.errors.BadTrackError` with the file,
the line and what is wrong.
"""

from __future__ import annotations

import json
import math
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.errors import BadTrackError
from formcoach.track import LANDMARK_NAMES, N_LANDMARKS, PoseTrack

FORMAT = "formcoach.pose-track"
VERSION = 1
NPZ_FORMAT = "formcoach.pose-track.npz"
TRACK_SUFFIXES = (".jsonl", ".npz")


def is_track_path(path: Path) -> bool:
    """True when ``path`` names a pose-track file by its suffix (``.jsonl`` or ``.npz``)."""
    return path.suffix.lower() in TRACK_SUFFIXES


def header_dict(track: PoseTrack) -> dict[str, Any]:
    """The header line of ``track`` as a dict."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "source": track.source,
        "width": int(track.width),
        "height": int(track.height),
        "fps": float(track.fps),
        "landmarks": list(LANDMARK_NAMES),
    }


def _rounded(rows: np.ndarray, digits: int) -> list[list[float]] | None:
    if not np.isfinite(rows).all():
        return None
    return [[round(float(v), digits) for v in row] for row in rows]


def frame_dict(t_s: float, image: np.ndarray, world: np.ndarray) -> dict[str, Any]:
    """One frame line: ``t`` in seconds, ``image`` (33x4) and ``world`` (33x3) or null."""
    return {"t": round(float(t_s), 6), "image": _rounded(image, 6), "world": _rounded(world, 5)}


def write_jsonl(track: PoseTrack, path: Path) -> None:
    """Write ``track`` to ``path`` in the documented JSON-lines format."""
    with Path(path).open("w", encoding="utf-8") as out:
        out.write(json.dumps(header_dict(track)) + "\n")
        for i in range(len(track)):
            out.write(json.dumps(frame_dict(track.times_s[i], track.image[i], track.world[i])) + "\n")


def write_npz(track: PoseTrack, path: Path) -> None:
    """Write ``track`` to ``path`` as a compressed ``.npz`` (float32 landmarks, float64 times)."""
    header = json.dumps({**header_dict(track), "format": NPZ_FORMAT})
    with Path(path).open("wb") as out:
        np.savez_compressed(out, header=np.array(header), times_s=track.times_s,
                            image=np.asarray(track.image, dtype=np.float32),
                            world=np.asarray(track.world, dtype=np.float32))


def write_track(track: PoseTrack, path: Path | str) -> Path:
    """Write ``track`` in the format its suffix names (``.jsonl`` or ``.npz``); return the path."""
    path = Path(path)
    if path.suffix.lower() == ".npz":
        write_npz(track, path)
    elif path.suffix.lower() == ".jsonl":
        write_jsonl(track, path)
    else:
        raise BadTrackError(f"{path}: a pose-track file must end in .jsonl or .npz")
    return path


def _check_header(header: Any, where: str, expected_format: str) -> dict[str, Any]:
    if not isinstance(header, dict) or header.get("format") != expected_format:
        raise BadTrackError(f"{where}: not a formcoach pose-track file (header 'format' must be "
                            f"'{expected_format}')")
    if header.get("version") != VERSION:
        raise BadTrackError(f"{where}: pose-track version {header.get('version')!r} is not supported "
                            f"(this formcoach reads version {VERSION}); re-run 'formcoach track'")
    if list(header.get("landmarks", [])) != list(LANDMARK_NAMES):
        raise BadTrackError(f"{where}: header 'landmarks' must list the 33 BlazePose names in order")
    for key, kind in (("width", int), ("height", int), ("fps", (int, float)), ("source", str)):
        if not isinstance(header.get(key), kind) or isinstance(header.get(key), bool):
            raise BadTrackError(f"{where}: header '{key}' is missing or has the wrong type")
    if header["width"] <= 0 or header["height"] <= 0 or not header["fps"] > 0:
        raise BadTrackError(f"{where}: header width, height and fps must be positive")
    return header


def _array(value: Any, shape: tuple[int, int], where: str, key: str) -> np.ndarray:
    if value is None:
        return np.full(shape, np.nan)
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise BadTrackError(f"{where}: '{key}' must be a list of numbers or null") from None
    if arr.shape != shape or not np.isfinite(arr).all():
        raise BadTrackError(f"{where}: '{key}' must be {shape[0]} rows of {shape[1]} finite numbers "
                            "or null")
    return arr


def _lines(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        with path.open("r", encoding="utf-8") as src:
            for number, line in enumerate(src, start=1):
                if not line.strip():
                    continue
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as error:
                    raise BadTrackError(f"{path}:{number}: not valid JSON ({error.msg}); the file may "
                                        "be truncated") from None
    except UnicodeDecodeError:
        raise BadTrackError(f"{path}: not a text file; a pose track is JSON lines or .npz") from None


def read_jsonl(path: Path) -> PoseTrack:
    """Read and validate a JSON-lines pose track."""
    lines = _lines(path)
    first = next(lines, None)
    if first is None:
        raise BadTrackError(f"{path}: the file is empty")
    header = _check_header(first[1], f"{path}:1", FORMAT)
    times: list[float] = []
    images: list[np.ndarray] = []
    worlds: list[np.ndarray] = []
    for number, frame in lines:
        where = f"{path}:{number}"
        if not isinstance(frame, dict) or not isinstance(frame.get("t"), (int, float)):
            raise BadTrackError(f"{where}: each frame needs a numeric 't' in seconds")
        t = float(frame["t"])
        if not math.isfinite(t) or (times and t <= times[-1]):
            raise BadTrackError(f"{where}: frame times must be finite and strictly increasing")
        times.append(t)
        images.append(_array(frame.get("image"), (N_LANDMARKS, 4), where, "image"))
        worlds.append(_array(frame.get("world"), (N_LANDMARKS, 3), where, "world"))
    return _build(header, np.asarray(times), images, worlds, path)


def _build(header: dict[str, Any], times: np.ndarray, images: list[np.ndarray] | np.ndarray,
           worlds: list[np.ndarray] | np.ndarray, path: Path) -> PoseTrack:
    n = len(times)
    # float32 arrays (a .npz file) stay float32; numbers from JSON lines become float64
    image = np.asarray(images).reshape(n, N_LANDMARKS, 4)
    world = np.asarray(worlds).reshape(n, N_LANDMARKS, 3)
    try:
        return PoseTrack(times, image, world, int(header["width"]), int(header["height"]),
                         float(header["fps"]), str(header["source"]))
    except ValueError as error:
        raise BadTrackError(f"{path}: {error}") from None


def read_npz(path: Path) -> PoseTrack:
    """Read and validate a ``.npz`` pose track written by :func:`write_npz`."""
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            times, image, world = data["times_s"], data["image"], data["world"]
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, json.JSONDecodeError, EOFError):
        raise BadTrackError(f"{path}: not a readable formcoach .npz pose track; re-run "
                            "'formcoach track'") from None
    _check_header(header, str(path), NPZ_FORMAT)
    return _build(header, times, image, world, path)


def read_track(path: Path | str) -> PoseTrack:
    """Read a pose track (``.jsonl`` or ``.npz``), validating it; raise BadTrackError if broken."""
    path = Path(path)
    if not path.is_file():
        raise BadTrackError(f"{path}: no such file")
    if path.suffix.lower() == ".npz":
        return read_npz(path)
    return read_jsonl(path)
