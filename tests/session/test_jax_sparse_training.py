"""Training embeddings with TF1's sparse optimizers under ``Session(executor="jax")``: the
``SparseApply*`` lowerings (rows updated at once for distinct ids, one after another for
repeated ones) give the NumPy executor's values."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

pytest.importorskip("jax")


def test_sparse_training_agrees_with_numpy_executor():
    with tf.Graph().as_default():
        ids = tf.placeholder(tf.int32, [None])
        step = tf.train.get_or_create_global_step()
        optimizers = {
            "ftrl": tf.train.FtrlOptimizer(0.5, l1_regularization_strength=0.01),
            "adagrad_da": tf.train.AdagradDAOptimizer(0.5, step),
        }
        updates = []
        for name, optimizer in optimizers.items():
            table = tf.get_variable(name, [5, 2], initializer=tf.constant_initializer(0.5))
            loss = tf.reduce_sum(tf.square(tf.gather(table, ids) - 1.0))
            updates.append(optimizer.minimize(loss))
        train = tf.group(*updates, tf.assign_add(step, 1))
        init = tf.global_variables_initializer()
        values = {}
        for executor in ("numpy", "jax"):
            with tf.Session(executor=executor) as sess:
                sess.run(init)
                for batch in ([0, 2], [3, 3, 1], [4, 0, 4]):  # repeated ids: summed by TF1
                    sess.run(train, {ids: batch})
                values[executor] = sess.run(tf.global_variables())
        assert len(values["jax"]) == 7  # the step, the two tables and their slots
        for want, got in zip(values["numpy"], values["jax"], strict=True):
            np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
