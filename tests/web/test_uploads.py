"""Streaming an upload to disk: the limit holds while the bytes arrive, and a refused upload
leaves no file behind."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from formcoach.web.uploads import UploadError, check_video, clean_filename, save_stream, suffix_for

CHUNK = 1000


class Source:
    """An async stream of ``count`` chunks that records how many the reader pulled."""

    def __init__(self, count: int, watch: Path) -> None:
        self.count, self.pulled, self.watch, self.largest_file = count, 0, watch, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for _ in range(self.count):
            sizes = [p.stat().st_size for p in self.watch.glob("*")] if self.watch.is_dir() else []
            self.largest_file = max([self.largest_file, *sizes])
            self.pulled += 1
            yield b"x" * CHUNK


def test_the_file_never_holds_more_than_the_limit(tmp_path: Path) -> None:
    source = Source(100, tmp_path)
    with pytest.raises(UploadError) as refused:
        asyncio.run(save_stream(source.__aiter__(), tmp_path, ".mp4", limit_bytes=10 * CHUNK + 10))
    assert refused.value.status == 413
    assert source.pulled == 11  # stopped at the first chunk past the limit, not at the end
    assert source.largest_file <= 10 * CHUNK + 10
    assert list(tmp_path.iterdir()) == []


def test_a_stream_within_the_limit_is_kept_whole(tmp_path: Path) -> None:
    path = asyncio.run(save_stream(Source(5, tmp_path).__aiter__(), tmp_path, ".mov", limit_bytes=5 * CHUNK))
    assert path.stat().st_size == 5 * CHUNK and path.suffix == ".mov" and path.parent == tmp_path
    assert len(path.stem) == 32


def test_an_empty_body_is_422_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(UploadError) as refused:
        asyncio.run(save_stream(Source(0, tmp_path).__aiter__(), tmp_path, ".mp4", limit_bytes=CHUNK))
    assert refused.value.status == 422
    assert list(tmp_path.iterdir()) == []


def test_file_names_are_for_display_only() -> None:
    assert clean_filename("../../etc/passwd") == "../../etc/passwd"  # shown as text, never opened
    assert clean_filename(" IMG_0001.MOV ") == "IMG_0001.MOV"
    assert len(clean_filename("a" * 500)) == 120
    assert clean_filename("a\x00b\nc.mp4") == "abc.mp4"
    assert clean_filename("") == "video"
    assert suffix_for("x.MOV") == ".mov" and suffix_for("x.exe") == ".video" and suffix_for("x") == ".video"


def test_not_a_video_is_415_and_a_truncated_one_422(tmp_path: Path, simulated_session) -> None:  # type: ignore[no-untyped-def]
    text = tmp_path / "notes.mp4"
    text.write_text("shopping list")
    with pytest.raises(UploadError) as refused:
        check_video(text)
    assert refused.value.status == 415
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(Path(simulated_session.video).read_bytes()[:3000])
    with pytest.raises(UploadError) as broken:
        check_video(cut)
    assert broken.value.status == 422
    check_video(Path(simulated_session.video))
