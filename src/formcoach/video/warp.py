"""Cropping a turned square out of a frame for the pose model (OpenCV's bilinear warp)."""

from __future__ import annotations

import cv2
import numpy as np


def crop_square(rgb: np.ndarray, corners_px: np.ndarray, size_px: int, *,
                replicate: bool = False) -> np.ndarray:
    """The (size_px, size_px, 3) uint8 picture of the parallelogram whose top-left, top-right and
    bottom-left corners are ``corners_px`` (3, 2) in pixels of ``rgb``; outside the frame is black,
    or with ``replicate`` the frame's edge pixels repeated.

    Corners map to the output's corners (not to pixel centres), as MediaPipe's crops do.
    """
    target = np.array([[0.0, 0.0], [size_px, 0.0], [0.0, size_px]], np.float32)
    matrix = cv2.getAffineTransform(np.asarray(corners_px, np.float32), target)
    return np.asarray(cv2.warpAffine(rgb, matrix, (size_px, size_px), flags=cv2.INTER_LINEAR,
                                     borderMode=cv2.BORDER_REPLICATE if replicate else cv2.BORDER_CONSTANT,
                                     borderValue=(0, 0, 0)))
