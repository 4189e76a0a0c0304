"""Keras optimizers' minimize (a callable loss, or a tensor with the GradientTape that recorded
it; var_list or a callable giving it; grad_loss), apply_gradients' refusal of a list with no
gradient, and a global step set as iterations, as tf_keras's OptimizerV2 in TF1 graph mode
(TF 2.21, TF_USE_LEGACY_KERAS=1)."""

import re

import numpy as np
import pytest

import scopeflow as tf

START = np.array([1.0, -2.0], np.float32)


def _weights():
    return tf.Variable(START, name="w", use_resource=True)


def test_minimize_of_a_callable_loss_gives_tfs_adam_steps(graph):
    w = _weights()
    optimizer = tf.keras.optimizers.Adam(0.1)
    train = optimizer.minimize(lambda: tf.reduce_sum(tf.square(w)), [w])
    assert (train.type, train.name) == ("AssignAddVariableOp", "Adam/Adam/AssignAddVariableOp")
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        got, steps = sess.run([w, optimizer.iterations])
    np.testing.assert_allclose(got, [0.7015867, -1.7006236], rtol=1e-5)  # TF 2.21's
    assert steps == 3
    assert [v.name for v in optimizer.weights] == ["Adam/iter:0", "Adam/w/m:0", "Adam/w/v:0"]


def test_minimize_takes_a_var_list_callable_and_grad_loss(graph):
    w = _weights()
    optimizer = tf.keras.optimizers.SGD(0.1)
    train = optimizer.minimize(lambda: tf.reduce_sum(w * w), lambda: [w], tf.constant(2.0))
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.6, -1.2], rtol=1e-6)  # TF 2.21's


def test_minimize_of_a_tensor_uses_the_tape_that_recorded_it(graph):
    w = _weights()
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(w))
    train = tf.keras.optimizers.SGD(0.25).minimize(loss, [w], tape=tape)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        sess.run(train)
        np.testing.assert_allclose(sess.run(w), START * 0.5, rtol=1e-6)


def test_minimize_of_a_tensor_without_a_tape_raises_tfs_error(graph):
    w = _weights()
    loss = tf.reduce_sum(tf.square(w))
    message = "`tape` is required when a `Tensor` loss is passed. Received: loss=Tensor("
    with pytest.raises(ValueError, match=re.escape(message)):
        tf.keras.optimizers.Adam(0.1).minimize(loss, [w])


def test_no_gradient_for_any_variable_raises_tfs_error(graph):
    w = _weights()
    v = tf.Variable(np.array([1.0], np.float32), name="v", use_resource=True)
    message = (
        "No gradients provided for any variable: (['w:0', 'v:0'],). Provided `grads_and_vars` "
        "is ((None, <tf.Variable 'w:0' shape=(2,) dtype=float32>), (None, <tf.Variable 'v:0' "
        "shape=(1,) dtype=float32>))."
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        tf.keras.optimizers.SGD(0.1).apply_gradients([(None, w), (None, v)])
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        tf.keras.optimizers.SGD(0.1).minimize(lambda: tf.constant(1.0), [w])


def test_a_global_step_set_as_iterations_counts_the_steps(graph):
    w = _weights()
    optimizer = tf.keras.optimizers.Adam(0.1, decay=0.5)
    step = tf.train.get_or_create_global_step()
    optimizer.iterations = step
    grads = tf.gradients(tf.reduce_sum(w * w), [w])
    train = optimizer.apply_gradients(zip(grads, [w], strict=True))
    assert (train.type, train.name) == ("AssignAdd", "Adam/Adam/AssignAdd")  # TF's, a ref step
    assert [v.name for v in optimizer.weights] == ["global_step:0", "Adam/w/m:0", "Adam/w/v:0"]
    message = "Cannot set `iterations` to a new Variable after the Optimizer weights have been"
    with pytest.raises(RuntimeError, match=re.escape(message)):
        optimizer.iterations = step
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        np.testing.assert_allclose(sess.run(w), [0.7840638, -1.7836273], rtol=1e-5)  # TF's
        assert sess.run(step) == 3


def test_hyperparameters_are_attributes_as_in_tf():
    with tf.Graph().as_default() as graph:
        optimizer = tf.keras.optimizers.Adam(0.1)
        optimizer.learning_rate = 0.05
        optimizer.lr = 0.02  # TF's alias
        assert optimizer.get_config()["learning_rate"] == 0.02
        beta_1 = optimizer.beta_1  # made in the current name scope, as TF's
        assert beta_1.name == "beta_1:0"
        assert graph.get_operations()[0].name == "beta_1/Initializer/initial_value"
        model = tf.keras.Sequential(
            [tf.keras.layers.Dense(1, input_shape=(2,), kernel_initializer="ones")]
        )
        model.compile(optimizer, "mse")
        x, y = np.array([[1.0, 2.0]]), np.array([[0.0]])
        model.train_on_batch(x, y)
        np.testing.assert_allclose(model.get_weights()[0].ravel(), [0.98, 0.98], rtol=1e-6)
        model.optimizer.learning_rate = 0.0  # set in the session: no step
        model.optimizer.beta_1 = 0.5
        model.train_on_batch(x, y)
        np.testing.assert_allclose(model.get_weights()[0].ravel(), [0.98, 0.98], rtol=1e-6)
        config = model.optimizer.get_config()
        assert (config["learning_rate"], config["beta_1"]) == (0.0, 0.5)
        with pytest.raises(AttributeError, match="'Adam' object has no attribute 'foo'"):
            optimizer.foo  # noqa: B018
