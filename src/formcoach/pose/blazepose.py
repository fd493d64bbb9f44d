"""BlazePose's geometry, as MediaPipe's pose landmarker graph does it, on plain numpy arrays.

The two models in a vendored ``.task`` bundle are a person detector (224x224 input, 2254 SSD
anchors, 4 key points per box: the hips' centre, a point fixing scale and rotation, and two more)
and a landmark model (256x256 crop of a rotated square around the person: 39 landmarks, of which
33 are the body and 2 more fix the next frame's crop). This module turns their raw outputs into
rectangles and landmarks exactly as MediaPipe's calculators do (``SsdAnchorsCalculator``,
``TensorsToDetectionsCalculator``, weighted non-max suppression, ``AlignmentPointsRectsCalculator``,
``RectTransformationCalculator``, ``RefineLandmarksFromHeatmapCalculator``,
``LandmarkProjectionCalculator``): no model runtime, no image library here.

A rectangle is ``Roi``: centre and size normalised to the image's width and height, rotation in
radians (clockwise in image coordinates, MediaPipe's convention).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

DETECTOR_SIZE_PX = 224
LANDMARK_SIZE_PX = 256
#: Detector anchor layout (MediaPipe's pose_detection graph): strides per layer, 2 anchors a cell.
_STRIDES = (8, 16, 32, 32, 32)
_KEYPOINTS = 4
#: How much the aligned square is enlarged around the person (both crops).
ROI_SCALE = 1.25
#: Detections overlapping more than this (intersection over union) are merged.
NMS_IOU = 0.3
#: Heatmap window used to refine each landmark, cells (MediaPipe's kernel_size).
HEATMAP_KERNEL = 7
#: Heatmap confidence below which a landmark keeps the regressed position.
HEATMAP_MIN_CONFIDENCE = 0.5
BODY_LANDMARKS = 33


@dataclass(frozen=True)
class Roi:
    """A rotated rectangle: centre and size normalised to the image, rotation in radians."""

    x: float
    y: float
    width: float
    height: float
    rotation: float

    def corners_px(self, image_w: int, image_h: int) -> np.ndarray:
        """(3, 2) pixel positions of the crop's top-left, top-right and bottom-left corners."""
        cx, cy = self.x * image_w, self.y * image_h
        half_w, half_h = self.width * image_w / 2, self.height * image_h / 2
        cos, sin = math.cos(self.rotation), math.sin(self.rotation)
        local = np.array([[-half_w, -half_h], [half_w, -half_h], [-half_w, half_h]])
        return np.column_stack([cx + local[:, 0] * cos - local[:, 1] * sin,
                                cy + local[:, 0] * sin + local[:, 1] * cos])

    def iou(self, other: Roi) -> float:
        """Intersection over union of the two rectangles' axis-aligned extents (rotation ignored,
        as MediaPipe's association does)."""
        ax0, ay0, ax1, ay1 = self.x - self.width / 2, self.y - self.height / 2, \
            self.x + self.width / 2, self.y + self.height / 2
        bx0, by0, bx1, by1 = other.x - other.width / 2, other.y - other.height / 2, \
            other.x + other.width / 2, other.y + other.height / 2
        inter = max(0.0, min(ax1, bx1) - max(ax0, bx0)) * max(0.0, min(ay1, by1) - max(ay0, by0))
        union = self.width * self.height + other.width * other.height - inter
        return inter / union if union > 0 else 0.0


def ssd_anchors() -> np.ndarray:
    """(2254, 2) anchor centres (x, y) in [0, 1] of the detector's input, in its output order."""
    out = []
    layer = 0
    while layer < len(_STRIDES):
        stride = _STRIDES[layer]
        same = 0
        while layer < len(_STRIDES) and _STRIDES[layer] == stride:
            same += 1
            layer += 1
        cells = math.ceil(DETECTOR_SIZE_PX / stride)
        ys, xs = np.meshgrid((np.arange(cells) + 0.5) / cells, (np.arange(cells) + 0.5) / cells,
                             indexing="ij")
        centres = np.stack([xs.ravel(), ys.ravel()], axis=1)
        out.append(np.repeat(centres, 2 * same, axis=0))
    return np.concatenate(out)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic function, elementwise, without overflow for large ``|x|``."""
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * np.asarray(x, dtype=np.float64))))


def decode_detections(boxes: np.ndarray, scores: np.ndarray, anchors: np.ndarray,
                      min_score: float) -> tuple[np.ndarray, np.ndarray]:
    """Detector outputs -> ``(score (N,), coords (N, 12))`` above ``min_score``, after weighted
    non-max suppression, best first. ``coords`` are xmin, ymin, xmax, ymax and 4 key points (x, y),
    normalised to the detector's (letterboxed) input."""
    raw = boxes.reshape(-1, 4 + 2 * _KEYPOINTS) / DETECTOR_SIZE_PX
    score = sigmoid(np.clip(scores.reshape(-1), -100.0, 100.0))
    keep = score >= min_score
    raw, score, anchor = raw[keep], score[keep], anchors[keep]
    centre = raw[:, :2] + anchor
    half = raw[:, 2:4] / 2
    points = raw[:, 4:].reshape(-1, _KEYPOINTS, 2) + anchor[:, None, :]
    coords = np.concatenate([centre - half, centre + half, points.reshape(-1, 2 * _KEYPOINTS)], axis=1)
    return _weighted_nms(score, coords)


