"""Tests for ``tf.extract_volume_patches`` (scopeflow/ops/image/volume_patches.py): patches
and gradients against TensorFlow 2.21's values (literals below), finite differences, and
TF's build errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.kernel_table import Case, cases_by_mode, check_case

X = np.arange(2 * 4 * 5 * 3 * 2, dtype=np.float32).reshape(2, 4, 5, 3, 2)
WEIGHTS_SEED = 0


def _valid(x):
    return tf.extract_volume_patches(x, [1, 2, 3, 2, 1], [1, 1, 2, 1, 1], "VALID")


def _same(x):
    return tf.extract_volume_patches(x, [1, 3, 2, 2, 1], [1, 2, 2, 2, 1], "SAME")


CASES = [
    Case("valid-shape", "ExtractVolumePatches", _valid, (X,), lambda x: _loop(x, "valid")),
    Case("same-shape", "ExtractVolumePatches", _same, (X,), lambda x: _loop(x, "same")),
]


def _loop(x, kind):
    """The patches by a loop over output voxels (zeros outside the volume)."""
    k, s = ([2, 3, 2], [1, 2, 1]) if kind == "valid" else ([3, 2, 2], [2, 2, 2])
    sizes = x.shape[1:4]
    if kind == "valid":
        outs = [(n - kk) // ss + 1 for n, kk, ss in zip(sizes, k, s, strict=True)]
        before = [0, 0, 0]
    else:
        outs = [-(-n // ss) for n, ss in zip(sizes, s, strict=True)]
        before = [
            max((o - 1) * ss + kk - n, 0) // 2
            for o, ss, kk, n in zip(outs, s, k, sizes, strict=True)
        ]
    out = np.zeros((x.shape[0], *outs, k[0] * k[1] * k[2] * x.shape[4]), x.dtype)
    for index in np.ndindex(*outs):
        taps = []
        for offsets in np.ndindex(*k):
            at = [i * ss + o - b for i, ss, o, b in zip(index, s, offsets, before, strict=True)]
            inside = all(0 <= a < n for a, n in zip(at, sizes, strict=True))
            taps.append(x[:, at[0], at[1], at[2]] if inside else np.zeros_like(x[:, 0, 0, 0]))
        out[(slice(None), *index)] = np.concatenate(taps, axis=-1)
    return out


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_patches_equal_tfs(run):
    y = run(_valid(X))
    assert y.shape == (2, 3, 2, 2, 24)
    assert y[0, 0, 0, 0].tolist() == [0, 1, 2, 3, 6, 7, 8, 9, 12, 13, 14, 15] + [
        30, 31, 32, 33, 36, 37, 38, 39, 42, 43, 44, 45
    ]  # fmt: skip
    assert y[1, 2, 1, 1].tolist() == [194, 195, 196, 197, 200, 201, 202, 203] + [
        206, 207, 208, 209, 224, 225, 226, 227, 230, 231, 232, 233, 236, 237, 238, 239
    ]  # fmt: skip


def test_gradient_equals_tfs(run):
    x = tf.constant(X)
    y = _same(x)
    w = np.random.RandomState(WEIGHTS_SEED).uniform(-1, 1, y.shape.as_list()).astype(np.float32)
    grad = tf.gradients(tf.reduce_sum(y * w), x)[0]
    assert grad.shape.as_list() == [2, 4, 5, 3, 2]
    np.testing.assert_allclose(
        run(grad)[0, :, :, 0, 0],
        [
            [0.09763, -0.15269, -0.36914, 0.97675, 0.17303],
            [0.92733, 0.13609, 0.30622, -0.68206, -0.50249],
            [-0.34718, 1.38572, -1.23445, 0.13072, 1.12667],
            [-0.67501, 0.61464, -0.37641, -0.95064, -0.7103],
        ],
        atol=1e-5,
    )


GRADIENTS = [
    GradCase("valid", _valid, (X[:1, :3, :4, :2] / 10,)),
    GradCase("same", _same, (X[:1, :3, :4, :3, :1] / 10,)),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)


def test_names_and_static_shape(graph):
    y = tf.extract_volume_patches(tf.zeros([2, 4, 5, 3, 2]), [1, 2, 2, 2, 1], [1] * 5, "SAME")
    assert y.name == "ExtractVolumePatches:0" and y.shape.as_list() == [2, 4, 5, 3, 16]
    named = tf.extract_volume_patches(tf.zeros([1, 2, 2, 2, 1]), [1] * 5, [1] * 5, "VALID", "v")
    assert named.name == "v:0"


@pytest.mark.parametrize(
    ("shape", "ksizes", "match"),
    [
        ([2, 4, 5, 3, 2], [1, 2, 2, 1], "passed list of length 4 less than minimum 5"),
        ([2, 4, 5, 3, 2], [1, 9, 2, 2, 1], "Computed output size would be negative"),
        ([4, 5, 3, 2], [1, 2, 2, 2, 1], "Shape must be rank 5 but is rank 4"),
    ],
)
def test_build_errors(graph, shape, ksizes, match):
    with pytest.raises(ValueError, match=match):
        tf.extract_volume_patches(tf.zeros(shape), ksizes, [1, 1, 1, 1, 1], "VALID")
