"""``tf.layers.batch_normalization``: training and inference values against NumPy (fused 4-D
and non-fused 2-D), the moving statistics through ``UPDATE_OPS`` (and what forgetting them
does), a bool tensor for ``training``, gradients, and the options scopeflow refuses."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

RNG = np.random.default_rng(5)
IMG = (RNG.standard_normal((4, 3, 3, 2)) * 2 + 1).astype(np.float32)
ROWS = (RNG.standard_normal((6, 3)) * 3 - 1).astype(np.float32)


def _normalized(x, mean, var, gamma=1.0, beta=0.0, epsilon=1e-3):
    return (x - mean) / np.sqrt(var + epsilon) * gamma + beta


@pytest.mark.parametrize("x", [IMG, ROWS], ids=["fused", "moments"])
def test_training_normalizes_by_the_batch_and_moves_the_statistics(run, x):
    y = tf.layers.batch_normalization(
        x, training=True, momentum=0.9, gamma_initializer=tf.constant_initializer(2.0)
    )
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert [op.name for op in updates] == [
        "batch_normalization/AssignMovingAvg",
        "batch_normalization/AssignMovingAvg_1",
    ]
    with tf.control_dependencies(updates):
        step = tf.identity(y)
    rows = x.reshape(-1, x.shape[-1]).astype(np.float64)
    mean, var = rows.mean(0), rows.var(0)
    np.testing.assert_allclose(run(step), _normalized(x, mean, var, 2.0), rtol=1e-4, atol=1e-5)
    moving_mean, moving_variance = tf.global_variables()[2:]
    # fused batch norm moves towards the unbiased variance, tf.nn.moments' is biased (TF1)
    batch_var = var * len(rows) / (len(rows) - 1) if x.ndim == 4 else var
    np.testing.assert_allclose(run(moving_mean), 0.1 * mean, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(run(moving_variance), 0.9 + 0.1 * batch_var, rtol=1e-5)


@pytest.mark.parametrize("x", [IMG, ROWS], ids=["fused", "moments"])
def test_inference_normalizes_by_the_moving_statistics(run, x):
    y = tf.layers.batch_normalization(
        x,
        moving_mean_initializer=tf.constant_initializer(0.5),
        moving_variance_initializer=tf.constant_initializer(4.0),
        beta_initializer=tf.constant_initializer(0.25),
    )
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    np.testing.assert_allclose(run(y), _normalized(x, 0.5, 4.0, beta=0.25), rtol=1e-5)


@pytest.mark.parametrize("x", [IMG, ROWS], ids=["fused", "moments"])
def test_a_bool_tensor_chooses_the_mode_at_run_time(run, x):
    training = tf.placeholder(tf.bool, [])
    y = tf.layers.batch_normalization(x, training=training)
    with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
        y = tf.identity(y)
    moving_mean = tf.global_variables()[2]
    np.testing.assert_allclose(run(y, {training: False}), _normalized(x, 0.0, 1.0), rtol=1e-5)
    assert not run(moving_mean).any()  # inference leaves the moving statistics alone
    rows = x.reshape(-1, x.shape[-1])
    trained = run(y, {training: True})
    np.testing.assert_allclose(trained, _normalized(x, rows.mean(0), rows.var(0)), atol=1e-4)
    np.testing.assert_allclose(run(moving_mean), 0.01 * rows.mean(0), rtol=1e-4, atol=1e-6)


def test_forgotten_update_ops_leave_the_moving_statistics_at_their_start(run):
    y = tf.layers.batch_normalization(IMG, training=True)
    loss = tf.reduce_sum(y * np.arange(2, dtype=np.float32))
    step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)  # no control dependencies
    for _ in range(3):
        run(step)
    moving_mean, moving_variance = tf.global_variables()[2:4]
    assert not run(moving_mean).any() and (run(moving_variance) == 1.0).all()


def test_center_and_scale_false_make_no_beta_or_gamma(graph):
    tf.layers.batch_normalization(IMG, center=False, scale=False, training=True)
    assert [v.name for v in tf.global_variables()] == [
        "batch_normalization/moving_mean:0",
        "batch_normalization/moving_variance:0",
    ]
    assert tf.trainable_variables() == []


def test_layer_object_reuses_its_statistics(graph):
    layer = tf.layers.BatchNormalization(name="bn")
    layer(IMG, training=True)
    layer(IMG)
    assert len(layer.variables) == 4 and len(layer.updates) == 2
    assert layer.trainable_variables == [layer.gamma, layer.beta]
    assert layer.non_trainable_variables == [layer.moving_mean, layer.moving_variance]


@pytest.mark.parametrize("shape", [(3, 2, 2, 2), (5, 3)], ids=["4-d", "2-d"])
def test_gradients_match_finite_differences(graph, shape):
    x = tf.constant(RNG.standard_normal(shape))  # float64: the non-fused path
    y = tf.layers.batch_normalization(x, training=True) * np.arange(1.0, shape[-1] + 1)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for t in (x, *tf.trainable_variables()):
            error = tf.test.compute_gradient_error(t, t.shape.as_list(), y, list(shape))
            assert error < 1e-5


def test_fused_gradients_match_finite_differences(graph):
    x = tf.constant(IMG)
    y = tf.layers.batch_normalization(x, training=True) * np.float32([1.0, 3.0])
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        error = tf.test.compute_gradient_error(x, list(IMG.shape), y, list(IMG.shape))
        assert error < 2e-2  # float32 differences


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"virtual_batch_size": 2}, "ghost batches"),
        ({"adjustment": lambda shape: (1.0, 0.0)}, "scale and shift"),
        ({"axis": 1}, "channels last"),
    ],
)
def test_unsupported_options_name_the_fix(graph, kwargs, match):
    with pytest.raises(NotImplementedError, match=match):
        tf.layers.batch_normalization(IMG, **kwargs)


def test_fused_true_is_dropped_where_it_cannot_fuse(graph):
    tf.layers.batch_normalization(ROWS, fused=True)  # as TF1's layers (no error)
    assert "FusedBatchNormV3" not in {op.type for op in graph.get_operations()}