def _iou_many(box: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    lo = np.maximum(box[:2], boxes[:, :2])
    hi = np.minimum(box[2:4], boxes[:, 2:4])
    inter = np.prod(np.clip(hi - lo, 0.0, None), axis=1)
    area = np.prod(box[2:4] - box[:2])
    areas = np.prod(boxes[:, 2:4] - boxes[:, :2], axis=1)
    union = area + areas - inter
    return np.where(union > 0, inter / np.where(union > 0, union, 1.0), 0.0)


def _weighted_nms(score: np.ndarray, coords: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(-score, kind="stable")
    score, coords = score[order], coords[order]
    out_score, out_coords = [], []
    while len(score):
        overlap = _iou_many(coords[0], coords) > NMS_IOU
        overlap[0] = True
        weights = score[overlap]
        out_score.append(score[0])
        out_coords.append((coords[overlap] * weights[:, None]).sum(axis=0) / weights.sum())
        score, coords = score[~overlap], coords[~overlap]
    return np.asarray(out_score), np.asarray(out_coords).reshape(-1, 4 + 2 * _KEYPOINTS)


def letterbox(image_w: int, image_h: int) -> tuple[float, float]:
    """(pad_x, pad_y): the share of the square detector input on each side that is padding."""
    if image_w >= image_h:
        return 0.0, (1.0 - image_h / image_w) / 2
    return (1.0 - image_w / image_h) / 2, 0.0


def unletterbox(points: np.ndarray, image_w: int, image_h: int) -> np.ndarray:
    """(..., 2) points in the letterboxed detector input -> normalised image coordinates."""
    pad_x, pad_y = letterbox(image_w, image_h)
    return (points - [pad_x, pad_y]) / [1.0 - 2 * pad_x, 1.0 - 2 * pad_y]


def aligned_roi(centre: np.ndarray, scale_point: np.ndarray, image_w: int, image_h: int) -> Roi:
    """The crop MediaPipe takes from two alignment points (normalised): a square centred on
    ``centre``, twice the distance to ``scale_point`` across, then enlarged by :data:`ROI_SCALE`,
    turned so the line between the points is vertical."""
    x0, y0 = centre[0] * image_w, centre[1] * image_h
    x1, y1 = scale_point[0] * image_w, scale_point[1] * image_h
    size_px = 2.0 * math.hypot(x1 - x0, y1 - y0) * ROI_SCALE
    angle = math.pi / 2 - math.atan2(-(y1 - y0), x1 - x0)
    angle -= 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))
    return Roi(float(centre[0]), float(centre[1]), size_px / image_w, size_px / image_h, angle)


def refine_with_heatmap(xy: np.ndarray, heatmap: np.ndarray) -> np.ndarray:
    """(39, 2) landmarks normalised to the crop, moved to the confidence-weighted centre of their
    heatmap window (sigmoid of the (64, 64, 39) heatmap) where that window is confident."""
    size_h, size_w = heatmap.shape[:2]
    out = xy.copy()
    half = (HEATMAP_KERNEL - 1) // 2
    for i in range(xy.shape[0]):
        col, row = int(xy[i, 0] * size_w), int(xy[i, 1] * size_h)
        if not (0 <= col < size_w and 0 <= row < size_h):
            continue
        r0, r1 = max(0, row - half), min(size_h, row + half + 1)
        c0, c1 = max(0, col - half), min(size_w, col + half + 1)
        conf = sigmoid(heatmap[r0:r1, c0:c1, i])
        total = float(conf.sum())
        if conf.max() < HEATMAP_MIN_CONFIDENCE or total <= 0:
            continue
        col_mean = float(conf.sum(axis=0) @ np.arange(c0, c1)) / total
        row_mean = float(conf.sum(axis=1) @ np.arange(r0, r1)) / total
        out[i] = (col_mean / size_w, row_mean / size_h)
    return out


def project(points: np.ndarray, roi: Roi) -> np.ndarray:
    """(N, 3) x, y normalised to the crop and z -> image-normalised x, y and z (z scaled by the
    crop's width)."""
    cos, sin = math.cos(roi.rotation), math.sin(roi.rotation)
    x, y = points[:, 0] - 0.5, points[:, 1] - 0.5
    return np.column_stack([(cos * x - sin * y) * roi.width + roi.x,
                            (sin * x + cos * y) * roi.height + roi.y,
                            points[:, 2] * roi.width])


def rotate_world(world: np.ndarray, rotation: float) -> np.ndarray:
    """(N, 3) world landmarks of the turned crop -> the image's orientation (about the z axis)."""
    cos, sin = math.cos(rotation), math.sin(rotation)
    return np.column_stack([cos * world[:, 0] - sin * world[:, 1],
                            sin * world[:, 0] + cos * world[:, 1], world[:, 2]])
