"""``tf.estimator.TrainSpec``, ``EvalSpec`` and ``train_and_evaluate`` in one process (TF1's
local mode): training runs until ``max_steps``, and each checkpoint saved after the first is
evaluated (at most once per ``throttle_secs``), and the last one always, then exported by
the ``EvalSpec``'s exporters."""

from __future__ import annotations

import collections
import logging
import os

from scopeflow.estimator.estimator import Estimator
from scopeflow.estimator.exporters import Exporter
from scopeflow.train.basic_session_run_hooks import CheckpointSaverListener
from scopeflow.train.session_run_hook import SessionRunHook
from scopeflow.train.timers import SecondOrStepTimer

_log = logging.getLogger("tensorflow")


def _validate_input_fn(input_fn) -> None:
    if not callable(input_fn):
        raise TypeError(f"`input_fn` must be callable, given: {input_fn}")


def _validate_hooks(hooks) -> tuple:
    hooks = tuple(hooks or [])
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError(f"All hooks must be `SessionRunHook` instances, given: {hook}")
    return hooks


def _validate_exporters(exporters) -> tuple:
    if not exporters:
        return ()
    if isinstance(exporters, Exporter):
        exporters = [exporters]
    try:
        exporters = tuple(exporters)
    except TypeError:
        exporters = None
    if exporters is None or not all(isinstance(e, Exporter) for e in exporters):
        raise TypeError(
            "`exporters` must be an Exporter, an iterable of Exporter, or `None`, found "
            f"{exporters}."
        )
    names = [e.name for e in exporters]
    for name in names:
        if not name:
            raise ValueError(
                f"An Exporter cannot have a name that is `None` or empty. All exporter names: "
                f"{names}"
            )
        if not isinstance(name, str):
            raise ValueError(f"An Exporter must have a string name. Given: {type(name)}")
    if len(set(names)) != len(names):
        raise ValueError(
            "`exporters` must have unique names. Such a name cannot be `None`. All exporter "
            f"names: {names}"
        )
    return exporters


class TrainSpec(
    collections.namedtuple("TrainSpec", ["input_fn", "max_steps", "hooks", "saving_listeners"])
):
    """What ``train_and_evaluate`` trains on: ``input_fn``, until the global step reaches
    ``max_steps`` (``None``: until the input ends), with ``hooks`` and ``saving_listeners``."""

    def __new__(cls, input_fn, max_steps=None, hooks=None, saving_listeners=None):
        _validate_input_fn(input_fn)
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        listeners = tuple(saving_listeners or [])
        for listener in listeners:
            if not isinstance(listener, CheckpointSaverListener):
                raise TypeError(
                    "All saving_listeners must be `CheckpointSaverListener` instances, given: "
                    f"{listener}"
                )
        return super().__new__(cls, input_fn, max_steps, _validate_hooks(hooks), listeners)


class EvalSpec(
    collections.namedtuple(
        "EvalSpec",
        ["input_fn", "steps", "name", "hooks", "exporters", "start_delay_secs", "throttle_secs"],
    )
):
    """What ``train_and_evaluate`` evaluates on: ``steps`` batches of ``input_fn``
    (``None``: all of it), written to ``eval_<name>``, at most once per ``throttle_secs``;
    then each of ``exporters`` exports the model to ``model_dir/export/<exporter name>``."""

    def __new__(
        cls,
        input_fn,
        steps=100,
        name=None,
        hooks=None,
        exporters=None,
        start_delay_secs=120,
        throttle_secs=600,
    ):
        _validate_input_fn(input_fn)
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"`name` must be string, given: {name}")
        hooks = _validate_hooks(hooks)
        exporters = _validate_exporters(exporters)
        if start_delay_secs < 0:
            raise ValueError(f"Must specify start_delay_secs >= 0, given: {start_delay_secs}")
        if throttle_secs < 0:
            raise ValueError(f"Must specify throttle_secs >= 0, given: {throttle_secs}")
        return super().__new__(
            cls, input_fn, steps, name, hooks, exporters, start_delay_secs, throttle_secs
        )


