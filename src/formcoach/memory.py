"""Give the memory a finished pipeline stage freed back to the operating system.

A long video's pose stage, analysis and report each allocate and free tens of megabytes of arrays.
glibc's ``malloc`` keeps freed blocks in its heaps for reuse (and raises the size above which it
maps large blocks separately as it sees them freed), so without help the process's resident size
after each stage grows with the video's length although what it still holds barely does: the
annotated video, drawn last, would then start tens of megabytes higher on a 10-minute video than on a
1-minute one. :func:`release_free_memory` runs at the end of each stage (the pose stage in
:mod:`formcoach.pose.estimate`, ``analyze_track``, ``write_report``). It returns freed memory only;
nothing in use is touched.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None on another C library (macOS, Windows, musl)."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


def release_free_memory() -> bool:
    """Hand the C heap's free pages back to the operating system (glibc ``malloc_trim(0)``, every
    arena); True when glibc did so, False where there is no such call."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
