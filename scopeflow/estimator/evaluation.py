"""How ``Estimator.evaluate`` runs, as TF1's ``evaluation._evaluate_once``: the metrics'
update ops run (counted by the local ``eval_step`` variable) until the input ends or ``steps``
evaluations are done, then their values are read once; the dict is logged and written as a
summary (and the checkpoint's path) to the eval directory."""

from __future__ import annotations

import logging
import time

import numpy as np

from scopeflow.framework import dtypes
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.graph_io.tensor_util import fill_tensor_proto
from scopeflow.metrics.means import mean
from scopeflow.ops.array.basic import identity
from scopeflow.ops.control.grouping import group
from scopeflow.ops.state.storage import assign_add
from scopeflow.summary.protos import Summary
from scopeflow.summary.writer import FileWriterCache
from scopeflow.train.basic_session_run_hooks import FinalOpsHook
from scopeflow.train.monitored_session import MonitoredSession
from scopeflow.train.scaffold import ChiefSessionCreator
from scopeflow.train.session_run_hook import SessionRunArgs, SessionRunHook
from scopeflow.variables import initializers
from scopeflow.variables.variable_scope import get_variable

_log = logging.getLogger("tensorflow")


def get_or_create_eval_step():
    """The graph's ``eval_step``: a local int64 counter in ``GraphKeys.EVAL_STEP``."""
    graph = get_default_graph()
    steps = graph.get_collection(GraphKeys.EVAL_STEP)
    if len(steps) > 1:
        raise ValueError("Multiple tensors added to tf.GraphKeys.EVAL_STEP")
    if steps:
        return steps[0]
    return get_variable(
        "eval_step",
        shape=[],
        dtype=dtypes.int64,
        initializer=initializers.Zeros(),
        trainable=False,
        collections=[GraphKeys.LOCAL_VARIABLES, GraphKeys.EVAL_STEP],
    )


class StopAfterNEvalsHook(SessionRunHook):
    """Logs ``Evaluation [i/n]`` and stops after ``num_evals`` evaluations (``None``: when
    the input ends)."""

    def __init__(self, num_evals, log_progress=True):
        self._num_evals = num_evals
        self._evals_completed = None
        self._log_progress = log_progress
        self._log_frequency = 1 if num_evals is None or num_evals < 20 else num_evals // 10

    def _set_evals_completed_tensor(self, updated_eval_step) -> None:
        self._evals_completed = updated_eval_step

    def before_run(self, run_context):
        return SessionRunArgs({"evals_completed": self._evals_completed})

    def after_run(self, run_context, run_values) -> None:
        done = run_values.results["evals_completed"]
        if self._log_progress:
            if self._num_evals is None:
                _log.info("Evaluation [%d]", done)
            elif done % self._log_frequency == 0 or done == self._num_evals:
                _log.info("Evaluation [%d/%d]", done, self._num_evals)
        if self._num_evals is not None and done >= self._num_evals:
            run_context.request_stop()


