"""Keras optimizers on an IndexedSlices gradient (an embedding's) update only the rows it names,
as tf_keras's _resource_apply_sparse: SGD with momentum, Ftrl and Adamax differ from a densified
update (rows never gathered kept their values in TF 2.21 where a dense update moved them)."""

import numpy as np
import pytest

import scopeflow as tf

# TF 2.21 (tf_keras, resource variables): emb = arange(12).reshape(6, 2) / 4 + 1, loss =
# sum(square(gather(emb, ids))) for ids [0, 1, 1], [2], [0, 3], one apply_gradients each.
EXPECTED = {
    "sgd_momentum": [0.46, 0.575, 0.9, 1.05, 1.6, 1.8, 2.0, 2.2, 3.0, 3.25, 3.5, 3.75],
    "ftrl": [0.685782, 0.931992, 1.321191, 1.571126, 1.742689, 1.992521, 2.242401, 2.492312,
             3.0, 3.25, 3.5, 3.75],
    "sgd": [0.64, 0.8, 0.9, 1.05, 1.6, 1.8, 2.0, 2.2, 3.0, 3.25, 3.5, 3.75],
    "adam": [0.752303, 1.00201, 1.281199, 1.531199, 1.868064, 2.118065, 2.436119, 2.686119,
             3.0, 3.25, 3.5, 3.75],
    "adamax": [0.833513, 1.082774, 1.4, 1.65, 1.947368, 2.197368, 2.4631, 2.7131,
               3.0, 3.25, 3.5, 3.75],
}  # fmt: skip

OPTIMIZERS = {
    "sgd_momentum": lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9),
    "ftrl": lambda: tf.keras.optimizers.Ftrl(0.1),
    "sgd": lambda: tf.keras.optimizers.SGD(0.1),
    "adam": lambda: tf.keras.optimizers.Adam(0.1),
    "adamax": lambda: tf.keras.optimizers.Adamax(0.1),
}


@pytest.mark.parametrize("use_resource", [True, False])
@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_rows_the_gradient_does_not_name_keep_their_values(name, use_resource):
    with tf.Graph().as_default() as graph:
        start = np.arange(12, dtype=np.float32).reshape(6, 2) / 4 + 1
        emb = tf.Variable(start, name="emb", use_resource=use_resource)
        ids = tf.placeholder(tf.int32, [None])
        loss = tf.reduce_sum(tf.square(tf.gather(emb, ids)))
        optimizer = OPTIMIZERS[name]()
        train = optimizer.apply_gradients(zip(tf.gradients(loss, [emb]), [emb], strict=True))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for batch in ([0, 1, 1], [2], [0, 3]):
                sess.run(train, {ids: batch})
            got = sess.run(emb).ravel()
    np.testing.assert_allclose(got, EXPECTED[name], rtol=2e-6)
    types = {op.type for op in graph.get_operations()}
    if name == "ftrl":  # TF's op (its Resource twin for resource variables)
        assert ("ResourceSparseApplyFtrl" if use_resource else "SparseApplyFtrl") in types
