"""Pose-track files: round trips in both forms and clear errors for broken files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from formcoach.errors import BadTrackError
from formcoach.track import LANDMARK_NAMES, N_LANDMARKS, PoseTrack
from formcoach.trackio import read_track, write_track


def sample_track(n: int = 6) -> PoseTrack:
    rng = np.random.default_rng(1)
    image = rng.random((n, N_LANDMARKS, 4))
    world = rng.normal(size=(n, N_LANDMARKS, 3)) * 0.3
    image[2] = np.nan
    world[2] = np.nan
    times = np.cumsum(rng.uniform(0.02, 0.05, n))  # variable frame rate
    return PoseTrack(times, image, world, 1280, 720, 29.97, "clip.mp4")


@pytest.mark.parametrize("suffix", [".jsonl", ".npz"])
def test_round_trip(tmp_path: Path, suffix: str) -> None:
    track = sample_track()
    back = read_track(write_track(track, tmp_path / f"t{suffix}"))
    np.testing.assert_allclose(back.times_s, track.times_s, atol=1e-6)
    np.testing.assert_allclose(back.image, track.image, atol=1e-5)
    np.testing.assert_allclose(back.world, track.world, atol=1e-5)
    assert (back.width, back.height, back.fps, back.source) == (1280, 720, 29.97, "clip.mp4")
    assert back.found.tolist() == track.found.tolist()


def test_npz_landmarks_stay_float32_and_jsonl_ones_are_float64(tmp_path: Path) -> None:
    """The .npz form stores float32 (the pose model's precision) and is read back without widening,
    so a long video's cached track takes half the memory; text numbers are read as float64."""
    track = sample_track()
    npz = read_track(write_track(track, tmp_path / "t.npz"))
    jsonl = read_track(write_track(track, tmp_path / "t.jsonl"))
    assert npz.image.dtype == npz.world.dtype == np.float32
    assert jsonl.image.dtype == jsonl.world.dtype == np.float64
    assert npz.times_s.dtype == np.float64


def test_jsonl_layout_is_the_documented_contract(tmp_path: Path) -> None:
    path = write_track(sample_track(3), tmp_path / "t.jsonl")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines[0] == {"format": "formcoach.pose-track", "version": 1, "source": "clip.mp4",
                        "width": 1280, "height": 720, "fps": 29.97, "landmarks": list(LANDMARK_NAMES)}
    assert set(lines[1]) == {"t", "image", "world"}
    assert len(lines[1]["image"]) == 33 and len(lines[1]["image"][0]) == 4
    assert len(lines[1]["world"][0]) == 3
    assert lines[3]["image"] is None and lines[3]["world"] is None


def _write_lines(path: Path, lines: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    return path


def _header(**overrides: object) -> dict[str, object]:
    header: dict[str, object] = {"format": "formcoach.pose-track", "version": 1, "source": "x",
                                 "width": 10, "height": 10, "fps": 30.0, "landmarks": list(LANDMARK_NAMES)}
    header.update(overrides)
    return header


FRAME = {"t": 0.0, "image": [[0.5, 0.5, 0.0, 1.0]] * 33, "world": [[0.0, 0.0, 0.0]] * 33}


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([_header(format="other")], "not a formcoach pose-track"),
        ([_header(version=2)], "version 2 is not supported"),
        ([_header(landmarks=["nose"])], "33 BlazePose names"),
        ([_header(width="wide")], "'width'"),
        ([_header(), {**FRAME, "image": [[0.5, 0.5]] * 33}], "'image' must be 33 rows of 4"),
        ([_header(), FRAME, FRAME], "strictly increasing"),
        ([_header(), {"image": None, "world": None}], "numeric 't'"),
    ],
)
def test_broken_files_are_rejected_with_the_reason(tmp_path: Path, lines: list[object], message: str) -> None:
    path = _write_lines(tmp_path / "bad.jsonl", lines)
    with pytest.raises(BadTrackError, match=message):
        read_track(path)


def test_truncated_and_binary_files(tmp_path: Path) -> None:
    good = write_track(sample_track(), tmp_path / "t.jsonl")
    truncated = tmp_path / "cut.jsonl"
    truncated.write_text(good.read_text()[:-200])
    with pytest.raises(BadTrackError, match=r"cut\.jsonl:7: not valid JSON"):
        read_track(truncated)
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"\x00\xff" * 50)
    with pytest.raises(BadTrackError, match=r"not a readable formcoach \.npz"):
        read_track(junk)
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(BadTrackError, match="empty"):
        read_track(empty)
    with pytest.raises(BadTrackError, match="no such file"):
        read_track(tmp_path / "missing.jsonl")


def test_header_only_track_is_empty(tmp_path: Path) -> None:
    track = read_track(_write_lines(tmp_path / "h.jsonl", [_header()]))
    assert len(track) == 0
