"""Still images sent by a web page (JPEG or WebP bytes) decoded to RGB frames, with OpenCV."""

from __future__ import annotations

import numpy as np

#: The formats a browser's canvas encodes and this module decodes, by their first bytes.
JPEG_MAGIC = b"\xff\xd8\xff"


def image_kind(data: bytes) -> str | None:
    """``"jpeg"`` or ``"webp"`` from the first bytes of ``data``, None for anything else."""
    if data.startswith(JPEG_MAGIC):
        return "jpeg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def decode_image(data: bytes, max_side: int | None = None) -> np.ndarray | None:
    """The (H, W, 3) uint8 RGB picture in JPEG or WebP ``data``, scaled down so its longer side is at
    most ``max_side`` pixels; None when ``data`` is not such a picture or is damaged."""
    import cv2

    if image_kind(data) is None:
        return None
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    if bgr is None or bgr.ndim != 3 or min(bgr.shape[:2]) < 1:
        return None
    height, width = bgr.shape[:2]
    if max_side and max(width, height) > max_side:
        scale = max_side / max(width, height)
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        bgr = cv2.resize(bgr, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(bgr[:, :, ::-1])
