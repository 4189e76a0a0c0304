"""``tf.keras.losses``: Keras's loss functions (one value per example) and loss classes
(reduced to a scalar), built as TF1.15's Keras builds them: a probability output made by
``Softmax`` or ``Sigmoid`` is traced back to its logits, so ``sparse_categorical_crossentropy``
on a softmax layer is one ``SparseSoftmaxCrossEntropyWithLogits``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     loss = tf.keras.losses.mean_squared_error([[1.0, 2.0]], [[1.0, 4.0]])
...     print(sess.run(loss))
[2.]
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.keras import backend, custom_objects
from scopeflow.keras.arguments import bound_init
from scopeflow.keras.serialization import deserialize_keras_object, serialize_keras_object
from scopeflow.layers.base import to_snake_case
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import size
from scopeflow.ops.math import clip as clip_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.math.division import div_no_nan
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.nn import activation as nn_act
from scopeflow.ops.nn import composite as nn_composite


def _pair(y_true, y_pred):
    y_pred = convert_to_tensor(y_pred)
    return cast(y_true, y_pred.dtype.base_dtype), y_pred


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1, ignore_class=None):
    """Cross entropy of integer labels against class probabilities (or logits)."""
    if ignore_class is not None:
        raise NotImplementedError(
            "sparse_categorical_crossentropy(ignore_class=...) is not supported by scopeflow: "
            "give the ignored examples a sample_weight of 0 instead."
        )
    return backend.sparse_categorical_crossentropy(y_true, y_pred, from_logits, axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Cross entropy of one-hot labels against class probabilities (or logits) along
    ``axis`` (labels smoothed towards ``1 / classes``, the classes on the last axis)."""
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        num_classes = cast(array_ops.shape(y_true)[-1], y_pred.dtype.base_dtype)
        y_true = y_true * (1.0 - label_smoothing) + (label_smoothing / num_classes)
    return backend.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """The mean over ``axis`` of the cross entropy of 0/1 labels and probabilities."""
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return reduction.reduce_mean(
        backend.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis
    )


