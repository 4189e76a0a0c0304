"""``tf.TensorSpec``, ``tf.get_static_value`` and ``tf.config.threading``: what TF 2.21's
compat.v1 gives for the same expressions (written here as literals)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


def test_tensor_spec_as_tf(graph):
    spec = tf.TensorSpec([2, None], tf.float32, "x")
    assert repr(spec) == "TensorSpec(shape=(2, ?), dtype=tf.float32, name='x')"
    assert repr(tf.TensorSpec(None)) == "TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)"
    assert repr(tf.TensorSpec([], "int32")) == "TensorSpec(shape=(), dtype=tf.int32, name=None)"
    p = tf.placeholder(tf.float32, [2, 3], name="pp")
    assert repr(tf.TensorSpec.from_tensor(p)) == (
        "TensorSpec(shape=(2, 3), dtype=tf.float32, name='pp')"
    )
    assert tf.TensorSpec.from_spec(spec, name="z").name == "z"
    assert [
        spec.is_compatible_with(p),
        tf.TensorSpec([2, 3], tf.int32).is_compatible_with(p),
        tf.TensorSpec([2]).is_compatible_with(tf.TensorSpec([None])),
        tf.TensorSpec([2]).is_compatible_with(tf.TensorSpec([3])),
        tf.TensorSpec([2]).is_compatible_with(np.zeros(2, np.float32)),
    ] == [True, False, True, False, False]
    assert spec == tf.TensorSpec([2, None], tf.float32, "x") != tf.TensorSpec([2, None])
    assert hash(spec) == hash(tf.TensorSpec([2, None], tf.float32, "x"))
    wider = spec.most_specific_compatible_type(tf.TensorSpec([3, 4], tf.float32, "x"))
    assert wider == tf.TensorSpec([None, None], tf.float32, "x")


def test_static_values_as_tf(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    c = tf.constant([1, 2])
    got = [
        tf.get_static_value(c),
        tf.get_static_value(x),
        tf.get_static_value(tf.shape(x)),
        tf.get_static_value(c + 1),
        tf.get_static_value(tf.shape(c)),
        tf.get_static_value(3),
        tf.get_static_value(tf.size(c)),
        tf.get_static_value(tf.zeros([2])),
        tf.get_static_value(tf.range(1, 7, 2)),
        tf.get_static_value(tf.concat([c, c], 0)),
        tf.get_static_value(tf.cast(tf.stack([c, c]), tf.float32)),
        tf.get_static_value(tf.unstack(c)[1]),
        tf.get_static_value(tf.split(tf.range(4), 2)[1]),
        tf.get_static_value(tf.equal(c, 1)),
        tf.get_static_value(tf.stop_gradient(tf.identity(c))),
        tf.get_static_value(tf.Variable(1.0)),
    ]
    expected = [[1, 2], None, None, None, [2], 3, 2, [0.0, 0.0], [1, 3, 5], [1, 2, 1, 2]]
    expected += [[[1.0, 2.0], [1.0, 2.0]], 2, [2, 3], [True, False], [1, 2], None]
    assert [None if v is None else np.asarray(v).tolist() for v in got] == expected
    assert tf.get_static_value(tf.shape(c)).dtype == np.int32
    partial = tf.get_static_value(tf.stack([tf.rank(x), tf.reduce_sum(c)]), partial=True)
    assert partial.dtype == object and [partial[0], partial[1]] == [2, None]
    rank = tf.get_static_value(tf.rank(tf.placeholder(tf.float32)))
    assert rank is None


def test_threading_settings_become_the_default_of_new_sessions(graph):
    threading = tf.config.threading
    assert threading.get_intra_op_parallelism_threads() == 0
    assert threading.get_inter_op_parallelism_threads() == 0
    try:
        threading.set_intra_op_parallelism_threads(1)
        threading.set_inter_op_parallelism_threads(-1)
        assert threading.get_intra_op_parallelism_threads() == 1
        with tf.Session() as sess:
            assert sess._config.intra_op_parallelism_threads == 1
            assert sess._config.inter_op_parallelism_threads == -1
            assert sess.run(tf.constant(2.0) * 3.0) == 6.0
        with tf.Session(config=tf.ConfigProto()) as sess:
            assert sess._config.intra_op_parallelism_threads == 0
    finally:
        threading.set_intra_op_parallelism_threads(0)
        threading.set_inter_op_parallelism_threads(0)


@pytest.mark.parametrize("name", ["AUTOTUNE"])
def test_data_names(name):
    assert getattr(tf.data, name) == tf.data.experimental.AUTOTUNE == -1
