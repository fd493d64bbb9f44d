"""Uploads: streamed to disk in chunks (never held in memory), the size limit enforced while the
bytes arrive, then checked to be a video formcoach can read before anything is queued.

A rejected upload leaves nothing behind: its partial file is deleted, no session is created.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from formcoach.errors import BadVideoError

#: File-name endings kept for an upload (so the decoder's format guess works); others get ``.video``.
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".webm", ".mkv", ".avi", ".gif", ".3gp"})
#: Magic bytes of video containers, used to tell "not a video" (415) from "a broken video" (422).
MAGIC = ((4, b"ftyp"), (0, b"\x1aE\xdf\xa3"), (0, b"RIFF"), (0, b"GIF8"), (0, b"\x00\x00\x01\xba"))
#: The longest file name shown back to the user, in characters.
MAX_NAME_CHARS = 120


@dataclass(frozen=True)
class UploadError(Exception):
    """An upload refused, with the HTTP status and a one-line message for the person uploading."""

    status: int
    message: str

    def __str__(self) -> str:
        return self.message


def clean_filename(name: str | None) -> str:
    """The user's file name for display only, control characters removed, at most MAX_NAME_CHARS.

    It is never used to build a path (a ``/`` in it stays text); it is escaped wherever it is shown.
    """
    base = "".join(ch for ch in name or "" if ch.isprintable()).strip()
    return base[:MAX_NAME_CHARS] or "video"


def suffix_for(name: str) -> str:
    """A safe file-name ending for the stored upload: a known video suffix, else ``.video``."""
    suffix = Path(name).suffix.lower()
    return suffix if suffix in VIDEO_SUFFIXES else ".video"


def too_large_message(limit_bytes: int) -> str:
    """The sentence a person reads when her video is over the limit."""
    return (f"This video is larger than {limit_bytes / 2**20:.0f} MB, the most formcoach accepts. "
            "Film a shorter clip (one set is enough) and try again.")


async def save_stream(chunks: AsyncIterator[bytes], folder: Path, suffix: str, limit_bytes: int) -> Path:
    """Write ``chunks`` to a new file with a random name in ``folder``; return its path.

    Raises UploadError 413 as soon as the next chunk would take the file past ``limit_bytes`` (the
    file never holds more than the limit) and 422 for an empty body; either way the file is gone.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{secrets.token_hex(16)}{suffix}"
    written = 0
    try:
        with path.open("wb") as out:
            async for chunk in chunks:
                if written + len(chunk) > limit_bytes:
                    raise UploadError(413, too_large_message(limit_bytes))
                out.write(chunk)
                written += len(chunk)
        if written == 0:
            raise UploadError(422, "The file is empty (0 bytes). Choose the video again.")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _looks_like_video(path: Path) -> bool:
    with path.open("rb") as stream:
        head = stream.read(16)
    return any(head[offset:offset + len(magic)] == magic for offset, magic in MAGIC)


def check_video(path: Path) -> None:
    """Raise UploadError unless ``path`` is a video formcoach can decode (its header and first frame).

    415 when the file is not a video at all; 422 when it looks like one but cannot be read
    (truncated, damaged). Blocking: call it from a worker thread.
    """
    from formcoach.video import probe

    try:
        info = probe(path)
    except BadVideoError:
        if _looks_like_video(path):
            raise UploadError(422, "This video cannot be read: it may be incomplete or damaged. "
                              "Copy it again from your phone and retry.") from None
        raise UploadError(415, "This file is not a video. Choose a video file "
                          "(from your phone's camera: mp4, mov or webm).") from None
    if info.width <= 0 or info.height <= 0:
        raise UploadError(422, "This video has no picture formcoach can read. Try another video.")


def discard(path: Path) -> None:
    """Delete an upload that will not be analysed (missing already is fine)."""
    path.unlink(missing_ok=True)
