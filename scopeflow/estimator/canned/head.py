"""The canned estimators' heads (TF1's ``head_lib``): from a model's logits, the
predictions, the loss and the training op, the evaluation metrics and the export outputs of
binary logistic (``n_classes=2``), multi-class softmax and mean-squared-error regression
models. The loss is reduced with ``loss_reduction`` (TF1's default ``SUM`` over the batch)."""

from __future__ import annotations

from scopeflow.estimator.canned import head_checks as checks
from scopeflow.estimator.canned.head_checks import LossSpec, MetricKeys, summary_key
from scopeflow.estimator.canned.head_checks import PredictionKeys as Keys
from scopeflow.estimator.export import ClassificationOutput, PredictOutput, RegressionOutput
from scopeflow.estimator.model_fn import EstimatorSpec, ModeKeys, fn_args
from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.lookup.index_tables import (
    index_table_from_tensor,
    index_to_string_table_from_tensor,
)
from scopeflow.losses.losses_impl import (
    Reduction,
    compute_weighted_loss,
    mean_squared_error,
    sparse_softmax_cross_entropy,
)
from scopeflow.metrics import counts, means
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims, ones_like, zeros_like
from scopeflow.ops.math.elementwise import add_n, sigmoid
from scopeflow.ops.math.reduction import argmax, reduce_sum
from scopeflow.ops.nn.basic import softmax
from scopeflow.ops.nn.cross_entropy import sigmoid_cross_entropy_with_logits
from scopeflow.ops.strings.convert import as_string
from scopeflow.summary.summary_ops import scalar
from scopeflow.train.training_util import get_global_step


def _check_loss_reduction(loss_reduction) -> None:
    if loss_reduction not in Reduction.all() or loss_reduction == Reduction.NONE:
        raise ValueError(f"Invalid loss_reduction: {loss_reduction}")


def _check_vocabulary(label_vocabulary, error=ValueError) -> None:
    if label_vocabulary is not None and not isinstance(label_vocabulary, (list, tuple)):
        raise error(
            f"label_vocabulary should be a list or a tuple. Given type: {type(label_vocabulary)}"
        )


def _check_loss_fn(loss_fn) -> None:
    if loss_fn is None:
        return
    args = fn_args(loss_fn)
    for required in ("labels", "logits"):
        if required not in args:
            raise ValueError(f"loss_fn must contain argument: {required}. Given arguments: {args}")
    invalid = sorted(set(args) - {"labels", "logits", "features"})
    if invalid:
        raise ValueError(f"loss_fn has unexpected args: {invalid}")


class _Head:
    """A head: ``create_estimator_spec(features, mode, logits, labels, optimizer=...)``."""

    def __init__(self, logits_dimension, weight_column, loss_reduction, loss_fn, name):
        _check_loss_reduction(loss_reduction)
        _check_loss_fn(loss_fn)
        self._logits_dimension = logits_dimension
        self._weight_column = weight_column
        self._loss_reduction = loss_reduction
        self._loss_fn = loss_fn
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def logits_dimension(self) -> int:
        return self._logits_dimension

    def _unweighted_loss(self, labels, logits, features, default_fn):
        if not self._loss_fn:
            return default_fn()
        kwargs = {"features": features} if "features" in fn_args(self._loss_fn) else {}
        with name_scope(None, "call_loss_fn", [labels, logits]):
            return self._loss_fn(labels=labels, logits=logits, **kwargs)

    def _reduce(self, unweighted_loss, features, logits, labels, allow_per_logit=False):
        weights = checks.weights_matching_logits(
            features, self._weight_column, logits, allow_per_logit
        )
        loss = compute_weighted_loss(unweighted_loss, weights, reduction=self._loss_reduction)
        return LossSpec(loss, unweighted_loss, weights, labels)

    def create_estimator_spec(
        self,
        features,
        mode,
        logits,
        labels=None,
        optimizer=None,
        train_op_fn=None,
        regularization_losses=None,
    ):
        """The ``EstimatorSpec`` of ``mode``: predictions (and export outputs) in PREDICT,
        the loss and metrics in EVAL, the loss and ``optimizer.minimize`` (or
        ``train_op_fn(loss)``) in TRAIN.

        Raises:
            ValueError: in TRAIN, both or neither of ``optimizer`` and ``train_op_fn``.
        """
        with name_scope(self._name, "head"):
            logits, predictions, export_outputs = self._predictions(logits)
            if mode == ModeKeys.PREDICT:
                return EstimatorSpec(mode, predictions=predictions, export_outputs=export_outputs)
            spec = self.create_loss(features, mode, logits, labels)
            regularization = add_n(regularization_losses) if regularization_losses else None
            loss = spec.training_loss
            if regularization is not None:
                loss = add_n([loss, regularization])
            if mode == ModeKeys.EVAL:
                metrics = self._eval_metric_ops(predictions, spec, regularization)
                return EstimatorSpec(
                    mode, predictions=predictions, loss=loss, eval_metric_ops=metrics
                )
            if optimizer is not None:
                if train_op_fn is not None:
                    raise ValueError("train_op_fn and optimizer cannot both be set.")
                train_op = optimizer.minimize(loss, global_step=get_global_step())
            elif train_op_fn is not None:
                train_op = train_op_fn(loss)
            else:
                raise ValueError("train_op_fn and optimizer cannot both be None.")
            train_op = checks.append_update_ops(train_op)
            mean_loss = None
            if self._loss_reduction == Reduction.SUM:
                total_weight = reduce_sum(spec.weights * ones_like(spec.unreduced_loss))
                mean_loss = spec.training_loss / total_weight
        with name_scope(""):
            scalar(summary_key(self._name, MetricKeys.LOSS), loss)
            if mean_loss is not None:
                scalar(summary_key(self._name, MetricKeys.LOSS_MEAN), mean_loss)
            if regularization is not None:
                scalar(summary_key(self._name, MetricKeys.LOSS_REGULARIZATION), regularization)
        return EstimatorSpec(mode, predictions=predictions, loss=loss, train_op=train_op)

    def _loss_metrics(self, spec, regularization) -> dict:
        metrics = {
            summary_key(self._name, MetricKeys.LOSS_MEAN): means.mean(
                spec.unreduced_loss, weights=spec.weights, name=MetricKeys.LOSS_MEAN
            )
        }
        if regularization is not None:
            metrics[summary_key(self._name, MetricKeys.LOSS_REGULARIZATION)] = means.mean(
                regularization, name=MetricKeys.LOSS_REGULARIZATION
            )
        return metrics


