"""``tf.estimator.BaselineClassifier`` and ``BaselineRegressor``: a model that ignores its
features and learns one bias per output (``baseline/bias``), so it predicts the labels'
prior (classifier) or mean (regressor); FTRL at learning rate 0.3, as TF1's."""

from __future__ import annotations

from scopeflow.estimator.canned import head as head_lib
from scopeflow.estimator.canned.optimizers import get_optimizer_instance
from scopeflow.estimator.estimator import Estimator
from scopeflow.feature_column.columns import NumericColumn
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.losses.losses_impl import Reduction
from scopeflow.ops.array.basic import ones, shape
from scopeflow.ops.control.assertions import assert_equal
from scopeflow.ops.math.elementwise import multiply
from scopeflow.train.training_util import get_global_step
from scopeflow.variables.initializers import zeros_initializer
from scopeflow.variables.variable_scope import get_variable, variable_scope

_LEARNING_RATE = 0.3


def _weight_column_key(weight_column):
    if weight_column is None or isinstance(weight_column, str):
        return weight_column
    if not isinstance(weight_column, NumericColumn):
        raise TypeError(
            "Weight column must be either a string or _NumericColumn. Given type: "
            f"{type(weight_column)}."
        )
    return weight_column.key


def _baseline_logits(features, num_outputs, weight_column):
    """``baseline/bias`` tiled over the batch, whose size all features (but the weights)
    must share."""
    skip = _weight_column_key(weight_column)
    checks, batch_size = [], None
    for key, feature in features.items():
        if key == skip:
            continue
        first = shape(feature)[0]
        if batch_size is None:
            batch_size = first
        else:
            checks.append(assert_equal(batch_size, first))
    with control_dependencies(checks), variable_scope("baseline"):
        bias = get_variable("bias", shape=[num_outputs], initializer=zeros_initializer())
        return multiply(bias, ones([batch_size, num_outputs]))


def baseline_model_fn(features, labels, mode, head, optimizer, weight_column=None):
    """The baseline ``model_fn``: the bias as logits, then ``head``'s ``EstimatorSpec``."""
    logits = _baseline_logits(features, head.logits_dimension, weight_column)

    def train_op_fn(loss):
        opt = get_optimizer_instance(optimizer, learning_rate=_LEARNING_RATE)
        return opt.minimize(loss, global_step=get_global_step())

    return head.create_estimator_spec(
        features=features, mode=mode, logits=logits, labels=labels, train_op_fn=train_op_fn
    )


class BaselineClassifier(Estimator):
    """Predicts each class's prior: one learned bias per class, whatever the features.

    >>> import numpy as np, tempfile, scopeflow as tf
    >>> train = tf.estimator.inputs.numpy_input_fn(
    ...     {"x": np.zeros(4, np.float32)}, np.array([0, 1, 1, 1]), batch_size=4,
    ...     num_epochs=None, shuffle=False)
    >>> est = tf.estimator.BaselineClassifier(tempfile.mkdtemp()).train(train, steps=1)
    >>> est.get_variable_names()
    ['baseline/bias', 'baseline/bias/Ftrl', 'baseline/bias/Ftrl_1', 'global_step']
    """

    def __init__(
        self,
        model_dir=None,
        n_classes=2,
        weight_column=None,
        label_vocabulary=None,
        optimizer="Ftrl",
        config=None,
        loss_reduction=Reduction.SUM,
    ):
        head = head_lib.classification_head(
            n_classes, weight_column, label_vocabulary, loss_reduction
        )

        def _model_fn(features, labels, mode, config):
            del config
            return baseline_model_fn(features, labels, mode, head, optimizer, weight_column)

        super().__init__(_model_fn, model_dir, config)


class BaselineRegressor(Estimator):
    """Predicts the labels' mean: one learned bias per output, whatever the features.

    >>> import numpy as np, tempfile, scopeflow as tf
    >>> train = tf.estimator.inputs.numpy_input_fn(
    ...     {"x": np.zeros(2, np.float32)}, np.array([1.0, 3.0], np.float32), batch_size=2,
    ...     num_epochs=None, shuffle=False)
    >>> est = tf.estimator.BaselineRegressor(tempfile.mkdtemp()).train(train, steps=1)
    >>> est.get_variable_value("baseline/bias").shape
    (1,)
    """

    def __init__(
        self,
        model_dir=None,
        label_dimension=1,
        weight_column=None,
        optimizer="Ftrl",
        config=None,
        loss_reduction=Reduction.SUM,
    ):
        head = head_lib.regression_head(label_dimension, weight_column, loss_reduction)

        def _model_fn(features, labels, mode, config):
            del config
            # As TF1's, the weights are not left out of the batch-size checks here.
            return baseline_model_fn(features, labels, mode, head, optimizer)

        super().__init__(_model_fn, model_dir, config)
