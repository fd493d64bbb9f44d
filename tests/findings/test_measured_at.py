"""The exercise file's ``measured_at`` says what each detector does: the same statistic over the same
frames, in the file and in the detector's own description."""

from __future__ import annotations

import re

import pytest

from formcoach.exercise import load_exercise
from formcoach.findings.detectors import DETECTORS

#: per mistake, the statistic and the frames it is taken over, as both texts must say them
MEASURED = {
    "pelvis_tilt": ("median", "bottom frames"),
    "knee_caving": ("90th percentile", "bottom frames"),
    "hip_drop": ("95th percentile", "swings"),
    "hip_not_extended": ("20th", "standing frames"),
    "back_leg_weight": ("median", "bottom"),
    "heel_lift": ("90th percentile", "half-way down"),
    "shallow_depth": ("largest", "bottom frames"),
    "balance": ("5-95 % range", "half-way down"),
    "tempo": ("owering", "rise"),
}


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("code", sorted(MEASURED))
def test_measured_at_names_what_the_detector_measures(code: str) -> None:
    measured_at = _words(load_exercise("reverse_lunge").mistake(code).measured_at)
    described = _words(DETECTORS[code].__doc__ or "")
    for phrase in MEASURED[code]:
        assert phrase in measured_at, (code, phrase, measured_at)
        assert phrase in described, (code, phrase, described)


def test_every_detector_is_tied() -> None:
    assert set(MEASURED) == set(DETECTORS)