class _EvaluateOnCheckpoint(CheckpointSaverListener):
    """Evaluates each new checkpoint but the first, throttled, and the last at the end."""

    def __init__(self, estimator, eval_spec, max_steps):
        self._estimator = estimator
        self._eval_spec = eval_spec
        self._max_steps = max_steps
        self._previous_path = None
        self.eval_result = None
        self.export_results = None

    def begin(self) -> None:
        self._timer = SecondOrStepTimer(every_secs=self._eval_spec.throttle_secs)
        self._is_first_run = True

    def after_save(self, session, global_step_value):
        if self._is_first_run:
            self._is_first_run = False
            return None
        if self._timer.should_trigger_for_step(global_step_value):
            self._evaluate(global_step_value)
        else:
            _log.info(
                "Skip the current checkpoint eval due to throttle secs "
                f"({self._eval_spec.throttle_secs} secs)."
            )
        return None

    def end(self, session, global_step_value) -> None:
        if global_step_value != self._timer.last_triggered_step():
            self._evaluate(global_step_value)

    def _evaluate(self, global_step_value) -> None:
        self._timer.update_last_triggered_step(global_step_value)
        path = self._estimator.latest_checkpoint()
        if path is None or path == self._previous_path:
            status = "missing checkpoint" if path is None else "no new checkpoint"
            raise RuntimeError(
                f"There was no new checkpoint after the training. Eval status: {status}"
            )
        self.eval_result = self._estimator.evaluate(
            input_fn=self._eval_spec.input_fn,
            steps=self._eval_spec.steps,
            name=self._eval_spec.name,
            checkpoint_path=path,
            hooks=self._eval_spec.hooks,
        )
        is_final = bool(self._max_steps) and self.eval_result["global_step"] >= self._max_steps
        export_base = os.path.join(self._estimator.model_dir, "export")
        self.export_results = [
            exporter.export(
                self._estimator,
                os.path.join(export_base, exporter.name),
                path,
                self.eval_result,
                is_final,
            )
            for exporter in self._eval_spec.exporters
        ]
        self._previous_path = path


def train_and_evaluate(estimator, train_spec, eval_spec):
    """Trains ``estimator`` on ``train_spec`` and evaluates its checkpoints on
    ``eval_spec`` as they are saved (locally); returns the last evaluation's dict and what its
    exporters returned (``(None, None)`` when nothing was evaluated).

    Raises:
        TypeError: an argument of the wrong type ("`eval_spec` must have type
            `tf.estimator.EvalSpec`").
    """
    if not isinstance(eval_spec, EvalSpec):
        raise TypeError(
            f"`eval_spec` must have type `tf.estimator.EvalSpec`. Got: {type(eval_spec)}"
        )
    if not isinstance(estimator, Estimator):
        raise TypeError(
            f"`estimator` must have type `tf.estimator.Estimator`. Got: {type(estimator)}"
        )
    if not isinstance(train_spec, TrainSpec):
        raise TypeError(
            f"`train_spec` must have type `tf.estimator.TrainSpec`. Got: {type(train_spec)}"
        )
    config = estimator.config
    _log.info("Running training and evaluation locally (non-distributed).")
    _log.info(
        "Start train and evaluate loop. The evaluate will happen after every checkpoint. "
        "Checkpoint frequency is determined based on RunConfig arguments: "
        f"save_checkpoints_steps {config.save_checkpoints_steps} or save_checkpoints_secs "
        f"{config.save_checkpoints_secs}."
    )
    listener = _EvaluateOnCheckpoint(estimator, eval_spec, train_spec.max_steps)
    estimator.train(
        input_fn=train_spec.input_fn,
        max_steps=train_spec.max_steps,
        hooks=list(train_spec.hooks),
        saving_listeners=list(train_spec.saving_listeners) + [listener],
    )
    return listener.eval_result, listener.export_results
