"""Tests for scopeflow/ragged/functions.py and operators.py: tf.ragged.boolean_mask, stack,
map_flat_values and the operators of RaggedTensor. Every expected value is TF 2.21's
(compat.v1, graph mode) for the same expression."""

from __future__ import annotations

import pytest

import scopeflow as tf


def rt():
    return tf.ragged.constant([[1, 2], [3], []])


def rt2():
    return tf.ragged.constant([[[1, 2], [3]], [[4]], []])


def rf():
    return tf.ragged.constant([[1.0, 4.0], [9.0], []])


VALUES = {
    "mask_ragged": (
        lambda: tf.ragged.boolean_mask(rt(), tf.ragged.constant([[True, False], [True], []])),
        [[1], [3], []],
    ),
    "mask_rows": (lambda: tf.ragged.boolean_mask(rt(), [True, False, True]), [[1, 2], []]),
    "mask_dense2": (
        lambda: tf.ragged.boolean_mask([[1, 2], [3, 4]], [[True, False], [False, True]]),
        [[1], [4]],
    ),
    "mask_dense1": (lambda: tf.ragged.boolean_mask([[1, 2], [3, 4]], [False, True]), [[3, 4]]),
    "mask_rr2": (
        lambda: tf.ragged.boolean_mask(
            rt2(), tf.ragged.constant([[[True, False], [True]], [[False]], []])
        ),
        [[[1], [3]], [[]], []],
    ),
    "mask_rr2_rows": (
        lambda: tf.ragged.boolean_mask(rt2(), tf.ragged.constant([[True, False], [True], []])),
        [[[1, 2]], [[4]], []],
    ),
    "stack0": (
        lambda: tf.ragged.stack([rt(), tf.ragged.constant([[4]])]),
        [[[1, 2], [3], []], [[4]]],
    ),
    "stack1": (
        lambda: tf.ragged.stack([rt(), rt()], axis=1),
        [[[1, 2], [1, 2]], [[3], [3]], [[], []]],
    ),
    "stack_dense": (lambda: tf.ragged.stack([[1, 2], [3, 4]]), [[1, 2], [3, 4]]),
    "stack_mixed": (
        lambda: tf.ragged.stack([rt(), [[5, 6], [7, 8], [9, 0]]]),
        [[[1, 2], [3], []], [[5, 6], [7, 8], [9, 0]]],
    ),
    "map": (lambda: tf.ragged.map_flat_values(tf.sqrt, rf()), [[1.0, 2.0], [3.0], []]),
    "map2": (lambda: tf.ragged.map_flat_values(tf.add, rf(), rf()), [[2.0, 8.0], [18.0], []]),
    "map_kw": (
        lambda: tf.ragged.map_flat_values(tf.multiply, x=rf(), y=2.0),
        [[2.0, 8.0], [18.0], []],
    ),
    "add": (lambda: rt() + 1, [[2, 3], [4], []]),
    "radd": (lambda: 10 - rt(), [[9, 8], [7], []]),
    "mul_rr": (lambda: rt() * rt(), [[1, 4], [9], []]),
    "div": (lambda: rt() / 2, [[0.5, 1.0], [1.5], []]),
    "floordiv": (lambda: rt() // 2, [[0, 1], [1], []]),
    "mod": (lambda: rt() % 2, [[1, 0], [1], []]),
    "pow": (lambda: rf() ** 2, [[1.0, 16.0], [81.0], []]),
    "neg": (lambda: -rt(), [[-1, -2], [-3], []]),
    "abs": (lambda: abs(-rt()), [[1, 2], [3], []]),
    "lt": (lambda: rt() < 2, [[True, False], [False], []]),
    "and": (lambda: (rt() < 3) & (rt() > 1), [[False, True], [False], []]),
    "inv": (lambda: ~(rt() < 2), [[False, True], [True], []]),
    "add_inner": (
        lambda: tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1) + [10, 20],
        [[[11, 22], [13, 24]], [[15, 26]]],
    ),
}


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_match_tensorflow(graph, run, name):
    build, expected = VALUES[name]
    value = run(build())
    assert (value.to_list() if hasattr(value, "to_list") else value.tolist()) == expected


def test_different_row_partitions_fail(graph, run):
    with pytest.raises(tf.errors.InvalidArgumentError, match="identical ragged splits"):
        run(rt() + tf.ragged.constant([[1], [2, 3], []]))


def test_dense_operands_of_the_ragged_rank_are_refused(graph):
    with pytest.raises(NotImplementedError, match="RaggedTensor.from_tensor"):
        rt() + tf.constant([[1], [2], [3]])


PARTITIONS = {
    "vector": (
        lambda: tf.ragged.stack_dynamic_partitions([10, 20, 30, 40, 50], [1, 0, 2, 1, 1], 4),
        [[20], [10, 40, 50], [30], []],
        [4, None],
    ),
    "matrix_rows": (
        lambda: tf.ragged.stack_dynamic_partitions([[1, 2], [3, 4], [5, 6]], [1, 0, 1], 2),
        [[[3, 4]], [[1, 2], [5, 6]]],
        [2, None, 2],
    ),
    "ragged_rows": (
        lambda: tf.ragged.stack_dynamic_partitions(
            tf.ragged.constant([[1], [2, 3], []]), [1, 0, 1], 2
        ),
        [[[2, 3]], [[1], []]],
        [2, None, None],
    ),
    "matrix_partitions": (
        lambda: tf.ragged.stack_dynamic_partitions([[1, 2], [3, 4]], [[0, 1], [1, 1]], 2),
        [[1], [2, 3, 4]],
        [2, None],
    ),
}


@pytest.mark.parametrize("name", sorted(PARTITIONS))
def test_stack_dynamic_partitions_matches_tensorflow(graph, run, name):
    build, expected, static = PARTITIONS[name]
    rt = build()
    assert rt.shape.as_list() == static
    assert run(rt).to_list() == expected


def test_stack_dynamic_partitions_checks_partitions(graph, run):
    with pytest.raises(tf.errors.InvalidArgumentError, match="less than num_partitions"):
        run(tf.ragged.stack_dynamic_partitions([1, 2], [0, 5], 2))
    with pytest.raises(tf.errors.InvalidArgumentError, match="partitions must be non-negative"):
        run(tf.ragged.stack_dynamic_partitions([1, 2], [0, -1], 2))
    with pytest.raises(ValueError, match=r"Shapes \(1, 2\) and \(2,\) are incompatible"):
        tf.ragged.stack_dynamic_partitions([1, 2], [[0, 1]], 2)
