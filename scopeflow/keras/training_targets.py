"""``Model.compile(target_tensors=...)``: the model's targets given as tensors (a labels
placeholder, a constant, a queue's or iterator's output) instead of the ``<output>_target``
placeholders Keras makes, as TF1's Keras takes them.

A given target that is a placeholder is fed from ``y`` as Keras's own are; any other tensor
is computed by the graph, so ``fit``/``evaluate``/``train_on_batch`` take no ``y`` for it
(TF's "expected no data"). Inputs made with
``Input(tensor=...)`` are likewise not fed: a model of tensors alone trains with
``fit(steps_per_epoch=...)`` or ``train_on_batch(None)``.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.keras.Input(shape=(2,))
...     model = tf.keras.Model(x, tf.keras.layers.Dense(1, kernel_initializer="ones")(x))
...     model.compile("sgd", "mse", target_tensors=[tf.constant([[1.0], [1.0]])])
...     loss = model.evaluate(np.ones((2, 2)), verbose=0)
>>> float(loss)
1.0
"""

from __future__ import annotations

from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.tensor import Tensor
from scopeflow.keras import backend
from scopeflow.ops.array import basic as array_ops


def check(target_tensors) -> None:
    """TF's ``TypeError`` for a ``target_tensors`` that is none of the forms it takes."""
    if target_tensors is None or isinstance(target_tensors, list | tuple | dict | Tensor):
        return
    raise TypeError(
        "Expected `target_tensors` to be a list or tuple or dict or a single tensor, but got:",
        target_tensors,
    )


def given(target_tensors, names: list) -> list:
    """The target tensor given for each output (``None`` where Keras makes a placeholder)."""
    if target_tensors is None:
        return [None] * len(names)
    if isinstance(target_tensors, dict):
        unknown = set(target_tensors) - set(names)
        if unknown:
            raise ValueError(
                f'Unknown entry in `target_tensors` dictionary: "{unknown}". Only expected '
                f"the following keys: {names}"
            )
        found = [target_tensors.get(name) for name in names]
    else:
        found = (
            list(target_tensors) if isinstance(target_tensors, list | tuple) else [target_tensors]
        )
        if len(found) != len(names):
            raise ValueError(
                "When passing a list as `target_tensors`, it should have one entry per model "
                f"output. The model has {len(names)} outputs, but you passed "
                f"target_tensors={target_tensors}"
            )
    return [None if t is None else convert_to_tensor(t) for t in found]


def is_fed(tensor) -> bool:
    """Whether Keras feeds ``tensor`` (a placeholder) rather than the graph computing it."""
    return tensor.op.type == "Placeholder"


def sample_weights(name: str, mode: str):
    """An output's example weights, made when a call passes sample weights (or at compile
    with ``sample_weight_mode``): as tf_keras, a ``placeholder_with_default`` of ones
    (``[1.]``, ``[[1.]]`` for ``"temporal"``: shape ``(batch, time)``) named
    ``<output>_sample_weights``, fed when weights are given."""
    if mode not in ("temporal", "samplewise"):
        raise ValueError(
            f"sample_weight_mode {mode!r} for the output {name}: expected None, 'temporal' or "
            "'samplewise'."
        )
    temporal = mode == "temporal"
    ones = constant([[1.0]] if temporal else [1.0], dtype=backend.floatx())
    dims = [None, None] if temporal else [None]
    return array_ops.placeholder_with_default(ones, dims, name=f"{name}_sample_weights")


def expected_no_data(y) -> ValueError:
    return ValueError("Error when checking model target: expected no data, but got:", y)
