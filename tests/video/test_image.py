"""Pictures a web page sends: JPEG and WebP decoded and scaled, anything else refused."""

from __future__ import annotations

import cv2
import numpy as np

from formcoach.video.image import decode_image, image_kind


def encoded(ext: str, width: int = 1280, height: int = 720) -> bytes:
    bgr = np.zeros((height, width, 3), np.uint8)
    bgr[:, :, 2] = 200  # red in BGR
    ok, data = cv2.imencode(ext, bgr)
    assert ok
    return data.tobytes()


def test_jpeg_and_webp_decode_to_rgb_scaled_to_the_cap() -> None:
    for ext, kind in ((".jpg", "jpeg"), (".webp", "webp")):
        data = encoded(ext)
        assert image_kind(data) == kind
        rgb = decode_image(data, max_side=640)
        assert rgb is not None and rgb.shape == (360, 640, 3)
        assert rgb[10, 10, 0] > 150 and rgb[10, 10, 2] < 50


def test_anything_else_is_refused() -> None:
    assert decode_image(b"") is None
    assert decode_image(b"GIF89a" + bytes(100)) is None
    assert decode_image(encoded(".jpg")[:40]) is None  # a truncated JPEG
    assert decode_image(encoded(".png")) is None
