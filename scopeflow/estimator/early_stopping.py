"""``tf.estimator.experimental``'s early stopping: training hooks that read the evaluations
written to ``eval_dir`` (by ``train_and_evaluate`` or ``evaluate``) every ``run_every_secs``
seconds or ``run_every_steps`` steps, and stop the training when a metric crossed a threshold
or stopped improving (recording it in the variable ``signal_early_stopping/STOP``)."""

from __future__ import annotations

import collections
import glob
import logging
import operator
import os

from scopeflow.estimator.estimator import Estimator
from scopeflow.framework import dtypes, errors
from scopeflow.framework.graph import GraphKeys
from scopeflow.ops.state.storage import assign
from scopeflow.summary.records import summary_iterator
from scopeflow.train.session_run_hook import SessionRunArgs, SessionRunHook
from scopeflow.train.timers import SecondOrStepTimer
from scopeflow.train.training_util import get_global_step
from scopeflow.variables import initializers
from scopeflow.variables.variable_scope import AUTO_REUSE, get_variable, variable_scope

_log = logging.getLogger("tensorflow")


def read_eval_metrics(eval_dir) -> collections.OrderedDict:
    """``{global step: {metric: value}}`` of the scalar summaries in ``eval_dir``'s events
    files, by step."""
    by_step = collections.defaultdict(dict)
    for path in glob.glob(os.path.join(eval_dir, "events.out.tfevents.*")):
        try:
            for event in summary_iterator(path):
                if not event.HasField("summary"):
                    continue
                metrics = {
                    v.tag: v.simple_value for v in event.summary.value if v.HasField("simple_value")
                }
                if metrics:
                    by_step[event.step].update(metrics)
        except errors.DataLossError as e:
            _log.warning(
                "Skipping rest of the file due to encountering data corruption error; file path: "
                "%s; original error raised by `tf.train.summary_iterator`: %s",
                path,
                e,
            )
    return collections.OrderedDict(sorted(by_step.items()))


def _get_or_create_stop_var():
    with variable_scope("signal_early_stopping", values=[], reuse=AUTO_REUSE):
        return get_variable(
            "STOP",
            shape=[],
            dtype=dtypes.bool,
            initializer=initializers.Constant(False),
            collections=[GraphKeys.GLOBAL_VARIABLES],
            trainable=False,
        )


class _StopOnPredicateHook(SessionRunHook):
    """Asks ``should_stop_fn()`` on the timer's steps; stops (and sets ``STOP``) when true."""

    def __init__(self, should_stop_fn, run_every_secs=60, run_every_steps=None):
        if not callable(should_stop_fn):
            raise TypeError("`should_stop_fn` must be callable.")
        self._should_stop_fn = should_stop_fn
        self._timer = SecondOrStepTimer(every_secs=run_every_secs, every_steps=run_every_steps)

    def begin(self) -> None:
        self._global_step_tensor = get_global_step()
        self._stop_op = assign(_get_or_create_stop_var(), True)

    def before_run(self, run_context):
        return SessionRunArgs(self._global_step_tensor)

    def after_run(self, run_context, run_values) -> None:
        step = run_values.results
        if self._timer.should_trigger_for_step(step):
            self._timer.update_last_triggered_step(step)
            if self._should_stop_fn():
                _log.info("Requesting early stopping at global step %d", step)
                run_context.session.run(self._stop_op)
                run_context.request_stop()


def make_early_stopping_hook(estimator, should_stop_fn, run_every_secs=60, run_every_steps=None):
    """A training hook that stops when ``should_stop_fn()`` (called every
    ``run_every_secs`` seconds or ``run_every_steps`` steps) returns true.

    Raises:
        TypeError: ``estimator`` is not an ``Estimator``.
        ValueError: both ``run_every_secs`` and ``run_every_steps``.
    """
    if not isinstance(estimator, Estimator):
        raise TypeError(
            f"`estimator` must have type `tf.estimator.Estimator`. Got: {type(estimator)}"
        )
    if run_every_secs is not None and run_every_steps is not None:
        raise ValueError("Only one of `run_every_secs` and `run_every_steps` must be set.")
    return _StopOnPredicateHook(should_stop_fn, run_every_secs, run_every_steps)


