"""The plain-numpy filters against scipy.signal's, and their behaviour on signals with known answers."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, find_peaks, sosfiltfilt

from formcoach.analysis.filters import butterworth2, filtfilt, local_maxima


@pytest.mark.parametrize("highpass", [False, True])
@pytest.mark.parametrize("cutoff", [0.02, 0.15, 0.4, 0.8])
def test_butterworth2_matches_scipy(cutoff: float, highpass: bool) -> None:
    sos = butter(2, cutoff, btype="highpass" if highpass else "lowpass", output="sos")
    b, a = butterworth2(cutoff, highpass=highpass)
    # scipy splits the gain differently between b's coefficients only in scale: compare the filters
    np.testing.assert_allclose(b / b[0], sos[0, :3] / sos[0, 0], rtol=1e-10)
    np.testing.assert_allclose(b[0], sos[0, 0], rtol=1e-10)
    np.testing.assert_allclose(a, sos[0, 3:], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("padlen", [0, 1, 9, 15, 120])
@pytest.mark.parametrize("highpass", [False, True])
def test_filtfilt_matches_scipy(padlen: int, highpass: bool) -> None:
    rng = np.random.default_rng(padlen)
    x = rng.normal(size=(300, 5)).cumsum(axis=0)
    sos = butter(2, 0.12, btype="highpass" if highpass else "lowpass", output="sos")
    b, a = butterworth2(0.12, highpass=highpass)
    np.testing.assert_allclose(filtfilt(b, a, x, padlen), sosfiltfilt(sos, x, axis=0, padlen=padlen),
                               rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(filtfilt(b, a, x[:, 0], padlen), sosfiltfilt(sos, x[:, 0], padlen=padlen),
                               rtol=1e-9, atol=1e-9)


def test_filtfilt_passes_the_band_and_stops_the_rest() -> None:
    t = np.arange(0, 20, 1 / 30)  # 20 s at 30 frames a second
    slow, fast = np.sin(2 * np.pi * 0.5 * t), np.sin(2 * np.pi * 10 * t)
    b, a = butterworth2(3 / 15)  # 3 Hz at 30 frames a second
    out = filtfilt(b, a, 2.0 + slow + fast, padlen=9)
    middle = slice(60, -60)
    np.testing.assert_allclose(out[middle], 2.0 + slow[middle], atol=0.02)
    hb, ha = butterworth2(3 / 15, highpass=True)
    np.testing.assert_allclose(filtfilt(hb, ha, 2.0 + slow + fast, padlen=9)[middle], fast[middle], atol=0.02)


def test_filtfilt_keeps_a_constant_and_refuses_a_long_pad() -> None:
    b, a = butterworth2(0.3)
    np.testing.assert_allclose(filtfilt(b, a, np.full(40, 7.5), padlen=9), 7.5)
    with pytest.raises(ValueError, match="padlen"):
        filtfilt(b, a, np.zeros(10), padlen=10)
    with pytest.raises(ValueError, match="cut-off"):
        butterworth2(1.0)


def test_local_maxima_match_scipy_with_plateaus() -> None:
    rng = np.random.default_rng(3)
    for _ in range(500):
        x = np.concatenate(([-np.inf], rng.integers(0, 4, size=int(rng.integers(0, 25))).astype(float),
                            [-np.inf]))
        np.testing.assert_array_equal(local_maxima(x), find_peaks(x)[0])


def test_local_maxima_flat_top_counts_once_at_its_middle() -> None:
    np.testing.assert_array_equal(local_maxima(np.array([0, 1, 3, 3, 3, 3, 1, 2, 0.0])), [3, 7])
    np.testing.assert_array_equal(local_maxima(np.array([5, 1, 5.0])), [])  # the ends never count
