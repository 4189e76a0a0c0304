"""``tf.keras.metrics``: Keras's metric functions (one value per example), the metric
classes (``Mean``, ``BinaryAccuracy``, ``AUC``, ``Precision``, ``Recall``... of
``metrics_base``, with ``update_state``/``result``/``reset_states``) and the running means
``compile(metrics=[...])`` keeps of named metrics (a metric object is used as it is).

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

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.keras import backend, custom_objects, losses
from scopeflow.keras.arguments import bound_init
from scopeflow.keras.metrics_base import (
    AUC,
    FalseNegatives,
    FalsePositives,
    Mean,
    MeanMetricWrapper,
    Metric,
    Precision,
    Recall,
    RootMeanSquaredError,
    Sum,
    TrueNegatives,
    TruePositives,
)
from scopeflow.keras.metrics_iou import (
    BinaryIoU,
    IoU,
    MeanIoU,
    MeanRelativeError,
    MeanTensor,
    OneHotIoU,
    OneHotMeanIoU,
)
from scopeflow.keras.metrics_scores import (
    F1Score,
    FBetaScore,
    PrecisionAtRecall,
    R2Score,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import squeeze
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.nn.basic import in_top_k


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
mean_squared_error = losses.mean_squared_error
mean_absolute_error = losses.mean_absolute_error
mean_absolute_percentage_error = losses.mean_absolute_percentage_error
mean_squared_logarithmic_error = losses.mean_squared_logarithmic_error
hinge = losses.hinge
squared_hinge = losses.squared_hinge
kld = KLD = kl_divergence = kullback_leibler_divergence = losses.kullback_leibler_divergence
poisson = losses.poisson
log_cosh = logcosh = losses.log_cosh
# tf.keras.metrics.cosine/cosine_proximity are the loss (minus the cosine), as in tf_keras.
cosine = cosine_proximity = losses.cosine_similarity
binary_focal_crossentropy = losses.binary_focal_crossentropy
categorical_focal_crossentropy = losses.categorical_focal_crossentropy


def get(identifier):
    """The metric function named ``identifier``, or ``identifier`` when callable."""
    if callable(identifier):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if custom_objects.lookup(identifier) is not None:
        return custom_objects.lookup(identifier)
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]
    if isinstance(identifier, str) and identifier in _CLASSES:
        return _CLASSES[identifier]()
    if isinstance(identifier, str):
        raise custom_objects.unknown("metric function", identifier)
    raise ValueError(f"Could not interpret metric identifier: {identifier}")


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
    if isinstance(fn, type) and issubclass(fn, Metric):
        fn = fn()
    return getattr(fn, "name", getattr(fn, "__name__", None)), fn


def accuracy(y_true, y_pred):
    """1 where ``y_pred`` equals ``y_true``, else 0."""
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true)
    if y_true.dtype.base_dtype != y_pred.dtype.base_dtype:
        y_pred = cast(y_pred, y_true.dtype.base_dtype)
    return cast(math_ops.equal(y_true, y_pred), backend.floatx())


def cosine_similarity(y_true, y_pred, axis=-1):
    """The cosine of the angle between ``y_true`` and ``y_pred`` along ``axis``."""
    return -losses.cosine_similarity(y_true, y_pred, axis=axis)


def _wrapper(class_name: str, fn, default_name: str, **defaults):
    """A ``MeanMetricWrapper`` of ``fn`` whose constructor takes, as TF's, ``name``, ``dtype``
    and then ``fn``'s own arguments (``defaults``, in TF's order)."""
    params = [("name", default_name), ("dtype", None), *defaults.items()]

    def body(self, arguments):
        fn_kwargs = {k: arguments.get(k, v) for k, v in defaults.items()}
        name, dtype = arguments.get("name", default_name), arguments.get("dtype")
        MeanMetricWrapper.__init__(self, fn, name, dtype, **fn_kwargs)

    __init__ = bound_init(class_name, params, body)

    doc = f"The running mean of ``{fn.__name__}`` (a ``{default_name}`` metric)."
    return type(class_name, (MeanMetricWrapper,), {"__init__": __init__, "__doc__": doc})


Accuracy = _wrapper("Accuracy", accuracy, "accuracy")
BinaryAccuracy = _wrapper("BinaryAccuracy", binary_accuracy, "binary_accuracy", threshold=0.5)
CategoricalAccuracy = _wrapper("CategoricalAccuracy", categorical_accuracy, "categorical_accuracy")
SparseCategoricalAccuracy = _wrapper(
    "SparseCategoricalAccuracy", sparse_categorical_accuracy, "sparse_categorical_accuracy"
)
MeanSquaredError = _wrapper("MeanSquaredError", losses.mse, "mean_squared_error")
MeanAbsoluteError = _wrapper("MeanAbsoluteError", losses.mae, "mean_absolute_error")
MeanAbsolutePercentageError = _wrapper(
    "MeanAbsolutePercentageError", losses.mape, "mean_absolute_percentage_error"
)
MeanSquaredLogarithmicError = _wrapper(
    "MeanSquaredLogarithmicError", losses.msle, "mean_squared_logarithmic_error"
)
Hinge = _wrapper("Hinge", losses.hinge, "hinge")
SquaredHinge = _wrapper("SquaredHinge", losses.squared_hinge, "squared_hinge")
CategoricalHinge = _wrapper("CategoricalHinge", losses.categorical_hinge, "categorical_hinge")
LogCoshError = _wrapper("LogCoshError", losses.log_cosh, "logcosh")
KLDivergence = _wrapper("KLDivergence", losses.kld, "kullback_leibler_divergence")
Poisson = _wrapper("Poisson", losses.poisson, "poisson")
BinaryCrossentropy = _wrapper(
    "BinaryCrossentropy",
    losses.binary_crossentropy,
    "binary_crossentropy",
    from_logits=False,
    label_smoothing=0,
)
CategoricalCrossentropy = _wrapper(
    "CategoricalCrossentropy",
    losses.categorical_crossentropy,
    "categorical_crossentropy",
    from_logits=False,
    label_smoothing=0,
    axis=-1,
)
SparseCategoricalCrossentropy = _wrapper(
    "SparseCategoricalCrossentropy",
    losses.sparse_categorical_crossentropy,
    "sparse_categorical_crossentropy",
    from_logits=False,
    ignore_class=None,
    axis=-1,
)
CosineSimilarity = _wrapper("CosineSimilarity", cosine_similarity, "cosine_similarity", axis=-1)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """The running mean of ``top_k_categorical_accuracy`` (``k`` 5)."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """The running mean of ``sparse_top_k_categorical_accuracy`` (``k`` 5)."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name, dtype=dtype, k=k)


