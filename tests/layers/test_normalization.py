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


MULTI_AXIS = (np.random.RandomState(31).randn(3, 2, 2, 3) * 2 + 1).astype(np.float32)


def test_several_axes_normalize_as_tf(graph):
    x = tf.placeholder(tf.float32, [None, 2, 2, 3])
    training = tf.placeholder_with_default(True, [])
    y = tf.layers.batch_normalization(x, axis=[1, 2], training=training, momentum=0.5)
    # as TF1: the input's shape with 1 outside the axes, statistics over the others
    assert [v.shape.as_list() for v in tf.global_variables()] == [[1, 2, 2, 1]] * 4
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:  # TF 2.21's numbers
        sess.run(tf.global_variables_initializer())
        value, _ = sess.run([y, updates], {x: MULTI_AXIS})
        expected = [[-0.22297069, -0.64698124], [-0.87114346, -0.42938471]]
        np.testing.assert_allclose(value[0, :, :, 0], expected, rtol=1e-5)
        moving_mean, moving_variance = sess.run(tf.global_variables()[2:])
        np.testing.assert_allclose(
            moving_mean.ravel(), [0.22443312, 0.11847063, 0.55149734, 0.76874435], rtol=1e-5
        )
        np.testing.assert_allclose(
            moving_variance.ravel(), [1.2788861, 1.3007154, 2.3090014, 1.8649342], rtol=1e-5
        )
        inference = sess.run(y, {x: MULTI_AXIS, training: False})
        expected = [[2.8059561, 0.86224967], [-0.93541616, -0.46778968]]
        np.testing.assert_allclose(inference[1, :, :, 2], expected, rtol=1e-5)
    with pytest.raises(ValueError, match=r"Duplicate axis: \(1, 1\)"):
        tf.layers.batch_normalization(x, axis=[1, 1])
    with pytest.raises(TypeError, match="Expected an int or a list/tuple of ints"):
        tf.layers.batch_normalization(x, axis="x")


def test_fused_true_is_dropped_where_it_cannot_fuse(graph):
    tf.layers.batch_normalization(ROWS, fused=True)  # as TF1's layers (no error)
    assert "FusedBatchNormV3" not in {op.type for op in graph.get_operations()}


_AXIS_RNG = np.random.RandomState(7)
CHANNELS_FIRST = (_AXIS_RNG.randn(4, 3, 2) * 2 + 1).astype(np.float32)
IMAGES_NCHW = (_AXIS_RNG.randn(2, 3, 2, 2) * 2 + 1).astype(np.float32)
# TF 2.21 (momentum 0.5, gamma 1.5, beta 0.5): the first example's output in training, the
# moving mean and variance after that step, the first example's output at inference.
TF_OTHER_AXES = {
    "3d_axis_1": (
        [[3.2257926, 0.10400636], [0.08399391, 0.73859882], [-1.0841426, 0.33816034]],
        [0.30760655, 0.77094227, 0.59206986],
        [2.6467876, 1.9738904, 1.8912742],
        [[4.2550139, 0.27923954], [0.81455523, 1.6144428], [-0.77571565, 0.9493255]],
    ),
    "4d_axis_2": (
        [
            [[0.94798505, -0.9279595], [0.15461141, -1.9806244]],
            [[2.4094253, 0.45261416], [-0.22788274, 1.8301759]],
            [[-1.195472, 1.7233233], [-1.7267434, -0.13672364]],
        ],
        [0.11902299, 0.39937401],
        [3.02476, 3.9994488],
        [
            [[1.1814182, -1.2422366], [0.34263653, -2.4818361]],
            [[3.0695481, 0.54141635], [-0.16332364, 2.5590594]],
            [[-1.5878537, 2.1831286], [-2.1460047, -0.04273911]],
        ],
    ),
    "4d_axis_1_unfused": (
        [
            [[0.80720395, -0.8127138], [0.39240482, -1.7782791]],
            [[2.2691917, -0.71329433], [-1.3767407, 2.3161378]],
            [[-0.61482775, 1.6832379], [-1.0492567, 0.42454535]],
        ],
        [0.18811192, 0.67985129, -0.0903677],
        [3.8860714, 1.5865439, 4.5731955],
        [
            [[1.0486372, -1.0897031], [0.50108975, -2.3642783]],
            [[3.3797433, -0.11048687], [-0.8868796, 3.4346817]],
            [[-1.0512311, 2.015773], [-1.6310208, 0.33591884]],
        ],
    ),
}


