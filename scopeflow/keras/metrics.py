"""``tf.keras.metrics``: Keras's metric functions (one value per example) and the running
means ``compile(metrics=[...])`` keeps of them.

A compiled metric keeps two variables, ``total`` and ``count`` (``total_1``, ``count_1`` for
the next), outside every collection as Keras's are (``backend.get_session`` initializes
them); each batch adds to them and the metric's value is ``total / count`` (``div_no_nan``),
reset at the start of each epoch and each ``evaluate``. ``"accuracy"`` (or ``"acc"``) is
named ``acc`` and chosen from the loss and output shape as TF1.15 chooses: binary for a
single output unit or ``binary_crossentropy``, sparse for
``sparse_categorical_crossentropy``, else categorical.

>>> import scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     print(sess.run(tf.keras.metrics.sparse_categorical_accuracy([[1], [0]],
...                                                                 [[0.2, 0.8], [0.3, 0.7]])))
[1. 0.]
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.keras import backend, losses
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import size, squeeze
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.math.division import div_no_nan
from scopeflow.ops.nn.basic import in_top_k
from scopeflow.ops.state.storage import assign_add
from scopeflow.variables.variables import Variable


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """The fraction of the last axis where ``y_pred > threshold`` equals ``y_true``."""
    y_pred = convert_to_tensor(y_pred)
    y_true = cast(y_true, y_pred.dtype.base_dtype)
    predicted = cast(y_pred > threshold, y_pred.dtype.base_dtype)
    return reduction.reduce_mean(cast(math_ops.equal(y_true, predicted), backend.floatx()), axis=-1)


def categorical_accuracy(y_true, y_pred):
    """1 where the arg max of ``y_pred`` is that of the one-hot ``y_true``, else 0."""
    hits = math_ops.equal(reduction.argmax(y_true, axis=-1), reduction.argmax(y_pred, axis=-1))
    return cast(hits, backend.floatx())


def sparse_categorical_accuracy(y_true, y_pred):
    """1 where the arg max of ``y_pred`` is the integer label ``y_true``, else 0."""
    y_true = convert_to_tensor(y_true)
    y_pred = convert_to_tensor(y_pred)
    if y_true.shape.ndims is not None and y_true.shape.ndims == y_pred.shape.ndims:
        y_true = squeeze(y_true, [-1])
    predicted = reduction.argmax(y_pred, axis=-1)
    if predicted.dtype.base_dtype != y_true.dtype.base_dtype:
        predicted = cast(predicted, y_true.dtype.base_dtype)
    return cast(math_ops.equal(y_true, predicted), backend.floatx())


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1 where the one-hot ``y_true``'s class is among ``y_pred``'s ``k`` largest."""
    hits = in_top_k(y_pred, reduction.argmax(y_true, axis=-1), k)
    return cast(hits, backend.floatx())


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1 where the integer label is among ``y_pred``'s ``k`` largest."""
    labels = cast(array_ops.reshape(y_true, [-1]), dtypes.int32)
    return cast(in_top_k(y_pred, labels, k), backend.floatx())


_BY_NAME = {
    f.__name__: f
    for f in (
        binary_accuracy,
        categorical_accuracy,
        sparse_categorical_accuracy,
        top_k_categorical_accuracy,
        sparse_top_k_categorical_accuracy,
    )
}
_FROM_LOSSES = ("mse", "mae", "mape", "msle", "kld", "MSE", "MAE", "MAPE", "MSLE", "KLD")
_BY_NAME.update({name: losses.get(name) for name in _FROM_LOSSES})
_BY_NAME.update({name: losses.get(name) for name in losses._BY_NAME if not name.isupper()})
mse = MSE = losses.mse
mae = MAE = losses.mae
mape = MAPE = losses.mape
msle = MSLE = losses.msle
binary_crossentropy = losses.binary_crossentropy
categorical_crossentropy = losses.categorical_crossentropy
sparse_categorical_crossentropy = losses.sparse_categorical_crossentropy


def get(identifier):
    """The metric function named ``identifier``, or ``identifier`` when callable."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    raise ValueError(f"Unknown metric function: {identifier}")


def resolve(metric, loss_fn, output):
    """``(name, function)`` of a ``compile`` metric for one output, as TF1.15 names and picks
    them (``"accuracy"`` -> ``acc``)."""
    if metric in ("accuracy", "acc"):
        units = output.shape.as_list()[-1] if output.shape.ndims else None
        if units == 1 or loss_fn is losses.binary_crossentropy:
            return "acc", binary_accuracy
        if loss_fn is losses.sparse_categorical_crossentropy:
            return "acc", sparse_categorical_accuracy
        return "acc", categorical_accuracy
    if metric in ("crossentropy", "ce"):
        raise NotImplementedError(
            "compile(metrics=['crossentropy']) is not supported; name the loss function "
            "instead (metrics=['binary_crossentropy'])."
        )
    fn = get(metric)
    return getattr(fn, "name", fn.__name__), fn


class MeanMetricWrapper:
    """A compiled metric: the running mean of ``fn(y_true, y_pred)`` over the batches run
    since the last reset, in the variables ``total`` and ``count``."""

    def __init__(self, fn, name: str, dtype=None):
        self.fn = fn
        self.name = name
        dtype = dtypes.as_dtype(dtype or backend.floatx())
        with get_default_graph().name_scope(None):
            self.total = Variable(
                lambda: np.zeros((), dtype.as_numpy_dtype),
                name="total",
                trainable=False,
                collections=[],
            )
            self.count = Variable(
                lambda: np.zeros((), dtype.as_numpy_dtype),
                name="count",
                trainable=False,
                collections=[],
            )
        backend.track_variable(self.total)
        backend.track_variable(self.count)

    @property
    def variables(self) -> list:
        return [self.total, self.count]

    def __call__(self, y_true, y_pred):
        """Adds this batch to the running mean and returns the updated mean."""
        values = cast(self.fn(y_true, y_pred), self.total.dtype.base_dtype)
        total = assign_add(self.total, reduction.reduce_sum(values))
        count = assign_add(self.count, cast(size(values), self.total.dtype.base_dtype))
        return array_ops.identity(div_no_nan(total, count))


__all__ = sorted([*_BY_NAME, "get", "MeanMetricWrapper"])
