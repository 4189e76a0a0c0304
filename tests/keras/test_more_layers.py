"""``tf.keras.layers.LocallyConnected1D/2D`` and ``CuDNNLSTM``/``CuDNNGRU``: weight names and
shapes, configs and outputs as tf_keras 2.21's (compat.v1 graph mode). TF runs the cuDNN
layers only on a GPU: their outputs here are compared with tf_keras's cuDNN-equivalent
``LSTM`` (sigmoid gates, the two biases summed) and ``GRU(reset_after=True)`` on the same
weights."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras


def _run_with_weights(layer, shape, x, seed=0):
    inp = K.Input(shape[1:], batch_size=shape[0])
    out = layer(inp)
    r = np.random.RandomState(seed)
    K.backend.batch_set_value(
        [(w, r.randn(*w.shape.as_list()).astype(np.float32)) for w in layer.weights]
    )
    return out, K.backend.get_session().run(out, {inp: x})


def test_locally_connected_layers_are_tf_kerass(graph):
    r = np.random.RandomState(5)
    cases = [
        (
            K.layers.LocallyConnected1D(4, 2, strides=2),
            (2, 5, 3),
            [("locally_connected1d/kernel:0", [2, 6, 4]), ("locally_connected1d/bias:0", [2, 4])],
            [-5.772514, 2.266422, 0.862535, 3.608536, -2.698683, 0.287663],
            -5.7300214767456055,
        ),
        (
            K.layers.LocallyConnected1D(4, 2, use_bias=False, activation="relu"),
            (2, 5, 3),
            [("locally_connected1d_1/kernel:0", [4, 6, 4])],
            [0.0, 1.093351, 0.329447, 1.689723, 0.0, 0.0],
            30.43967941403389,
        ),
        (
            K.layers.LocallyConnected2D(3, (3, 2), strides=(1, 2)),
            (2, 4, 5, 2),
            [
                ("locally_connected2d/kernel:0", [4, 12, 3]),
                ("locally_connected2d/bias:0", [2, 2, 3]),
            ],
            [5.853647, 0.155239, -8.880413, -0.301059, 2.565472, 0.823059],
            -1.202883541584015,
        ),
    ]
    for layer, shape, weights, first, total in cases:
        out, value = _run_with_weights(layer, shape, r.randn(*shape).astype(np.float32))
        assert [(w.name, w.shape.as_list()) for w in layer.weights] == weights
        np.testing.assert_allclose(value.ravel()[:6], first, rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(value.sum(), total, rtol=1e-5)
    config = cases[0][0].get_config()
    assert config["kernel_size"] == (2,) and config["strides"] == (2,)
    assert config["activation"] == "linear" and config["implementation"] == 1
    assert list(config)[3:7] == ["filters", "kernel_size", "strides", "padding"]


def test_locally_connected_rejects_what_tf_keras_rejects(graph):
    with pytest.raises(ValueError, match='only "valid" is supported if implementation is 1'):
        K.layers.LocallyConnected1D(2, 2, padding="same")
    with pytest.raises(NotImplementedError, match="implementation=1"):
        K.layers.LocallyConnected2D(2, 2, implementation=2)


def _cudnn_weights():
    r = np.random.RandomState(3)
    x = r.randn(2, 4, 5).astype(np.float32)
    lstm = [r.randn(5, 12), r.randn(3, 12), r.randn(24)]
    gru = [r.randn(5, 9), r.randn(3, 9), r.randn(18)]
    scale = [(0.5 * w).astype(np.float32) for w in lstm + gru]
    return x, scale[:3], scale[3:]


def test_cudnn_layers_compute_cudnns_equations(graph):
    x, lstm_weights, gru_weights = _cudnn_weights()
    inp = K.Input((4, 5))
    lstm = K.layers.CuDNNLSTM(3, return_sequences=True, return_state=True)
    out, h, c = lstm(inp)
    gru = K.layers.CuDNNGRU(3, return_sequences=True, go_backwards=True)
    gru_out = gru(inp)
    assert [(w.name, w.shape.as_list()) for w in lstm.weights + gru.weights] == [
        ("cu_dnnlstm/kernel:0", [5, 12]),
        ("cu_dnnlstm/recurrent_kernel:0", [3, 12]),
        ("cu_dnnlstm/bias:0", [24]),
        ("cu_dnngru/kernel:0", [5, 9]),
        ("cu_dnngru/recurrent_kernel:0", [3, 9]),
        ("cu_dnngru/bias:0", [18]),
    ]
    sess = K.backend.get_session()
    # unit_forget_bias: the recurrent forget gate's bias starts at one, as TF's
    np.testing.assert_array_equal(sess.run(lstm.bias), [0.0] * 15 + [1.0] * 3 + [0.0] * 6)
    lstm.set_weights(lstm_weights)
    gru.set_weights(gru_weights)
    got = sess.run([out, h, c, gru_out], {inp: x})
    np.testing.assert_allclose(
        got[0].ravel()[:6],
        [-0.07414159, 0.44711566, -0.5190652, 0.1420132, 0.20746522, -0.1560734],
        rtol=1e-5,
    )
    np.testing.assert_allclose(got[0].sum(), 1.1855838298797607, rtol=1e-5)
    np.testing.assert_allclose(
        got[1].ravel(),
        [0.38745743, -0.00093691, -0.0125008, 0.27633893, 0.01929738, -0.02033925],
        rtol=1e-4,
        atol=1e-7,
    )
    np.testing.assert_allclose(
        got[2].ravel(),
        [1.3140324, -0.00225385, -0.1455697, 0.6661056, 0.08578986, -0.20308226],
        rtol=1e-4,
        atol=1e-7,
    )
    np.testing.assert_allclose(
        got[3].ravel()[:6],
        [0.64647824, 0.23892488, 0.07172457, 0.64865506, 0.13277513, 0.03340479],
        rtol=1e-5,
    )
    np.testing.assert_allclose(got[3].sum(), 2.1851701736450195, rtol=1e-5)
    config = lstm.get_config()
    assert list(config)[:9] == [
        "name",
        "trainable",
        "dtype",
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "time_major",
        "units",
    ]
    assert config["unit_forget_bias"] is True and "unit_forget_bias" not in gru.get_config()
    again = K.layers.CuDNNGRU.from_config(gru.get_config())
    assert again.units == 3 and again.go_backwards


def _conv_lstm(layer, shape, x):
    inp = K.Input(shape[1:], batch_size=shape[0])
    outs = layer(inp)
    outs = outs if isinstance(outs, list) else [outs]
    sess = K.backend.get_session()
    bias = sess.run(layer.bias) if layer.use_bias else None
    r = np.random.RandomState(0)
    K.backend.batch_set_value(
        [(w, 0.3 * r.randn(*w.shape.as_list()).astype(np.float32)) for w in layer.weights]
    )
    return outs, bias, sess.run(outs, {inp: x})


def test_conv_lstms_are_tf_kerass(graph):
    r = np.random.RandomState(7)
    cases = [
        (
            K.layers.ConvLSTM2D(3, (3, 3), padding="same", return_sequences=True),
            (2, 3, 5, 5, 2),
            [[3, 3, 2, 12], [3, 3, 3, 12], [12]],
            [[2, 3, 5, 5, 3]],
            [(-0.45733957549964543, 15.89432099354881)],
        ),
        (
            K.layers.ConvLSTM1D(2, 2, strides=2, return_state=True, go_backwards=True),
            (2, 4, 5, 2),
            [[2, 2, 8], [2, 2, 8], [8]],
            [[2, 2, 2]] * 3,
            [(0.25773775577545166, 0.34047771253336045)] * 2
            + [(0.327406570315361, 1.6412401732407214)],
        ),
        (
            K.layers.ConvLSTM3D(2, 2, use_bias=False, activation="relu"),
            (1, 2, 4, 4, 4, 1),
            [[2, 2, 2, 1, 8], [2, 2, 2, 2, 8]],
            [[1, 3, 3, 3, 2]],
            [(7.044174525712151, 2.948866350050648)],
        ),
        (
            K.layers.ConvLSTM2D(2, (2, 2), dilation_rate=(2, 1), unit_forget_bias=False),
            (1, 2, 5, 4, 1),
            [[2, 2, 1, 8], [2, 2, 2, 8], [8]],
            [[1, 3, 3, 2]],
            [(-1.0746866925619543, 0.5130777674019231)],
        ),
    ]
    names = ["conv_lstm2d", "conv_lstm1d", "conv_lstm3d", "conv_lstm2d_1"]
    biases = [[0.0] * 3 + [1.0] * 3 + [0.0] * 6, [0.0] * 2 + [1.0] * 2 + [0.0] * 4, None, [0.0] * 8]
    for (layer, shape, weights, out_shapes, sums), name, bias in zip(
        cases, names, biases, strict=True
    ):
        outs, initial_bias, values = _conv_lstm(layer, shape, r.randn(*shape).astype(np.float32))
        assert [w.name.split("/")[0] for w in layer.weights] == [name] * len(weights)
        assert [w.shape.as_list() for w in layer.weights] == weights
        assert [o.shape.as_list() for o in outs] == out_shapes
        if bias is not None:
            np.testing.assert_array_equal(initial_bias, bias)
        for value, (total, squares) in zip(values, sums, strict=True):
            np.testing.assert_allclose([value.sum(), (value**2).sum()], [total, squares], 1e-5)
    config = cases[0][0].get_config()
    assert list(config)[3:10] == [
        "return_sequences",
        "return_state",
        "go_backwards",
        "stateful",
        "unroll",
        "time_major",
        "filters",
    ]
    assert config["recurrent_activation"] == "hard_sigmoid" and config["dilation_rate"] == (1, 1)
    assert K.layers.ConvLSTM2D.from_config(config).padding == "same"


def test_random_fourier_features_are_tf_kerass(graph):
    layer = K.layers.experimental.RandomFourierFeatures(4, kernel_initializer="gaussian", scale=2.0)
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3) / 5)
    y = layer(x)
    assert [(w.name.split("/")[1], w.shape.as_list()) for w in layer.weights] == [
        ("kernel_scale:0", [1]),
        ("unscaled_kernel:0", [3, 4]),
        ("bias:0", [4]),
    ]
    assert (y.name, y.shape.as_list()) == ("random_fourier_features/Cos:0", [2, 4])
    assert layer.get_config() == {
        "name": "random_fourier_features",
        "trainable": False,
        "dtype": "float32",
        "output_dim": 4,
        "kernel_initializer": "gaussian",
        "scale": 2.0,
    }
    r = np.random.RandomState(0)
    kernel, bias = r.randn(3, 4).astype(np.float32), r.uniform(0, 6, 4).astype(np.float32)
    K.backend.batch_set_value([(layer.weights[1], kernel), (layer.weights[2], bias)])
    got = K.backend.get_session().run([y, layer.weights[0]])
    assert got[1].tolist() == [2.0]
    np.testing.assert_allclose(
        got[0],
        [
            [-0.9078006148338318, 0.7349429130554199, 0.8525067567825317, 0.6977856755256653],
            [-0.07940838485956192, 0.7001632452011108, 0.3884061574935913, -0.2867582440376282],
        ],
        rtol=1e-5,
    )
    with pytest.raises(ValueError, match="`output_dim` should be a positive integer"):
        K.layers.experimental.RandomFourierFeatures(0)
    with pytest.raises(ValueError, match="`scale` should be a positive float"):
        K.layers.experimental.RandomFourierFeatures(3, scale=-1.0)
    with pytest.raises(ValueError, match="Unsupported `kernel_initializer`: foo"):
        K.layers.experimental.RandomFourierFeatures(3, kernel_initializer="foo")
    assert K.backend.backend() == "tensorflow"


def test_v2_dtype_behavior_casts_inputs_to_floatx(graph):
    layer = K.layers.Dense(2)
    y = layer(tf.ones([1, 3], tf.float64))
    assert (y.dtype, layer.kernel.dtype.base_dtype) == (tf.float64, tf.float64)  # TF1: the input's
    K.layers.enable_v2_dtype_behavior()
    try:
        x = K.Input((3,), dtype="float64")
        cast_layer = K.layers.Dense(2)
        z = cast_layer(x)
        model = K.Model(x, z)
    finally:
        K.layers.disable_v2_dtype_behavior()
    assert (z.dtype, cast_layer.kernel.dtype.base_dtype) == (tf.float32, tf.float32)
    assert z.op.inputs[0].op.inputs[0].op.type == "Cast"
    assert [w.name for w in model.weights] == ["dense_1/kernel:0", "dense_1/bias:0"]
    assert K.layers.Dense(2)._dtype is None
