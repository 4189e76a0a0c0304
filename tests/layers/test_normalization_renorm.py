"""Batch renormalization (``renorm=True``) in ``tf.layers``, ``tf.keras.layers`` (v1) and
``tf.contrib.layers.batch_norm``: variables, update ops, op names, and values after training
steps and at inference, each expected number computed with TensorFlow 2.21 (tf.compat.v1,
tf_keras, tf_slim)."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

X = np.float32([[1, 2], [3, -1], [0, 4], [2, 1]])
WEIGHTS = np.float32([[1, 0], [0, 2], [3, 1], [-1, 1]])

# TF 2.21: y, then gamma..renorm_stddev less gamma and beta, after each of two training steps
# (the second on X * 2 - 1), then inference on X; and d(sum(y * WEIGHTS))/dx on X.
TF_STEPS = [
    (
        [[0.5, 1.3466344], [2.5, -0.7331716], [-0.5, 2.7331717], [1.5, 0.65336573]],
        [
            [0.75, 0.75],
            [1.1209905, 1.9632764],
            [1.0592406, 1.4015265],
            [0.375, 0.375],
            [1.0296203, 1.2007632],
        ],
    ),
    (
        [
            [0.4410389, 1.3466742],
            [2.6768832, -0.73337144],
            [-0.6768833, 2.7333715],
            [1.558961, 0.6533257],
        ],
        [
            [1.375, 1.375],
            [2.7141333, 6.267054],
            [1.6477661, 2.5036082],
            [0.78125, 0.78125],
            [1.3312881, 1.8019949],
        ],
    ),
]
TF_INFERENCE = [
    [0.27241915, 0.7496397],
    [1.4861836, -0.44863084],
    [-0.33446312, 1.5484867],
    [0.8793014, 0.35021618],
]
TF_DX = [
    [-0.29956037, -0.61330074],
    [0.89868116, 0.29342896],
    [0.60131884, 0.39983976],
    [-1.2004397, -0.07996792],
]
NAMES = [
    "gamma",
    "beta",
    "moving_mean",
    "moving_variance",
    "moving_stddev",
    "renorm_mean",
    "renorm_stddev",
]


def _renorm_layer(x, training):
    return tf.layers.batch_normalization(
        x,
        training=training,
        momentum=0.5,
        renorm=True,
        renorm_momentum=0.75,
        renorm_clipping={"rmin": 0.8, "rmax": 1.25, "dmax": 0.5},
        beta_initializer=tf.constant_initializer(0.5),
    )


def test_renorm_trains_and_infers_as_tf(graph):
    x = tf.placeholder(tf.float32, [None, 2])
    training = tf.placeholder_with_default(True, [])
    y = _renorm_layer(x, training)
    variables = tf.global_variables()
    assert [v.name for v in variables] == [f"batch_normalization/{n}:0" for n in NAMES]
    assert [v.name for v in tf.trainable_variables()] == [v.name for v in variables[:2]]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert [op.type for op in updates] == ["Merge", "Merge"]  # tf.cond of a tensor
    dx = tf.gradients(tf.reduce_sum(y * WEIGHTS), x)[0]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        np.testing.assert_allclose(sess.run(dx, {x: X}), TF_DX, rtol=1e-5, atol=1e-6)
        for step, (outputs, state) in enumerate(TF_STEPS):
            value, _ = sess.run([y, updates], {x: X * (step + 1) - step})
            np.testing.assert_allclose(value, outputs, rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(sess.run(variables[2:]), state, rtol=1e-5)
        inference = sess.run(y, {x: X, training: False})
        np.testing.assert_allclose(inference, TF_INFERENCE, rtol=1e-5, atol=1e-6)


def test_renorm_builds_tf_ops_and_updates(graph):
    _renorm_layer(tf.placeholder(tf.float32, [None, 2]), True)
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert [op.name for op in updates] == [
        "batch_normalization/AssignMovingAvg_2",
        "batch_normalization/AssignNewValue",
    ]
    ops = {op.name: op for op in graph.get_operations()}
    assert ops["batch_normalization/renorm_r"].type == "StopGradient"
    assert ops["batch_normalization/renorm_r"].inputs[0].op.name == "batch_normalization/Minimum"
    assert ops["batch_normalization/renorm_d"].inputs[0].op.name == "batch_normalization/Minimum_1"
    assert ops["batch_normalization/moving_stddev/Initializer/Sqrt"].type == "Sqrt"
    # renorm_mean's and renorm_stddev's moving averages (renorm_momentum) run first
    assert [op.name for op in ops["batch_normalization/Identity_4"].control_inputs] == [
        "batch_normalization/AssignMovingAvg",
        "batch_normalization/AssignMovingAvg_1",
    ]
    assert ops["batch_normalization/AssignMovingAvg/decay"].get_attr("value") == 0.25
    assert ops["batch_normalization/AssignMovingAvg_3"].inputs[0].op.name == (
        "batch_normalization/moving_stddev"
    )
    assert ops["batch_normalization/AssignNewValue"].inputs[1].op.type == "Relu"


def test_renorm_at_inference_only_uses_the_moving_statistics(graph):
    _renorm_layer(tf.placeholder(tf.float32, [None, 4, 4, 2]), False)
    assert tf.get_collection(tf.GraphKeys.UPDATE_OPS) == []
    types = {op.type for op in graph.get_operations()}
    assert "FusedBatchNormV3" not in types and "StopGradient" not in types


def test_renorm_options_are_checked_and_unfuse(graph):
    with pytest.raises(ValueError, match="invalid keys for `renorm_clipping`.*rmax"):
        tf.layers.BatchNormalization(renorm=True, renorm_clipping={"r_max": 2.0})
    tf.layers.BatchNormalization(renorm_clipping={"r_max": 2.0})  # unchecked without renorm
    images = tf.placeholder(tf.float32, [None, 4, 4, 2])
    layer = tf.layers.BatchNormalization(renorm=True, fused=True)
    layer(images, training=True)
    assert layer.fused is False  # TF1 drops fused=True where it cannot fuse
    assert "FusedBatchNormV3" not in {op.type for op in graph.get_operations()}


# TF 2.21 (tf_keras): train_on_batch's losses, then predict's first row.
TF_KERAS_LOSSES = [1.9030061960220337, 1.5726065635681152, 1.3274234533309937]
TF_KERAS_FIRST_ROW = [-0.3188020884990692, -0.12219478189945221]


def test_keras_renorm_trains_as_tf_and_round_trips_its_config(graph):
    rng = np.random.RandomState(4)
    x = (rng.randn(6, 3) * 2 + 1).astype(np.float32)
    y = rng.randn(6, 2).astype(np.float32)
    kernel = [[0.5, -1.0], [0.25, 0.75], [1.0, 0.1]]
    norm = tf.keras.layers.BatchNormalization(
        renorm=True,
        renorm_clipping={"rmax": 1.2, "dmax": 0.5},
        renorm_momentum=0.5,
        momentum=0.6,
    )
    dense = tf.keras.layers.Dense(
        2, kernel_initializer=tf.keras.initializers.Constant(kernel), input_shape=(3,)
    )
    model = tf.keras.Sequential([dense, norm])
    model.compile(tf.keras.optimizers.SGD(0.1), "mse")
    losses = [float(model.train_on_batch(x * (i + 1), y)) for i in range(3)]
    np.testing.assert_allclose(losses, TF_KERAS_LOSSES, rtol=1e-6)
    np.testing.assert_allclose(model.predict(x)[0], TF_KERAS_FIRST_ROW, rtol=1e-5)
    assert [u.name for u in norm.updates] == [
        "batch_normalization/cond_6/Merge",
        "batch_normalization/cond_7/Merge",
    ]
    config = norm.get_config()
    assert (config["renorm"], config["renorm_clipping"], config["renorm_momentum"]) == (
        True,
        {"rmax": 1.2, "dmax": 0.5},
        0.5,
    )
    assert "renorm" not in tf.keras.layers.BatchNormalization().get_config()
    clone = tf.keras.layers.BatchNormalization.from_config(config)
    assert (clone.renorm, clone.renorm_momentum) == (True, 0.5)


# TF 2.21 with tf_slim: the outputs of two steps on IMAGES (then IMAGES * 2) of a renorm
# batch_norm (decay 0.7, renorm_decay 0.5, rmax 1.1, relu), first row of the first image.
IMAGES = (np.random.RandomState(5).randn(2, 2, 2, 3) * 2 + 1).astype(np.float32)
TF_SLIM_FIRST = [[1.882455, 0.49280304, 3.375887], [0.49581575, 1.1227012, 2.691773]]
TF_SLIM_SECOND = [[1.8697927, 0.65285206, 3.0447237], [0.45531154, 1.28285, 2.360575]]


def test_slim_renorm_files_model_variables_as_tf_slim(graph):
    slim = tf.contrib.slim
    x = tf.placeholder(tf.float32, [None, 2, 2, 3])
    y = slim.batch_norm(
        x,
        scale=True,
        decay=0.7,
        renorm=True,
        renorm_decay=0.5,
        renorm_clipping={"rmax": 1.1},
        variables_collections=["foo"],
        activation_fn=tf.nn.relu,
    )
    names = [f"BatchNorm/{n}:0" for n in NAMES]
    assert [v.name for v in tf.global_variables()] == names
    assert [v.name for v in tf.model_variables()] == names
    assert [v.name for v in tf.get_collection("foo")] == [names[i] for i in (2, 3, 1, 0)]
    updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    assert [op.name for op in updates] == [
        "BatchNorm/AssignMovingAvg_2",
        "BatchNorm/AssignNewValue",
    ]
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        first = sess.run([y, updates], {x: IMAGES})[0]
        second = sess.run(y, {x: IMAGES * 2})
    np.testing.assert_allclose(first[0, 0], TF_SLIM_FIRST, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(second[0, 0], TF_SLIM_SECOND, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="renorm is not supported with"):
        slim.batch_norm(x, renorm=True, updates_collections=None, scope="forced")


# TF 2.21 with tf_slim, data_format="NCHW" (decay 0.5, gamma 1.5, beta 0.25): the first
# example's first pixel over the channels, and the moving mean and variance after one step.
NCHW_IMAGES = (np.random.RandomState(13).randn(2, 3, 2, 2) * 2 + 1).astype(np.float32)
TF_SLIM_NCHW_PIXEL = [-2.5701768, 1.3108101, 2.5305512]
TF_SLIM_NCHW_MEAN = [0.7499121, 1.3682553, 0.3068634]
TF_SLIM_NCHW_VARIANCE = {  # fused: Bessel's correction; tf_slim's own unfused path: none
    True: [1.0982196, 1.5385979, 3.2632186],
    False: [1.023442, 1.4087732, 2.9178164],
}


@pytest.mark.parametrize(
    ("kwargs", "fused"),
    [({}, True), ({"updates_collections": None}, True), ({"fused": False}, False)],
    ids=["layer", "slim_fused", "slim_unfused"],
)
def test_slim_channels_first_as_tf_slim(graph, kwargs, fused):
    if not fused:
        kwargs = {**kwargs, "updates_collections": None}
    x = tf.placeholder(tf.float32, [None, 3, 2, 2])
    initializers = {"gamma": tf.constant_initializer(1.5), "beta": tf.constant_initializer(0.25)}
    y = tf.contrib.slim.batch_norm(
        x, data_format="NCHW", scale=True, decay=0.5, param_initializers=initializers, **kwargs
    )
    formats = {op.get_attr("data_format") for op in graph.get_operations() if "Fused" in op.type}
    assert formats == ({b"NCHW"} if fused else set())
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        value = sess.run([y, tf.get_collection(tf.GraphKeys.UPDATE_OPS)], {x: NCHW_IMAGES})[0]
        moving = sess.run(tf.model_variables()[2:])
    np.testing.assert_allclose(value[0, :, 0, 0], TF_SLIM_NCHW_PIXEL, rtol=1e-5)
    np.testing.assert_allclose(moving, [TF_SLIM_NCHW_MEAN, TF_SLIM_NCHW_VARIANCE[fused]], rtol=1e-5)


def test_slim_default_path_is_tf_layers_as_tf_slim(graph):
    slim = tf.contrib.slim
    slim.batch_norm(
        tf.placeholder(tf.float32, [None, 2, 2, 3]), scale=True, variables_collections=["c"]
    )
    names = [f"BatchNorm/{n}:0" for n in NAMES[:4]]
    assert [v.name for v in tf.model_variables()] == names  # gamma first, as the layer makes it
    assert [v.name for v in tf.get_collection("c")] == [names[i] for i in (2, 3, 1, 0)]
    ops = {op.name: op.type for op in graph.get_operations()}
    # TF 2.21 + tf_slim: the layer's fused updates, 1 - momentum from a momentum tensor
    assert ops["BatchNorm/FusedBatchNormV3"] == "FusedBatchNormV3"
    assert ops["BatchNorm/AssignMovingAvg/sub/x"] == "Const"
    assert ops["BatchNorm/AssignMovingAvg/sub_1"] == "Sub"
    assert [op.name for op in tf.get_collection(tf.GraphKeys.UPDATE_OPS)] == [
        "BatchNorm/AssignMovingAvg",
        "BatchNorm/AssignMovingAvg_1",
    ]


_WEIGHTED = np.random.RandomState(29)
_WEIGHTED.randn(4, 3, 2, 2)  # the reference script drew an image batch first
WEIGHTED_ROWS = (_WEIGHTED.randn(4, 3) * 2 + 1).astype(np.float32)
BATCH_WEIGHTS = np.float32([1.0, 2.0, 0.5, 0.0])


def test_slim_batch_weights_as_tf_slim(graph):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.contrib.slim.batch_norm(x, batch_weights=tf.constant(BATCH_WEIGHTS), decay=0.5)
    names = [op.name for op in graph.get_operations()]
    assert "BatchNorm/batchnorm_1/Rsqrt" in names  # tf_slim's unfused path, its names
    assert "BatchNorm/batchnorm/Rsqrt" not in names
    with tf.Session() as sess:  # TF 2.21 + tf_slim's numbers
        sess.run(tf.global_variables_initializer())
        value = sess.run([y, tf.get_collection(tf.GraphKeys.UPDATE_OPS)], {x: WEIGHTED_ROWS})[0]
        moving = sess.run(tf.model_variables()[1:])
    np.testing.assert_allclose(value[1], [0.11477804, -0.85258096, 0.6650731], rtol=1e-5)
    np.testing.assert_allclose(
        moving,
        [[-0.75882971, -0.68865764, 0.20420575], [2.4631035, 4.0425377, 1.1531659]],
        rtol=1e-5,
    )
    with pytest.raises(ValueError, match=r"Shapes \(4,\) and \(5,\) are incompatible"):
        tf.contrib.slim.batch_norm(tf.zeros([4, 3]), batch_weights=tf.zeros([5]), scope="bad")
