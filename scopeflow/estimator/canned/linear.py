"""``tf.estimator.LinearClassifier`` and ``LinearRegressor``: ``tf.feature_column.
linear_model`` on ``feature_columns`` (``linear/linear_model/<column>/weights`` and
``linear/linear_model/bias_weights``, zero-initialized), trained by default with FTRL
(learning rate 0.2), as TF1's canned linear estimators."""

from __future__ import annotations

import math

from scopeflow.estimator.canned import head as head_lib
from scopeflow.estimator.canned.dnn import validate_features
from scopeflow.estimator.canned.optimizers import get_optimizer_instance
from scopeflow.estimator.estimator import Estimator
from scopeflow.feature_column.models import linear_model
from scopeflow.framework import dtypes
from scopeflow.framework.graph_api import name_scope
from scopeflow.losses.losses_impl import Reduction
from scopeflow.ops.array.basic import identity
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.shape import size
from scopeflow.ops.math.elementwise import add_n
from scopeflow.ops.nn.composite import zero_fraction
from scopeflow.summary.summary_ops import histogram, scalar
from scopeflow.train.optimizers_proximal import FtrlOptimizer
from scopeflow.variables.partitioned import PartitionedVariable, min_max_variable_partitioner
from scopeflow.variables.variable_scope import variable_scope

_LEARNING_RATE = 0.2


def _expanded(variables) -> list:
    """The variables of lists of variables, each partitioned one replaced by its parts."""
    flat = [v for group in variables for v in (group if isinstance(group, list) else [group])]
    return [p for v in flat for p in (list(v) if isinstance(v, PartitionedVariable) else [v])]


def _fraction_of_zero(variables):
    with name_scope("zero_fraction"):
        sizes = [cast(size(v, out_type=dtypes.int64), dtypes.float32) for v in variables]
        zeros = add_n([zero_fraction(v) * n for v, n in zip(variables, sizes, strict=True)])
        return identity(zeros / add_n(sizes), name="zero_fraction_or_nan")


def linear_logit_fn_builder(units, feature_columns, sparse_combiner="sum"):
    """A ``logit_fn(features)``: the linear model's logits (``[batch, units]``), with the
    ``bias`` and ``fraction_of_zero_weights`` summaries.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     fn = tf.estimator.experimental.linear_logit_fn_builder(
    ...         1, [tf.feature_column.numeric_column("x")])
    ...     logits = fn({"x": [[1.0], [2.0]]})
    ...     logits.shape.as_list(), [v.op.name for v in tf.trainable_variables()]
    ([2, 1], ['linear_model/x/weights', 'linear_model/bias_weights'])
    """

    def linear_logit_fn(features):
        cols_to_vars = {}
        logits = linear_model(
            features, feature_columns, units, sparse_combiner, cols_to_vars=cols_to_vars
        )
        bias = _expanded([cols_to_vars.pop("bias")])
        variables = _expanded(cols_to_vars.values())
        if units > 1:
            histogram("bias", bias[0])
        else:
            scalar("bias", bias[0][0])
        scalar("fraction_of_zero_weights", _fraction_of_zero(variables))
        return logits

    return linear_logit_fn


def linear_model_fn(
    features,
    labels,
    mode,
    head,
    feature_columns,
    optimizer,
    partitioner,
    config,
    sparse_combiner="sum",
):
    """The canned linear ``model_fn``: logits in the ``linear`` variable scope, then
    ``head``'s ``EstimatorSpec``."""
    validate_features(features)
    num_ps_replicas = config.num_ps_replicas if config else 0
    partitioner = partitioner or min_max_variable_partitioner(
        max_partitions=num_ps_replicas, min_slice_size=64 << 20
    )
    with variable_scope("linear", values=tuple(features.values()), partitioner=partitioner):
        logit_fn = linear_logit_fn_builder(head.logits_dimension, feature_columns, sparse_combiner)
        logits = logit_fn(features)
        default = FtrlOptimizer(min(_LEARNING_RATE, 1.0 / math.sqrt(len(feature_columns))))
        optimizer = get_optimizer_instance(optimizer or default, learning_rate=_LEARNING_RATE)
        return head.create_estimator_spec(
            features=features, mode=mode, labels=labels, optimizer=optimizer, logits=logits
        )


def _check_optimizer(optimizer) -> None:
    if type(optimizer).__name__ == "LinearSDCA":
        raise NotImplementedError("LinearSDCA is not supported: use optimizer='Ftrl'.")


class LinearClassifier(Estimator):
    """A linear classifier on ``feature_columns`` with a sigmoid (``n_classes=2``) or
    softmax head; labels are class ids, or strings of ``label_vocabulary``.

    >>> import numpy as np, tempfile, scopeflow as tf
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0]], np.float32)
    >>> train = tf.estimator.inputs.numpy_input_fn({"x": x}, np.array([0, 0, 1, 1]),
    ...                                            batch_size=4, num_epochs=None, shuffle=False)
    >>> est = tf.estimator.LinearClassifier([tf.feature_column.numeric_column("x")],
    ...                                     model_dir=tempfile.mkdtemp()).train(train, steps=1)
    >>> est.get_variable_value("linear/linear_model/bias_weights")
    array([0.], dtype=float32)
    """

    def __init__(
        self,
        feature_columns,
        model_dir=None,
        n_classes=2,
        weight_column=None,
        label_vocabulary=None,
        optimizer="Ftrl",
        config=None,
        partitioner=None,
        warm_start_from=None,
        loss_reduction=Reduction.SUM,
        sparse_combiner="sum",
    ):
        _check_optimizer(optimizer)
        head = head_lib.classification_head(
            n_classes, weight_column, label_vocabulary, loss_reduction
        )
        model_fn = _model_fn_of(head, feature_columns, optimizer, partitioner, sparse_combiner)
        super().__init__(model_fn, model_dir, config, warm_start_from=warm_start_from)


class LinearRegressor(Estimator):
    """A linear regressor on ``feature_columns`` with a mean-squared-error head of
    ``label_dimension`` outputs.

    >>> import numpy as np, tempfile, scopeflow as tf
    >>> x = np.array([[0.0], [1.0]], np.float32)
    >>> train = tf.estimator.inputs.numpy_input_fn({"x": x}, 2 * x, batch_size=2, shuffle=False,
    ...                                            num_epochs=None)
    >>> est = tf.estimator.LinearRegressor([tf.feature_column.numeric_column("x")],
    ...                                    model_dir=tempfile.mkdtemp()).train(train, steps=1)
    >>> sorted(est.get_variable_names())[1:3]
    ['linear/linear_model/bias_weights', 'linear/linear_model/bias_weights/part_0/Ftrl']
    """

    def __init__(
        self,
        feature_columns,
        model_dir=None,
        label_dimension=1,
        weight_column=None,
        optimizer="Ftrl",
        config=None,
        partitioner=None,
        warm_start_from=None,
        loss_reduction=Reduction.SUM,
        sparse_combiner="sum",
    ):
        _check_optimizer(optimizer)
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        model_fn = _model_fn_of(head, feature_columns, optimizer, partitioner, sparse_combiner)
        super().__init__(model_fn, model_dir, config, warm_start_from=warm_start_from)


def _model_fn_of(head, feature_columns, optimizer, partitioner, sparse_combiner):
    """The ``model_fn(features, labels, mode, config)`` of a linear estimator with ``head``."""
    columns = tuple(feature_columns or [])

    def model_fn(features, labels, mode, config):
        return linear_model_fn(
            features, labels, mode, head, columns, optimizer, partitioner, config, sparse_combiner
        )

    return model_fn
