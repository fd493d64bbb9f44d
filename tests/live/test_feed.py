"""Frames from a web page: newest wins, late and out-of-order frames dropped, bad ones skipped."""

from __future__ import annotations

import threading

import cv2
import numpy as np
import pytest

from formcoach.live.feed import FrameFeed, browser_source


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def jpeg(width: int = 960, height: int = 540) -> bytes:
    return cv2.imencode(".jpg", np.full((height, width, 3), 90, np.uint8))[1].tobytes()


def test_only_the_newest_frame_waits_and_frames_out_of_order_are_dropped() -> None:
    clock = Clock()
    feed = FrameFeed(clock=clock)
    assert feed.push(1000.0, b"a") == "ok"
    clock.now += 0.033
    assert feed.push(1033.0, b"b") == "ok"  # replaces a, which the loop never took
    assert feed.push(1020.0, b"c") == "out_of_order"
    assert feed.take() == (pytest.approx(0.033), b"b")
    assert (feed.counts.dropped, feed.received, feed.counts.newest_s) == (2, 3, pytest.approx(0.033))


def test_a_frame_arriving_much_later_than_it_was_captured_is_dropped() -> None:
    clock = Clock()
    feed = FrameFeed(max_late_s=1.0, clock=clock)
    assert feed.push(0.0, b"a") == "ok"
    clock.now += 2.5  # Wi-Fi stalls: the frame captured at 0.1 s arrives 2.5 s on
    assert feed.push(100.0, b"b") == "late"
    assert feed.push(2400.0, b"c") == "ok"  # captured 2.4 s on: on time again


def test_the_source_decodes_takes_its_size_from_the_first_frame_and_skips_bad_ones() -> None:
    feed = FrameFeed()
    source = browser_source(feed, max_side=640)
    got: list[tuple[float, tuple[int, ...]]] = []
    reader = threading.Thread(target=lambda: got.extend((t, rgb.shape) for t, rgb in source.frames))
    reader.start()
    for i, data in enumerate([jpeg(), b"\xff\xd8\xff broken", jpeg()]):
        feed.push(i * 100.0, data)
        while feed._pending is not None:  # wait for the loop to take it
            threading.Event().wait(0.01)
    feed.close()
    reader.join(timeout=5)
    assert got == [(0.0, (360, 640, 3)), (0.2, (360, 640, 3))]
    assert (source.width, source.height, feed.bad, source.counts.delivered) == (640, 360, 1, 2)
    assert feed.push(400.0, jpeg()) == "closed"


def test_a_feed_with_no_frames_ends_after_the_stall_time() -> None:
    feed = FrameFeed(stall_s=0.05)
    assert list(browser_source(feed).frames) == []
