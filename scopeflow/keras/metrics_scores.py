"""``tf.keras.metrics``' F-scores (``F1Score``, ``FBetaScore``), ``R2Score`` and the
metrics that read one rate off the ROC or precision-recall curve at a bound on the other
(``SensitivityAtSpecificity``, ``SpecificityAtSensitivity``, ``PrecisionAtRecall``,
``RecallAtPrecision``).

The F-scores and ``R2Score`` make their variables on the first ``update_state`` (their shape
is the labels' last dimension), with the names TF's Keras gives them. In compat.v1 graph mode
tf_keras's own F-scores and ``R2Score`` do not update (their ``update_state`` returns no op)
and its ``R2Score(num_regressors=...)`` cannot build its result; these compute what they
compute in TF2 (eager), and an adjusted R2 with too few samples falls back to the plain one
as TF's does (TF warns; this does not).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     m = tf.keras.metrics.F1Score(average="micro", threshold=0.5)
...     update = m.update_state([[1.0, 0.0]], [[0.9, 0.7]])  # makes the variables
...     tf.keras.backend.get_session().run(update)
...     print(round(float(tf.keras.backend.eval(m.result())), 6))
0.666667
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.keras.metrics_base import Metric, _update_confusion
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.shape import expand_dims, size
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.math.broadcasting import broadcast_to
from scopeflow.ops.math.division import div_no_nan
from scopeflow.ops.math.selection import where, where_v2
from scopeflow.ops.state.storage import assign_add

# -- F-scores ------------------------------------------------------------------------------


class FBetaScore(Metric):
    """``(1 + beta**2) * precision * recall / (beta**2 * precision + recall)`` per class
    (``average``: ``None``; ``"micro"`` over all entries; ``"macro"`` the mean over classes;
    ``"weighted"`` the mean weighted by each class's true count). Predictions are 1 above
    ``threshold``, or (``threshold=None``) where they are their row's maximum."""

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(name=name, dtype=dtype)
        if average not in (None, "micro", "macro", "weighted"):
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                f"'weighted'}}. Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                "Invalid `beta` argument value. It should be a Python float. Received: "
                f"beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(
                f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float. "
                    f"Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                    f"Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self._built = False

    def _build(self, y_true_shape) -> None:
        classes = y_true_shape[-1]
        if classes is None:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim), with "
                f"output_dim fully defined (not None). Received: y_true.shape={y_true_shape}"
            )
        shape = () if self.average == "micro" else (classes,)
        self.true_positives = self.add_weight("true_positives", shape=shape)
        self.false_positives = self.add_weight("false_positives", shape=shape)
        self.false_negatives = self.add_weight("false_negatives", shape=shape)
        self.intermediate_weights = self.add_weight("intermediate_weights", shape=shape)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = cast(convert_to_tensor(y_true), self.dtype)
        y_pred = cast(convert_to_tensor(y_pred), self.dtype)
        if not self._built:
            self._build(y_true.shape.as_list())
        if self.threshold is None:
            top = reduction.reduce_max(y_pred, axis=-1, keepdims=True)
            y_pred = cast(math_ops.greater_equal(y_pred, top), self.dtype)
        else:
            y_pred = cast(math_ops.greater(y_pred, self.threshold), self.dtype)
        axis = None if self.average == "micro" else 0
        weight = None
        if sample_weight is not None:
            weight = expand_dims(cast(convert_to_tensor(sample_weight), self.dtype), 1)

        def total(values):
            return reduction.reduce_sum(values if weight is None else values * weight, axis=axis)

        return group(
            assign_add(self.true_positives, total(y_pred * y_true)),
            assign_add(self.false_positives, total(y_pred * (1 - y_true))),
            assign_add(self.false_negatives, total((1 - y_pred) * y_true)),
            assign_add(self.intermediate_weights, total(y_true)),
        )

    def result(self):
        tp = self._read(self.true_positives)
        precision = div_no_nan(tp, tp + self._read(self.false_positives))
        recall = div_no_nan(tp, tp + self._read(self.false_negatives))
        beta2 = self.beta**2
        score = div_no_nan(precision * recall, beta2 * precision + recall) * (1 + beta2)
        if self.average == "weighted":
            counts = self._read(self.intermediate_weights)
            return reduction.reduce_sum(score * div_no_nan(counts, reduction.reduce_sum(counts)))
        if self.average is not None:
            return reduction.reduce_mean(score)
        return score

    def get_config(self) -> dict:
        config = {"average": self.average, "beta": self.beta, "threshold": self.threshold}
        return {**super().get_config(), **config}


