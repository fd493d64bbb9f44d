"""Decoding ahead on a second thread, so the pose model never waits for a frame.

PyAV's decoder, its scaler and colour conversion release Python's lock while they work, and so
does the model runtime: a decode thread feeding a small bounded queue keeps both cores busy while
memory stays at a few frames whatever the video's length.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator
from typing import TypeVar, cast

T = TypeVar("T")

#: Frames decoded ahead of the consumer at most (a 960x540 RGB frame is 1.5 MB).
PREFETCH_FRAMES = 6
_END = object()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


def prefetch(items: Iterator[T], depth: int = PREFETCH_FRAMES) -> Iterator[T]:
    """``items`` produced on a background thread, at most ``depth`` ahead of the consumer.

    An exception raised by ``items`` is raised here, at the point it occurred in the sequence.
    Closing this iterator early (``break``, an error in the consumer) stops the thread and closes
    ``items``.
    """
    if depth < 1:
        raise ValueError(f"depth must be >= 1, got {depth}")
    buffer: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        buffer.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    break
            else:
                buffer.put(_END)
        except BaseException as error:  # handed to the consumer, raised there
            buffer.put(_Failure(error))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="formcoach-decode", daemon=True)
    thread.start()
    try:
        while True:
            item = buffer.get()
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield cast(T, item)
    finally:
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                buffer.get(timeout=0.05)
        thread.join()
