"""``tf.estimator.DNNLinearCombinedClassifier`` and ``DNNLinearCombinedRegressor`` (wide and
deep): the sum of a linear model's logits (``linear/...``, FTRL, learning rate
``min(0.005, 1/sqrt(#linear columns))``) and a DNN's (``dnn/...``, Adagrad, learning rate
0.001), each part trained by its own optimizer, as TF1's canned estimators."""

from __future__ import annotations

import math

from scopeflow.estimator.canned import head as head_lib
from scopeflow.estimator.canned.dnn import (
    _add_hidden_layer_summary,
    dnn_logit_fn_builder,
    validate_features,
)
from scopeflow.estimator.canned.linear import linear_logit_fn_builder
from scopeflow.estimator.canned.optimizers import get_optimizer_instance
from scopeflow.estimator.estimator import Estimator
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import control_dependencies, get_collection
from scopeflow.losses.losses_impl import Reduction
from scopeflow.ops.control.grouping import group
from scopeflow.ops.nn.activation import relu
from scopeflow.ops.state.storage import assign_add
from scopeflow.train.sync_replicas import SyncReplicasOptimizer
from scopeflow.train.training_util import get_global_step
from scopeflow.variables.partitioned import min_max_variable_partitioner
from scopeflow.variables.variable_scope import variable_scope

_DNN_LEARNING_RATE = 0.001
_LINEAR_LEARNING_RATE = 0.005


def _checked_optimizer(opt, learning_rate):
    opt = get_optimizer_instance(opt, learning_rate=learning_rate)
    if isinstance(opt, SyncReplicasOptimizer):
        raise ValueError(
            "SyncReplicasOptimizer does not support multi optimizers case. Therefore, it is "
            "not supported in DNNLinearCombined model. If you want to use this optimizer, "
            "please use either DNN or Linear model."
        )
    return opt


def _validate_feature_columns(linear_feature_columns, dnn_feature_columns) -> list:
    columns = list(linear_feature_columns or []) + list(dnn_feature_columns or [])
    if not columns:
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")
    return columns


def dnn_linear_combined_model_fn(
    features,
    labels,
    mode,
    head,
    linear_feature_columns=None,
    linear_optimizer="Ftrl",
    dnn_feature_columns=None,
    dnn_optimizer="Adagrad",
    dnn_hidden_units=None,
    dnn_activation_fn=relu,
    dnn_dropout=None,
    input_layer_partitioner=None,
    config=None,
    batch_norm=False,
    linear_sparse_combiner="sum",
):
    """The wide-and-deep ``model_fn``: the ``dnn`` and ``linear`` logits summed, then
    ``head``'s ``EstimatorSpec``; training runs both optimizers, then adds 1 to the global
    step."""
    validate_features(features)
    if not linear_feature_columns and not dnn_feature_columns:
        raise ValueError("Either linear_feature_columns or dnn_feature_columns must be defined.")
    num_ps_replicas = config.num_ps_replicas if config else 0
    input_layer_partitioner = input_layer_partitioner or min_max_variable_partitioner(
        max_partitions=num_ps_replicas, min_slice_size=64 << 20
    )
    parts = []  # (logits, optimizer, variable scope name)
    if dnn_feature_columns:
        dnn_opt = _checked_optimizer(dnn_optimizer, _DNN_LEARNING_RATE)
        if not dnn_hidden_units:
            raise ValueError(
                "dnn_hidden_units must be defined when dnn_feature_columns is specified."
            )
        partitioner = min_max_variable_partitioner(max_partitions=num_ps_replicas)
        with variable_scope(
            "dnn", values=tuple(features.values()), partitioner=partitioner
        ) as scope:
            logit_fn = dnn_logit_fn_builder(
                head.logits_dimension,
                dnn_hidden_units,
                dnn_feature_columns,
                dnn_activation_fn,
                dnn_dropout,
                input_layer_partitioner,
                batch_norm,
            )
            parts.append((logit_fn(features, mode), dnn_opt, scope.name))
    if linear_feature_columns:
        rate = min(_LINEAR_LEARNING_RATE, 1.0 / math.sqrt(len(linear_feature_columns)))
        linear_opt = _checked_optimizer(linear_optimizer, rate)
        with variable_scope(
            "linear", values=tuple(features.values()), partitioner=input_layer_partitioner
        ) as scope:
            logit_fn = linear_logit_fn_builder(
                head.logits_dimension, linear_feature_columns, linear_sparse_combiner
            )
            logits = logit_fn(features)
            _add_hidden_layer_summary(logits, scope.name)
            parts.append((logits, linear_opt, scope.name))
    logits = parts[0][0] if len(parts) == 1 else parts[0][0] + parts[1][0]

    def _train_op_fn(loss):
        train_ops = [
            opt.minimize(loss, var_list=get_collection(GraphKeys.TRAINABLE_VARIABLES, scope=name))
            for _, opt, name in parts
        ]
        with control_dependencies([group(*train_ops)]):
            return assign_add(get_global_step(), 1).op

    return head.create_estimator_spec(
        features=features, mode=mode, labels=labels, train_op_fn=_train_op_fn, logits=logits
    )


