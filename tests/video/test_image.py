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


def test_a_y4m_file_has_its_header_and_one_420_frame_per_picture(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from formcoach.video.y4m import write_y4m

    frames = [np.full((4, 6, 3), v, np.uint8) for v in (0, 128, 255)]
    path = tmp_path / "clip.y4m"
    assert write_y4m(frames, path, fps=29.97) == 3
    data = path.read_bytes()
    assert data.startswith(b"YUV4MPEG2 W6 H4 F2997:100 Ip A1:1 C420jpeg\nFRAME\n")
    assert len(data) == data.index(b"\n") + 1 + 3 * (len(b"FRAME\n") + 6 * 4 * 3 // 2)
