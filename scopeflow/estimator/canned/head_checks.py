"""What the canned estimators' heads check and share: labels, weights and logits shaped and
validated as TF1's ``head_lib`` does (same error types and words), the ``LossSpec``, the
metric and prediction keys, and the small metric helpers (label mean, accuracy baseline,
AUC)."""

from __future__ import annotations

import collections

from scopeflow.feature_column.builder import _LazyBuilder
from scopeflow.feature_column.columns import _DenseColumn, numeric_column
from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import control_dependencies, get_collection, name_scope
from scopeflow.metrics import counts, means
from scopeflow.metrics.util import broadcast_weights
from scopeflow.ops.array.basic import identity, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.control.assertions import (
    Assert,
    assert_equal,
    assert_less_equal,
    assert_non_negative,
)
from scopeflow.ops.control.checks import assert_rank_at_least
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math.elementwise import equal, maximum
from scopeflow.ops.math.reduction import reduce_all, reduce_any
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.sparse.tensor import SparseTensor, convert_to_tensor_or_sparse_tensor
from scopeflow.ops.strings.convert import as_string

LossSpec = collections.namedtuple(
    "LossSpec", ["training_loss", "unreduced_loss", "weights", "processed_labels"]
)
# The signature keys of a head's export outputs.
DEFAULT_SERVING_KEY = "serving_default"
CLASSIFY_SERVING_KEY = "classification"
REGRESS_SERVING_KEY = "regression"
PREDICT_SERVING_KEY = "predict"


class PredictionKeys:
    """The keys of a canned estimator's ``predictions`` dict."""

    CLASSES = "classes"
    CLASS_IDS = "class_ids"
    ALL_CLASSES = "all_classes"
    ALL_CLASS_IDS = "all_class_ids"
    LOGISTIC = "logistic"
    LOGITS = "logits"
    PREDICTIONS = "predictions"
    PROBABILITIES = "probabilities"


class MetricKeys:
    """The keys of a canned estimator's ``evaluate()`` results."""

    LOSS = "loss"
    LOSS_MEAN = "average_loss"
    LOSS_REGULARIZATION = "regularization_loss"
    ACCURACY = "accuracy"
    PRECISION = "precision"
    RECALL = "recall"
    ACCURACY_BASELINE = "accuracy_baseline"
    AUC = "auc"
    AUC_PR = "auc_precision_recall"
    LABEL_MEAN = "label/mean"
    PREDICTION_MEAN = "prediction/mean"
    ACCURACY_AT_THRESHOLD = "accuracy/positive_threshold_%g"
    PRECISION_AT_THRESHOLD = "precision/positive_threshold_%g"
    RECALL_AT_THRESHOLD = "recall/positive_threshold_%g"


def summary_key(head_name, key: str) -> str:
    return f"{key}/{head_name}" if head_name else key


def check_dense_labels(labels, logits, expected_dimension: int):
    """``labels`` as ``[D0, ..., DN, expected_dimension]`` (a missing last axis of size 1 is
    added), checked against ``logits``."""
    if labels is None:
        raise ValueError(
            "You must provide a labels Tensor. Given: None. Suggested troubleshooting steps: "
            "Check that your data contain your label feature. Check that your input_fn "
            "properly parses and returns labels."
        )
    with name_scope(None, "labels", (labels, logits)) as scope:
        labels = convert_to_tensor_or_sparse_tensor(labels)
        if isinstance(labels, SparseTensor):
            raise ValueError(
                "SparseTensor labels are not supported. labels must be a Tensor of shape "
                f"[D0, D1, ..., DN, {expected_dimension}], e.g. [batch_size, "
                f"{expected_dimension}]. Suggested Fix (2): In your input_fn, use "
                "tf.sparse_tensor_to_dense() to turn labels into a Tensor."
            )
        if labels.shape.ndims is not None and labels.shape.ndims == logits.shape.ndims - 1:
            labels = expand_dims(labels, -1)
        message = (
            f"labels shape must be [D0, D1, ... DN, {expected_dimension}]. Suggested Fix: check "
            "your n_classes argument to the estimator and/or the shape of your label."
        )
        with control_dependencies([assert_rank_at_least(labels, 2, message=message)]):
            static = labels.shape
            if static.ndims is not None and static.ndims > 0:
                last = static.as_list()[-1]
                if last is not None and last != expected_dimension:
                    raise ValueError(
                        "Mismatched label shape. Expected labels dimension="
                        f"{expected_dimension}.  Received {last}. Suggested Fix:If your "
                        "classifier expects one-hot encoding label,check your n_classes "
                        "argument to the estimator and/or the shape of your label. Otherwise, "
                        "check the shape of your label."
                    )
            expected = concat([shape(logits)[:-1], [expected_dimension]], axis=0)
            check = assert_equal(expected, shape(labels), message=message)
            with control_dependencies([check]):
                return identity(labels, name=scope)


