"""Decoding ahead on a second thread: order, errors and early stops."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest

from formcoach.video import iter_frames
from formcoach.video.prefetch import prefetch


def test_items_arrive_in_order_from_another_thread() -> None:
    threads = set()

    def numbers() -> Iterator[int]:
        for i in range(50):
            threads.add(threading.current_thread().name)
            yield i

    assert list(prefetch(numbers(), depth=3)) == list(range(50))
    assert threads == {"formcoach-decode"}


def test_an_error_is_raised_where_it_happened() -> None:
    def broken() -> Iterator[int]:
        yield 1
        yield 2
        raise ValueError("frame 3 is corrupt")

    got = []
    with pytest.raises(ValueError, match="frame 3 is corrupt"):
        for item in prefetch(broken()):
            got.append(item)
    assert got == [1, 2]


def test_stopping_early_closes_the_source() -> None:
    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            i = 0
            while True:
                yield i
                i += 1
        finally:
            closed.set()

    stream = prefetch(endless(), depth=2)
    assert [next(stream) for _ in range(5)] == [0, 1, 2, 3, 4]
    stream.close()  # type: ignore[attr-defined]
    assert closed.wait(timeout=5.0)
    with pytest.raises(ValueError, match="depth must be >= 1"):
        next(prefetch(iter([1]), depth=0))


def test_prefetched_frames_equal_direct_decoding(tmp_path: Path, clip_writer: Callable[..., Path]) -> None:
    clip = clip_writer(tmp_path / "clip.mp4", np.arange(12) / 30.0)
    direct = list(iter_frames(clip))
    ahead = list(prefetch(iter_frames(clip), depth=2))
    assert [t for t, _ in ahead] == [t for t, _ in direct]
    assert all(np.array_equal(a, b) for (_, a), (_, b) in zip(ahead, direct, strict=True))