_CLASSES = {
    c.__name__: c
    for c in (
        AUC,
        Accuracy,
        BinaryIoU,
        F1Score,
        FBetaScore,
        IoU,
        MeanIoU,
        MeanRelativeError,
        MeanTensor,
        OneHotIoU,
        OneHotMeanIoU,
        PrecisionAtRecall,
        R2Score,
        RecallAtPrecision,
        SensitivityAtSpecificity,
        SpecificityAtSensitivity,
        BinaryAccuracy,
        BinaryCrossentropy,
        CategoricalAccuracy,
        CategoricalCrossentropy,
        CategoricalHinge,
        CosineSimilarity,
        FalseNegatives,
        FalsePositives,
        Hinge,
        KLDivergence,
        LogCoshError,
        Mean,
        MeanAbsoluteError,
        MeanAbsolutePercentageError,
        MeanMetricWrapper,
        MeanSquaredError,
        MeanSquaredLogarithmicError,
        Metric,
        Poisson,
        Precision,
        Recall,
        RootMeanSquaredError,
        SparseCategoricalAccuracy,
        SparseCategoricalCrossentropy,
        SparseTopKCategoricalAccuracy,
        SquaredHinge,
        Sum,
        TopKCategoricalAccuracy,
        TrueNegatives,
        TruePositives,
    )
}


def serialize(metric) -> dict:
    """``{"class_name": ..., "config": ...}`` of a metric object."""
    return {"class_name": type(metric).__name__, "config": metric.get_config()}


def deserialize(config: dict, custom_objects=None):
    """The metric a ``serialize`` dictionary describes."""
    classes = {**_CLASSES, **(custom_objects or {})}
    return classes[config["class_name"]](**config.get("config", {}))


__all__ = sorted(
    {
        *_BY_NAME,
        *_CLASSES,
        "accuracy",
        "cosine",
        "cosine_proximity",
        "cosine_similarity",
        "deserialize",
        "get",
        "kl_divergence",
        "serialize",
    }
)
