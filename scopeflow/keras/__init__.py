"""``tf.keras`` (and ``tf.contrib.keras``): the part of TF1.15's Keras that graph-mode
programs use, on scopeflow's graphs and sessions.

``Sequential`` and functional ``Model``s of Keras layers, ``compile`` with an optimizer
(``"adam"``, ``tf.keras.optimizers.*`` or any ``tf.train`` optimizer), a loss and metrics,
``fit``/``evaluate``/``predict`` on NumPy arrays run in ``backend.get_session()``,
``save_weights``/``load_weights`` in TensorFlow's checkpoint format. Layers, weights and
optimizer variables get TF1.15 Keras's names (``dense_1/kernel:0``,
``training/Adam/dense_1/kernel/m:0``) and ``fit`` prints Keras's log lines. What is not here
raises ``NotImplementedError`` naming what to use instead.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     model = tf.keras.Sequential([
...         tf.keras.layers.Dense(8, activation="relu", input_shape=(4,)),
...         tf.keras.layers.Dense(2, activation="softmax")])
...     model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
...     history = model.fit(np.ones((16, 4)), np.zeros(16), epochs=2, verbose=0)
...     print(model.metrics_names, [w.name for w in model.weights][:2])
['loss', 'acc'] ['dense/kernel:0', 'dense/bias:0']
"""

from __future__ import annotations

from scopeflow.keras import (
    activations,
    applications,
    backend,
    callbacks,
    constraints,
    datasets,
    estimator,
    experimental,
    initializers,
    layers,
    losses,
    metrics,
    mixed_precision,
    models,
    optimizers,
    preprocessing,
    regularizers,
    saving,
    utils,
)
from scopeflow.keras.engine import Input
from scopeflow.keras.network import Model, Sequential

_NOT_PROVIDED = {
    "wrappers": "scikit-learn wrappers are not provided",
}


def __getattr__(name: str):
    if name in _NOT_PROVIDED:
        raise NotImplementedError(
            f"tf.keras.{name} is not provided by scopeflow: {_NOT_PROVIDED[name]}."
        )
    raise AttributeError(f"module 'tf.keras' has no attribute {name!r}")


__all__ = [
    "Input",
    "Model",
    "Sequential",
    "activations",
    "applications",
    "backend",
    "callbacks",
    "constraints",
    "datasets",
    "estimator",
    "experimental",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "mixed_precision",
    "models",
    "optimizers",
    "preprocessing",
    "regularizers",
    "saving",
    "utils",
]
