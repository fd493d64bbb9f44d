"""The pose-track cache: a video's track computed once, read back exactly, never trusted blindly."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from formcoach.pose import cache, load_input
from formcoach.pose.estimate import POSE_MAX_SIDE_PX
from formcoach.track import N_LANDMARKS, PoseTrack


def _track(n: int = 5) -> PoseTrack:
    rng = np.random.default_rng(1)
    image = rng.random((n, N_LANDMARKS, 4))
    image[2] = np.nan
    world = rng.random((n, N_LANDMARKS, 3))
    world[2] = np.nan
    return PoseTrack(np.arange(n) / 30.0 + 1e-9, image, world, 640, 480, 29.97, "clip.mp4",
                     {"warnings": ["w"], "multi_person_frames": 1, "model": "full", "unkept": object()})


def test_the_cache_lives_in_the_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "cache" / "pose"
    assert cache.cache_dir().is_dir()


def test_an_entry_reads_back_exactly(tmp_path: Path) -> None:
    track = _track()
    path = cache.store("k1", track, tmp_path)
    back = cache.load("k1", tmp_path)
    assert back is not None and path.name == "k1.npz"
    np.testing.assert_array_equal(back.image, track.image)  # float64 kept: the same analysis
    np.testing.assert_array_equal(back.world, track.world)
    np.testing.assert_array_equal(back.times_s, track.times_s)
    assert (back.width, back.height, back.fps, back.source) == (640, 480, 29.97, "clip.mp4")
    assert back.meta == {"warnings": ["w"], "multi_person_frames": 1, "model": "full"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_a_corrupt_or_misplaced_entry_is_not_trusted(tmp_path: Path) -> None:
    cache.store("k1", _track(), tmp_path)
    shutil.copy(tmp_path / "k1.npz", tmp_path / "k2.npz")
    assert cache.load("k2", tmp_path) is None  # its record names another key
    assert cache.load("missing", tmp_path) is None
    data = (tmp_path / "k1.npz").read_bytes()
    (tmp_path / "k1.npz").write_bytes(data[: len(data) // 2])
    assert cache.load("k1", tmp_path) is None
    (tmp_path / "k1.npz").write_bytes(b"not a zip at all")
    assert cache.load("k1", tmp_path) is None


def test_a_write_removes_what_older_versions_and_crashed_writes_left(tmp_path: Path) -> None:
    old = cache.cache_key("ab" * 32, "full", "litert", 1280, 0.04).replace(
        f"-v{cache.CACHE_VERSION}", f"-v{cache.CACHE_VERSION - 1}")
    for name in (f"{old}.npz", ".tmp-crashed.npz", ".tmp-writing.npz", "notes.txt", "x-v9999.npz"):
        (tmp_path / name).write_bytes(b"x")
    day_ago = (tmp_path / ".tmp-crashed.npz").stat().st_mtime - 25 * 3600
    os.utime(tmp_path / ".tmp-crashed.npz", (day_ago, day_ago))
    key = cache.cache_key("cd" * 32, "full", "litert", 1280, 0.04)
    cache.store(key, _track(), tmp_path)
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([f"{key}.npz", ".tmp-writing.npz", "notes.txt", "x-v9999.npz"])
    assert cache.load(key, tmp_path) is not None


def test_content_hash_follows_the_bytes_not_the_name(tmp_path: Path) -> None:
    a, b = tmp_path / "a.mp4", tmp_path / "b.mp4"
    a.write_bytes(b"x" * 3_000_000)
    b.write_bytes(b"x" * 3_000_000)
    assert cache.content_hash(a) == cache.content_hash(b)
    b.write_bytes(b"x" * 2_999_999 + b"y")
    assert cache.content_hash(a) != cache.content_hash(b)
    key = cache.cache_key(cache.content_hash(a), "full", "litert", POSE_MAX_SIDE_PX, 0.0)
    assert "full" in key and "litert" in key and key != cache.cache_key("0", "lite", "litert", 960, 0.0)
    assert key != cache.cache_key(cache.content_hash(a), "full", "litert", POSE_MAX_SIDE_PX, 0.04)


@pytest.mark.slow
def test_a_video_is_estimated_once_then_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           simulated_session: Any) -> None:
    monkeypatch.setenv("FORMCOACH_HOME", str(tmp_path))
    video = tmp_path / "renamed.mp4"
    shutil.copy(simulated_session.video, video)
    calls: list[int] = []
    first = load_input(video, model="lite", backend="litert", progress=lambda done, total: calls.append(done))
    assert calls  # the model ran
    entries = list(cache.cache_dir().glob("*.npz"))
    assert len(entries) == 1 and "-lite-litert-" in entries[0].name
    calls.clear()
    again = load_input(video, model="lite", backend="litert", progress=lambda done, total: calls.append(done))
    assert not calls  # read from the cache
    np.testing.assert_array_equal(again.image, first.image)
    assert again.source == "renamed.mp4"
    entries[0].write_bytes(b"garbage")
    os.utime(entries[0], (0, 0))
    fixed = load_input(video, model="lite", backend="litert", progress=lambda done, total: calls.append(done))
    assert calls  # the corrupt entry was ignored, the model ran again ...
    np.testing.assert_array_equal(fixed.image, first.image)
    assert cache.load(entries[0].stem) is not None  # ... and the entry was rewritten
    calls.clear()
    load_input(video, model="lite", backend="litert", cache=False,
               progress=lambda done, total: calls.append(done))
    assert calls
