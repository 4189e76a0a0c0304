"""``tf.estimator.DNNClassifier`` and ``DNNRegressor``: a feed-forward network on
``feature_columns`` (``dnn/input_from_feature_columns/input_layer``, then
``dnn/hiddenlayer_<i>`` dense layers and ``dnn/logits``), trained by default with Adagrad
(learning rate 0.05) on the head's loss, as TF1's canned DNN estimators."""

from __future__ import annotations

from scopeflow.estimator.canned import head as head_lib
from scopeflow.estimator.canned.optimizers import get_optimizer_instance
from scopeflow.estimator.estimator import Estimator
from scopeflow.estimator.model_fn import ModeKeys
from scopeflow.feature_column.models import input_layer
from scopeflow.layers.core import dense
from scopeflow.layers.core import dropout as dropout_layer
from scopeflow.layers.normalization import batch_normalization
from scopeflow.losses.losses_impl import Reduction
from scopeflow.ops.nn.activation import relu
from scopeflow.ops.nn.composite import zero_fraction
from scopeflow.summary.summary_ops import histogram, scalar
from scopeflow.variables.initializers import GlorotUniform
from scopeflow.variables.partitioned import min_max_variable_partitioner
from scopeflow.variables.variable_scope import variable_scope

_LEARNING_RATE = 0.05


def _add_hidden_layer_summary(value, tag: str) -> None:
    scalar(f"{tag}/fraction_of_zero_values", zero_fraction(value))
    histogram(f"{tag}/activation", value)


def validate_features(features) -> None:
    if not isinstance(features, dict):
        raise ValueError(
            f"features should be a dictionary of `Tensor`s. Given type: {type(features)}"
        )


def dnn_logit_fn_builder(
    units,
    hidden_units,
    feature_columns,
    activation_fn,
    dropout,
    input_layer_partitioner,
    batch_norm,
):
    """A ``logit_fn(features, mode)`` building the DNN's logits (``[batch, units]``) in the
    current variable scope.

    Raises:
        ValueError: ``units`` is not an int.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     fn = tf.estimator.experimental.dnn_logit_fn_builder(
    ...         2, [3], [tf.feature_column.numeric_column("x")], tf.nn.relu, None, None, False)
    ...     logits = fn({"x": [[1.0]]}, tf.estimator.ModeKeys.TRAIN)
    ...     logits.shape.as_list(), [v.op.name for v in tf.trainable_variables()][:2]
    ([1, 2], ['hiddenlayer_0/kernel', 'hiddenlayer_0/bias'])
    """
    if not isinstance(units, int):
        raise ValueError(f"units must be an int.  Given type: {type(units)}")

    def dnn_logit_fn(features, mode):
        training = mode == ModeKeys.TRAIN
        with variable_scope("input_from_feature_columns", partitioner=input_layer_partitioner):
            net = input_layer(features, feature_columns)
        for layer_id, num_units in enumerate(hidden_units):
            with variable_scope(f"hiddenlayer_{layer_id}", values=(net,)) as scope:
                net = dense(
                    net,
                    num_units,
                    activation=activation_fn,
                    kernel_initializer=GlorotUniform(),
                    name=scope,
                )
                if dropout is not None and training:
                    net = dropout_layer(net, rate=dropout, training=True)
                if batch_norm:
                    # TF1's momentum (0.999, contrib's batch_norm's default).
                    net = batch_normalization(
                        net, momentum=0.999, training=training, name=f"batchnorm_{layer_id}"
                    )
            _add_hidden_layer_summary(net, scope.name)
        with variable_scope("logits", values=(net,)) as scope:
            logits = dense(net, units, kernel_initializer=GlorotUniform(), name=scope)
        _add_hidden_layer_summary(logits, scope.name)
        return logits

    return dnn_logit_fn


