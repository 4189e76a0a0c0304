"""Tests for scopeflow/variables/partitioned.py and the partitioned path of store.py:
``get_variable(partitioner=...)``, the partitioners, ``PartitionedVariable``, and what uses
one (embedding lookups, optimizers and their slots, ``tf.layers`` under a partitioned scope).

The expected names, shapes, slice specs, graphs and errors are TensorFlow 2.21's own
(``tensorflow.compat.v1``, graph mode), recorded in ``tests/data/tf_reference/partitioned.json``
by ``tools/tf_reference.py`` from ``tests/data/tf_reference/partitioned.py``.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.variables.partitioned import PartitionedVariable
from tests.ops.graph_checks import expected, record_tests, setup_of, tf_reference

REFERENCE = tf_reference("partitioned")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}  # scopeflow builds what TF builds, and fails where it fails

(
    test_builds_tf1_names_shapes_and_ops,
    _,
    test_build_errors,
    test_every_difference_is_a_recorded_expression,
) = record_tests({**GROUPS, "GRADIENTS": {}}, DIFFERENCES)


@pytest.mark.parametrize("expression", list(GROUPS["FACTS"]))
def test_slots_gradients_and_lookups_as_tf1(graph, env, expression):
    """Slot names and slice specs, gradient types and lookup names as TF's (the ops inside the
    optimizer and the lookup differ, see embedding_lookup's docstring)."""
    want = expected(GROUPS["FACTS"][expression], None)
    assert eval(expression, env) == want["value"]


# -- values ----------------------------------------------------------------------------------


def _run(*fetches):
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        return sess.run(list(fetches))


def test_value_initializers_are_sliced_per_part(graph):
    whole = np.arange(24.0, dtype=np.float32).reshape(6, 4)
    w = tf.get_variable(
        "w", initializer=tf.constant(whole), partitioner=tf.fixed_size_partitioner(4)
    )
    u = tf.get_variable("u", [6, 4], initializer=whole, partitioner=tf.fixed_size_partitioner(4, 1))
    got_w, got_u, part = _run(tf.convert_to_tensor(w), u.as_tensor(), list(w)[1])
    np.testing.assert_array_equal(got_w, whole)
    np.testing.assert_array_equal(got_u, whole)
    np.testing.assert_array_equal(part, whole[2:4])


def test_variance_scaling_parts_use_the_whole_variables_fans(graph):
    # glorot_uniform of [400, 100]: limit sqrt(6 / 500); a part alone ([100, 100]) would
    # allow sqrt(6 / 200)
    w = tf.get_variable("w", [400, 100], partitioner=tf.fixed_size_partitioner(4))
    (value,) = _run(w.as_tensor())
    limit = np.sqrt(6 / 500)
    assert np.abs(value).max() <= limit and np.abs(value).max() > 0.9 * limit


def test_initializers_get_the_partition_info(graph):
    seen = []

    def init(shape, dtype=None, partition_info=None):
        seen.append((shape, partition_info.full_shape, partition_info.var_offset))
        return tf.zeros(shape, dtype)

    tf.get_variable("w", [5, 2], initializer=init, partitioner=tf.fixed_size_partitioner(2))
    assert seen == [([3, 2], [5, 2], [0, 0]), ([2, 2], [5, 2], [3, 0])]


@pytest.mark.parametrize("strategy", ["mod", "div"])
def test_embedding_lookup_on_parts_finds_tf1s_rows(graph, strategy):
    """Ids map to parts as TF1 maps them ("mod": id i is row i // 3 of part i % 3; "div":
    contiguous blocks), so the table is the parts interleaved or concatenated."""
    table = np.arange(40.0, dtype=np.float32).reshape(10, 4)
    if strategy == "mod":  # part p holds ids p, p + 3, ...; the parts stored one after another
        stored = np.concatenate([table[p::3] for p in range(3)])
    else:
        stored = table
    w = tf.get_variable("w", initializer=stored, shape=[10, 4],
                        partitioner=tf.fixed_size_partitioner(3))  # fmt: skip
    ids = np.array([[9, 0], [4, 5]])
    (rows,) = _run(tf.nn.embedding_lookup(w, ids, partition_strategy=strategy))
    np.testing.assert_array_equal(rows, table[ids])


