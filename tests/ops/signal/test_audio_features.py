"""Tests for scopeflow/ops/signal/audio_features.py (``AudioSpectrogram``, ``Mfcc``): kernels
against TF 2.21's values (recorded from ``tf.raw_ops`` in the reference venv), its static
shapes and errors. Neither op has a gradient, as in TF."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

_T, _C = np.arange(24)[:, None], np.arange(2)[None]
SAMPLES = (np.sin(0.7 * _T + 1.3 * _C) * (1 + 0.1 * _T) / 3).astype(np.float32)
SPEC = ((1 + np.arange(18, dtype=np.float32)).reshape(1, 2, 9) ** 1.5 / 10).astype(np.float32)

# TF 2.21: AudioSpectrogram(SAMPLES, window_size=8, stride=6)
MAGNITUDE = [
    [
        [0.24363, 0.89822, 0.40155, 0.0161, 0.00164],
        [1.11577, 1.33911, 0.56025, 0.0202, 0.00816],
        [1.94948, 1.74704, 0.72358, 0.026, 0.00956],
    ],
    [
        [0.96226, 0.95173, 0.39182, 0.01525, 0.0068],
        [1.34497, 1.32658, 0.56106, 0.02113, 0.0057],
        [0.00644, 1.68065, 0.73727, 0.02649, 0.00305],
    ],
]
# TF 2.21: AudioSpectrogram(SAMPLES, window_size=5, stride=7, magnitude_squared=True)
POWER = [
    [
        [0.68972, 0.48253, 0.15743, 0.01981, 9e-05],
        [0.26412, 0.41301, 0.33036, 0.04954, 0.00028],
        [2.28982, 1.724, 0.66841, 0.08932, 0.0],
    ],
    [
        [0.00142, 0.10808, 0.12849, 0.02115, 6e-05],
        [1.73731, 1.2081, 0.38672, 0.04732, 0.0001],
        [0.29567, 0.65451, 0.59819, 0.09173, 0.00044],
    ],
]
# TF 2.21: Mfcc(SPEC, 16000) with the default attrs
MFCC = [
    [
        [-211.83907, -16.07672, -6.23676, 1.23421, 0.01444, 12.5783, -5.74057, -10.16155,
         -4.24748, 27.50098, -18.77375, 0.14924, -0.19788],
        [-210.40697, -16.6254, -6.64345, 1.26533, 0.09979, 13.12323, -5.97341, -10.72598,
         -4.31876, 28.6299, -19.46159, 0.02195, -0.22729],
    ]
]  # fmt: skip
# TF 2.21: Mfcc(SPEC, 8000, upper 3000, lower 100, 6 channels, 4 coefficients)
MFCC_SMALL = [[[-2.49401, -2.01496, -0.44038, -0.64261], [1.03864, -1.51311, -0.44042, -0.62878]]]


def _spectrogram(window, stride, squared=False):
    def build(x):
        return tf.raw_ops.AudioSpectrogram(
            input=x, window_size=window, stride=stride, magnitude_squared=squared
        )

    return build


def _mfcc(rate, **attrs):
    return lambda s: tf.raw_ops.Mfcc(spectrogram=s, sample_rate=rate, **attrs)


SMALL = dict(
    upper_frequency_limit=3000.0,
    lower_frequency_limit=100.0,
    filterbank_channel_count=6,
    dct_coefficient_count=4,
)
CASES = [
    Case(
        "magnitude", "AudioSpectrogram", _spectrogram(8, 6), (SAMPLES,), np.float32(MAGNITUDE), 1e-4
    ),
    Case(
        "power", "AudioSpectrogram", _spectrogram(5, 7, True), (SAMPLES,), np.float32(POWER), 1e-3
    ),
    Case(
        "shorter-than-a-window",
        "AudioSpectrogram",
        _spectrogram(8, 4),
        (SAMPLES[:5],),
        np.zeros([2, 0, 5], np.float32),
    ),
    Case("mfcc", "Mfcc", _mfcc(16000), (SPEC,), np.float32(MFCC), 1e-4),
    Case("mfcc-small", "Mfcc", _mfcc(8000, **SMALL), (SPEC,), np.float32(MFCC_SMALL), 1e-4),
    Case(
        "mfcc-upper-past-the-bins",
        "Mfcc",
        _mfcc(4000, upper_frequency_limit=5000.0),
        (SPEC,),
        np.zeros([1, 2, 13], np.float32),
    ),
    Case(
        "mfcc-more-coefficients-than-channels",
        "Mfcc",
        _mfcc(16000, dct_coefficient_count=50),
        (SPEC,),
        Raises(
            tf.errors.InvalidArgumentError,
            "Mfcc initialization failed for channel count 9, sample rate 16000 and "
            "filterbank_channel_count 40",
        ),
    ),
]


@pytest.mark.parametrize("case, mode", cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_static_shapes():
    fed = tf.placeholder(tf.float32, [None, 2])
    assert _spectrogram(8, 6)(SAMPLES).shape.as_list() == [2, 3, 5]
    assert _spectrogram(8, 6)(fed).shape.as_list() == [2, None, 5]
    assert _mfcc(16000)(tf.placeholder(tf.float32, [None, None, 9])).shape.as_list() == [
        None,
        None,
        13,
    ]


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: _spectrogram(1, 4)(SAMPLES), "window size must be > 1, got 1"),
        (lambda: _spectrogram(8, 0)(SAMPLES), "stride must be strictly positive, got 0"),
        (lambda: _spectrogram(8, 4)(SAMPLES[:, 0]), "Shape must be rank 2 but is rank 1"),
        (lambda: _mfcc([16000])(SPEC), "Shape must be rank 0 but is rank 1"),
    ],
)
def test_build_errors(build, message):
    with pytest.raises(ValueError, match=message):
        build()
