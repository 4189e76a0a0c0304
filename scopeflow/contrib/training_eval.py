"""``tf.contrib.training``'s evaluation (and so ``slim.evaluation``'s): ``evaluate_once`` of a
checkpoint (TF 1.15's ``_evaluate_once``: the eval ops with the local ``eval_step`` counter
until a hook stops, then the final ops), ``evaluate_repeatedly`` over new checkpoints,
``StopAfterNEvalsHook``, ``SummaryAtEndHook``, ``checkpoints_iterator`` and
``wait_for_new_checkpoint``."""

from __future__ import annotations

import logging
import time

from scopeflow.estimator.evaluation import StopAfterNEvalsHook, get_or_create_eval_step
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.ops.array.basic import identity
from scopeflow.ops.state.storage import assign_add
from scopeflow.summary.summary_ops import merge_all
from scopeflow.summary.writer import FileWriterCache
from scopeflow.train.basic_loops import checkpoints_iterator, wait_for_new_checkpoint
from scopeflow.train.basic_session_run_hooks import FinalOpsHook
from scopeflow.train.monitored_session import MonitoredSession
from scopeflow.train.scaffold import ChiefSessionCreator
from scopeflow.train.session_run_hook import SessionRunHook
from scopeflow.train.training_util import get_or_create_global_step, global_step

_log = logging.getLogger("tensorflow")

__all__ = [
    "StopAfterNEvalsHook",
    "SummaryAtEndHook",
    "checkpoints_iterator",
    "evaluate_once",
    "evaluate_repeatedly",
    "get_or_create_eval_step",
    "wait_for_new_checkpoint",
]


class SummaryAtEndHook(SessionRunHook):
    """Runs ``summary_op`` (by default every summary) once the evaluation ends and writes it
    at the global step to ``log_dir`` (or ``summary_writer``).

    Raises:
        ValueError: neither ``log_dir`` nor ``summary_writer`` is given.
    """

    def __init__(self, log_dir=None, summary_writer=None, summary_op=None, feed_dict=None):
        self._summary_op = summary_op
        self._replace_summary_op = summary_op is None
        self._feed_dict = feed_dict
        self._summary_writer = summary_writer
        self._log_dir = log_dir
        if self._log_dir is None and self._summary_writer is None:
            raise ValueError("One of log_dir or summary_writer should be used.")

    def begin(self) -> None:
        if self._replace_summary_op:
            self._summary_op = merge_all()
        self._global_step = get_or_create_global_step()

    def after_create_session(self, session, coord) -> None:
        if self._summary_writer is None and self._log_dir:
            self._summary_writer = FileWriterCache.get(self._log_dir)

    def end(self, session) -> None:
        if self._summary_op is not None:
            step = global_step(session, self._global_step)
            summary = session.run(self._summary_op, self._feed_dict)
            if self._summary_writer:
                self._summary_writer.add_summary(summary, step)
        if self._summary_writer:
            self._summary_writer.flush()


def _with_eval_step(eval_ops, hooks):
    """``eval_ops`` with the ``eval_step`` increment added (as a list entry, or the
    ``update_eval_step`` key of a dict); the stop hooks told the count after each run."""
    eval_step = get_or_create_eval_step()
    update_eval_step = assign_add(eval_step, 1, use_locking=True)
    if isinstance(eval_ops, dict):
        eval_ops["update_eval_step"] = update_eval_step
    elif isinstance(eval_ops, (tuple, list)):
        eval_ops = [*eval_ops, update_eval_step]
    else:
        eval_ops = [eval_ops, update_eval_step]
    with control_dependencies(list(eval_ops.values()) if isinstance(eval_ops, dict) else eval_ops):
        completed = identity(eval_step.read_value())
    for hook in hooks:
        if isinstance(hook, StopAfterNEvalsHook):
            hook._set_evals_completed_tensor(completed)
    return eval_ops


def evaluate_once(
    checkpoint_path,
    master="",
    scaffold=None,
    eval_ops=None,
    feed_dict=None,
    final_ops=None,
    final_ops_feed_dict=None,
    hooks=None,
    config=None,
):
    """Restores ``checkpoint_path``, runs ``eval_ops`` until a hook stops (usually a
    :class:`StopAfterNEvalsHook`) or the input ends, and returns ``final_ops``' values."""
    get_or_create_eval_step()
    hooks = list(hooks or [])
    if eval_ops is not None:
        eval_ops = _with_eval_step(eval_ops, hooks)
    _log.info("Starting evaluation at " + time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime()))
    start = time.time()
    creator = ChiefSessionCreator(
        scaffold=scaffold,
        checkpoint_filename_with_path=checkpoint_path,
        master=master,
        config=config,
    )
    final_ops_hook = FinalOpsHook(final_ops, final_ops_feed_dict)
    hooks.append(final_ops_hook)
    with MonitoredSession(session_creator=creator, hooks=hooks) as session:
        if eval_ops is not None:
            while not session.should_stop():
                session.run(eval_ops, feed_dict)
    _log.info(f"Inference Time : {time.time() - start:0.5f}s")
    _log.info("Finished evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.localtime()))
    return final_ops_hook.final_ops_values


def evaluate_repeatedly(
    checkpoint_dir,
    master="",
    scaffold=None,
    eval_ops=None,
    feed_dict=None,
    final_ops=None,
    final_ops_feed_dict=None,
    eval_interval_secs=60,
    hooks=None,
    config=None,
    max_number_of_evaluations=None,
    timeout=None,
    timeout_fn=None,
):
    """:func:`evaluate_once` for each new checkpoint of ``checkpoint_dir`` (at most one every
    ``eval_interval_secs``), until ``max_number_of_evaluations`` or a ``timeout`` without a new
    one; returns the last ``final_ops`` values."""
    get_or_create_eval_step()
    hooks = hooks or []
    if eval_ops is not None:
        eval_step = get_or_create_eval_step()
        update_eval_step = assign_add(eval_step, 1)
        for hook in hooks:
            if isinstance(hook, StopAfterNEvalsHook):
                hook._set_evals_completed_tensor(update_eval_step)
        if isinstance(eval_ops, dict):
            eval_ops["update_eval_step"] = update_eval_step
        elif isinstance(eval_ops, (tuple, list)):
            eval_ops = [*eval_ops, update_eval_step]
        else:
            eval_ops = [eval_ops, update_eval_step]
    final_ops_hook = FinalOpsHook(final_ops, final_ops_feed_dict)
    hooks.append(final_ops_hook)
    evaluations = 0
    for checkpoint_path in checkpoints_iterator(
        checkpoint_dir,
        min_interval_secs=eval_interval_secs,
        timeout=timeout,
        timeout_fn=timeout_fn,
    ):
        creator = ChiefSessionCreator(
            scaffold=scaffold,
            checkpoint_filename_with_path=checkpoint_path,
            master=master,
            config=config,
        )
        with MonitoredSession(session_creator=creator, hooks=hooks) as session:
            _log.info("Starting evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime()))
            if eval_ops is not None:
                while not session.should_stop():
                    session.run(eval_ops, feed_dict)
            _log.info("Finished evaluation at " + time.strftime("%Y-%m-%d-%H:%M:%S", time.gmtime()))
        evaluations += 1
        if max_number_of_evaluations is not None and evaluations >= max_number_of_evaluations:
            return final_ops_hook.final_ops_values
    return final_ops_hook.final_ops_values
