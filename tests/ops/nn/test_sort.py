"""tf.sort / tf.argsort (scopeflow/ops/nn/sort.py): built from TopKV2 as TF1 builds them (GPT-2's
top_p_logits sorts its logits DESCENDING). Op names, types, inputs, shapes and values were
read from TF 2.21 (tensorflow.compat.v1, graph mode)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

# TF 2.21's ops for tf.sort(x, direction="DESCENDING") then tf.sort(x, axis=0), x [2, 5].
TF_OPS = [
    ("Placeholder", "Placeholder", [], [2, 5]),
    ("sort/axis", "Const", [], []),
    ("sort/Shape", "Const", [], [2]),
    ("sort/strided_slice/stack", "Const", [], [1]),
    ("sort/strided_slice/stack_1", "Const", [], [1]),
    ("sort/strided_slice/stack_2", "Const", [], [1]),
    (
        "sort/strided_slice",
        "StridedSlice",
        [
            "sort/Shape:0",
            "sort/strided_slice/stack:0",
            "sort/strided_slice/stack_1:0",
            "sort/strided_slice/stack_2:0",
        ],
        [],
    ),
    ("sort/Rank", "Const", [], []),
    ("sort/TopKV2", "TopKV2", ["Placeholder:0", "sort/strided_slice:0"], [2, 5]),
    ("sort_1/axis", "Const", [], []),
    ("sort_1/Neg", "Neg", ["Placeholder:0"], [2, 5]),
    ("sort_1/Shape", "Const", [], [2]),
    ("sort_1/strided_slice/stack", "Const", [], [1]),
    ("sort_1/strided_slice/stack_1", "Const", [], [1]),
    ("sort_1/strided_slice/stack_2", "Const", [], [1]),
    (
        "sort_1/strided_slice",
        "StridedSlice",
        [
            "sort_1/Shape:0",
            "sort_1/strided_slice/stack:0",
            "sort_1/strided_slice/stack_1:0",
            "sort_1/strided_slice/stack_2:0",
        ],
        [],
    ),
    ("sort_1/Rank", "Const", [], []),
    ("sort_1/transposition", "Const", [], [2]),
    ("sort_1/transpose", "Transpose", ["sort_1/Neg:0", "sort_1/transposition:0"], [5, 2]),
    ("sort_1/TopKV2", "TopKV2", ["sort_1/transpose:0", "sort_1/strided_slice:0"], [5, 2]),
    ("sort_1/transpose_1", "Transpose", ["sort_1/TopKV2:0", "sort_1/transposition:0"], [2, 5]),
    ("sort_1/Neg_1", "Neg", ["sort_1/transpose_1:0"], [2, 5]),
]

X = np.array([[3, 1, 2, 2, 5], [0, -1, 4, 4, 1]], np.float32)


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_sort_builds_tf1s_ops(graph):
    x = tf.placeholder(tf.float32, [2, 5])
    down = tf.sort(x, direction="DESCENDING")
    up0 = tf.sort(x, axis=0)
    ops = [
        (op.name, op.type, [t.name for t in op.inputs], op.outputs[0].shape.as_list())
        for op in graph.get_operations()
    ]
    assert ops == [(n, t, i, s) for n, t, i, s in TF_OPS]
    with tf.Session() as sess:
        got_down, got_up0 = sess.run([down, up0], {x: X})
    np.testing.assert_array_equal(got_down, [[5, 3, 2, 2, 1], [4, 4, 1, 0, -1]])
    np.testing.assert_array_equal(got_up0, [[0, -1, 2, 2, 1], [3, 1, 4, 4, 5]])


def test_argsort_keeps_equal_values_in_order():
    x = tf.placeholder(tf.float32, [2, 5])
    fetches = [
        tf.argsort(x, direction="DESCENDING"),
        tf.argsort(x, axis=0, stable=True),
        tf.sort([3, 1, 2, 2, 5]),
        tf.argsort([3, 1, 2, 2, 5]),
        tf.sort(np.array([3, 0, 255, 2], np.uint8)),
        tf.argsort(np.array([3, 0, 255, 2], np.uint8), direction="DESCENDING"),
        tf.sort(np.arange(24).reshape(2, 3, 4) % 5, axis=1),
    ]
    assert fetches[0].op.name == "argsort/TopKV2" and fetches[0].dtype == tf.int32
    with tf.Session() as sess:
        got = sess.run(fetches, {x: X})
    np.testing.assert_array_equal(got[0], [[4, 0, 2, 3, 1], [2, 3, 4, 0, 1]])
    np.testing.assert_array_equal(got[1], [[1, 1, 0, 0, 1], [0, 0, 1, 1, 0]])
    assert got[2].dtype == np.int32 and got[2].tolist() == [1, 2, 2, 3, 5]
    assert got[3].tolist() == [1, 2, 3, 0, 4]
    assert got[4].dtype == np.uint8 and got[4].tolist() == [0, 2, 3, 255]
    assert got[5].tolist() == [2, 0, 3, 1]
    assert got[6].tolist() == [
        [[0, 0, 0, 1], [3, 1, 1, 2], [4, 4, 2, 3]],
        [[0, 1, 2, 0], [1, 2, 3, 3], [2, 3, 4, 4]],
    ]


def test_sort_errors():
    with pytest.raises(ValueError, match="should be one of ASCENDING, DESCENDING. Received: "):
        tf.sort([1, 2], direction="UP")
    with pytest.raises(ValueError, match="Argument `axis` must be a constant scalar"):
        tf.sort([1, 2], axis=tf.placeholder(tf.int32, []))
    with pytest.raises(NotImplementedError, match="known rank"):
        tf.sort(tf.placeholder(tf.float32), axis=0)
