"""A Keras optimizer's ``weights``/``variables()``, ``get_weights`` and ``set_weights`` as TF
2.21's tf_keras (compat.v1 graph mode, reference venv): the step count and the slots, not the
hyperparameters' variables (which TF-format checkpoints still hold); TF's errors."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras


def test_weights_are_the_step_count_and_slots(graph):
    w = tf.Variable([1.0, 2.0], name="w", use_resource=True)
    opt = K.optimizers.SGD(0.1, momentum=0.9)
    update = opt.get_updates(tf.reduce_sum(w * w), [w])
    assert [v.name for v in opt.weights] == ["SGD/iter:0", "SGD/w/momentum:0"]
    assert [v.name for v in opt.variables()] == ["SGD/iter:0", "SGD/w/momentum:0"]
    session = K.backend.get_session()
    session.run(w.initializer)
    session.run(update)
    step, momentum = opt.get_weights()
    assert step == 1
    np.testing.assert_allclose(momentum, [-0.2, -0.4], rtol=1e-6)
    opt.set_weights([np.int64(5), np.ones(2)])
    assert K.backend.get_value(opt.iterations) == 5
    with pytest.raises(
        ValueError,
        match=r"You called `set_weights\(weights\)` on optimizer SGD with a  weight list of "
        r"length 1, but the optimizer was expecting 2 weights. Provided weights: "
        r"\[np.int64\(5\)\]\.\.\.",
    ):
        opt.set_weights([np.int64(5)])
    with pytest.raises(
        ValueError,
        match=r"Optimizer weight shape \(2,\) not compatible with provided weight shape \(3,\)",
    ):
        opt.set_weights([np.int64(5), np.ones(3)])


def test_function_with_updates_trains_as_tf(graph):
    gen = K.Sequential(
        [
            K.layers.Dense(5, activation="tanh", input_shape=(4,), name="g1"),
            K.layers.Dense(1, name="g2"),
        ]
    )
    for i, w in enumerate(gen.weights):
        shape = w.shape.as_list()
        K.backend.set_value(w, np.sin(np.arange(np.prod(shape)) * 0.37 + i).reshape(shape) * 0.5)
    target = K.Input((1,))
    loss = K.backend.mean(K.backend.square(gen.output - target))
    opt = K.optimizers.SGD(0.1, momentum=0.5)
    step = K.backend.function(
        [gen.input, target],
        [loss],
        updates=opt.get_updates(loss=loss, params=gen.trainable_weights),
    )
    x = np.cos(np.arange(24)).reshape(6, 4).astype("f")
    y = np.sin(np.arange(6)).reshape(6, 1).astype("f")
    losses = [float(step([x, y])[0]) for _ in range(4)]
    np.testing.assert_allclose(losses, [0.80557, 0.60791, 0.51665, 0.51632], atol=1e-5)
    assert [v.name for v in opt.weights] == [
        "SGD/iter:0",
        "SGD/g1/kernel/momentum:0",
        "SGD/g1/bias/momentum:0",
        "SGD/g2/kernel/momentum:0",
        "SGD/g2/bias/momentum:0",
    ]
