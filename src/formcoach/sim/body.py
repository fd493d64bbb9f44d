"""Anthropometry of the synthetic athlete: segment lengths, masses and centres of mass.

Limb lengths, segment mass fractions and centre-of-mass positions come from de Leva (1996),
"Adjustments to Zatsiorsky-Seluyanov's segment inertia parameters", J. Biomech. 29(9), table 4
(reference statures 1741 mm for men, 1735 mm for women), scaled linearly by the athlete's
height. The trunk and head fill the rest of the stature; widths (hips, shoulders) and the foot's
shape are common anthropometric ratios of stature. Every length is in metres.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Sex = Literal["female", "male"]

#: de Leva (1996) reference statures, metres.
_REF_STATURE_M = {"male": 1.741, "female": 1.735}
#: de Leva (1996) segment lengths, metres, at the reference stature.
_LENGTH_M = {
    "male": {"upper_arm": 0.2817, "forearm": 0.2689, "hand": 0.0862, "thigh": 0.4222,
             "shank": 0.4340, "foot": 0.2581},
    "female": {"upper_arm": 0.2751, "forearm": 0.2643, "hand": 0.0780, "thigh": 0.3685,
               "shank": 0.4323, "foot": 0.2283},
}
#: de Leva (1996) segment masses as a fraction of body mass.
MASS_FRACTION = {
    "male": {"head": 0.0694, "trunk": 0.4346, "upper_arm": 0.0271, "forearm": 0.0162,
             "hand": 0.0061, "thigh": 0.1416, "shank": 0.0433, "foot": 0.0137},
    "female": {"head": 0.0668, "trunk": 0.4257, "upper_arm": 0.0255, "forearm": 0.0138,
               "hand": 0.0056, "thigh": 0.1478, "shank": 0.0481, "foot": 0.0129},
}
#: de Leva (1996) centre of mass along each segment, fraction of its length from the proximal end
#: (head: from the vertex; trunk: from the neck base C7; foot: from the heel).
COM_FRACTION = {
    "male": {"head": 0.5976, "trunk": 0.4486, "upper_arm": 0.5772, "forearm": 0.4574,
             "hand": 0.7900, "thigh": 0.4095, "shank": 0.4459, "foot": 0.4415},
    "female": {"head": 0.5894, "trunk": 0.4151, "upper_arm": 0.5754, "forearm": 0.4559,
               "hand": 0.7474, "thigh": 0.3612, "shank": 0.4416, "foot": 0.4014},
}


@dataclass(frozen=True)
class BodyShape:
    """Who the athlete is: height in metres, sex, body mass index (kg/m^2) and build.

    ``build`` scales every limb's and the torso's girth (1.0 average, 0.85 slim, 1.2 heavy).
    ``thigh_scale``, ``shank_scale``, ``arm_scale`` (0.9..1.1) scale those segments' lengths against
    de Leva's ratios at the same stature (the trunk takes up the difference), ``hip_width_scale`` and
    ``shoulder_width_scale`` (0.8..1.25) the body's widths.
    """

    height_m: float = 1.68
    sex: Sex = "female"
    bmi: float = 22.0
    build: float = 1.0
    thigh_scale: float = 1.0
    shank_scale: float = 1.0
    arm_scale: float = 1.0
    hip_width_scale: float = 1.0
    shoulder_width_scale: float = 1.0

    def __post_init__(self) -> None:
        if not 1.2 <= self.height_m <= 2.2:
            raise ValueError(f"height_m must be 1.2..2.2 metres, got {self.height_m}")
        if self.sex not in _REF_STATURE_M:
            raise ValueError(f"sex must be 'female' or 'male', got {self.sex!r}")
        if not 15.0 <= self.bmi <= 40.0:
            raise ValueError(f"bmi must be 15..40 kg/m^2, got {self.bmi}")
        if not 0.7 <= self.build <= 1.5:
            raise ValueError(f"build must be 0.7..1.5, got {self.build}")
        for name in ("thigh_scale", "shank_scale", "arm_scale"):
            if not 0.9 <= getattr(self, name) <= 1.1:
                raise ValueError(f"{name} must be 0.9..1.1, got {getattr(self, name)}")
        for name in ("hip_width_scale", "shoulder_width_scale"):
            if not 0.8 <= getattr(self, name) <= 1.25:
                raise ValueError(f"{name} must be 0.8..1.25, got {getattr(self, name)}")


@dataclass(frozen=True)
class BodyDims:
    """Segment lengths and body widths of one athlete, metres; mass in kilograms."""

    shape: BodyShape
    mass_kg: float
    upper_arm: float
    forearm: float
    hand: float
    thigh: float
    shank: float
    foot: float
    ankle_height: float
    hip_height: float
    trunk: float
    neck_base_height: float
    shoulder_drop: float
    head_length: float
    hip_half_width: float
    shoulder_half_width: float

    @property
    def leg_length(self) -> float:
        """Thigh plus shank, metres."""
        return self.thigh + self.shank


def body_dims(shape: BodyShape) -> BodyDims:
    """Segment lengths (metres) and mass (kg) for ``shape``, scaled from de Leva (1996)."""
    h = shape.height_m
    scale = h / _REF_STATURE_M[shape.sex]
    lengths = {name: value * scale for name, value in _LENGTH_M[shape.sex].items()}
    own = {"thigh": shape.thigh_scale, "shank": shape.shank_scale, "upper_arm": shape.arm_scale,
           "forearm": shape.arm_scale}
    lengths = {name: value * own.get(name, 1.0) for name, value in lengths.items()}
    ankle = 0.039 * h
    hip = ankle + lengths["shank"] + lengths["thigh"]
    neck_base = 0.85 * h
    female = shape.sex == "female"
    return BodyDims(
        shape=shape,
        mass_kg=shape.bmi * h * h,
        upper_arm=lengths["upper_arm"], forearm=lengths["forearm"], hand=lengths["hand"],
        thigh=lengths["thigh"], shank=lengths["shank"], foot=lengths["foot"],
        ankle_height=ankle, hip_height=hip, trunk=neck_base - hip, neck_base_height=neck_base,
        shoulder_drop=0.03 * h, head_length=h - neck_base,
        hip_half_width=(0.052 if female else 0.049) * h * shape.hip_width_scale,
        shoulder_half_width=(0.100 if female else 0.108) * h * shape.shoulder_width_scale,
    )


def foot_points(dims: BodyDims) -> dict[str, tuple[float, float]]:
    """Points of a flat foot as (forward, up) metres relative to the ankle joint's floor spot.

    ``heel`` and ``toe`` are BlazePose's heel and foot_index; ``ball`` is the
    metatarsophalangeal joint the rear foot pivots on when the heel lifts.
    """
    f = dims.foot
    return {
        "ankle": (0.0, dims.ankle_height),
        "heel": (-0.24 * f, 0.12 * dims.ankle_height + 0.012),
        "ball": (0.50 * f, 0.022),
        "toe": (0.76 * f, 0.018),
    }