def evaluate_once(checkpoint_path, scaffold, eval_ops, final_ops, hooks, config):
    """Runs ``eval_ops`` until a hook stops or the input ends, then returns ``final_ops``'
    values (TF1's ``_evaluate_once``)."""
    eval_step = get_or_create_eval_step()
    hooks = list(hooks)
    if eval_ops is not None:
        update_eval_step = assign_add(eval_step, 1, use_locking=True)
        eval_ops = [eval_ops, update_eval_step]
        with control_dependencies(eval_ops):
            eval_step_value = identity(eval_step.read_value())
        for hook in hooks:
            if isinstance(hook, StopAfterNEvalsHook):
                hook._set_evals_completed_tensor(eval_step_value)
    _log.info("Starting evaluation at " + time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime()))
    start = time.time()
    creator = ChiefSessionCreator(
        scaffold=scaffold, checkpoint_filename_with_path=checkpoint_path, config=config
    )
    final_ops_hook = FinalOpsHook(final_ops)
    hooks.append(final_ops_hook)
    with MonitoredSession(session_creator=creator, hooks=hooks) as session:
        if eval_ops is not None:
            while not session.should_stop():
                session.run(eval_ops)
    _log.info(f"Inference Time : {time.time() - start:0.5f}s")
    _log.info("Finished evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.localtime()))
    return final_ops_hook.final_ops_values


def metric_ops_with_loss(eval_metric_ops: dict, loss) -> dict:
    """``eval_metric_ops`` and ``"loss"``: the mean of the loss over the evaluation."""
    if "loss" in eval_metric_ops:
        raise ValueError(
            'Metric with name "loss" is not allowed, because Estimator already defines a '
            "default metric with the same name."
        )
    return {**eval_metric_ops, "loss": mean(loss)}


def split_metric_ops(eval_metric_ops: dict):
    """``(update_op, {name: value tensor})``: the metrics' update ops grouped (by name)."""
    update_ops, values = [], {}
    for name, value in sorted(eval_metric_ops.items()):
        values[name] = value[0]
        update_ops.append(value[1])
    return (group(*update_ops) if update_ops else None), values


def _dict_to_str(dictionary: dict) -> str:
    return ", ".join(
        "%s = %s" % (k, v)  # noqa: UP031 - str() of NumPy scalars, as TF1 logs them
        for k, v in sorted(dictionary.items())
        if not isinstance(v, bytes)
    )


def write_dict_to_summary(output_dir: str, dictionary: dict, current_global_step) -> None:
    """Logs ``Saving dict for global step <step>: ...`` and writes each number (an array as
    a tensor, a serialized ``Summary`` as its values) as a summary of ``output_dir``."""
    _log.info("Saving dict for global step %d: %s", current_global_step, _dict_to_str(dictionary))
    summary = Summary()
    for key, value in dictionary.items():
        if value is None or key == "global_step":
            continue
        if isinstance(value, (np.float32, float)):
            summary.value.add(tag=key, simple_value=float(value))
        elif isinstance(value, (np.int64, np.int32, int)):
            summary.value.add(tag=key, simple_value=int(value))
        elif isinstance(value, bytes):
            try:
                parsed = Summary.FromString(value)
            except Exception:  # noqa: BLE001 - protobuf's DecodeError, as TF1 catches it
                _log.warning("Skipping summary for %s, cannot parse string to Summary.", key)
                continue
            for i, item in enumerate(parsed.value):
                item.tag = f"{key}/{i}"
            summary.value.extend(parsed.value)
        elif isinstance(value, np.ndarray):
            item = summary.value.add(tag=key, node_name=key)
            fill_tensor_proto(item.tensor, value)
            _log.info(
                "Summary for np.ndarray is not visible in Tensorboard by default. Consider using "
                "a Tensorboard plugin for visualization (see https://github.com/tensorflow/"
                "tensorboard-plugin-example/blob/master/README.md for more information)."
            )
        else:
            _log.warning(
                "Skipping summary for %s, must be a float, np.float32, np.int64, np.int32 or "
                "int or np.ndarray or a serialized string of Summary.",
                key,
            )
    writer = FileWriterCache.get(output_dir)
    writer.add_summary(summary, current_global_step)
    writer.flush()


def write_checkpoint_path_to_summary(output_dir: str, checkpoint_path, step) -> None:
    """Logs and writes the evaluated checkpoint's path (a string tensor summary,
    ``checkpoint_path``) to ``output_dir``."""
    _log.info("Saving 'checkpoint_path' summary for global step %d: %s", step, checkpoint_path)
    summary = Summary()
    item = summary.value.add(tag="checkpoint_path")
    fill_tensor_proto(item.tensor, checkpoint_path, dtype=dtypes.string)
    writer = FileWriterCache.get(output_dir)
    writer.add_summary(summary, step)
    writer.flush()
