"""Maximum/minimum of a large array and one value (scopeflow/ops/kernels/extrema.py): the single
value spread into an array gives the broadcast call's bits (NaN, +0.0 against -0.0, either
operand order, every real dtype); the zeros are read-only and hold no memory of their own.
``select`` gives ``np.where``'s bits, NaN payloads and signed zeros included."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.kernels import extrema

_FLOAT_VALUES = (0.0, -0.0, 3.5, -2.0, np.nan, np.inf)


def _large(dtype) -> np.ndarray:
    rng = np.random.default_rng(1)
    x = (rng.standard_normal((380, 11)) * 5).astype(dtype)
    if x.dtype.kind == "f":
        x.flat[::7] = np.nan
        x.flat[::11] = -0.0
        x.flat[::13] = 0.0
        x.flat[::17] = -np.inf
    return x


@pytest.mark.parametrize(
    "dtype", [np.float32, np.float64, np.float16, np.int32, np.int64, np.uint8]
)
@pytest.mark.parametrize("fn", [np.maximum, np.minimum, np.fmax, np.fmin])
def test_extremum_gives_the_broadcast_bits(dtype, fn):
    x = _large(dtype)
    values = _FLOAT_VALUES if x.dtype.kind == "f" else (0, 3, 1)
    for value in values:
        c = np.asarray(value, dtype)
        for a, b in ((x, c), (c, x), (x, c.reshape(1, 1)), (c.reshape(1), x)):
            want, got = fn(a, b), extrema.extremum(fn, a, b)
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))


def test_spread_leaves_other_operands_alone():
    x = _large(np.float32)
    for y in (np.float32(0), 0.0, np.zeros((), np.float64), x[:1, :1].T.copy()[None]):
        a, b = extrema.spread(x, y)
        assert a is x and b is y
    small = np.ones(10, np.float32)
    zero = np.zeros((), np.float32)
    assert extrema.spread(small, zero)[1] is zero
    strided = x[:, ::2]
    assert extrema.spread(strided, zero)[1] is zero


def test_zeros_are_read_only_views_of_one_map():
    a = extrema.zeros((64, 64), np.float32)
    b = extrema.zeros((32,), np.float64)
    assert not a.flags.writeable and not b.flags.writeable
    assert not np.any(a) and not np.signbit(a).any()
    with pytest.raises(ValueError):
        a[0, 0] = 1
    big = extrema.zeros((3 << 20,), np.float32)  # grows the map; earlier views stay valid
    assert big.shape == (3 << 20,) and not np.any(a)
    assert extrema.zeros_like(np.ones(3, np.float32)).shape == ()


def test_relu_and_maximum_ops_keep_their_values():
    x = _large(np.float32)
    t = tf.placeholder(tf.float32, x.shape)
    ops = [
        tf.nn.relu(t),
        tf.nn.relu6(t),
        tf.maximum(t, 0.0),
        tf.minimum(t, -1.5),
        tf.maximum(2.0, t),
    ]
    with tf.Session() as sess:
        got = sess.run(ops, {t: x})
    zero, six = np.float32(0), np.float32(6)
    want = [
        np.maximum(x, zero),
        np.minimum(np.maximum(x, zero), six),
        np.maximum(x, zero),
        np.minimum(x, np.float32(-1.5)),
        np.maximum(np.float32(2), x),
    ]
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g.view(np.uint8), w.view(np.uint8))


def test_zeros_without_an_anonymous_map(monkeypatch):
    def refused(*args, **kwargs):
        raise OSError("no map")

    monkeypatch.setattr(extrema.mmap, "mmap", refused)
    monkeypatch.setattr(extrema, "_zero_pages", np.zeros(0, np.uint8))
    z = extrema.zeros((5, 7), np.float64)
    assert z.shape == (5, 7) and not z.flags.writeable and not np.any(z)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_select_picks_np_where_bits(dtype):
    rng = np.random.default_rng(5)
    a = (rng.standard_normal((64, 129)) * 50).astype(dtype)
    b = (rng.standard_normal((64, 129)) * 50).astype(dtype)
    specials = [np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, np.finfo(dtype).tiny / 4]
    a.flat[: len(specials)] = specials
    b.flat[3 : 3 + len(specials)] = specials
    for condition in (a > 0, b <= a, np.zeros(a.shape, bool), np.ones(a.shape, bool)):
        got = extrema.select(condition, a, b)
        expected = np.where(condition, a, b)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got.view(np.uint8), expected.view(np.uint8))  # the bits
    view = a[:, ::2]  # strided operands
    np.testing.assert_array_equal(
        extrema.select(view > 0, view, b[:, ::2]), np.where(view > 0, view, b[:, ::2])
    )


def test_select_leaves_other_arguments_to_np_where():
    x = np.arange(-3, 3, dtype=np.float32)
    cases = [
        (x > 0, x, np.float32(2)),  # a scalar
        (x > 0, x, x.astype(np.float64)),  # dtypes that differ
        (x > 0, x.astype(np.int32), x.astype(np.int32)),  # integers
        (np.array(True), x, -x),  # a condition that broadcasts
        (np.array(False), np.float32(1.5), np.array(2.5, np.float32)),  # 0-d
        (np.array(True), np.array(1.5), np.array(2.5)),
    ]
    for condition, a, b in cases:
        got = extrema.select(condition, a, b)
        expected = np.where(condition, a, b)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)