def dnn_model_fn(
    features,
    labels,
    mode,
    head,
    hidden_units,
    feature_columns,
    optimizer="Adagrad",
    activation_fn=relu,
    dropout=None,
    input_layer_partitioner=None,
    config=None,
    batch_norm=False,
):
    """The canned DNN's ``model_fn``: logits in the ``dnn`` variable scope, then ``head``'s
    ``EstimatorSpec``."""
    optimizer = get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
    validate_features(features)
    num_ps_replicas = config.num_ps_replicas if config else 0
    partitioner = min_max_variable_partitioner(max_partitions=num_ps_replicas)
    with variable_scope("dnn", values=tuple(features.values()), partitioner=partitioner):
        input_layer_partitioner = input_layer_partitioner or min_max_variable_partitioner(
            max_partitions=num_ps_replicas, min_slice_size=64 << 20
        )
        logit_fn = dnn_logit_fn_builder(
            head.logits_dimension,
            hidden_units,
            feature_columns,
            activation_fn,
            dropout,
            input_layer_partitioner,
            batch_norm,
        )
        logits = logit_fn(features, mode)
        return head.create_estimator_spec(
            features=features, mode=mode, labels=labels, optimizer=optimizer, logits=logits
        )


class DNNClassifier(Estimator):
    """A feed-forward classifier: ``hidden_units`` ReLU layers on ``feature_columns``, a
    sigmoid (``n_classes=2``) or softmax head; labels are class ids, or strings of
    ``label_vocabulary``.

    >>> import numpy as np, tempfile, scopeflow as tf
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0]], np.float32)
    >>> train = tf.estimator.inputs.numpy_input_fn({"x": x}, np.array([0, 0, 1, 1]),
    ...                                            batch_size=4, num_epochs=None, shuffle=False)
    >>> est = tf.estimator.DNNClassifier([4], [tf.feature_column.numeric_column("x")],
    ...                                  model_dir=tempfile.mkdtemp())
    >>> est = est.train(train, steps=2)
    >>> est.get_variable_value("dnn/hiddenlayer_0/kernel").shape
    (1, 4)
    """

    def __init__(
        self,
        hidden_units,
        feature_columns,
        model_dir=None,
        n_classes=2,
        weight_column=None,
        label_vocabulary=None,
        optimizer="Adagrad",
        activation_fn=relu,
        dropout=None,
        input_layer_partitioner=None,
        config=None,
        warm_start_from=None,
        loss_reduction=Reduction.SUM,
        batch_norm=False,
    ):
        head = head_lib.classification_head(
            n_classes, weight_column, label_vocabulary, loss_reduction
        )
        model_fn = _model_fn_of(
            head, hidden_units, feature_columns, optimizer, activation_fn, dropout,
            input_layer_partitioner, batch_norm,
        )  # fmt: skip
        super().__init__(model_fn, model_dir, config, warm_start_from=warm_start_from)


class DNNRegressor(Estimator):
    """A feed-forward regressor: ``hidden_units`` ReLU layers on ``feature_columns`` and a
    mean-squared-error head of ``label_dimension`` outputs.

    >>> import numpy as np, tempfile, scopeflow as tf
    >>> x = np.array([[0.0], [1.0]], np.float32)
    >>> train = tf.estimator.inputs.numpy_input_fn({"x": x}, 2 * x, batch_size=2, shuffle=False,
    ...                                            num_epochs=None)
    >>> est = tf.estimator.DNNRegressor([3], [tf.feature_column.numeric_column("x")],
    ...                                 model_dir=tempfile.mkdtemp()).train(train, steps=1)
    >>> sorted(est.evaluate(train, steps=1))
    ['average_loss', 'global_step', 'label/mean', 'loss', 'prediction/mean']
    """

    def __init__(
        self,
        hidden_units,
        feature_columns,
        model_dir=None,
        label_dimension=1,
        weight_column=None,
        optimizer="Adagrad",
        activation_fn=relu,
        dropout=None,
        input_layer_partitioner=None,
        config=None,
        warm_start_from=None,
        loss_reduction=Reduction.SUM,
        batch_norm=False,
    ):
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)
        model_fn = _model_fn_of(
            head, hidden_units, feature_columns, optimizer, activation_fn, dropout,
            input_layer_partitioner, batch_norm,
        )  # fmt: skip
        super().__init__(model_fn, model_dir, config, warm_start_from=warm_start_from)


def _model_fn_of(
    head, hidden_units, feature_columns, optimizer, activation_fn, dropout, partitioner, batch_norm
):
    """The ``model_fn(features, labels, mode, config)`` of a DNN estimator with ``head``."""
    columns = tuple(feature_columns or [])

    def model_fn(features, labels, mode, config):
        return dnn_model_fn(
            features, labels, mode, head, hidden_units, columns, optimizer, activation_fn,
            dropout, partitioner, config, batch_norm,
        )  # fmt: skip

    return model_fn
