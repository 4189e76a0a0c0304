"""Records what TensorFlow's Keras builds and computes for the Keras layers of
tests/keras/test_layers3.py (3-D padding and pooling, the transposed and 1-D depthwise
convolutions, the preprocessing layers, ``EinsumDense``, ``MultiHeadAttention``, swish and
mish).

Run with a Python that has TensorFlow and tf_keras (TF1.15's Keras, in compat.v1 graph
mode)::

    /tmp/tfref/bin/python tools/keras_layers3_reference.py

For each case (a layer expression, ``L`` being ``tf.keras.layers``; its inputs' shapes; the
call's keyword arguments) it writes to ``tests/data/keras_layers3.json`` the layer's weights
(names, shapes), its output's name and static shape, the output's values with the weights
set to ``fill``'s values and the inputs to ``inputs()``'s, its losses' sum, and the entries
its ``get_config`` adds to a layer's name, trainability and dtype.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
from keras_applications_reference import fill

OUT = Path(__file__).resolve().parent.parent / "tests/data/keras_layers3.json"

# (layer expression, input shapes without the batch axis, call keyword arguments)
CASES = [
    ("L.Conv1DTranspose(4, 3, strides=2, padding='same')", [(5, 3)], "{}"),
    ("L.Conv1DTranspose(2, 3, strides=2, activation='relu')", [(5, 3)], "{}"),
    ("L.Conv3DTranspose(2, 3, strides=2, padding='same')", [(2, 3, 4, 2)], "{}"),
    ("L.Convolution3DTranspose(2, (2, 1, 3), use_bias=False)", [(2, 3, 4, 2)], "{}"),
    ("L.SeparableConv1D(4, 3, depth_multiplier=2, padding='same', activation='relu')",
     [(6, 3)], "{}"),
    ("L.DepthwiseConv1D(3, depth_multiplier=2, strides=2)", [(7, 3)], "{}"),
    ("L.DepthwiseConv1D(2, padding='same', use_bias=False)", [(5, 2)], "{}"),
    ("L.ZeroPadding3D(((1, 0), (0, 2), 1))", [(2, 2, 2, 1)], "{}"),
    ("L.Cropping3D(((1, 0), (0, 1), 1))", [(3, 3, 4, 2)], "{}"),
    ("L.UpSampling3D((1, 2, 3))", [(2, 2, 2, 1)], "{}"),
    ("L.SpatialDropout3D(0.5)", [(2, 2, 2, 2)], "{}"),
    ("L.GlobalAveragePooling3D()", [(2, 3, 4, 2)], "{}"),
    ("L.GlobalMaxPooling3D(keepdims=True)", [(2, 3, 4, 2)], "{}"),
    ("L.GlobalAveragePooling2D(keepdims=True)", [(3, 4, 2)], "{}"),
    ("L.GlobalMaxPooling1D(keepdims=True)", [(3, 4)], "{}"),
    ("L.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])", [(3, 2)], "{}"),
    ("L.Normalization(axis=None, mean=2.0, variance=4.0, invert=True)", [(3, 2)], "{}"),
    ("L.Normalization(axis=(1, 2), mean=[[1.0], [2.0], [3.0]], variance=0.25)", [(3, 2)], "{}"),
    ("L.Rescaling(1 / 255.0, offset=-1.0)", [(2, 3)], "{}"),
    ("L.Resizing(3, 5)", [(4, 6, 2)], "{}"),
    ("L.Resizing(7, 3, interpolation='nearest')", [(4, 6, 2)], "{}"),
    ("L.Resizing(5, 4, interpolation='bicubic')", [(4, 6, 2)], "{}"),
    ("L.Resizing(2, 3, interpolation='area')", [(4, 6, 2)], "{}"),
    ("L.Resizing(4, 4, crop_to_aspect_ratio=True)", [(4, 6, 2)], "{}"),
    ("L.CenterCrop(2, 3)", [(4, 5, 1)], "{}"),
    ("L.CenterCrop(6, 6)", [(4, 5, 1)], "{}"),
    ("L.ActivityRegularization(l1=0.1, l2=0.01)", [(3,)], "{}"),
    ("L.Identity()", [(3,)], "{}"),
    ("L.Activation('swish')", [(4,)], "{}"),
    ("L.Activation('mish')", [(4,)], "{}"),
    ("L.EinsumDense('ab,bc->ac', output_shape=4, bias_axes='c')", [(3,)], "{}"),
    ("L.EinsumDense('...b,bc->...c', output_shape=4)", [(5, 3)], "{}"),
    ("L.EinsumDense('abc,cde->abde', output_shape=(5, 2, 3), bias_axes='de', "
     "activation='relu')", [(5, 4)], "{}"),
    ("L.MultiHeadAttention(2, 3)", [(4, 6), (4, 6)], "{}"),
    ("L.MultiHeadAttention(2, 3, value_dim=2, output_shape=5, use_bias=False)",
     [(3, 4), (5, 6)], "{'return_attention_scores': True}"),
    ("L.MultiHeadAttention(1, 4)", [(4, 3), (4, 3)], "{'use_causal_mask': True}"),
    ("L.MultiHeadAttention(2, 2, attention_axes=(1, 2))", [(2, 3, 4), (2, 3, 4)], "{}"),
]  # fmt: skip
CONFIG_BASE = ("name", "trainable", "dtype", "batch_input_shape")


def inputs(shapes) -> list:
    """Deterministic inputs of a batch of two for ``shapes``."""
    return [
        np.sin(np.arange(2 * int(np.prod(s))) * 0.37 + i).reshape(2, *s) * 2.0
        for i, s in enumerate(shapes)
    ]


def _json_type(value):
    """What Keras's JSON encoder writes for a value JSON lacks (a shape as its list)."""
    return value.as_list() if hasattr(value, "as_list") else str(value)


def main() -> None:
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    L = tf.keras.layers  # noqa: F841, N806 - the expressions' name (eval)
    out: dict = {}
    for expr, shapes, kwargs in CASES:
        with tf.Graph().as_default():
            layer = eval(expr)
            xs = [tf.keras.Input(shape=s) for s in shapes]
            y = layer(*xs, **eval(kwargs))
            if layer.weights:
                sess = tf.keras.backend.get_session()
                for i, w in enumerate(layer.weights):
                    w.load(fill(w.name, w.shape.as_list(), i), sess)
            outputs = y if isinstance(y, tuple) else (y,)
            sess = tf.keras.backend.get_session()
            feed = dict(zip(xs, inputs(shapes), strict=True))
            values = sess.run(list(outputs), feed)
            losses = float(sess.run(tf.add_n(layer.losses), feed)) if layer.losses else None
            config = {k: v for k, v in layer.get_config().items() if k not in CONFIG_BASE}
            out[expr] = {
                "shapes": shapes,
                "kwargs": kwargs,
                "weights": [[w.name, w.shape.as_list()] for w in layer.weights],
                "outputs": [[t.name, t.shape.as_list()] for t in outputs],
                "values": [v.tolist() for v in values],
                "losses": losses,
                "config": json.loads(json.dumps(config, default=_json_type)),
            }
    OUT.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