class _ClassificationHead(_Head):
    def __init__(self, n_classes, weight_column, label_vocabulary, loss_reduction, loss_fn, name):
        super().__init__(
            1 if n_classes == 2 else n_classes, weight_column, loss_reduction, loss_fn, name
        )
        self._n_classes = n_classes
        self._label_vocabulary = label_vocabulary

    def _classes(self, class_ids):
        if self._label_vocabulary:
            table = index_to_string_table_from_tensor(
                vocabulary_list=self._label_vocabulary, name="class_string_lookup"
            )
            return table.lookup(class_ids)
        return as_string(class_ids, name="str_classes")

    def _label_ids(self, labels):
        if self._label_vocabulary is None:
            return labels
        if labels.dtype != dtypes.string:
            raise ValueError(
                "Labels dtype should be string if there is a vocabulary. Instead got "
                f"{labels.dtype}"
            )
        table = index_table_from_tensor(tuple(self._label_vocabulary), name="class_id_lookup")
        return table.lookup(labels)

    def _export_outputs(self, probabilities, predictions) -> dict:
        classifier = ClassificationOutput(
            scores=probabilities,
            classes=checks.class_strings(probabilities, self._n_classes, self._label_vocabulary),
        )
        return {
            checks.DEFAULT_SERVING_KEY: classifier,
            checks.CLASSIFY_SERVING_KEY: classifier,
            checks.PREDICT_SERVING_KEY: PredictOutput(predictions),
        }


