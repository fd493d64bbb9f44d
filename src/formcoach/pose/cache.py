"""The pose-track cache: a video's track is computed once per model and backend, then read back.

Entries live in ``formcoach.paths.data_dir() / "cache" / "pose"``, one ``.npz`` pose track per
(video content, model, backend), named by the SHA-256 of the video's bytes, so a renamed or copied
video is found again and an edited one is not. Each entry is a readable ``.npz`` pose track
(``docs/pose-track.md``) with the landmarks as the backend gave them (float32), plus a ``cache`` JSON
record (the key, and the track's warnings and second-person count). An entry that cannot be read,
or whose record does not match the key it was looked up by, is ignored and written again: it is
never trusted. Writes go to a temporary file renamed into place, so a crash leaves no half entry.
Each write also removes the entries an older :data:`CACHE_VERSION` made (no run reads them again) and
temporary files a crashed write left more than a day ago (:func:`prune_stale`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from formcoach.track import PoseTrack
from formcoach.trackio import NPZ_FORMAT, header_dict

#: Bump when anything that changes a computed track changes (frame scaling, backend geometry).
CACHE_VERSION = 4  # 4: LiteRT detects as MediaPipe does; the zoomed look below half the frames found
_CHUNK_BYTES = 1 << 20
#: an entry's name ends with the cache version that made it (:func:`cache_key`)
_VERSIONED = re.compile(r"-v(\d+)\.npz$")
#: a temporary file older than this (seconds) belongs to a write that will never finish
_STALE_TMP_S = 24 * 3600.0


def cache_dir(create: bool = True) -> Path:
    """The folder of cached pose tracks inside the user's data folder."""
    from formcoach.paths import data_dir

    folder = data_dir(create=create) / "cache" / "pose"
    if create:
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def content_hash(path: Path) -> str:
    """SHA-256 of the file's bytes, hex (read 1 MB at a time: memory stays flat)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as src:
        while chunk := src.read(_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def cache_key(video_hash: str, model: str, backend: str, max_side_px: int, min_gap_s: float) -> str:
    """The entry's name (without suffix) for one video content, model, backend, frame scale and
    least time between estimated frames (seconds)."""
    return f"{video_hash}-{model}-{backend}-{max_side_px}px-{round(min_gap_s * 1000)}ms-v{CACHE_VERSION}"


def load(key: str, folder: Path | None = None) -> PoseTrack | None:
    """The cached track named ``key``, or None when there is none or it is not to be trusted."""
    path = (folder or cache_dir()) / f"{key}.npz"
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            header = json.loads(str(data["header"]))
            record = json.loads(str(data["cache"]))
            times, image, world = data["times_s"], data["image"], data["world"]
        if header.get("format") != NPZ_FORMAT or record.get("key") != key:
            return None
        track = PoseTrack(times, image, world, int(header["width"]), int(header["height"]),
                          float(header["fps"]), str(header["source"]), dict(record.get("meta", {})))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, EOFError, zipfile.BadZipFile):
        return None
    return track if len(track) else None


def _meta(track: PoseTrack) -> dict[str, Any]:
    """The parts of ``track.meta`` worth keeping (JSON-safe)."""
    keep = ("warnings", "model", "backend", "multi_person_frames", "interpolated_frames", "pose_min_gap_s",
            "zoom")
    return {k: track.meta[k] for k in keep if k in track.meta}


def store(key: str, track: PoseTrack, folder: Path | None = None) -> Path:
    """Write ``track`` as the entry ``key`` (atomically); return its path."""
    folder = folder or cache_dir()
    path = folder / f"{key}.npz"
    header = json.dumps({**header_dict(track), "format": NPZ_FORMAT})
    record = json.dumps({"key": key, "meta": _meta(track)})
    handle, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".npz")
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez_compressed(out, header=np.array(header), cache=np.array(record), times_s=track.times_s,
                                image=track.image, world=track.world)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    prune_stale(folder)
    return path


def prune_stale(folder: Path, now_s: float | None = None) -> list[Path]:
    """Delete the entries in ``folder`` that an older :data:`CACHE_VERSION` wrote (their names end in
    ``-v<n>.npz``, n below the current one: no lookup asks for them again) and the temporary files of
    writes that began over a day before ``now_s`` (epoch seconds, default now); return what was
    deleted. Other files are never touched, and a file that cannot be deleted is left."""
    now_s = time.time() if now_s is None else now_s
    gone = []
    for path in folder.iterdir():
        match = _VERSIONED.search(path.name)
        try:
            stale = (match is not None and int(match.group(1)) < CACHE_VERSION) or (
                path.name.startswith(".tmp-") and now_s - path.stat().st_mtime > _STALE_TMP_S)
            if stale and path.is_file():
                path.unlink()
                gone.append(path)
        except OSError:
            continue
    return gone
