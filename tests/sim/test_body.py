"""Anthropometry: de Leva's tables and their scaling by height and sex."""

from __future__ import annotations

import pytest

from formcoach.sim.body import COM_FRACTION, MASS_FRACTION, BodyShape, body_dims

SEGMENT_COUNT = {"head": 1, "trunk": 1, "upper_arm": 2, "forearm": 2, "hand": 2, "thigh": 2,
                 "shank": 2, "foot": 2}


@pytest.mark.parametrize("sex", ["female", "male"])
def test_segment_masses_add_up_to_the_body(sex: str) -> None:
    total = sum(MASS_FRACTION[sex][seg] * n for seg, n in SEGMENT_COUNT.items())
    assert total == pytest.approx(1.0, abs=2e-3)
    assert all(0 < f < 1 for f in COM_FRACTION[sex].values())


def test_lengths_scale_with_height() -> None:
    short, tall = body_dims(BodyShape(height_m=1.5)), body_dims(BodyShape(height_m=1.8))
    assert tall.thigh / short.thigh == pytest.approx(1.8 / 1.5)
    assert tall.hip_height / tall.shape.height_m == pytest.approx(short.hip_height / 1.5)
    assert tall.mass_kg == pytest.approx(22.0 * 1.8**2)


def test_male_and_female_tables_differ() -> None:
    f, m = body_dims(BodyShape(sex="female")), body_dims(BodyShape(sex="male"))
    assert f.thigh != m.thigh
    assert 0.45 < f.hip_height / 1.68 < 0.56 and 0.45 < m.hip_height / 1.68 < 0.56


@pytest.mark.parametrize(("field", "value"), [("height_m", 3.0), ("sex", "other"), ("bmi", 5.0),
                                              ("build", 3.0)])
def test_bad_shape_is_rejected_with_its_name(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        BodyShape(**{field: value})  # type: ignore[arg-type]
