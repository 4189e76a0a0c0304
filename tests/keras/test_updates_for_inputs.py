"""``get_updates_for``/``get_losses_for`` as TF 2.21's tf_keras (compat.v1 graph mode) answers
them (reference venv): a layer's updates and losses are conditional when computed from the
inputs of the call adding them, and found again from the inputs given; the TF1 custom
training loop that runs a Keras model's batch-norm updates for its own placeholder."""

from __future__ import annotations

import numpy as np

import scopeflow as tf

K = tf.keras
L = K.layers


def test_updates_and_losses_by_inputs(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    model = K.Sequential([L.Dense(4, input_shape=(3,), name="d"), L.BatchNormalization(name="bn")])
    model(x)
    own = ["bn/cond_2/Merge", "bn/cond_3/Merge"]
    called = ["sequential/bn/cond_2/Merge", "sequential/bn/cond_3/Merge"]
    assert [u.name for u in model.updates] == own + called
    assert [u.name for u in model.get_updates_for(x)] == called
    assert [u.name for u in model.get_updates_for(model.inputs)] == own
    assert model.get_updates_for(None) == [] and model.layers[1].get_updates_for(None) == []
    assert model.get_losses_for(None) == [] and model.get_losses_for(x) == []
    dense = L.Dense(2, kernel_regularizer="l2", activity_regularizer="l1", name="r")
    dense(x)
    dense(K.Input((3,)))
    assert [t.name for t in dense.get_losses_for(None)] == ["r/kernel/Regularizer/mul:0"]
    assert [t.name for t in dense.get_losses_for(x)] == ["r/ActivityRegularizer/truediv:0"]
    assert [t.name for t in dense.losses] == [
        "r/ActivityRegularizer/truediv:0",
        "r_1/ActivityRegularizer/truediv:0",
        "r/kernel/Regularizer_2/mul:0",
    ]


def test_custom_loop_with_tf_train_optimizer_matches_tf(graph):
    tf.set_random_seed(4)
    sess = tf.Session()
    K.backend.set_session(sess)
    x = tf.placeholder(tf.float32, [None, 3])
    t = tf.placeholder(tf.float32, [None, 1])
    model = K.Sequential(
        [
            L.Dense(4, activation="relu", input_shape=(3,)),
            L.Dropout(0.3),
            L.BatchNormalization(),
            L.Dense(1),
        ]
    )
    y = model(x)
    loss = tf.reduce_mean(tf.square(y - t))
    with tf.control_dependencies(model.get_updates_for(x)):
        train = tf.train.AdamOptimizer(0.05).minimize(loss)
    sess.run(tf.global_variables_initializer())
    xs = np.cos(np.arange(30)).reshape(10, 3).astype("f")
    ts = np.sin(np.arange(10)).reshape(10, 1).astype("f")
    phase = K.backend.learning_phase()
    losses = [sess.run([train, loss], {x: xs, t: ts, phase: 1})[1] for _ in range(5)]
    np.testing.assert_allclose(losses, [2.065, 1.34635, 1.31814, 0.82598, 0.45599], atol=1e-5)
    np.testing.assert_allclose(
        sess.run(y, {x: xs[:2], phase: 0}), [[-0.12427], [0.26718]], atol=1e-5
    )
    assert K.backend.get_session() is sess
    with sess.as_default():
        np.testing.assert_allclose(model.predict(xs[:2]), [[-0.12427], [0.26718]], atol=1e-5)
    sess.close()
