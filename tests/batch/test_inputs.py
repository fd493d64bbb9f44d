"""PATHs of ``formcoach batch``: videos, folders searched for videos, list files; bad paths refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from formcoach.batch.inputs import collect_videos
from formcoach.errors import UserError


def _touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_folders_are_searched_for_videos_in_name_order_skipping_the_output(tmp_path: Path) -> None:
    a = _touch(tmp_path / "in" / "b" / "lunges.MP4")
    b = _touch(tmp_path / "in" / "a" / "lunges.mp4")
    _touch(tmp_path / "in" / "notes.md")
    _touch(tmp_path / "in" / "out" / "old.mp4")
    found = collect_videos([tmp_path / "in"], skip=tmp_path / "in" / "out")
    assert found == [b.resolve(), a.resolve()]


def test_list_files_are_relative_to_their_folder_and_skip_comments(tmp_path: Path) -> None:
    video = _touch(tmp_path / "clips" / "one.mov")
    other = _touch(tmp_path / "two.webm")
    listing = tmp_path / "clips" / "batch.txt"
    listing.write_text(f"# this week\n\none.mov\n  {other}  \n")
    assert collect_videos([listing]) == [video, other]


def test_each_video_once_and_a_file_taken_as_given(tmp_path: Path) -> None:
    video = _touch(tmp_path / "a.mp4")
    odd = _touch(tmp_path / "recording.bin")
    assert collect_videos([video, tmp_path, odd, tmp_path / "." / "a.mp4"]) == [video, odd]


@pytest.mark.parametrize("content", ["missing.mp4\n", ""])
def test_bad_lists_and_missing_paths_are_refused_before_any_work(tmp_path: Path, content: str) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(content)
    with pytest.raises(UserError, match=r"missing file|no videos found"):
        collect_videos([listing])
    with pytest.raises(UserError, match="no such file or folder"):
        collect_videos([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(UserError, match="no videos found"):
        collect_videos([tmp_path / "empty"])