@pytest.mark.parametrize(
    ("case", "x", "axis", "fused"),
    [
        ("3d_axis_1", CHANNELS_FIRST, 1, None),
        ("4d_axis_2", IMAGES_NCHW, 2, None),  # not fusable in TF1 either
        ("4d_axis_1_unfused", IMAGES_NCHW, 1, False),
    ],
)
def test_other_axes_normalize_as_tf(graph, case, x, axis, fused):
    inputs = tf.placeholder(tf.float32, [None, *x.shape[1:]])
    training = tf.placeholder_with_default(True, [])
    y = tf.layers.batch_normalization(
        inputs,
        axis=axis,
        training=training,
        momentum=0.5,
        fused=fused,
        gamma_initializer=tf.constant_initializer(1.5),
        beta_initializer=tf.constant_initializer(0.5),
    )
    channels = x.shape[axis]
    assert [v.shape.as_list() for v in tf.global_variables()] == [[channels]] * 4
    reshapes = [op.name for op in graph.get_operations() if op.type == "Reshape"]
    assert reshapes == [f"batch_normalization/Reshape{s}" for s in ("", "_1", "_2", "_3")]
    first, moving_mean, moving_variance, inference = TF_OTHER_AXES[case]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value, _ = sess.run([y, updates], {inputs: x})
        np.testing.assert_allclose(value[0], first, rtol=1e-5, atol=1e-6)
        state = sess.run(tf.global_variables()[2:])
        np.testing.assert_allclose(state, [moving_mean, moving_variance], rtol=1e-5)
        value = sess.run(y, {inputs: x, training: False})
        np.testing.assert_allclose(value[0], inference, rtol=1e-5, atol=1e-6)


def test_keras_channels_first_trains_as_tf(graph):
    rng = np.random.RandomState(3)
    x, y = rng.randn(6, 3, 4).astype(np.float32), rng.randn(6, 2).astype(np.float32)
    norm = tf.keras.layers.BatchNormalization(axis=1, input_shape=(3, 4))
    dense = tf.keras.layers.Dense(2, kernel_initializer="ones")
    model = tf.keras.Sequential([norm, tf.keras.layers.Flatten(), dense])
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    losses = [float(model.train_on_batch(x, y)) for _ in range(2)]
    np.testing.assert_allclose(losses, [11.968006, 8.9132996], rtol=1e-5)  # TF 2.21's
    np.testing.assert_allclose(model.predict(x)[0], [-9.983549, -9.592841], rtol=1e-5)
    assert norm.get_config()["axis"] == [1]


_NCHW_RNG = np.random.RandomState(11)
NCHW = (_NCHW_RNG.randn(2, 3, 2, 2) * 2 + 1).astype(np.float32)
NCDHW = (_NCHW_RNG.randn(2, 2, 2, 1, 2) * 2 + 1).astype(np.float32)
NCHW_WEIGHTS = _NCHW_RNG.randn(2, 3, 2, 2).astype(np.float32)


def test_axis_1_of_images_is_fused_nchw_as_tf(graph):
    x = tf.constant(NCHW)
    training = tf.placeholder_with_default(True, [])
    y = tf.layers.batch_normalization(
        x,
        axis=1,
        training=training,
        momentum=0.5,
        gamma_initializer=tf.constant_initializer(1.5),
        beta_initializer=tf.constant_initializer(0.5),
    )
    volumes = tf.layers.batch_normalization(tf.constant(NCDHW), axis=1, training=True, name="v")
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    (dx,) = tf.gradients(tf.reduce_sum(y * NCHW_WEIGHTS), x)
    fused = [op for op in graph.get_operations() if op.type.startswith("FusedBatchNorm")]
    assert sorted((op.name, op.get_attr("data_format").decode()) for op in fused) == [
        ("batch_normalization/cond/FusedBatchNormV3", "NCHW"),
        ("batch_normalization/cond/FusedBatchNormV3_1", "NCHW"),
        # as TF1: the inference branch's gradient is taken channels last, transposed
        ("gradients/batch_normalization/cond/FusedBatchNormV3_1_grad/FusedBatchNormGradV3", "NHWC"),
        ("gradients/batch_normalization/cond/FusedBatchNormV3_grad/FusedBatchNormGradV3", "NCHW"),
        ("v/FusedBatchNormV3", "NCDHW"),
    ]
    with tf.Session() as sess:  # TF 2.21's numbers
        sess.run(tf.global_variables_initializer())
        value, volume, grad, _ = sess.run([y, volumes, dx, updates])
        np.testing.assert_allclose(
            value[0, :, 0, 0], [2.9631014, 0.19868475, 0.98471367], rtol=1e-5
        )
        np.testing.assert_allclose(
            value[1, :, 1, 1], [-0.39303446, -1.2621498, 2.8749621], rtol=1e-5
        )
        np.testing.assert_allclose(
            grad[0, :, 0, 1], [-0.76510197, -1.3492161, -1.1440803], rtol=1e-5
        )
        np.testing.assert_allclose(volume[1, :, 1, 0, 1], [0.03713006, 1.4078796], rtol=1e-4)
        np.testing.assert_allclose(
            sess.run(tf.global_variables()[2:4]),
            [[0.14391862, 0.6309759, 0.631794], [4.2575035, 1.5979748, 2.3309033]],
            rtol=1e-5,
        )
        inference = sess.run(y, {training: False})
        np.testing.assert_allclose(
            inference[0, :, 1, 0], [0.41782701, -0.33538717, -0.87939179], rtol=1e-5
        )


GHOST = (np.random.RandomState(17).randn(4, 3) * 2 + 1).astype(np.float32)


