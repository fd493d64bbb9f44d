"""BlazePose's geometry on synthetic numbers: anchors, detections, crops, refinement, projection."""

from __future__ import annotations

import math

import numpy as np
import pytest

from formcoach.pose.blazepose import (
    ROI_SCALE,
    Roi,
    aligned_roi,
    decode_detections,
    letterbox,
    project,
    refine_with_heatmap,
    rotate_world,
    ssd_anchors,
    unletterbox,
)


def test_anchors_cover_the_detector_input_in_its_output_order() -> None:
    anchors = ssd_anchors()
    assert anchors.shape == (2254, 2)
    np.testing.assert_allclose(anchors[0], [0.5 / 28, 0.5 / 28])
    np.testing.assert_allclose(anchors[1], anchors[0])  # two anchors per cell
    np.testing.assert_allclose(anchors[2], [1.5 / 28, 0.5 / 28])  # x runs fastest
    np.testing.assert_allclose(anchors[1568], [0.5 / 14, 0.5 / 14])  # then the 14x14 layer
    np.testing.assert_allclose(anchors[-1], [6.5 / 7, 6.5 / 7])
    assert anchors.min() > 0 and anchors.max() < 1


def test_overlapping_detections_merge_weighted_by_score() -> None:
    anchors = ssd_anchors()
    boxes = np.zeros((2254, 12))
    scores = np.full(2254, -20.0)
    for index, shift, logit in ((100, 0.0, 4.0), (101, 2.24, 2.0), (2000, 0.0, 3.0)):
        boxes[index, 2:4] = 44.8  # 0.2 of the input wide and high
        boxes[index, 0] = shift  # 0.01 of the input to the right
        boxes[index, 4:] = shift
        scores[index] = logit
    score, coords = decode_detections(boxes, scores, anchors, min_score=0.5)
    assert len(score) == 2  # 100 and 101 overlap and merge; 2000 is elsewhere
    assert score[0] == pytest.approx(1 / (1 + math.exp(-4.0)))
    w1, w2 = score[0], 1 / (1 + math.exp(-2.0))
    centre = anchors[100, 0] + 0.01 * w2 / (w1 + w2)
    assert (coords[0, 0] + coords[0, 2]) / 2 == pytest.approx(centre)
    assert coords[0, 2] - coords[0, 0] == pytest.approx(0.2)
    np.testing.assert_allclose((coords[1, :2] + coords[1, 2:4]) / 2, anchors[2000])
    assert decode_detections(boxes, scores, anchors, min_score=0.99)[0].size == 0


def test_letterbox_is_undone() -> None:
    assert letterbox(1280, 720) == (0.0, pytest.approx((1 - 720 / 1280) / 2))
    assert letterbox(720, 1280)[1] == 0.0
    pad = (1 - 720 / 1280) / 2
    np.testing.assert_allclose(unletterbox(np.array([[0.5, pad], [1.0, 1 - pad]]), 1280, 720),
                               [[0.5, 0.0], [1.0, 1.0]])


def test_aligned_roi_is_a_square_turned_along_the_body() -> None:
    upright = aligned_roi(np.array([0.5, 0.5]), np.array([0.5, 0.3]), 200, 100)
    assert upright.rotation == pytest.approx(0.0)
    assert upright.width * 200 == pytest.approx(2 * 20 * ROI_SCALE)  # 20 px from centre to point
    assert upright.height * 100 == pytest.approx(upright.width * 200)  # square in pixels
    lying = aligned_roi(np.array([0.5, 0.5]), np.array([0.6, 0.5]), 200, 100)
    assert lying.rotation == pytest.approx(math.pi / 2)


@pytest.mark.parametrize("rotation", [0.0, 0.4, -2.0])
def test_projection_puts_the_crop_corners_where_the_crop_was_taken(rotation: float) -> None:
    roi = Roi(0.4, 0.6, 0.3, 0.5, rotation)
    corners = roi.corners_px(300, 180) / [300, 180]
    placed = project(np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.5, 0.5, 0.1]]), roi)
    np.testing.assert_allclose(placed[:3, :2], corners, atol=1e-12)
    np.testing.assert_allclose(placed[3], [0.4, 0.6, 0.1 * 0.3])


def test_world_landmarks_turn_with_the_crop() -> None:
    np.testing.assert_allclose(rotate_world(np.array([[1.0, 0.0, 0.3]]), math.pi / 2), [[0.0, 1.0, 0.3]],
                               atol=1e-12)


def test_heatmap_moves_confident_landmarks_only() -> None:
    heatmap = np.full((64, 64, 2), -10.0)
    heatmap[20, 30, 0] = 10.0  # confident peak near landmark 0
    heatmap[40, 10, 1] = -0.5  # landmark 1's window stays below 0.5
    xy = np.array([[31.5 / 64, 21.5 / 64], [10 / 64, 40 / 64]])
    out = refine_with_heatmap(xy, heatmap)
    assert out[0] == pytest.approx([30 / 64, 20 / 64], abs=1e-3)
    np.testing.assert_array_equal(out[1], xy[1])


def test_iou_of_rectangles() -> None:
    a = Roi(0.5, 0.5, 0.2, 0.2, 0.0)
    assert a.iou(a) == pytest.approx(1.0)
    assert a.iou(Roi(0.6, 0.5, 0.2, 0.2, 1.0)) == pytest.approx(1 / 3)
    assert a.iou(Roi(0.9, 0.9, 0.1, 0.1, 0.0)) == 0.0
