"""``tf.estimator.ModeKeys`` and ``tf.estimator.EstimatorSpec``: what a ``model_fn`` is told
and what it returns, checked as TF1 checks it (same error types and wording)."""

from __future__ import annotations

import collections
import functools
import inspect
import logging

from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.operation import Operation
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape
from scopeflow.train.scaffold import Scaffold
from scopeflow.train.session_run_hook import SessionRunHook
from scopeflow.variables.variables import Variable

_log = logging.getLogger("tensorflow")
# The key ``Estimator.evaluate`` reports the mean loss under (TF1's LOSS_METRIC_KEY).
LOSS_METRIC_KEY = "loss"
_VALID_MODEL_FN_ARGS = {"features", "labels", "mode", "params", "self", "config"}


class ModeKeys:
    """The three modes a ``model_fn`` is called in: ``TRAIN`` (``"train"``), ``EVAL``
    (``"eval"``) and ``PREDICT`` (``"infer"``)."""

    TRAIN = "train"
    EVAL = "eval"
    PREDICT = "infer"


_NOT_DEFAULT_GRAPH = (
    '{0} with "{1}" must be from the default graph. Possible causes of this error include: '
    "\n\n1) {0} was created outside the context of the default graph.\n\n2) The object "
    'passed through to EstimatorSpec was not created in the most recent call to "model_fn".'
)
_FIELDS = [
    "mode",
    "predictions",
    "loss",
    "train_op",
    "eval_metric_ops",
    "export_outputs",
    "training_chief_hooks",
    "training_hooks",
    "scaffold",
    "evaluation_hooks",
    "prediction_hooks",
]


class EstimatorSpec(collections.namedtuple("EstimatorSpec", _FIELDS)):
    """What a ``model_fn`` returns: in ``TRAIN`` mode ``loss`` and ``train_op`` are required,
    in ``EVAL`` ``loss`` (``eval_metric_ops`` maps names to ``tf.metrics`` results), in
    ``PREDICT`` ``predictions`` (a tensor or a dict of tensors).

    Raises:
        ValueError: a field the mode needs is missing ("Missing loss."), the loss is not a
            scalar, or a tensor is not from the default graph.
        TypeError: a field has the wrong type ("loss must be Tensor, given: ...").

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     spec = tf.estimator.EstimatorSpec(tf.estimator.ModeKeys.EVAL,
    ...                                       loss=tf.constant([2.0]))
    >>> spec.loss.shape.as_list(), spec.predictions, spec.eval_metric_ops
    ([], {}, {})
    """

    def __new__(
        cls,
        mode,
        predictions=None,
        loss=None,
        train_op=None,
        eval_metric_ops=None,
        export_outputs=None,
        training_chief_hooks=None,
        training_hooks=None,
        scaffold=None,
        evaluation_hooks=None,
        prediction_hooks=None,
    ):
        train_op = _checked_train_op(train_op, mode)  # TF1's order of checks
        loss = _checked_loss(loss, mode)
        predictions = _checked_predictions(predictions, mode)
        return super().__new__(
            cls,
            mode=mode,
            predictions=predictions,
            loss=loss,
            train_op=train_op,
            eval_metric_ops=_checked_eval_metric_ops(eval_metric_ops),
            export_outputs=_checked_export_outputs(export_outputs),
            training_chief_hooks=_checked_hooks(training_chief_hooks),
            training_hooks=_checked_hooks(training_hooks),
            scaffold=_checked_scaffold(scaffold),
            evaluation_hooks=_checked_hooks(evaluation_hooks),
            prediction_hooks=_checked_hooks(prediction_hooks),
        )

    def _replace(self, **kwds):
        """A new ``EstimatorSpec`` with these fields replaced (the mode cannot change)."""
        if "mode" in kwds and self.mode != kwds["mode"]:
            raise ValueError("mode of EstimatorSpec cannot be changed.")
        return EstimatorSpec(
            **{field: kwds.pop(field, value) for field, value in zip(_FIELDS, self, strict=True)}
        )


def _check_in_default_graph(value, what: str, name: str) -> None:
    if value.graph is not get_default_graph():
        raise ValueError(_NOT_DEFAULT_GRAPH.format(what, name))


def _check_is_tensor(x, name: str):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name} must be Tensor, given: {x}")
    return x