class F1Score(FBetaScore):
    """``FBetaScore`` with ``beta`` 1: the harmonic mean of precision and recall."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config


# -- R2 ------------------------------------------------------------------------------------


class R2Score(Metric):
    """The coefficient of determination ``1 - SS_res / SS_tot`` per output column, then
    averaged (``class_aggregation``: ``"uniform_average"``, ``"variance_weighted_average"``
    or ``None``), adjusted for ``num_regressors`` when that is below ``samples - 1``."""

    def __init__(
        self, class_aggregation="uniform_average", num_regressors=0, name="r2_score", dtype=None
    ):
        super().__init__(name=name, dtype=dtype)
        choices = (None, "uniform_average", "variance_weighted_average")
        if class_aggregation not in choices:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {choices}. "
                f"Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        self.num_samples = self.add_weight("num_samples", dtype=dtypes.int32)
        self._built = False

    def _build(self, y_true_shape, y_pred_shape) -> None:
        if len(y_pred_shape) != 2 or len(y_true_shape) != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={tuple(y_pred_shape)} and "
                f"y_true.shape={tuple(y_true_shape)}."
            )
        if y_pred_shape[-1] is None or y_true_shape[-1] is None:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim), with "
                "output_dim fully defined (not None). Received input shapes: "
                f"y_pred.shape={tuple(y_pred_shape)} and y_true.shape={tuple(y_true_shape)}."
            )
        columns = (y_pred_shape[-1],)
        self.squared_sum = self.add_weight("squared_sum", shape=columns)
        self.sum = self.add_weight("sum", shape=columns)
        self.total_mse = self.add_weight("residual", shape=columns)
        self.count = self.add_weight("count", shape=columns)
        self._built = True

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = cast(convert_to_tensor(y_true), self.dtype)
        y_pred = cast(convert_to_tensor(y_pred), self.dtype)
        if not self._built:
            self._build(y_true.shape.as_list(), y_pred.shape.as_list())
        weight = cast(convert_to_tensor(1 if sample_weight is None else sample_weight), self.dtype)
        if weight.shape.ndims == 1:
            weight = expand_dims(weight, 1)
        weight = broadcast_to(weight, array_ops.shape(y_true))
        weighted = y_true * weight
        return group(
            assign_add(self.sum, reduction.reduce_sum(weighted, axis=0)),
            assign_add(self.squared_sum, reduction.reduce_sum(y_true * weighted, axis=0)),
            assign_add(
                self.total_mse,
                reduction.reduce_sum(math_ops.square(y_true - y_pred) * weight, axis=0),
            ),
            assign_add(self.count, reduction.reduce_sum(weight, axis=0)),
            # TF counts entries, not rows (a (4, 2) batch adds 8).
            assign_add(self.num_samples, size(y_true, out_type=dtypes.int32)),
        )

    def result(self):
        total_sum, count = self._read(self.sum), self._read(self.count)
        mean = total_sum / count
        total = self._read(self.squared_sum) - total_sum * mean
        scores = 1 - self._read(self.total_mse) / total
        scores = where_v2(math_ops.is_inf(scores), 0.0, scores)
        if self.class_aggregation == "uniform_average":
            r2 = reduction.reduce_mean(scores)
        elif self.class_aggregation == "variance_weighted_average":
            r2 = reduction.reduce_sum(total * scores) / reduction.reduce_sum(total)
        else:
            r2 = scores
        if self.num_regressors == 0:
            return r2
        n = cast(self._read(self.num_samples), self.dtype)
        p = float(self.num_regressors)
        adjusted = 1 - (1 - r2) * (n - 1) / (n - p - 1)
        return where_v2(p < n - 1, adjusted, r2)

    def get_config(self) -> dict:
        config = {"class_aggregation": self.class_aggregation}
        return {**super().get_config(), **config, "num_regressors": self.num_regressors}


# -- one rate at a bound on another ---------------------------------------------------------


class _RateAtRate(Metric):
    """Confusion counts at ``num_thresholds`` thresholds; the result is the best of one rate
    over the thresholds where the other reaches ``value``."""

    bound_name = ""

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        if not 0 <= value <= 1:
            raise ValueError(
                f"Argument `{self.bound_name}` must be in the range [0, 1]. Received: "
                f"{self.bound_name}={value}"
            )
        if num_thresholds <= 0:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 0. Received: "
                f"num_thresholds={num_thresholds}"
            )
        self.value = value
        self.class_id = class_id
        self.num_thresholds = num_thresholds
        if num_thresholds == 1:
            self.thresholds = [0.5]
        else:  # TF 2's Keras: 0 and 1 ends (no epsilon), bucketed
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self.thresholds = [0.0, *inner, 1.0]
        names = ("true_positives", "true_negatives", "false_positives", "false_negatives")
        self._confusion = {
            kind: self.add_weight(name, shape=(num_thresholds,))
            for kind, name in zip(("tp", "tn", "fp", "fn"), names, strict=True)
        }

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.class_id is not None:
            y_true = convert_to_tensor(y_true)[..., self.class_id]
            y_pred = convert_to_tensor(y_pred)[..., self.class_id]
        even = self.num_thresholds > 1  # evenly spaced: TF's Keras buckets predictions
        return _update_confusion(
            self._confusion, y_true, y_pred, self.thresholds, sample_weight, even
        )

    def _rates(self):
        tp, tn, fp, fn = (self._read(self._confusion[k]) for k in ("tp", "tn", "fp", "fn"))
        return {
            "recall": div_no_nan(tp, tp + fn),
            "specificity": div_no_nan(tn, tn + fp),
            "precision": div_no_nan(tp, tp + fp),
        }

    def _best(self, bounded, maximized):
        """The largest ``maximized`` where ``bounded >= value``, or 0 where there is none."""
        feasible = array_ops.reshape(where(math_ops.greater_equal(bounded, self.value)), [-1])
        best = reduction.reduce_max(gather(maximized, feasible))
        exists = math_ops.greater(size(feasible), 0)
        return where_v2(exists, best, 0.0)

    def get_config(self) -> dict:
        config = {"class_id": self.class_id, "num_thresholds": self.num_thresholds}
        return {**super().get_config(), **config, self.bound_name: self.value}


class SensitivityAtSpecificity(_RateAtRate):
    """The best sensitivity (recall) at a specificity of at least ``specificity``."""

    bound_name = "specificity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["specificity"], rates["recall"])


class SpecificityAtSensitivity(_RateAtRate):
    """The best specificity at a sensitivity (recall) of at least ``sensitivity``."""

    bound_name = "sensitivity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["specificity"])


class PrecisionAtRecall(_RateAtRate):
    """The best precision at a recall of at least ``recall``."""

    bound_name = "recall"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["recall"], rates["precision"])


class RecallAtPrecision(_RateAtRate):
    """The best recall at a precision of at least ``precision``."""

    bound_name = "precision"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    def result(self):
        rates = self._rates()
        return self._best(rates["precision"], rates["recall"])


__all__ = [
    "F1Score",
    "FBetaScore",
    "PrecisionAtRecall",
    "R2Score",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
]