class _BinaryLogisticHead(_ClassificationHead):
    """Sigmoid cross-entropy on logits of shape ``[batch, 1]``; labels 0/1 (or strings of
    ``label_vocabulary``)."""

    def __init__(
        self,
        weight_column=None,
        thresholds=None,
        label_vocabulary=None,
        loss_reduction=Reduction.SUM,
        loss_fn=None,
        name=None,
    ):
        _check_vocabulary(label_vocabulary, TypeError)
        self._thresholds = tuple(thresholds) if thresholds else ()
        for threshold in self._thresholds:
            if threshold <= 0.0 or threshold >= 1.0:
                raise ValueError(f"thresholds not in (0, 1): {(self._thresholds,)}.")
        super().__init__(2, weight_column, label_vocabulary, loss_reduction, loss_fn, name)

    def _predictions(self, logits):
        with name_scope(None, "predictions", (logits,)):
            logits = checks.check_logits_final_dim(logits, 1)
            logistic = sigmoid(logits, name=Keys.LOGISTIC)
            two_class = concat((zeros_like(logits), logits), axis=-1, name="two_class_logits")
            probabilities = softmax(two_class, name=Keys.PROBABILITIES)
            class_ids = expand_dims(argmax(two_class, axis=-1, name=Keys.CLASS_IDS), -1)
            predictions = {
                Keys.LOGITS: logits,
                Keys.LOGISTIC: logistic,
                Keys.PROBABILITIES: probabilities,
                Keys.CLASS_IDS: class_ids,
                Keys.CLASSES: self._classes(class_ids),
                Keys.ALL_CLASS_IDS: checks.all_class_ids(logits, 2),
                Keys.ALL_CLASSES: checks.class_strings(logits, 2, self._label_vocabulary),
            }
        outputs = self._export_outputs(probabilities, predictions)
        outputs[checks.REGRESS_SERVING_KEY] = RegressionOutput(value=logistic)
        return logits, predictions, outputs

    def create_loss(self, features, mode, logits, labels):
        """The ``LossSpec`` of ``logits`` against ``labels``."""
        del mode
        logits = convert_to_tensor(logits)
        labels = checks.check_dense_labels(labels, logits, 1)
        labels = checks.assert_range(cast(self._label_ids(labels), dtypes.float32), 2)
        loss = self._unweighted_loss(
            labels,
            logits,
            features,
            lambda: sigmoid_cross_entropy_with_logits(labels=labels, logits=logits),
        )
        return self._reduce(loss, features, logits, labels)

    def _eval_metric_ops(self, predictions, spec, regularization) -> dict:
        labels, weights = spec.processed_labels, spec.weights
        logistic, class_ids = predictions[Keys.LOGISTIC], predictions[Keys.CLASS_IDS]
        key = lambda k: summary_key(self._name, k)  # noqa: E731
        with name_scope(None, "metrics"):
            label_mean = checks.labels_mean(labels, weights, MetricKeys.LABEL_MEAN)
            metrics = self._loss_metrics(spec, regularization)
            metrics[key(MetricKeys.ACCURACY)] = means.accuracy(
                labels, class_ids, weights=weights, name=MetricKeys.ACCURACY
            )
            metrics[key(MetricKeys.PRECISION)] = counts.precision(
                labels, class_ids, weights=weights, name=MetricKeys.PRECISION
            )
            metrics[key(MetricKeys.RECALL)] = counts.recall(
                labels, class_ids, weights=weights, name=MetricKeys.RECALL
            )
            metrics[key(MetricKeys.PREDICTION_MEAN)] = checks.predictions_mean(
                logistic, weights, MetricKeys.PREDICTION_MEAN
            )
            metrics[key(MetricKeys.LABEL_MEAN)] = label_mean
            metrics[key(MetricKeys.ACCURACY_BASELINE)] = checks.accuracy_baseline(label_mean)
            metrics[key(MetricKeys.AUC)] = checks.auc(
                labels, logistic, weights, "ROC", MetricKeys.AUC
            )
            metrics[key(MetricKeys.AUC_PR)] = checks.auc(
                labels, logistic, weights, "PR", MetricKeys.AUC_PR
            )
            for threshold in self._thresholds:
                metrics.update(self._threshold_metrics(labels, logistic, weights, threshold))
        return metrics

    def _threshold_metrics(self, labels, logistic, weights, threshold) -> dict:
        name = MetricKeys.ACCURACY_AT_THRESHOLD % threshold
        with name_scope(None, name) as scope:
            above = cast(logistic >= threshold, dtypes.float32)
            result = {
                summary_key(self._name, name): means.accuracy(
                    labels, above, weights=weights, name=scope
                )
            }
        for key, metric in (
            (MetricKeys.PRECISION_AT_THRESHOLD, counts.precision_at_thresholds),
            (MetricKeys.RECALL_AT_THRESHOLD, counts.recall_at_thresholds),
        ):
            name = key % threshold
            with name_scope(None, name) as scope:
                value, update = metric(
                    labels, logistic, thresholds=(threshold,), weights=weights, name=scope
                )
                result[summary_key(self._name, name)] = (value[0], update[0])
        return result


