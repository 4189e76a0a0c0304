"""Keras optimizers on variables of several dtypes at once (float64 weights, a float32 one, a
float64 embedding updated sparsely): coefficients made for each dtype, as tf_keras's apply_state
(they were float32 only: every optimizer raised TypeError on a float64 variable), Nadam's
momentum cache updated by the float32 variables' step alone. Values from TF 2.21
(TF_USE_LEGACY_KERAS=1)."""

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras.optimizers
OPTIMIZERS = {
    "adam": lambda: K.Adam(0.1),
    "sgd_mom": lambda: K.SGD(0.1, momentum=0.9),
    "nadam": lambda: K.Nadam(0.1),
    "rmsprop": lambda: K.RMSprop(0.1),
    "adagrad": lambda: K.Adagrad(0.1),
    "adamax": lambda: K.Adamax(0.1),
    "ftrl": lambda: K.Ftrl(0.1),
    "adadelta": lambda: K.Adadelta(1.0),
}
# fmt: off
EXPECTED = {  # w (float64), v (float32), emb (float64, sparse) after three steps, TF's
    "adam": ([0.701587, -1.700624], [0.204872],
               [0.0, 0.701587, 2.0, 3.0, 3.700274, 4.700213]),
    "sgd_mom": ([0.062, -0.124], [0.031],
               [0.0, 0.062, 2.0, 3.0, 0.248, 0.31]),
    "nadam": ([0.752729, -1.747508], [0.264727],
               [0.0, 0.752729, 2.0, 3.0, 3.745079, 4.744607]),
    "rmsprop": ([0.369181, -1.308718], [0.024435],
               [0.0, 0.369181, 2.0, 3.0, 3.283858, 4.279289]),
    "adagrad": ([0.782299, -1.776297], [0.29752],
               [0.0, 0.782299, 2.0, 3.0, 3.773763, 4.773295]),
    "adamax": ([0.715499, -1.707648], [0.23091],
               [0.0, 0.715499, 2.0, 3.0, 3.703686, 4.702891]),
    "ftrl": ([0.63789, -1.623741], [0.176367],
               [0.0, 0.63789, 2.0, 3.0, 3.618113, 4.617103]),
    "adadelta": ([0.995712, -1.995711], [0.495716],
               [0.0, 0.995712, 2.0, 3.0, 3.99571, 4.99571]),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_variables_of_each_dtype_train_as_in_tf(name):
    with tf.Graph().as_default():
        w = tf.Variable(np.array([1.0, -2.0]), name="w", use_resource=True)
        v = tf.Variable(np.array([0.5], np.float32), name="v", use_resource=True)
        emb = tf.Variable(np.arange(6.0).reshape(3, 2), name="emb", use_resource=True)
        loss = (
            tf.reduce_sum(w * w)
            + tf.cast(tf.reduce_sum(v * v), tf.float64)
            + tf.reduce_sum(tf.gather(emb, [0, 2]) ** 2)
        )
        grads = tf.gradients(loss, [w, v, emb])
        train = OPTIMIZERS[name]().apply_gradients(zip(grads, [w, v, emb], strict=True))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(3):
                sess.run(train)
            got = sess.run([w, v, emb])
    assert [x.dtype for x in got] == [np.float64, np.float32, np.float64]
    for value, want in zip(got, EXPECTED[name], strict=True):
        np.testing.assert_allclose(value.ravel(), want, rtol=1e-5, atol=1e-6)
