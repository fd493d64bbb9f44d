"""What ``formcoach batch PATH...`` analyses: videos, folders searched for videos, and list files.

A PATH is one of
- a folder: every video under it (sub-folders included), in name order;
- a list file (``.txt``, ``.list``): one video or pose-track path a line, relative to the list's
  own folder unless absolute; blank lines and lines starting with ``#`` are ignored;
- anything else: a video (or a pose-track file), taken as given, even when it turns out to be
  corrupt, so that it is reported as failed rather than silently left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from formcoach.errors import UserError

#: Suffixes (lower case) of the files a folder is searched for: videos and pose-track files.
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi", ".gif", ".mpg", ".mpeg"})
#: Suffixes of list files (one path a line).
LIST_SUFFIXES = frozenset({".txt", ".list", ".lst"})


def _folder_videos(folder: Path, skip: Path | None) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        if skip is not None and path.is_relative_to(skip):
            continue
        if path.is_file() and path.suffix.lower() in VIDEO_SUFFIXES:
            found.append(path)
    return found


def _list_entries(list_file: Path) -> list[Path]:
    try:
        lines = list_file.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{list_file}: cannot read the list of videos ({error}); give a text file "
                        "with one video path a line") from None
    entries = []
    for line in lines:
        text = line.strip()
        if text and not text.startswith("#"):
            path = Path(text).expanduser()
            entries.append(path if path.is_absolute() else list_file.parent / path)
    return entries


def collect_videos(paths: Iterable[Path], skip: Path | None = None) -> list[Path]:
    """The videos named by ``paths`` (files, folders, list files), each once, in the order given.

    ``skip`` is a folder left out of folder searches (the batch's own output folder). A path that
    does not exist is a :class:`UserError`, before any work starts; an empty result is one too.
    """
    skip = skip.resolve() if skip is not None else None
    videos: list[Path] = []
    seen: set[Path] = set()
    for given in paths:
        if not given.exists():
            raise UserError(f"{given}: no such file or folder; give videos, folders of videos or a "
                            "text file listing them")
        if given.is_dir():
            found = _folder_videos(given.resolve(), skip)
        elif given.suffix.lower() in LIST_SUFFIXES:
            found = _list_entries(given)
            missing = [str(path) for path in found if not path.is_file()]
            if missing:
                raise UserError(f"{given}: lists {len(missing)} missing file(s), first {missing[0]}; "
                                "fix the list (paths are relative to the list's folder)")
        else:
            found = [given]
        for path in found:
            key = path.resolve()
            if key not in seen:
                seen.add(key)
                videos.append(path)
    if not videos:
        raise UserError("no videos found in " + ", ".join(str(p) for p in paths) + "; folders are "
                        "searched for " + ", ".join(sorted(VIDEO_SUFFIXES)) + " files")
    return videos