def weights_matching_logits(features, weight_column, logits, allow_per_logit=False):
    """The example weights from ``features[weight_column]`` as ``[D0, ..., DN, 1]`` float32
    (``1.`` without a ``weight_column``)."""
    message = (
        "weights shape must be [D0, D1, ... DN], [D0, D1, ... DN, 1] or "
        "[D0, D1, ... DN, logits_dimension]"
        if allow_per_logit
        else "weights shape must be [D0, D1, ... DN] or [D0, D1, ... DN, 1]"
    )
    with name_scope(None, "weights", tuple(features.values()) + (logits,)) as scope:
        if weight_column is None:
            return 1.0
        if isinstance(weight_column, str):
            weight_column = numeric_column(key=weight_column, shape=(1,))
        if not isinstance(weight_column, _DenseColumn):
            raise TypeError(
                "Weight column must be either a string or _DenseColumn. Given type: "
                f"{type(weight_column)}."
            )
        weights = weight_column._get_dense_tensor(_LazyBuilder(features))
        if not (weights.dtype.is_floating or weights.dtype.is_integer):
            raise ValueError(
                f"Weight column should be castable to float. Given dtype: {weights.dtype}"
            )
        weights = cast(weights, dtypes.float32, name="weights")
        weights_shape = shape(weights, name="weights_shape")
        logits_shape = shape(logits, name="logits_shape")
        if weights.shape.ndims is not None and weights.shape.ndims == logits.shape.ndims - 1:
            check = assert_equal(logits_shape[:-1], weights_shape, message=message)
            with control_dependencies([check]):
                return expand_dims(weights, -1, name=scope)
        supported = concat([logits_shape[:-1], [1]], axis=0)
        if allow_per_logit:
            condition = reduce_any(
                [
                    reduce_all(equal(logits_shape, weights_shape)),
                    reduce_all(equal(supported, weights_shape)),
                ]
            )
            check = Assert(condition, [message, "logits_shape: ", logits_shape])
        else:
            check = assert_equal(supported, weights_shape, message=message)
        with control_dependencies([check]):
            return identity(weights, name=scope)


def check_logits_final_dim(logits, expected_dimension: int):
    """``logits`` as float32, its last axis checked to be ``expected_dimension``."""
    with name_scope(None, "logits", (logits,)) as scope:
        logits = cast(convert_to_tensor(logits), dtypes.float32)
        rank_check = assert_rank_at_least(
            logits, 2, message="logits shape must be [D0, D1, ... DN, logits_dimension]"
        )
        with control_dependencies([rank_check]):
            static = logits.shape
            if static.ndims is not None and static.as_list()[-1] is not None:
                if static.as_list()[-1] != expected_dimension:
                    raise ValueError(
                        "logits shape must be [D0, D1, ... DN, "
                        f"logits_dimension={expected_dimension}], got {static}."
                    )
                return logits
            check = assert_equal(
                expected_dimension,
                shape(logits)[-1],
                message="logits shape must be [D0, D1, ... DN, "
                f"logits_dimension={expected_dimension}]",
            )
            with control_dependencies([check]):
                return identity(logits, name=scope)


def assert_range(labels, n_classes: int):
    """``labels`` checked to lie in ``[0, n_classes - 1]``."""
    with name_scope(None, "assert_range", (labels,)):
        below = assert_less_equal(
            labels,
            convert_to_tensor(n_classes - 1, dtype=labels.dtype),
            message="Labels must <= n_classes - 1",
        )
        above = assert_non_negative(labels, message="Labels must >= 0")
        with control_dependencies((below, above)):
            return identity(labels)


def all_class_ids(logits, n_classes: int):
    return tile(expand_dims(range_(n_classes), 0), [shape(logits)[0], 1])


def class_strings(logits, n_classes: int, label_vocabulary=None):
    """Each row's class names: ``label_vocabulary`` or ``"0"``, ``"1"``, ..."""
    names = list(label_vocabulary) if label_vocabulary else as_string(range_(n_classes))
    return tile(expand_dims(names, 0), [shape(logits)[0], 1])


def labels_mean(labels, weights, name):
    with name_scope(name, "labels_mean", (labels, weights)) as scope:
        labels = cast(labels, dtypes.float32, name="labels")
        if weights is not None:
            weights = broadcast_weights(weights, labels)
        return means.mean(labels, weights=weights, name=scope)


def predictions_mean(predictions, weights, name):
    with name_scope(name, "predictions_mean", (predictions, weights)) as scope:
        predictions = cast(predictions, dtypes.float32, name="predictions")
        if weights is not None:
            weights = broadcast_weights(weights, predictions)
        return means.mean(predictions, weights=weights, name=scope)


def accuracy_baseline(mean_pair):
    """The accuracy of always predicting the more frequent class."""
    with name_scope(None, "accuracy_baseline", mean_pair):
        value, update = mean_pair
        return maximum(value, 1.0 - value, name="value"), maximum(update, 1 - update, "update_op")


def auc(labels, predictions, weights, curve, name):
    with name_scope(name, "auc", (predictions, labels, weights)) as scope:
        predictions = cast(predictions, dtypes.float32, name="predictions")
        if weights is not None:
            weights = broadcast_weights(weights, predictions)
        return counts.auc(labels, predictions, weights=weights, curve=curve, name=scope)


def append_update_ops(train_op):
    """``train_op`` grouped with the ``UPDATE_OPS`` collection (batch norm's moving means)."""
    update_ops = get_collection(GraphKeys.UPDATE_OPS)
    return group(train_op, *update_ops) if update_ops else train_op