def _checked_train_op(train_op, mode):
    if train_op is None:
        if mode == ModeKeys.TRAIN:
            raise ValueError("Missing train_op.")
        return None
    if isinstance(train_op, Variable):
        train_op = train_op.op
    if not isinstance(train_op, (Operation, Tensor)):
        raise TypeError(f"train_op must be Operation or Tensor, given: {train_op}")
    _check_in_default_graph(train_op, "train_op", train_op.name)
    return train_op


def _checked_loss(loss, mode):
    if loss is None:
        if mode in (ModeKeys.TRAIN, ModeKeys.EVAL):
            raise ValueError("Missing loss.")
        return None
    loss = _check_is_tensor(loss, "loss")
    shape = loss.get_shape()
    if shape.num_elements() not in (None, 1):
        raise ValueError(f"Loss must be scalar, given: {loss}")
    _check_in_default_graph(loss, "loss", loss.name)
    if shape.ndims not in (None, 0):
        loss = reshape(loss, [])
    return loss


def _checked_predictions(predictions, mode):
    if predictions is None:
        if mode == ModeKeys.PREDICT:
            raise ValueError("Missing predictions.")
        return {}
    if isinstance(predictions, dict):
        predictions = {k: _check_is_tensor(v, f"predictions[{k}]") for k, v in predictions.items()}
        for key, value in predictions.items():
            _check_in_default_graph(value, "prediction values", f"{key}: {value.name}")
        return predictions
    predictions = _check_is_tensor(predictions, "predictions")
    _check_in_default_graph(predictions, "prediction values", predictions.name)
    return predictions


def _checked_export_outputs(export_outputs):
    if export_outputs is not None and not isinstance(export_outputs, dict):
        raise TypeError(f"export_outputs must be dict, given: {export_outputs}")
    return export_outputs


def _checked_hooks(hooks) -> tuple:
    hooks = tuple(hooks or [])
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError(f"All hooks must be SessionRunHook instances, given: {hook}")
    return hooks


def _checked_eval_metric_ops(eval_metric_ops) -> dict:
    if eval_metric_ops is None:
        return {}
    if not isinstance(eval_metric_ops, dict):
        raise TypeError(f"eval_metric_ops must be a dict, given: {eval_metric_ops}")
    for key, value in eval_metric_ops.items():
        if not isinstance(value, tuple) or len(value) != 2:
            raise TypeError(
                "Values of eval_metric_ops must be (metric_value, update_op) tuples, given: "
                f"{value} for key: {key}"
            )
    for key, value in eval_metric_ops.items():
        for part in value:
            _check_in_default_graph(part, "eval_metric_ops", f"{key}: {part.name}")
    return eval_metric_ops


def _checked_scaffold(scaffold) -> Scaffold:
    scaffold = scaffold or Scaffold()
    if not isinstance(scaffold, Scaffold):
        raise TypeError(f"scaffold must be tf.train.Scaffold. Given: {scaffold}")
    return scaffold


def fn_args(fn) -> tuple:
    """The argument names of ``fn`` (a function, a method, a ``functools.partial`` or a
    callable object), as TF1's ``function_utils.fn_args`` lists them: the partial's bound
    positional arguments and ``self`` of a bound method left out."""
    if isinstance(fn, functools.partial):
        args = fn_args(fn.func)
        return tuple(a for a in args[len(fn.args) :] if a not in (fn.keywords or {}))
    if not (inspect.isfunction(fn) or inspect.ismethod(fn)) and callable(fn):
        fn = fn.__call__
    args = tuple(inspect.getfullargspec(fn).args)
    return args[1:] if inspect.ismethod(fn) else args


def verify_model_fn_args(model_fn, params) -> None:
    """TF1's checks of a ``model_fn``'s arguments against ``params``."""
    args = set(fn_args(model_fn))
    if "features" not in args:
        raise ValueError(f"model_fn ({model_fn}) must include features argument.")
    if params is not None and "params" not in args:
        raise ValueError(
            f"model_fn ({model_fn}) does not include params argument, but params ({params}) "
            "is passed to Estimator."
        )
    if params is None and "params" in args:
        _log.warning(
            "Estimator's model_fn (%s) includes params argument, but params are not passed "
            "to Estimator.",
            model_fn,
        )
    invalid = list(args - _VALID_MODEL_FN_ARGS)
    if invalid:
        raise ValueError(f"model_fn ({model_fn}) has following not expected args: {invalid}")
