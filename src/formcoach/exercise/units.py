"""Units and measured signals an exercise file may name.

Every number in an exercise file that is not a plain count or a duration field ending in ``_s``
is a :class:`~formcoach.exercise.schema.Quantity` ``{value, unit}``. The unit must be one of
:data:`UNITS`, and a mistake's limit must use a unit its signal allows (:data:`SIGNALS`).
"""

from __future__ import annotations

from dataclasses import dataclass

UNITS: dict[str, str] = {
    "deg": "degrees",
    "cm": "centimetres",
    "m": "metres",
    "s": "seconds",
    "Hz": "hertz",
    "percent": "percent (0-100)",
    "fraction": "fraction (0-1)",
    "ratio": "ratio of two like quantities",
    "body_heights": "multiples of the person's standing height",
}
"""Every unit an exercise file may use, with its spelled-out name."""


@dataclass(frozen=True)
class Signal:
    """A measured signal the analysis computes per rep, with the units its limits may use."""

    name: str
    units: tuple[str, ...]
    label: str
    """Short noun phrase for sentences: "the <label> is more than <limit>"."""
    description: str
    """What exactly is measured, for documentation."""


_SIGNAL_LIST: tuple[Signal, ...] = (
    Signal(
        "pelvis_obliquity_deg",
        ("deg",),
        "sideways tilt of the pelvis",
        "tilt of the hip line in the frontal plane, either way, relative to standing",
    ),
    Signal(
        "pelvis_rotation_deg",
        ("deg",),
        "twist of the pelvis",
        "turn of the pelvis about the vertical axis relative to standing (side view: the hands on it)",
    ),
    Signal(
        "knee_frontal_angle_deg",
        ("deg",),
        "angle of the front knee off the hip-ankle line (in or out)",
        "front knee's frontal-plane projection angle: how far the knee leaves the hip-ankle line, in or out",
    ),
    Signal(
        "knee_over_foot_cm",
        ("cm",),
        "how far the front knee strays sideways from over your foot",
        "front knee's sideways offset from the foot's line (the second and third toes) at the bottom, "
        "in or out, relative to standing with the knee over the ankle",
    ),
    Signal(
        "hip_drop_deg",
        ("deg",),
        "drop of the pelvis on the stepping side",
        "drop of the stepping side of the pelvis below the working side while the leg goes back",
    ),
    Signal(
        "hip_flexion_top_deg",
        ("deg",),
        "bend left in the front hip at the top",
        "front hip flexion at the top of the rep (0 = trunk and thigh in line)",
    ),
    Signal(
        "front_leg_weight_fraction",
        ("fraction", "percent"),
        "share of your weight on the front leg",
        "share of body weight over the front foot at the bottom, from the centre of mass",
    ),
    Signal(
        "heel_lift_cm",
        ("cm", "m", "body_heights"),
        "lift of the front heel",
        "rise of the front heel above its standing height",
    ),
    Signal(
        "front_knee_flexion_deg",
        ("deg",),
        "bend of the front knee at the bottom",
        "front knee flexion at the bottom of the rep (0 = straight)",
    ),
    Signal(
        "com_sway_cm",
        ("cm", "m", "body_heights"),
        "side-to-side sway of your centre of mass",
        "side-to-side travel of the centre of mass during the rep",
    ),
    Signal("lowering_s", ("s",), "lowering time", "duration of the lowering (eccentric) phase"),
    Signal("rise_s", ("s",), "rise time", "duration of the rise (concentric) phase"),
)

SIGNALS: dict[str, Signal] = {signal.name: signal for signal in _SIGNAL_LIST}
"""Every signal a mistake may be measured by, keyed by name."""

_LENGTH_M = {"m": 1.0, "cm": 0.01}
_SHARE = {"fraction": 1.0, "percent": 0.01}


def convert(value: float, unit: str, to_unit: str, *, body_height_m: float | None = None) -> float:
    """Convert ``value`` from ``unit`` to ``to_unit`` and return it as a float.

    Lengths convert between ``m``, ``cm`` and ``body_heights`` (the last needs ``body_height_m``, the
    person's standing height in metres); shares between ``fraction`` and ``percent``. Any other pair
    must be the same unit. Raises ``ValueError`` naming both units when they do not convert.
    """
    if unit == to_unit:
        return float(value)
    if unit in _SHARE and to_unit in _SHARE:
        return float(value) * _SHARE[unit] / _SHARE[to_unit]
    lengths = {*_LENGTH_M, "body_heights"}
    if unit in lengths and to_unit in lengths:
        scale = dict(_LENGTH_M)
        if "body_heights" in (unit, to_unit):
            if body_height_m is None or not body_height_m > 0:
                raise ValueError(
                    f"converting {unit} to {to_unit} needs a positive body_height_m, got {body_height_m!r}"
                )
            scale["body_heights"] = float(body_height_m)
        return float(value) * scale[unit] / scale[to_unit]
    raise ValueError(f"cannot convert {unit!r} to {to_unit!r}")
