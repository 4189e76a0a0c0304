"""``tf.keras.callbacks.TensorBoard(histogram_freq=..., write_grads=..., update_freq=...)``
as TF 2.21's tf_keras (compat.v1 graph mode) writes it (reference venv): batch scalars,
histograms of each layer's weights, outputs and gradients fetched with the validation batches
of every ``histogram_freq``-th epoch, step = the count of such batches; values identical to
TF's."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

import scopeflow as tf

K = tf.keras
L = K.layers

# (step, tag, count, sum, min, buckets) of the histograms, then the epoch scalars, as TF wrote
EXPECTED = [
    (0, "x_out", 18, 0.8361, -0.9923, 25),
    (0, "h/kernel_0", 12, 1.8344, -0.3984, 21),
    (0, "h/bias_0", 4, 1.7383, 0.374, 6),
    (0, "h/kernel_0_grad", 12, -0.0122, -0.0333, 25),
    (0, "h/bias_0_grad", 4, 0.1387, -0.0135, 9),
    (0, "h_out", 24, 9.3506, -0.2652, 29),
    (0, "o/kernel_0", 4, 0.5417, -0.0845, 9),
    (0, "o/bias_0", 1, -0.1292, -0.1292, 3),
    (0, "o/kernel_0_grad", 4, 0.1671, -0.011, 9),
    (0, "o/bias_0_grad", 1, 0.2612, 0.2612, 3),
    (0, "o_out", 6, 0.5742, -0.0288, 13),
    (0, "epoch_loss", 0.7292),
    (0, "epoch_val_loss", 0.49747),
    (1, "epoch_loss", 0.52254),
    (1, "epoch_val_loss", 0.4935),
    (1, "x_out", 18, 0.8361, -0.9923, 25),
    (1, "h/kernel_0", 12, 1.7531, -0.388, 20),
    (1, "h/bias_0", 4, 1.7251, 0.3647, 6),
    (1, "h/kernel_0_grad", 12, 0.0103, -0.0426, 22),
    (1, "h/bias_0_grad", 4, -0.0256, -0.0286, 9),
    (1, "h_out", 24, 9.2858, -0.2524, 29),
    (1, "o/kernel_0", 4, 0.2347, -0.1348, 9),
    (1, "o/bias_0", 1, -0.2221, -0.2221, 3),
    (1, "o/kernel_0_grad", 4, -0.5797, -0.1899, 7),
    (1, "o/bias_0_grad", 1, -0.1765, -0.1765, 3),
    (1, "o_out", 6, -0.7389, -0.246, 13),
    (2, "epoch_loss", 0.51772),
    (2, "epoch_val_loss", 0.50683),
]


def test_histograms_of_weights_outputs_and_gradients_match_tf(graph, tmp_path):
    x_in = K.Input((3,), name="x")
    model = K.Model(x_in, L.Dense(1, name="o")(L.Dense(4, activation="tanh", name="h")(x_in)))
    model.compile(K.optimizers.SGD(0.1), "mse")
    for k, w in enumerate(model.weights):
        shape = w.shape.as_list()
        K.backend.set_value(w, np.sin(np.arange(np.prod(shape)) * 0.37 + k).reshape(shape) * 0.5)
    x = np.cos(np.arange(60)).reshape(20, 3).astype("f")
    y = np.sin(np.arange(20)).reshape(20, 1).astype("f")
    board = K.callbacks.TensorBoard(str(tmp_path), histogram_freq=2, write_grads=True)
    history = model.fit(
        x, y, epochs=3, batch_size=10, verbose=0, shuffle=False, validation_split=0.3,
        callbacks=[board],
    )  # fmt: skip
    np.testing.assert_allclose(history.history["val_loss"], [0.49747, 0.4935, 0.50683], atol=1e-5)
    (path,) = tmp_path.glob("events*")
    got = []
    for event in tf.train.summary_iterator(str(path)):
        for v in event.summary.value:
            if v.HasField("histo"):
                h = v.histo
                got.append((event.step, v.tag, round(h.num), h.sum, h.min, len(h.bucket)))
            else:
                got.append((event.step, v.tag, v.simple_value))
    assert [g[:2] for g in got] == [e[:2] for e in EXPECTED]
    for g, e in zip(got, EXPECTED, strict=True):
        np.testing.assert_allclose(g[2:], e[2:], atol=1e-4)
    assert not model._fetch_callbacks["test"]  # the histograms leave the test function


def test_input_layer_output_is_its_placeholder(graph):
    x = K.Input((3,), name="x")
    model = K.Model(x, L.Dense(2)(x))
    layer = model.layers[0]
    assert layer.output is x and layer.input is x
    assert layer.input_shape == layer.output_shape == [(None, 3)]


# (update_freq, [(step, tag, value)]) as TF wrote them, one event per value
UPDATES = {
    "batch": [
        (0, "batch_loss", 0.6759), (0, "batch_mean_absolute_error", 0.8152),
        (1, "batch_loss", 0.8209), (1, "batch_mean_absolute_error", 0.8443),
        (6, "epoch_loss", 0.7484), (6, "epoch_mean_absolute_error", 0.8443),
        (6, "epoch_val_loss", 0.5866), (6, "epoch_val_mean_absolute_error", 0.7551),
        (2, "batch_loss", 0.6441), (2, "batch_mean_absolute_error", 0.7815),
        (3, "batch_loss", 0.7078), (3, "batch_mean_absolute_error", 0.7831),
        (12, "epoch_loss", 0.6759), (12, "epoch_mean_absolute_error", 0.7831),
        (12, "epoch_val_loss", 0.4966), (12, "epoch_val_mean_absolute_error", 0.7042),
    ],
    5: [
        (1, "batch_loss", 0.8209), (1, "batch_mean_absolute_error", 0.8443),
        (6, "epoch_loss", 0.7484), (6, "epoch_mean_absolute_error", 0.8443),
        (6, "epoch_val_loss", 0.5866), (6, "epoch_val_mean_absolute_error", 0.7551),
        (3, "batch_loss", 0.7078), (3, "batch_mean_absolute_error", 0.7831),
        (12, "epoch_loss", 0.6759), (12, "epoch_mean_absolute_error", 0.7831),
        (12, "epoch_val_loss", 0.4966), (12, "epoch_val_mean_absolute_error", 0.7042),
    ],
}  # fmt: skip


@pytest.mark.parametrize("update_freq", sorted(UPDATES, key=str))
def test_update_freq_writes_batch_scalars_as_tf(graph, tmp_path, update_freq):
    model = K.Sequential([L.Dense(1, input_shape=(2,), name="a")])
    model.compile(K.optimizers.SGD(0.1), "mse", metrics=["mae"])
    for w in model.weights:
        K.backend.set_value(w, np.full(w.shape.as_list(), 0.3))
    x = np.cos(np.arange(16)).reshape(8, 2).astype("f")
    y = np.sin(np.arange(8)).reshape(8, 1).astype("f")
    board = K.callbacks.TensorBoard(str(tmp_path), update_freq=update_freq)
    model.fit(x, y, epochs=2, batch_size=3, verbose=0, shuffle=False, validation_split=0.25,
              callbacks=[board])  # fmt: skip
    (path,) = tmp_path.glob("events*")
    got = [
        (event.step, v.tag, v.simple_value)
        for event in tf.train.summary_iterator(str(path))
        for v in event.summary.value
    ]
    assert [g[:2] for g in got] == [e[:2] for e in UPDATES[update_freq]]
    np.testing.assert_allclose([g[2] for g in got], [e[2] for e in UPDATES[update_freq]], atol=1e-4)


def test_write_images_makes_tf_pngs_of_the_weights(graph, tmp_path):
    model = K.Sequential(
        [
            L.Conv1D(2, 3, input_shape=(5, 2), name="c"),
            L.Flatten(),
            L.Dense(4, name="a"),
            L.Dense(1, name="b"),
        ]
    )
    model.compile(K.optimizers.SGD(0.1), "mse")
    for i, w in enumerate(model.weights):
        shape = w.shape.as_list()
        K.backend.set_value(w, np.sin(np.arange(np.prod(shape)) * 0.37 + i).reshape(shape) * 0.5)
    x = np.cos(np.arange(40)).reshape(4, 5, 2).astype("f")
    y = np.sin(np.arange(4)).reshape(4, 1).astype("f")
    board = K.callbacks.TensorBoard(str(tmp_path), histogram_freq=1, write_images=True)
    model.fit(x, y, epochs=1, batch_size=4, verbose=0, shuffle=False, validation_data=(x, y),
              callbacks=[board])  # fmt: skip
    (path,) = tmp_path.glob("events*")
    images = [
        (
            v.tag,
            v.image.height,
            v.image.width,
            hashlib.md5(v.image.encoded_image_string).hexdigest(),
        )
        for event in tf.train.summary_iterator(str(path))
        for v in event.summary.value
        if v.HasField("image")
    ]
    assert [(tag, h, w, digest[:8]) for tag, h, w, digest in images] == [  # TF's PNG bytes
        ("c/kernel_0_1/image/0", 3, 2, "44b4ea86"),
        ("c/kernel_0_1/image/1", 3, 2, "6101ead2"),
        ("c/bias_0_1/image/0", 2, 1, "3ac7c2c0"),
        ("a/kernel_0_1/image/0", 4, 6, "af8bf112"),
        ("a/bias_0_1/image/0", 4, 1, "0dddbd44"),
        ("b/kernel_0_1/image/0", 4, 1, "865a5172"),
    ]
