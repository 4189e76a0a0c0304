"""The 3-D padding, cropping, upsampling and pooling layers, the transposed and 1-D
depthwise convolutions, the preprocessing layers (``Normalization``, ``Rescaling``,
``Resizing``, ``CenterCrop``), ``ActivityRegularization``, ``Identity``, ``EinsumDense``,
``MultiHeadAttention`` and the swish and mish activations checked against TensorFlow's Keras
(tf_keras in compat.v1 graph mode), as recorded in ``tests/data/keras_layers3.json`` by
``tools/keras_layers3_reference.py``: weight names and shapes, output shapes, values with the
same weights and inputs, losses, ``get_config`` entries."""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf

L = tf.keras.layers
DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "keras_layers3.json"
REFERENCE = json.loads(DATA.read_text())
# get_config's entries are compared where scopeflow lists them (the layers on tf.layers'
# classes take theirs from keras/layer_configs.py; initializers, regularizers and constraints
# of EinsumDense and MultiHeadAttention are not listed yet).
CONFIG_BASE = ("name", "trainable", "dtype", "batch_input_shape")


def _fill(name: str, shape, index: int) -> np.ndarray:
    """tools/keras_applications_reference.py's deterministic weights."""
    t = np.sin(np.arange(int(np.prod(shape))) * 0.7 + index).reshape(shape)
    if name.endswith("/count:0"):
        return np.zeros(shape)
    if "variance" in name:
        return 1.0 + 0.5 * np.abs(t)
    if "gamma" in name:
        return 1.0 + 0.1 * t
    if len(shape) > 1:
        fan_in = np.prod(shape[:2]) if "depthwise" in name else np.prod(shape[:-1])
        return t / np.sqrt(fan_in)
    return 0.1 * t


def _inputs(shapes) -> list:
    return [
        np.sin(np.arange(2 * int(np.prod(s))) * 0.37 + i).reshape(2, *s) * 2.0
        for i, s in enumerate(shapes)
    ]


@pytest.mark.parametrize("expr", sorted(REFERENCE))
def test_layer_is_tensorflows(graph, expr):
    record = REFERENCE[expr]
    shapes = [tuple(s) for s in record["shapes"]]
    layer = eval(expr, {"L": L})
    xs = [tf.keras.Input(shape=s) for s in shapes]
    y = layer(*xs, **eval(record["kwargs"]))
    assert [[w.name, w.shape.as_list()] for w in layer.weights] == record["weights"]
    outputs = y if isinstance(y, tuple) else (y,)
    assert [t.shape.as_list() for t in outputs] == [shape for _, shape in record["outputs"]]
    if layer.weights:
        layer.set_weights(
            [_fill(w.name, w.shape.as_list(), i) for i, w in enumerate(layer.weights)]
        )
    sess = tf.keras.backend.get_session()
    feed = dict(zip(xs, _inputs(shapes), strict=True))
    for got, want in zip(sess.run(list(outputs), feed), record["values"], strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    if record["losses"] is None:
        assert not layer.losses
    else:
        np.testing.assert_allclose(sess.run(tf.add_n(layer.losses), feed), record["losses"], 1e-6)
    config = {k: v for k, v in layer.get_config().items() if k not in CONFIG_BASE}
    config = json.loads(json.dumps(config, default=str))
    assert config == {k: v for k, v in record["config"].items() if k in config}


def test_mha_in_a_model_masks_and_errors(graph):
    q, v = tf.keras.Input(shape=(3, 4)), tf.keras.Input(shape=(5, 4))
    mha = L.MultiHeadAttention(num_heads=2, key_dim=2)
    y = mha(q, v, attention_mask=tf.ones([1, 3, 5], tf.bool))
    model = tf.keras.Model([q, v], y)
    assert [layer.name for layer in model.layers] == ["input_1", "input_2", "multi_head_attention"]
    assert model.count_params() == mha.count_params() == 3 * (4 * 2 * 2 + 2 * 2) + 2 * 2 * 4 + 4
    out = model.predict([np.ones((2, 3, 4)), np.ones((2, 5, 4))])
    assert out.shape == (2, 3, 4)
    again = L.MultiHeadAttention.from_config(mha.get_config())
    assert (again._num_heads, again._key_dim, again._value_dim) == (2, 2, 2)
    with pytest.raises(NotImplementedError, match="softmax_robust_masking"):
        L.MultiHeadAttention(2, 2, softmax_robust_masking=True)
    with pytest.raises(ValueError, match="Invalid einsum equation"):
        L.EinsumDense("ab->b", output_shape=2)(tf.keras.Input(shape=(3,)))


def test_normalization_adapt(graph):
    # TF's Keras adapts only in TF2 (eager); scopeflow sets the weights in the session.
    data = _inputs([(3, 2)])[0] * 3.0 + 1.0
    layer = L.Normalization(axis=(1, 2))
    layer.adapt(data)
    assert [w.name for w in layer.weights] == ["normalization/mean:0", "normalization/variance:0",
                                              "normalization/count:0"]  # fmt: skip
    y = layer(tf.constant(data, tf.float32))
    want = (data - data.mean(axis=0)) / np.sqrt(data.var(axis=0))
    np.testing.assert_allclose(tf.keras.backend.get_session().run(y), want, rtol=1e-5, atol=1e-6)
    assert tf.keras.backend.get_value(layer.count) == 2


def test_preprocessing_errors(graph):
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        L.Normalization(mean=1.0)
    fixed = L.Normalization(mean=1.0, variance=1.0)
    with pytest.raises(ValueError, match="Cannot `adapt`"):
        fixed.adapt(np.ones((2, 3)))
    with pytest.raises(NotImplementedError, match="lanczos3"):
        L.Resizing(2, 2, interpolation="lanczos3")
    with pytest.raises(NotImplementedError, match="output_padding"):
        L.Conv1DTranspose(2, 3, output_padding=1)