def test_virtual_batches_normalize_each_ghost_batch_as_tf(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    training = tf.placeholder_with_default(True, [])
    y = tf.layers.batch_normalization(x, training=training, virtual_batch_size=2, momentum=0.5)
    assert [v.shape.as_list() for v in tf.global_variables()] == [[1, 1, 3]] * 4  # as TF1's
    ops = [op.name for op in graph.get_operations() if op.type in ("Reshape", "Mean")]
    assert ops == [
        "batch_normalization/Reshape",  # to [virtual_batch_size, -1, 3]
        "batch_normalization/moments/mean",
        "batch_normalization/moments/variance",
        "batch_normalization/Mean",  # the moving statistics' targets: the ghost batches' mean
        "batch_normalization/Mean_1",
        "batch_normalization/Reshape_1",
    ]
    assert y.shape.as_list() == [None, 3]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:  # TF 2.21's numbers
        sess.run(tf.global_variables_initializer())
        value, _ = sess.run([y, updates], {x: GHOST})
        # examples 0 and 2 are one ghost batch, 1 and 3 the other
        first = [[0.99669456, -0.99977565, 0.9977932], [0.99980056, -0.99961138, 0.99907398]]
        np.testing.assert_allclose(value[:2], first, rtol=1e-5)
        moving = np.reshape(sess.run(tf.global_variables()[2:]), (2, 3))
        targets = [[0.7180239, 0.7479295, 1.4528813], [1.164176, 1.3784359, 0.69126958]]
        np.testing.assert_allclose(moving, targets, rtol=1e-5)
        inference = sess.run(y, {x: GHOST, training: False})
        np.testing.assert_allclose(inference[1], [2.3832865, 1.9808116, 3.9907298], rtol=1e-5)
    with pytest.raises(ValueError, match="must be a positive integer"):
        tf.layers.BatchNormalization(virtual_batch_size=0)(x)  # when built, as TF1
    with pytest.raises(ValueError, match="axis cannot include 0"):
        tf.layers.batch_normalization(x, axis=0, virtual_batch_size=2)
    config = tf.keras.layers.BatchNormalization(virtual_batch_size=2).get_config()
    assert config["virtual_batch_size"] == 2


ADJUSTED = (np.random.RandomState(23).randn(4, 2, 2, 3) * 2 + 1).astype(np.float32)


def _adjustment(shape):
    return tf.fill([3], 1.5), tf.fill([3], -0.25)


def test_adjustment_scales_and_shifts_training_outputs_as_tf(graph):
    x = tf.placeholder(tf.float32, [None, 2, 2, 3])
    training = tf.placeholder_with_default(True, [])
    y = tf.layers.batch_normalization(x, training=training, adjustment=_adjustment, momentum=0.5)
    types = {op.type for op in graph.get_operations()}
    assert "FusedBatchNormV3" not in types  # as TF1: never fused with an adjustment
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.Session() as sess:  # TF 2.21's numbers
        sess.run(tf.global_variables_initializer())
        value, _ = sess.run([y, updates], {x: ADJUSTED})
        np.testing.assert_allclose(value[0, 0, 0], [0.24906206, -0.20024931, -1.4877982], rtol=1e-5)
        moving = sess.run(tf.global_variables()[2:])
        np.testing.assert_allclose(
            moving,
            [[0.76740557, 0.50549841, 0.39260718], [3.3843024, 1.249799, 1.8188384]],
            rtol=1e-5,
        )
        inference = sess.run(y, {x: ADJUSTED, training: False})  # not adjusted
        np.testing.assert_allclose(
            inference[0, 0, 0], [0.85143435, 0.48831546, -0.70262146], rtol=1e-5
        )
    with pytest.raises(ValueError, match="adjustment cannot be specified"):
        tf.layers.batch_normalization(x, adjustment=_adjustment, virtual_batch_size=2)
    ignored = tf.contrib.slim.batch_norm(x, adjustment=_adjustment, updates_collections=None)
    adjusted = tf.contrib.slim.batch_norm(x, adjustment=_adjustment, scope="adjusted")
    with tf.Session() as sess:  # tf_slim's unfused path ignores the adjustment, as TF's
        sess.run(tf.global_variables_initializer())
        means = sess.run([tf.reduce_mean(t, [0, 1, 2]) for t in (ignored, adjusted)], {x: ADJUSTED})
    np.testing.assert_allclose(means, [[0.0] * 3, [-0.25] * 3], atol=1e-5)


def test_float64_inputs_are_never_fused_even_when_asked():
    # TF 2.21 builds no FusedBatchNorm op for float64 inputs, fused=True or not
    for fused in (None, True):
        with tf.Graph().as_default() as g:
            x = tf.constant(np.arange(24.0).reshape(2, 3, 2, 2))
            y = tf.layers.batch_normalization(x, scale=False, training=True, fused=fused)
            assert y.dtype == tf.float64
            assert not [op for op in g.get_operations() if "FusedBatchNorm" in op.type]
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                assert abs(sess.run(y).sum()) < 1e-9
