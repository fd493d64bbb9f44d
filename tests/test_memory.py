"""release_free_memory: the C heap's free pages go back to the operating system."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from formcoach.memory import release_free_memory


def _rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024  # type: ignore[union-attr]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim is Linux only")
def test_freed_heap_memory_is_handed_back() -> None:
    """Blocks freed in the middle of the heap (a few kept alive, so it cannot just shrink from the
    top) stay resident until the heap is trimmed."""
    release_free_memory()
    blocks = [bytearray(8192) for _ in range(30_000)]  # 240 MB of malloc'd blocks, written (zeroed)
    kept = blocks[::500]
    del blocks
    before = _rss_mb()
    assert release_free_memory()
    after = _rss_mb()
    assert before - after > 100, f"RSS {before:.0f} MB -> {after:.0f} MB"
    assert len(kept) == 60


def test_it_is_safe_to_call_anywhere() -> None:
    assert release_free_memory() in (True, False)