class _MultiClassHead(_ClassificationHead):
    """Softmax cross-entropy on logits of shape ``[batch, n_classes]``; labels integer ids
    (or strings of ``label_vocabulary``)."""

    def __init__(
        self,
        n_classes,
        weight_column=None,
        label_vocabulary=None,
        loss_reduction=Reduction.SUM,
        loss_fn=None,
        name=None,
    ):
        if n_classes is None:
            raise ValueError("n_classes cannot be None")
        if isinstance(n_classes, int) and n_classes <= 2:
            raise ValueError(f"n_classes must be > 2: {n_classes}.")
        _check_vocabulary(label_vocabulary)
        super().__init__(n_classes, weight_column, label_vocabulary, loss_reduction, loss_fn, name)

    def _predictions(self, logits):
        logits = checks.check_logits_final_dim(logits, self._n_classes)
        with name_scope(None, "predictions", (logits,)):
            all_ids = checks.all_class_ids(logits, self._n_classes)
            all_classes = checks.class_strings(logits, self._n_classes, self._label_vocabulary)
            class_ids = expand_dims(argmax(logits, axis=-1, name=Keys.CLASS_IDS), -1)
            classes = self._classes(class_ids)
            probabilities = softmax(logits, name=Keys.PROBABILITIES)
            predictions = {
                Keys.LOGITS: logits,
                Keys.PROBABILITIES: probabilities,
                Keys.CLASS_IDS: class_ids,
                Keys.CLASSES: classes,
                Keys.ALL_CLASS_IDS: all_ids,
                Keys.ALL_CLASSES: all_classes,
            }
        return logits, predictions, self._export_outputs(probabilities, predictions)

    def create_loss(self, features, mode, logits, labels):
        """The ``LossSpec`` of ``logits`` against ``labels``."""
        del mode
        logits = convert_to_tensor(logits)
        labels = checks.check_dense_labels(labels, logits, 1)
        if self._label_vocabulary is None and not labels.dtype.is_integer:
            raise ValueError(f"Labels dtype should be integer. Instead got {labels.dtype}.")
        label_ids = checks.assert_range(self._label_ids(labels), self._n_classes)

        def default():
            loss = sparse_softmax_cross_entropy(
                labels=label_ids, logits=logits, reduction=Reduction.NONE
            )
            return expand_dims(loss, axis=-1)

        loss = self._unweighted_loss(label_ids, logits, features, default)
        return self._reduce(loss, features, logits, label_ids)

    def _eval_metric_ops(self, predictions, spec, regularization) -> dict:
        with name_scope(None, "metrics"):
            metrics = self._loss_metrics(spec, regularization)
            metrics[summary_key(self._name, MetricKeys.ACCURACY)] = means.accuracy(
                spec.processed_labels,
                predictions[Keys.CLASS_IDS],
                weights=spec.weights,
                name=MetricKeys.ACCURACY,
            )
        return metrics


class _RegressionHead(_Head):
    """Mean squared error on logits of shape ``[batch, label_dimension]``;
    ``inverse_link_fn`` maps logits to predictions."""

    def __init__(
        self,
        label_dimension=1,
        weight_column=None,
        loss_reduction=Reduction.SUM,
        loss_fn=None,
        inverse_link_fn=None,
        name=None,
    ):
        if label_dimension < 1:
            raise ValueError(f"Invalid label_dimension {label_dimension}.")
        super().__init__(label_dimension, weight_column, loss_reduction, loss_fn, name)
        self._inverse_link_fn = inverse_link_fn

    def _predictions(self, logits):
        logits = checks.check_logits_final_dim(logits, self._logits_dimension)
        if self._inverse_link_fn:
            value = self._inverse_link_fn(logits)
            predictions = {Keys.PREDICTIONS: value, Keys.LOGITS: logits}
        else:
            value = logits
            predictions = {Keys.PREDICTIONS: value}
        regression = RegressionOutput(value=value)
        outputs = {
            checks.DEFAULT_SERVING_KEY: regression,
            checks.REGRESS_SERVING_KEY: regression,
            checks.PREDICT_SERVING_KEY: PredictOutput(predictions),
        }
        return logits, predictions, outputs

    def create_loss(self, features, mode, logits, labels):
        """The ``LossSpec`` of ``logits`` against ``labels``."""
        del mode
        logits = convert_to_tensor(logits)
        labels = checks.check_dense_labels(labels, logits, self._logits_dimension)
        labels = cast(labels, dtypes.float32)
        loss = self._unweighted_loss(
            labels,
            logits,
            features,
            lambda: mean_squared_error(labels, logits, reduction=Reduction.NONE),
        )
        return self._reduce(loss, features, logits, labels, allow_per_logit=True)

    def _eval_metric_ops(self, predictions, spec, regularization) -> dict:
        metrics = {
            summary_key(self._name, MetricKeys.LOSS_MEAN): means.mean(
                spec.unreduced_loss, weights=spec.weights
            ),
            summary_key(self._name, MetricKeys.PREDICTION_MEAN): checks.predictions_mean(
                predictions[Keys.PREDICTIONS], spec.weights, MetricKeys.PREDICTION_MEAN
            ),
            summary_key(self._name, MetricKeys.LABEL_MEAN): means.mean(
                spec.processed_labels, weights=spec.weights
            ),
        }
        if regularization is not None:
            metrics[summary_key(self._name, MetricKeys.LOSS_REGULARIZATION)] = means.mean(
                regularization, name=MetricKeys.LOSS_REGULARIZATION
            )
        return metrics


def classification_head(n_classes, weight_column, label_vocabulary, loss_reduction):
    """A binary logistic head for ``n_classes == 2``, else a multi-class softmax head."""
    if n_classes == 2:
        return _BinaryLogisticHead(
            weight_column, label_vocabulary=label_vocabulary, loss_reduction=loss_reduction
        )
    return _MultiClassHead(n_classes, weight_column, label_vocabulary, loss_reduction)


def regression_head(label_dimension, weight_column, loss_reduction):
    return _RegressionHead(label_dimension, weight_column, loss_reduction)