def mean_squared_error(y_true, y_pred):
    """``mean((y_pred - y_true) ** 2, axis=-1)``."""
    y_true, y_pred = _pair(y_true, y_pred)
    return reduction.reduce_mean(math_ops.squared_difference(y_pred, y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """``mean(|y_pred - y_true|, axis=-1)``."""
    y_true, y_pred = _pair(y_true, y_pred)
    return reduction.reduce_mean(math_ops.abs(y_pred - y_true), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(|y_true - y_pred| / max(|y_true|, epsilon), axis=-1)``."""
    y_true, y_pred = _pair(y_true, y_pred)
    diff = math_ops.abs(
        (y_true - y_pred) / math_ops.maximum(math_ops.abs(y_true), backend.epsilon())
    )
    return 100.0 * reduction.reduce_mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean((log(y_pred + 1) - log(y_true + 1)) ** 2, axis=-1)`` (clipped at epsilon)."""
    y_true, y_pred = _pair(y_true, y_pred)
    first = math_ops.log(math_ops.maximum(y_pred, backend.epsilon()) + 1.0)
    second = math_ops.log(math_ops.maximum(y_true, backend.epsilon()) + 1.0)
    return reduction.reduce_mean(math_ops.squared_difference(first, second), axis=-1)


def hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0), axis=-1)`` (labels -1/1)."""
    y_true, y_pred = _pair(y_true, y_pred)
    return reduction.reduce_mean(math_ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """``mean(max(1 - y_true * y_pred, 0) ** 2, axis=-1)``."""
    y_true, y_pred = _pair(y_true, y_pred)
    margin = math_ops.maximum(1.0 - y_true * y_pred, 0.0)
    return reduction.reduce_mean(math_ops.square(margin), axis=-1)


def kl_divergence(y_true, y_pred):
    """``sum(y_true * log(y_true / y_pred), axis=-1)`` with both clipped to [epsilon, 1]
    (named ``kl_divergence`` as tf_keras's; ``kullback_leibler_divergence`` is TF 1.x's)."""
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = clip_ops.clip_by_value(y_true, backend.epsilon(), 1)
    y_pred = clip_ops.clip_by_value(y_pred, backend.epsilon(), 1)
    return reduction.reduce_sum(y_true * math_ops.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """``mean(y_pred - y_true * log(y_pred + epsilon), axis=-1)``."""
    y_true, y_pred = _pair(y_true, y_pred)
    return reduction.reduce_mean(
        y_pred - y_true * math_ops.log(y_pred + backend.epsilon()), axis=-1
    )


def categorical_hinge(y_true, y_pred):
    """``max(0, max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1)`` over the classes."""
    y_true, y_pred = _pair(y_true, y_pred)
    pos = reduction.reduce_sum(y_true * y_pred, axis=-1)
    neg = reduction.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return math_ops.maximum(neg - pos + 1.0, 0.0)


def huber(y_true, y_pred, delta=1.0):
    """The mean over the last axis of ``0.5 * e ** 2`` where ``|e| <= delta``, else
    ``delta * |e| - 0.5 * delta ** 2`` (``e = y_pred - y_true``)."""
    y_true, y_pred = _pair(y_true, y_pred)
    delta = cast(delta, y_pred.dtype.base_dtype)  # a number: Cast/x, as TF's
    error = math_ops.subtract(y_pred, y_true)
    abs_error = math_ops.abs(error)
    half = convert_to_tensor(0.5, dtype=abs_error.dtype.base_dtype)
    values = where_v2(
        abs_error <= delta,
        half * math_ops.square(error),
        delta * abs_error - half * math_ops.square(delta),
    )
    return reduction.reduce_mean(values, axis=-1)


def log_cosh(y_true, y_pred):
    """The mean over the last axis of ``log(cosh(y_pred - y_true))``, computed stably."""
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    values = x + nn_act.softplus(-2.0 * x) - cast(np.log(2.0), x.dtype.base_dtype)
    return reduction.reduce_mean(values, axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Minus the cosine of the angle between ``y_true`` and ``y_pred`` along ``axis``."""
    y_true, y_pred = _pair(y_true, y_pred)
    y_true = nn_composite.l2_normalize(y_true, axis=axis)
    y_pred = nn_composite.l2_normalize(y_pred, axis=axis)
    return -reduction.reduce_sum(y_true * y_pred, axis=axis)


def binary_focal_crossentropy(
    y_true,
    y_pred,
    apply_class_balancing=False,
    alpha=0.25,
    gamma=2.0,
    from_logits=False,
    label_smoothing=0.0,
    axis=-1,
):
    """The mean over ``axis`` of the focal binary cross entropy (labels smoothed towards
    0.5 by ``label_smoothing``)."""
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    values = backend.binary_focal_crossentropy(
        y_true, y_pred, apply_class_balancing, alpha, gamma, from_logits
    )
    return reduction.reduce_mean(values, axis=axis)


def categorical_focal_crossentropy(
    y_true, y_pred, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1
):
    """The focal categorical cross entropy over ``axis`` (one-hot labels smoothed towards
    ``1 / classes`` by ``label_smoothing``)."""
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        num_classes = cast(array_ops.shape(y_true)[-1], y_pred.dtype.base_dtype)
        y_true = y_true * (1.0 - label_smoothing) + (label_smoothing / num_classes)
    return backend.categorical_focal_crossentropy(y_true, y_pred, alpha, gamma, from_logits, axis)


logcosh = log_cosh
cosine = cosine_proximity = cosine_similarity
kullback_leibler_divergence = kl_divergence


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence


class Reduction:
    """How a loss object reduces its per-example values."""

    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"
    AUTO = "auto"


def reduce_weighted(
    losses, sample_weight=None, reduction_=Reduction.SUM_OVER_BATCH_SIZE, in_scope=False
):
    """Keras's ``compute_weighted_loss``: ``losses * sample_weight`` (``weighted_loss/Mul``),
    then their sum divided by their count (``value``), their sum, or as they are; reduced
    under ``weighted_loss/`` too when ``in_scope`` (a loss object called, as TF 2.21's) and
    after it otherwise (``compile``'s losses, as TF's)."""
    losses = convert_to_tensor(losses)
    dtype = losses.dtype.base_dtype
    with name_scope("weighted_loss"):
        if sample_weight is None:
            weight = constant(1.0, dtype)
        else:  # a Python list becomes weighted_loss/Const, as TF's
            weight = cast(convert_to_tensor(sample_weight), dtype)
        if weight.shape.ndims and losses.shape.ndims and weight.shape.ndims < losses.shape.ndims:
            weight = array_ops.reshape(
                weight, [-1] + [1] * (losses.shape.ndims - weight.shape.ndims)
            )
        weighted = math_ops.multiply(losses, weight)
        if in_scope:
            return _reduce(weighted, reduction_, dtype)
    return _reduce(weighted, reduction_, dtype)


def _reduce(weighted, reduction_, dtype):
    if reduction_ == Reduction.NONE:
        return weighted
    total = reduction.reduce_sum(weighted)
    if reduction_ == Reduction.SUM:
        return total
    with name_scope("num_elements") as scope:
        count = cast(size(weighted, name=scope), dtype)
    # as TF: the mean sums its (scalar) sum again, over range(rank): Rank, range, Sum_1
    return div_no_nan(reduction.reduce_sum(total), count, name="value")


class Loss:
    """A loss object: ``loss(y_true, y_pred, sample_weight=None)`` is a scalar (the mean over
    examples by default)."""

    fn = None

    def __init__(self, reduction=Reduction.AUTO, name=None):
        self.reduction = Reduction.SUM_OVER_BATCH_SIZE if reduction == Reduction.AUTO else reduction
        self._reduction_argument = reduction
        self.name = name or to_snake_case(type(self).__name__)
        self._fn_kwargs = {}

    def get_config(self) -> dict:
        """Its reduction, name and the loss function's arguments (as TF's Keras)."""
        config = {"reduction": self._reduction_argument, "name": self.name, **self._fn_kwargs}
        fn = type(self).fn
        return config if fn is None else {**config, "fn": fn.__name__}

    @classmethod
    def from_config(cls, config: dict):
        """The loss object ``get_config`` describes."""
        return cls(**{k: v for k, v in config.items() if k != "fn"})

    def call(self, y_true, y_pred):
        """The per-example losses."""
        return type(self).fn(y_true, y_pred, **self._fn_kwargs)

    def __call__(self, y_true, y_pred, sample_weight=None):
        with name_scope(self.name):
            losses = self.call(y_true, y_pred)
            return reduce_weighted(losses, sample_weight, self.reduction, in_scope=True)


def _loss_class(fn, class_name: str, default_name=None, **defaults):
    """A ``Loss`` of ``fn`` whose constructor takes, as TF's, the loss function's own
    arguments (``defaults``, in TF's order) before ``reduction`` and ``name``."""
    params = [*defaults.items(), ("reduction", Reduction.AUTO)]
    params.append(("name", default_name or fn.__name__))

    def body(self, arguments):
        fn_kwargs = {k: arguments.get(k, v) for k, v in defaults.items()}
        Loss.__init__(
            self,
            arguments.get("reduction", Reduction.AUTO),
            arguments.get("name") or default_name or fn.__name__,
        )
        self._fn_kwargs = fn_kwargs

    __init__ = bound_init(class_name, params, body)
    return type(
        class_name,
        (Loss,),
        {
            "fn": staticmethod(fn),
            "__init__": __init__,
            "__doc__": f"``{fn.__name__}`` as a loss object.",
        },
    )


_CROSS_ENTROPY = {"from_logits": False, "label_smoothing": 0.0, "axis": -1}
_FOCAL = {"alpha": 0.25, "gamma": 2.0, **_CROSS_ENTROPY}
SparseCategoricalCrossentropy = _loss_class(
    sparse_categorical_crossentropy,
    "SparseCategoricalCrossentropy",
    from_logits=False,
    ignore_class=None,
)
CategoricalCrossentropy = _loss_class(
    categorical_crossentropy, "CategoricalCrossentropy", **_CROSS_ENTROPY
)
BinaryCrossentropy = _loss_class(binary_crossentropy, "BinaryCrossentropy", **_CROSS_ENTROPY)
MeanSquaredError = _loss_class(mean_squared_error, "MeanSquaredError")
MeanAbsoluteError = _loss_class(mean_absolute_error, "MeanAbsoluteError")
MeanAbsolutePercentageError = _loss_class(
    mean_absolute_percentage_error, "MeanAbsolutePercentageError"
)
MeanSquaredLogarithmicError = _loss_class(
    mean_squared_logarithmic_error, "MeanSquaredLogarithmicError"
)
Hinge = _loss_class(hinge, "Hinge")
SquaredHinge = _loss_class(squared_hinge, "SquaredHinge")
KLDivergence = _loss_class(kl_divergence, "KLDivergence")
Poisson = _loss_class(poisson, "Poisson")
CategoricalHinge = _loss_class(categorical_hinge, "CategoricalHinge")
Huber = _loss_class(huber, "Huber", default_name="huber_loss", delta=1.0)
LogCosh = _loss_class(log_cosh, "LogCosh")
CosineSimilarity = _loss_class(cosine_similarity, "CosineSimilarity", axis=-1)
BinaryFocalCrossentropy = _loss_class(
    binary_focal_crossentropy, "BinaryFocalCrossentropy", apply_class_balancing=False, **_FOCAL
)
CategoricalFocalCrossentropy = _loss_class(
    categorical_focal_crossentropy, "CategoricalFocalCrossentropy", **_FOCAL
)

_BY_NAME = {
    f.__name__: f
    for f in (
        sparse_categorical_crossentropy,
        categorical_crossentropy,
        binary_crossentropy,
        mean_squared_error,
        mean_absolute_error,
        mean_absolute_percentage_error,
        mean_squared_logarithmic_error,
        hinge,
        squared_hinge,
        kl_divergence,
        poisson,
        categorical_hinge,
        huber,
        log_cosh,
        cosine_similarity,
        binary_focal_crossentropy,
        categorical_focal_crossentropy,
    )
}
_BY_NAME.update(mse=mse, MSE=mse, mae=mae, MAE=mae, mape=mape, MAPE=mape, msle=msle, MSLE=msle)
_BY_NAME.update(kld=kld, KLD=kld, logcosh=log_cosh, huber_loss=huber)
_BY_NAME.update(kullback_leibler_divergence=kld)


def serialize(loss):
    """A loss function's name, or a loss object's ``{"class_name", "config"}``."""
    return serialize_keras_object(loss)


def deserialize(name, custom_objects=None):
    """The loss function or object ``serialize`` gave."""
    classes = {cls.__name__: cls for cls in _all_subclasses(Loss)}
    return deserialize_keras_object(
        name,
        module_objects={**_BY_NAME, **classes},
        custom_objects=custom_objects,
        printable_module_name="loss function",
    )


def _all_subclasses(cls) -> list:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_all_subclasses(sub)]
    return found


def get(identifier):
    """The loss function named ``identifier``, or ``identifier`` itself when callable."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if custom_objects.lookup(identifier) is not None:
        return custom_objects.lookup(identifier)
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    if isinstance(identifier, str):
        raise custom_objects.unknown("loss function", identifier)
    raise ValueError(f"Could not interpret loss function identifier: {identifier}")
