"""Analytic ray casting of the figure's primitives: tapered capsules and ellipsoids.

Rays start at the camera centre (the origin of camera coordinates) with unit directions ``rd``
of shape (3, h, w); each function returns the hit distance along the ray in metres (inf where the
ray misses) and the unit surface normal (3, h, w) in camera coordinates.
"""

from __future__ import annotations

import numpy as np

Hit = tuple[np.ndarray, np.ndarray]


def _dot(v: np.ndarray, rd: np.ndarray) -> np.ndarray:
    return np.asarray(v[0] * rd[0] + v[1] * rd[1] + v[2] * rd[2])


def _normalise(n: np.ndarray) -> np.ndarray:
    return np.asarray(n / np.maximum(np.sqrt((n * n).sum(axis=0)), 1e-12))


def round_cone(rd: np.ndarray, pa: np.ndarray, pb: np.ndarray, ra: float, rb: float) -> Hit:
    """Hit of a round cone (a capsule whose radius tapers from ``ra`` at pa to ``rb`` at pb).

    After Inigo Quilez's closed-form round-cone intersection: a quadric for the cone's body and
    two spheres for the ends. Points and radii in metres, camera coordinates.
    """
    ba, oa, ob = pb - pa, -pa, -pb
    rr = ra - rb
    m0, m1, m5, m7 = ba @ ba, ba @ oa, oa @ oa, ob @ ob
    m2, m3, m6 = _dot(ba, rd), _dot(oa, rd), _dot(ob, rd)
    d2 = m0 - rr * rr
    k2 = d2 - m2 * m2
    k1 = d2 * m3 - m1 * m2 + m2 * rr * ra
    k0 = d2 * m5 - m1 * m1 + 2.0 * m1 * rr * ra - m0 * ra * ra
    h = k1 * k1 - k0 * k2
    with np.errstate(invalid="ignore", divide="ignore"):
        t_body = (-np.sqrt(h) - k1) / k2
        y = m1 - ra * rr + t_body * m2
        body = (h >= 0) & (y > 0) & (y < d2)
        h1, h2 = m3 * m3 - m5 + ra * ra, m6 * m6 - m7 + rb * rb
        t1 = np.where(h1 >= 0, -m3 - np.sqrt(h1), np.inf)
        t2 = np.where(h2 >= 0, -m6 - np.sqrt(h2), np.inf)
    cap_b = t2 < t1
    t_cap = np.where(cap_b, t2, t1)
    t = np.where(body, t_body, t_cap)
    t = np.where(t > 0, t, np.inf)
    t_safe = np.where(np.isfinite(t), t, 0.0)
    p = rd * t_safe
    n_body = d2 * (p + oa[:, None, None]) - ba[:, None, None] * np.where(body, y, 0.0)
    centre = np.where(cap_b, 1.0, 0.0) * pb[:, None, None] + np.where(cap_b, 0.0, 1.0) * pa[:, None, None]
    n = np.where(body, n_body, p - centre)
    return np.asarray(t), _normalise(n)


def ellipsoid(rd: np.ndarray, centre: np.ndarray, axes: np.ndarray) -> Hit:
    """Hit of an ellipsoid with ``centre`` (3,) and semi-axis vectors as the columns of ``axes``."""
    inv = np.linalg.inv(axes)
    c = inv @ centre
    d = np.einsum("ij,jhw->ihw", inv, rd)
    a = (d * d).sum(axis=0)
    b = _dot(c, d)
    disc = b * b - a * (c @ c - 1.0)
    with np.errstate(invalid="ignore"):
        t = (b - np.sqrt(disc)) / a
    t = np.where((disc >= 0) & (t > 0), t, np.inf)
    q = d * np.where(np.isfinite(t), t, 0.0) - c[:, None, None]
    n = np.einsum("ji,jhw->ihw", inv, q)
    return np.asarray(t), _normalise(n)


def sd_round_cone(p: np.ndarray, a: np.ndarray, b: np.ndarray, r1: float, r2: float) -> np.ndarray:
    """Signed distance (metres) of points (N, 3) to a round cone; used to check the intersector."""
    ba = b - a
    l2 = ba @ ba
    rr = r1 - r2
    a2 = l2 - rr * rr
    pa = p - a
    y = pa @ ba
    z = y - l2
    x2 = ((pa * l2 - np.outer(y, ba)) ** 2).sum(axis=1)
    y2, z2 = y * y * l2, z * z * l2
    k = np.sign(rr) * rr * rr * x2
    out = (np.sqrt(x2 * a2 / l2) + y * rr) / l2 - r1
    out = np.where(np.sign(y) * a2 * y2 < k, np.sqrt(x2 + y2) / l2 - r1, out)
    return np.asarray(np.where(np.sign(z) * a2 * z2 > k, np.sqrt(x2 + z2) / l2 - r2, out))