def _threshold_hook(estimator, metric_name, threshold, higher_is_better, eval_dir, min_steps,
                    run_every_secs, run_every_steps):  # fmt: skip
    eval_dir = eval_dir or estimator.eval_dir()
    is_better = operator.gt if higher_is_better else operator.lt
    words = "greater than" if higher_is_better else "less than"

    def crossed() -> bool:
        for step, metrics in read_eval_metrics(eval_dir).items():
            if step < min_steps:
                continue
            value = metrics[metric_name]
            if is_better(value, threshold):
                _log.info(
                    'At step %s, metric "%s" has value %s which is %s the configured threshold '
                    "(%s) for early stopping.",
                    step, metric_name, value, words, threshold,
                )  # fmt: skip
                return True
        return False

    return make_early_stopping_hook(estimator, crossed, run_every_secs, run_every_steps)


def _no_improvement_hook(estimator, metric_name, max_steps, higher_is_better, eval_dir,
                         min_steps, run_every_secs, run_every_steps):  # fmt: skip
    eval_dir = eval_dir or estimator.eval_dir()
    is_better = operator.gt if higher_is_better else operator.lt
    word = "increase" if higher_is_better else "decrease"

    def stalled() -> bool:
        best = best_step = None
        for step, metrics in read_eval_metrics(eval_dir).items():
            if step < min_steps:
                continue
            value = metrics[metric_name]
            if best is None or is_better(value, best):
                best, best_step = value, step
            if step - best_step >= max_steps:
                _log.info(
                    'No %s in metric "%s" for %s steps, which is greater than or equal to max '
                    "steps (%s) configured for early stopping.",
                    word, metric_name, step - best_step, max_steps,
                )  # fmt: skip
                return True
        return False

    return make_early_stopping_hook(estimator, stalled, run_every_secs, run_every_steps)


def stop_if_higher_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0,
                        run_every_secs=60, run_every_steps=None):  # fmt: skip
    """Stops training once an evaluation (at step ``min_steps`` or later) had
    ``metric_name`` above ``threshold``."""
    return _threshold_hook(estimator, metric_name, threshold, True, eval_dir, min_steps,
                           run_every_secs, run_every_steps)  # fmt: skip


def stop_if_lower_hook(estimator, metric_name, threshold, eval_dir=None, min_steps=0,
                       run_every_secs=60, run_every_steps=None):  # fmt: skip
    """Stops training once an evaluation had ``metric_name`` below ``threshold``."""
    return _threshold_hook(estimator, metric_name, threshold, False, eval_dir, min_steps,
                           run_every_secs, run_every_steps)  # fmt: skip


def stop_if_no_increase_hook(estimator, metric_name, max_steps_without_increase, eval_dir=None,
                             min_steps=0, run_every_secs=60, run_every_steps=None):  # fmt: skip
    """Stops training when ``metric_name`` has not increased for
    ``max_steps_without_increase`` global steps of evaluations."""
    return _no_improvement_hook(estimator, metric_name, max_steps_without_increase, True,
                                eval_dir, min_steps, run_every_secs, run_every_steps)  # fmt: skip


def stop_if_no_decrease_hook(estimator, metric_name, max_steps_without_decrease, eval_dir=None,
                             min_steps=0, run_every_secs=60, run_every_steps=None):  # fmt: skip
    """Stops training when ``metric_name`` has not decreased for
    ``max_steps_without_decrease`` global steps of evaluations.

    >>> import numpy as np, scopeflow as tf
    >>> def model_fn(features, labels, mode):
    ...     w = tf.get_variable("w", [], initializer=tf.zeros_initializer())
    ...     loss = tf.reduce_mean(tf.square(features * w - labels))
    ...     train_op = tf.train.GradientDescentOptimizer(0.0).minimize(
    ...         loss, global_step=tf.train.get_global_step())
    ...     return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)
    >>> x = np.ones(4, np.float32)
    >>> input_fn = tf.estimator.inputs.numpy_input_fn(x, x, 2, None, shuffle=False)
    >>> est = tf.estimator.Estimator(model_fn, config=tf.estimator.RunConfig(
    ...     save_checkpoints_steps=2))
    >>> hook = tf.estimator.experimental.stop_if_no_decrease_hook(
    ...     est, "loss", max_steps_without_decrease=4, run_every_secs=None, run_every_steps=1)
    >>> _ = tf.estimator.train_and_evaluate(
    ...     est, tf.estimator.TrainSpec(input_fn, max_steps=100, hooks=[hook]),
    ...     tf.estimator.EvalSpec(input_fn, steps=1, throttle_secs=0))
    >>> int(est.get_variable_value("global_step")) < 100  # the loss never decreases
    True
    """
    return _no_improvement_hook(estimator, metric_name, max_steps_without_decrease, False,
                                eval_dir, min_steps, run_every_secs, run_every_steps)  # fmt: skip
