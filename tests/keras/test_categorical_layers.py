"""``tf.keras.layers.Discretization``, ``Hashing``, ``CategoryEncoding``,
``constraints.RadialConstraint`` and ``layers.AbstractRNNCell``: outputs, dtypes, configs and
errors as tf_keras 2.21 gives them (compat.v1 graph mode; ``RadialConstraint``, which fails in
tf_keras's graph mode, as in TF2 eager)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

L = tf.keras.layers


def test_discretization(graph):
    layer = L.Discretization(bin_boundaries=[0.0, 1.0, 2.5])
    y = layer(tf.constant([[-1.5, 0.0, 1.0], [2.5, 3.0, 0.7]]))
    one_hot = L.Discretization(bin_boundaries=[0.0, 1.0], output_mode="one_hot")
    z = one_hot(tf.constant([-1.0, 0.5, 2.0]))
    assert (y.dtype, z.dtype, z.shape.as_list()) == (tf.int64, tf.float32, [3, 3])
    with tf.Session(graph=graph) as sess:
        assert sess.run(y).tolist() == [[0, 1, 2], [3, 3, 1]]
        assert sess.run(z).tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]
    assert layer.get_config() == {
        "name": "discretization",
        "trainable": True,
        "dtype": "int64",
        "bin_boundaries": [0.0, 1.0, 2.5],
        "num_bins": None,
        "epsilon": 0.01,
        "output_mode": "int",
        "sparse": False,
    }
    with pytest.raises(ValueError, match="Both `num_bins` and `bin_boundaries` should not be"):
        L.Discretization(bin_boundaries=[1.0], num_bins=3)
    with pytest.raises(ValueError, match="Unkown value for `output_mode`"):
        L.Discretization(bin_boundaries=[0.0], output_mode="foo")
    with pytest.raises(RuntimeError, match="only supported in tensorflow v2"):
        L.Discretization(num_bins=4).adapt(np.arange(8.0))


def test_hashing_is_tf_kerass_farmhash_and_siphash(graph):
    outputs = [
        L.Hashing(5)(tf.constant([["a", "b"], ["foo", "bar"]])),
        L.Hashing(7)(tf.constant([[1, 2], [300, -4]], tf.int64)),
        L.Hashing(5, mask_value="")(tf.constant(["", "a", "b"])),
        L.Hashing(5, salt=[133, 137])(tf.constant(["a", "b", "foo"])),
        L.Hashing(5, salt=42)(tf.constant(["a", "b", "foo"])),
    ]
    with tf.Session(graph=graph) as sess:
        got = [v.tolist() for v in sess.run(outputs)]
    assert got == [[[4, 2], [1, 4]], [[5, 5], [3, 3]], [0, 4, 3], [4, 2, 0], [2, 2, 0]]
    assert L.Hashing(5, salt=42).get_config()["salt"] == [42, 42]
    with pytest.raises(ValueError, match="cannot be `None` or non-positive values"):
        L.Hashing(0)


def test_category_encoding(graph):
    multi = L.CategoryEncoding(4, output_mode="multi_hot")
    outputs = [
        multi(tf.constant([[0, 1], [3, 3]])),
        L.CategoryEncoding(4, output_mode="count")(
            tf.constant([[0, 1, 1], [3, 3, 2]]),
            count_weights=tf.constant([[1.0, 2.0, 3.0], [0.5, 1.0, 2.0]]),
        ),
        L.CategoryEncoding(4, output_mode="one_hot")(tf.constant([1, 3, 0])),
        L.CategoryEncoding(3, output_mode="one_hot")(tf.constant([[1], [2]])),
    ]
    assert [o.shape.as_list() for o in outputs] == [[2, 4], [2, 4], [3, 4], [2, 3]]
    bad = L.CategoryEncoding(3)(tf.constant([[1, 5]]))
    with tf.Session(graph=graph) as sess:
        got = [v.tolist() for v in sess.run(outputs)]
        with pytest.raises(tf.errors.InvalidArgumentError, match="0 <= values < num_tokens"):
            sess.run(bad)
    assert got == [
        [[1, 1, 0, 0], [0, 0, 0, 1]],
        [[1, 5, 0, 0], [0, 0, 2, 1.5]],
        [[0, 1, 0, 0], [0, 0, 0, 1], [1, 0, 0, 0]],
        [[0, 1, 0], [0, 0, 1]],
    ]
    assert multi.get_config() == {
        "name": "category_encoding",
        "trainable": True,
        "dtype": "float32",
        "num_tokens": 4,
        "output_mode": "multi_hot",
        "sparse": False,
    }
    with pytest.raises(ValueError, match=r"\('count', 'one_hot', 'multi_hot'\). Received: foo"):
        L.CategoryEncoding(3, output_mode="foo")
    assert L.experimental.preprocessing.CategoryEncoding is L.CategoryEncoding
    with pytest.raises(NotImplementedError, match="on a SparseTensor is not supported"):
        L.CategoryEncoding(3)(tf.SparseTensor([[0, 0]], [1], [1, 2]))


def test_radial_constraint(graph):
    constraint = tf.keras.constraints.get("radial_constraint")
    kernels = [np.arange(n * n * 2, dtype=np.float32).reshape(n, n, 2, 1) for n in (2, 3, 4, 5)]
    with tf.Session(graph=graph) as sess:
        got = [sess.run(constraint(k))[..., 0, 0].tolist() for k in kernels]
        mixed = sess.run(constraint(np.arange(36, dtype=np.float32).reshape(3, 3, 2, 2)))
    assert got[0] == [[0, 0], [0, 0]]
    assert got[1] == [[8, 8, 8], [8, 0, 8], [8, 8, 8]]
    assert got[2] == [[30] * 4, [30, 10, 10, 30], [30, 10, 10, 30], [30] * 4]
    assert got[3][2] == [36, 24, 12, 24, 36] and got[3][1] == [36, 24, 24, 24, 36]
    assert mixed[1, 1].ravel().tolist() == [0, 1, 2, 3]
    assert mixed[0, 0].ravel().tolist() == [16, 17, 18, 19]
    with pytest.raises(ValueError, match="The weight tensor must have rank 4"):
        constraint(tf.zeros([3, 3, 2]))


def test_abstract_rnn_cell_runs_in_rnn(graph):
    class Leaky(L.AbstractRNNCell):
        @property
        def state_size(self):
            return 2

        @property
        def output_size(self):
            return 2

        def build(self, input_shape):
            self.kernel = self.add_weight("kernel", shape=(input_shape[-1], 2))
            self.built = True

        def call(self, inputs, states):
            h = 0.5 * states[0] + tf.matmul(inputs, self.kernel)
            return h, [h]

    layer = L.RNN(Leaky(), return_sequences=True)
    x = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
    y = layer(tf.constant(x))
    assert [w.name for w in layer.weights] == ["rnn/leaky/kernel:0"]
    sess = tf.keras.backend.get_session()
    kernel = sess.run(layer.weights[0])
    h, expected = np.zeros((2, 2), np.float32), []
    for t in range(3):
        h = 0.5 * h + x[:, t] @ kernel
        expected.append(h)
    np.testing.assert_allclose(sess.run(y), np.stack(expected, 1), rtol=1e-6)
    with pytest.raises(NotImplementedError, match="must define state_size"):
        _ = L.AbstractRNNCell().state_size


def test_dense_features_is_tf_kerass(graph):
    fc = tf.feature_column
    color = fc.categorical_column_with_vocabulary_list("color", ["r", "g", "b"])
    columns = [
        fc.numeric_column("price", shape=(2,)),
        fc.embedding_column(color, 3, initializer=tf.ones_initializer()),
        fc.indicator_column(color),
    ]
    layer = L.DenseFeatures(columns)
    features = {
        "color": tf.constant([["g"], ["b"]]),
        "price": tf.constant([[1.0, 2.0], [3.0, 4.0]]),
    }
    out, again = layer(features), layer(features)
    names = ["dense_features/color_embedding/embedding_weights:0"]
    assert [v.name for v in layer.weights] == names
    assert [v.name for v in tf.global_variables()] == names
    assert [v.name for v in tf.trainable_variables()] == names
    assert (out.name, again.name, out.shape.as_list()) == (
        "dense_features/concat:0",
        "dense_features_1/concat:0",
        [2, 8],
    )
    with tf.Session(graph=graph) as sess:
        sess.run([tf.global_variables_initializer(), tf.tables_initializer()])
        assert sess.run(out).tolist() == [[1, 1, 1, 0, 1, 0, 1, 2], [1, 1, 1, 0, 0, 1, 3, 4]]
    with pytest.raises(ValueError, match="You can wrap a categorical column with an embedding"):
        L.DenseFeatures([color])


def test_sequence_features_is_tf_kerass(graph):
    fc = tf.feature_column
    ids = fc.sequence_categorical_column_with_identity("ids", 4)
    columns = [
        fc.embedding_column(ids, 2, initializer=tf.ones_initializer()),
        fc.sequence_numeric_column("x"),
    ]
    layer = tf.keras.experimental.SequenceFeatures(columns)
    indices = [[0, 0], [0, 1], [1, 0]]
    features = {
        "ids": tf.SparseTensor(indices, tf.constant([1, 2, 3], tf.int64), [2, 2]),
        "x": tf.SparseTensor(indices, [1.0, 2.0, 3.0], [2, 2]),
    }
    out, length = layer(features)
    assert [v.name for v in layer.weights] == [
        "sequence_features/ids_embedding/embedding_weights:0"
    ]
    assert (out.name, length.name) == (
        "sequence_features/concat:0",
        "sequence_features/assert_all_equal/Identity:0",
    )
    assert (out.shape.as_list(), length.dtype) == ([2, 2, 3], tf.int64)
    with tf.Session(graph=graph) as sess:
        sess.run(tf.global_variables_initializer())
        values, lengths = sess.run([out, length])
    assert values.tolist() == [[[1, 1, 1], [1, 1, 2]], [[1, 1, 3], [0, 0, 0]]]
    assert lengths.tolist() == [2, 1]