def test_training_a_partitioned_table_equals_training_a_whole_one(graph):
    ids = tf.constant([1, 5, 9, 5])
    whole = tf.get_variable("whole", [10, 4], initializer=tf.ones_initializer())
    parts = tf.get_variable("parts", [10, 4], initializer=tf.ones_initializer(),
                            partitioner=tf.fixed_size_partitioner(3))  # fmt: skip
    opt = tf.train.AdamOptimizer(0.1)
    steps = [
        opt.minimize(tf.reduce_sum(tf.square(tf.nn.embedding_lookup(t, ids, "div") - 2.0)))
        for t in (whole, parts)
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(steps)
        a, b = sess.run([whole.value(), parts.as_tensor()])
    np.testing.assert_allclose(a, b, rtol=1e-6)
    assert not np.allclose(a, 1.0)


def test_dense_under_a_partitioned_scope_computes_as_unpartitioned(graph):
    x = tf.constant(np.arange(12.0, dtype=np.float32).reshape(2, 6))
    with tf.variable_scope("p", partitioner=tf.fixed_size_partitioner(2)):
        layer = tf.layers.Dense(5, bias_initializer=tf.ones_initializer())
        y = layer(x)
    plain = tf.layers.Dense(5, bias_initializer=tf.ones_initializer())
    z = plain(x)
    same = layer.kernel.assign(plain.kernel)
    assert [v.name for v in layer.trainable_weights] == [
        "p/dense/kernel/part_0:0",
        "p/dense/kernel/part_1:0",
        "p/dense/bias/part_0:0",
        "p/dense/bias/part_1:0",
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(same)
        got, want = sess.run([y, z])
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_add_weight_takes_a_partitioner(graph):
    class Layer(tf.layers.Layer):
        def build(self, shape):
            self.w = self.add_weight("w", [6, 2], partitioner=tf.fixed_size_partitioner(3))

        def call(self, x):
            return tf.matmul(x, self.w)

    layer = Layer(name="mine")
    y = layer(tf.ones([1, 6]))
    assert [v.name for v in layer.trainable_weights] == [f"mine/w/part_{i}:0" for i in range(3)]
    assert y.shape.as_list() == [1, 2]


def test_assign_splits_the_value_over_the_parts(graph):
    w = tf.get_variable("w", [5, 2], initializer=tf.zeros_initializer(),
                        partitioner=tf.fixed_size_partitioner(2))  # fmt: skip
    value = np.arange(10.0, dtype=np.float32).reshape(5, 2)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(w.assign(value))
        np.testing.assert_array_equal(sess.run(w.as_tensor()), value)
        sess.run(w.assign_add([np.ones([3, 2]), np.ones([2, 2])]))
        np.testing.assert_array_equal(sess.run(w.as_tensor()), value + 1)


def test_regularizer_losses_are_per_part(graph):
    tf.get_variable("w", [4, 2], regularizer=tf.nn.l2_loss,
                    partitioner=tf.fixed_size_partitioner(2))  # fmt: skip
    losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
    assert [t.op.name for t in losses] == [
        "w/part_0/Regularizer/L2Loss",
        "w/part_1/Regularizer/L2Loss",
    ]


def test_custom_getters_see_the_partitioner_and_get_the_partitioned_variable(graph):
    seen = []

    def getter(getter, name, *args, **kwargs):
        seen.append((name, kwargs["partitioner"] is not None))
        return getter(name, *args, **kwargs)

    with tf.variable_scope("s", custom_getter=getter, partitioner=tf.fixed_size_partitioner(2)):
        w = tf.get_variable("w", [4, 2])
    assert seen == [("s/w", True)]
    assert [v.name for v in w] == ["s/w/part_0:0", "s/w/part_1:0"]


def test_a_failed_creation_leaves_no_part_behind(graph):
    def init(shape, dtype=None, partition_info=None):
        if partition_info.var_offset[0]:
            raise RuntimeError("second part fails")
        return tf.zeros(shape, dtype)

    with pytest.raises(RuntimeError, match="second part fails"):
        tf.get_variable("w", [4, 2], initializer=init, partitioner=tf.fixed_size_partitioner(2))
    assert tf.global_variables() == []
    w = tf.get_variable("w", [4, 2], partitioner=tf.fixed_size_partitioner(2))
    assert [v.name for v in w] == ["w/part_0:0", "w/part_1:0"]


def test_len_refuses_several_partitioned_axes(graph):
    parts = [tf.get_variable(f"p{i}", [2, 2]) for i in range(4)]
    for i, p in enumerate(parts):
        p._set_save_slice_info(
            tf.Variable.SaveSliceInfo("w", [4, 4], [2 * (i // 2), 2 * (i % 2)], [2, 2])
        )
    w = PartitionedVariable("w", [4, 4], tf.float32, parts, [2, 2])
    with pytest.raises(ValueError, match="Cannot get a length for 2 > 1 partition axes"):
        len(w)
    with pytest.raises(NotImplementedError, match="Cannot concatenate along more than one"):
        w.as_tensor()


# -- sparse lookups, LSTM shards ----------------------------------------------------------


def _sparse_ids():
    ids = tf.SparseTensor(
        [[0, 0], [0, 1], [1, 0], [2, 0], [2, 1], [2, 2]],
        tf.constant([9, 1, 4, 4, 0, 7], tf.int64),
        [3, 3],
    )
    weights = tf.SparseTensor(ids.indices, tf.constant([1.0, 2.0, 3.0, 0.5, 1.0, 2.0]), [3, 3])
    return ids, weights


@pytest.mark.parametrize("combiner", ["sum", "mean", "sqrtn"])
def test_embedding_lookup_sparse_on_parts_combines_tf1s_rows(graph, combiner):
    """TF 2.21 gives these values (checked while writing this test); here they are computed
    from the table: rows 9 1 | 4 | 4 0 7, weighted 1 2 | 3 | 0.5 1 2."""
    table = np.arange(40.0, dtype=np.float32).reshape(10, 4)
    w = tf.get_variable("w", initializer=tf.constant(table),
                        partitioner=tf.fixed_size_partitioner(3))  # fmt: skip
    ids, weights = _sparse_ids()
    plain = tf.nn.embedding_lookup_sparse(w, ids, None, partition_strategy="div", combiner=combiner)
    weighted = tf.nn.embedding_lookup_sparse(w, ids, weights, "div", combiner=combiner)
    assert (plain.name, weighted.name) == (
        "embedding_lookup_sparse:0",
        "embedding_lookup_sparse_1:0",
    )
    got_plain, got_weighted = _run(plain, weighted)
    rows = [[9, 1], [4], [4, 0, 7]]
    wts = [[1.0, 2.0], [3.0], [0.5, 1.0, 2.0]]
    for r, (row, wt) in enumerate(zip(rows, wts, strict=True)):
        wt = np.array(wt, np.float32)[:, None]
        div = {"sum": (1, 1), "mean": (len(row), wt.sum()), "sqrtn": (np.sqrt(len(row)),
               np.sqrt((wt**2).sum()))}[combiner]  # fmt: skip
        np.testing.assert_allclose(got_plain[r], table[row].sum(0) / div[0], rtol=1e-6)
        np.testing.assert_allclose(got_weighted[r], (table[row] * wt).sum(0) / div[1], rtol=1e-6)


def test_safe_embedding_lookup_sparse_takes_a_partitioned_table(graph):
    table = np.arange(40.0, dtype=np.float32).reshape(10, 4)
    w = tf.get_variable("w", initializer=tf.constant(table),
                        partitioner=tf.fixed_size_partitioner(3))  # fmt: skip
    ids = tf.SparseTensor([[0, 0], [0, 1], [2, 0]], tf.constant([9, -1, 4], tf.int64), [3, 2])
    (got,) = _run(tf.nn.safe_embedding_lookup_sparse(w, ids, partition_strategy="div"))
    np.testing.assert_array_equal(got, [table[9], np.zeros(4), table[4]])


def test_lstm_shards_partition_its_kernels_as_tf1(graph):
    cell = tf.nn.rnn_cell.LSTMCell(4, num_proj=3, num_unit_shards=2, num_proj_shards=3)
    tf.nn.dynamic_rnn(cell, tf.zeros([2, 5, 3]), dtype=tf.float32)
    assert sorted(v.name for v in tf.global_variables()) == [
        "rnn/lstm_cell/bias:0",
        "rnn/lstm_cell/kernel/part_0:0",
        "rnn/lstm_cell/kernel/part_1:0",
        "rnn/lstm_cell/projection/kernel/part_0:0",
        "rnn/lstm_cell/projection/kernel/part_1:0",
        "rnn/lstm_cell/projection/kernel/part_2:0",
    ]