class _DNNLinearCombined(Estimator):
    def __init__(self, head, model_dir, config, warm_start_from, **model_args):
        _validate_feature_columns(
            model_args["linear_feature_columns"], model_args["dnn_feature_columns"]
        )

        def _model_fn(features, labels, mode, config):
            return dnn_linear_combined_model_fn(
                features, labels, mode, head, config=config, **model_args
            )

        super().__init__(_model_fn, model_dir, config, warm_start_from=warm_start_from)


class DNNLinearCombinedClassifier(_DNNLinearCombined):
    """A wide-and-deep classifier: a linear model on ``linear_feature_columns`` plus a DNN
    on ``dnn_feature_columns``, with a sigmoid (``n_classes=2``) or softmax head.

    >>> import numpy as np, tempfile, scopeflow as tf
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0]], np.float32)
    >>> train = tf.estimator.inputs.numpy_input_fn({"x": x}, np.array([0, 0, 1, 1]),
    ...                                            batch_size=4, num_epochs=None, shuffle=False)
    >>> column = tf.feature_column.numeric_column("x")
    >>> est = tf.estimator.DNNLinearCombinedClassifier(
    ...     tempfile.mkdtemp(), linear_feature_columns=[column], dnn_feature_columns=[column],
    ...     dnn_hidden_units=[2]).train(train, steps=2)
    >>> int(est.get_variable_value("global_step"))
    2
    """

    def __init__(
        self,
        model_dir=None,
        linear_feature_columns=None,
        linear_optimizer="Ftrl",
        dnn_feature_columns=None,
        dnn_optimizer="Adagrad",
        dnn_hidden_units=None,
        dnn_activation_fn=relu,
        dnn_dropout=None,
        n_classes=2,
        weight_column=None,
        label_vocabulary=None,
        input_layer_partitioner=None,
        config=None,
        warm_start_from=None,
        loss_reduction=Reduction.SUM,
        batch_norm=False,
        linear_sparse_combiner="sum",
    ):
        head = head_lib.classification_head(
            n_classes, weight_column, label_vocabulary, loss_reduction
        )
        super().__init__(
            head,
            model_dir,
            config,
            warm_start_from,
            linear_feature_columns=linear_feature_columns,
            linear_optimizer=linear_optimizer,
            dnn_feature_columns=dnn_feature_columns,
            dnn_optimizer=dnn_optimizer,
            dnn_hidden_units=dnn_hidden_units,
            dnn_activation_fn=dnn_activation_fn,
            dnn_dropout=dnn_dropout,
            input_layer_partitioner=input_layer_partitioner,
            batch_norm=batch_norm,
            linear_sparse_combiner=linear_sparse_combiner,
        )


class DNNLinearCombinedRegressor(_DNNLinearCombined):
    """A wide-and-deep regressor: a linear model on ``linear_feature_columns`` plus a DNN
    on ``dnn_feature_columns``, with a mean-squared-error head.

    >>> import numpy as np, tempfile, scopeflow as tf
    >>> x = np.array([[0.0], [1.0]], np.float32)
    >>> train = tf.estimator.inputs.numpy_input_fn({"x": x}, 2 * x, batch_size=2,
    ...                                            num_epochs=None, shuffle=False)
    >>> est = tf.estimator.DNNLinearCombinedRegressor(
    ...     tempfile.mkdtemp(), linear_feature_columns=[tf.feature_column.numeric_column("x")]
    ... ).train(train, steps=1)
    >>> est.get_variable_names()[:2]
    ['global_step', 'linear/linear_model/bias_weights']
    """

    def __init__(
        self,
        model_dir=None,
        linear_feature_columns=None,
        linear_optimizer="Ftrl",
        dnn_feature_columns=None,
        dnn_optimizer="Adagrad",
        dnn_hidden_units=None,
        dnn_activation_fn=relu,
        dnn_dropout=None,
        label_dimension=1,
        weight_column=None,
        input_layer_partitioner=None,
        config=None,
        warm_start_from=None,
        loss_reduction=Reduction.SUM,
        batch_norm=False,
        linear_sparse_combiner="sum",
    ):
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        super().__init__(
            head,
            model_dir,
            config,
            warm_start_from,
            linear_feature_columns=linear_feature_columns,
            linear_optimizer=linear_optimizer,
            dnn_feature_columns=dnn_feature_columns,
            dnn_optimizer=dnn_optimizer,
            dnn_hidden_units=dnn_hidden_units,
            dnn_activation_fn=dnn_activation_fn,
            dnn_dropout=dnn_dropout,
            input_layer_partitioner=input_layer_partitioner,
            batch_norm=batch_norm,
            linear_sparse_combiner=linear_sparse_combiner,
        )
