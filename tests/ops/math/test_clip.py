"""Tests for scopeflow/ops/clip_ops.py: ``clip_by_norm``, ``global_norm`` and
``clip_by_global_norm`` against NumPy, with TF1's names (checked against TensorFlow by the
``clipping`` snippet of tools/compare_names.py)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

A = np.array([3.0, 4.0], np.float32)
B = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)


def test_global_norm_is_the_norm_of_all_entries(run):
    norm = tf.global_norm([tf.constant(A), None, tf.constant(B)])
    assert norm.name == "global_norm/global_norm:0"
    np.testing.assert_allclose(run(norm), np.sqrt(np.sum(A**2) + np.sum(B**2)), rtol=1e-6)


@pytest.mark.parametrize("clip", [2.0, 100.0])
def test_clip_by_global_norm_scales_every_tensor_by_one_factor(run, clip):
    clipped, norm = tf.clip_by_global_norm([tf.constant(A), None, tf.constant(B)], clip)
    assert clipped[1] is None
    assert [t.name for t in (clipped[0], clipped[2])] == [
        "clip_by_global_norm/clip_by_global_norm/_0:0",
        "clip_by_global_norm/clip_by_global_norm/_2:0",
    ]
    total = np.sqrt(np.sum(A**2) + np.sum(B**2))
    scale = clip / max(total, clip)
    a, b, n = run([clipped[0], clipped[2], norm])
    np.testing.assert_allclose(n, total, rtol=1e-6)
    np.testing.assert_allclose(a, A * scale, rtol=1e-6)
    np.testing.assert_allclose(b, B * scale, rtol=1e-6)


def test_clip_by_global_norm_with_a_given_norm(run):
    (a,), norm = tf.clip_by_global_norm([tf.constant(A)], 1.0, use_norm=tf.constant(10.0))
    assert run(norm) == 10.0
    np.testing.assert_allclose(run(a), A / 10.0, rtol=1e-6)


def test_a_non_finite_global_norm_gives_nan(run):
    (a,), norm = tf.clip_by_global_norm([tf.constant([np.inf, 1.0])], 1.0)
    with np.errstate(invalid="ignore"):
        a_value, norm_value = run([a, norm])
    assert np.isinf(norm_value) and np.isnan(a_value).all()


def test_clip_by_global_norm_needs_a_sequence():
    with pytest.raises(TypeError, match="t_list should be a sequence"):
        tf.clip_by_global_norm(tf.constant(A), 1.0)


@pytest.mark.parametrize(("axes", "keep"), [(None, None), ([1], 1), ([0], 0)])
def test_clip_by_norm_over_axes(run, axes, keep):
    clipped = tf.clip_by_norm(tf.constant(B), 2.0, axes=axes)
    assert clipped.name == "clip_by_norm:0"
    norm = np.sqrt(np.sum(B**2, axis=keep, keepdims=True))
    np.testing.assert_allclose(run(clipped), B * 2.0 / np.maximum(norm, 2.0), rtol=1e-6)


def test_clip_by_norm_leaves_zeros_and_small_tensors_alone(run):
    zeros = tf.clip_by_norm(tf.zeros([3]), 1.0)
    small = tf.clip_by_norm(tf.constant([0.3, 0.4]), 1.0)
    np.testing.assert_array_equal(run(zeros), [0.0, 0.0, 0.0])
    np.testing.assert_allclose(run(small), [0.3, 0.4], rtol=1e-6)
