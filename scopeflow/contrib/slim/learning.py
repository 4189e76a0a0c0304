"""``tf.contrib.slim.learning``: slim's ``create_train_op`` (with ``clip_gradient_norm`` and
``gradient_multipliers``), ``train_step`` and ``train``, the ``Supervisor`` loop of TF-slim's
training scripts: it initialises or restores the model in ``logdir`` (``init_fn`` for
fine-tuning), runs ``train_op`` until ``number_of_steps`` (or a queue or dataset runs out),
logs the loss every ``log_every_n_steps``, writes summaries and checkpoints on their timers
and saves the model at the end; it returns the last loss.

>>> import tempfile, scopeflow as tf
>>> slim = tf.contrib.slim
>>> with tf.Graph().as_default(), tempfile.TemporaryDirectory() as logdir:
...     w = tf.Variable(3.0)
...     opt = tf.train.GradientDescentOptimizer(0.25)
...     train_op = slim.learning.create_train_op(tf.square(w), opt)
...     loss = slim.learning.train(train_op, logdir, number_of_steps=3, log_every_n_steps=0)
>>> float(loss)
0.5625
"""

from __future__ import annotations

import logging
import time

from scopeflow.contrib.training_ops import (
    _USE_GLOBAL_STEP,
    add_gradients_summaries,
    clip_gradient_norms,
    multiply_gradients,
)
from scopeflow.contrib.training_ops import create_train_op as _create_train_op
from scopeflow.framework import errors
from scopeflow.framework.constant import constant
from scopeflow.framework.graph_api import get_default_graph, name_scope
from scopeflow.lookup.tables import tables_initializer
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math.elementwise import equal, floormod, greater_equal
from scopeflow.summary.summary_ops import merge_all
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.saver import Saver
from scopeflow.train.supervisor import Supervisor
from scopeflow.train.training_util import get_or_create_global_step
from scopeflow.variables.collections import (
    global_variables_initializer,
    local_variables_initializer,
    report_uninitialized_variables,
)

_log = logging.getLogger("tensorflow")
_USE_DEFAULT = 0


def create_train_op(
    total_loss,
    optimizer,
    global_step=_USE_GLOBAL_STEP,
    update_ops=None,
    variables_to_train=None,
    clip_gradient_norm=0,
    summarize_gradients=False,
    gate_gradients=Optimizer.GATE_OP,
    aggregation_method=None,
    colocate_gradients_with_ops=False,
    gradient_multipliers=None,
    check_numerics=True,
):
    """``tf.contrib.training.create_train_op`` whose gradients are first multiplied by
    ``gradient_multipliers`` and then clipped to ``clip_gradient_norm`` (when positive)."""

    def transform(grads):
        if gradient_multipliers:
            with name_scope("multiply_grads"):
                grads = multiply_gradients(grads, gradient_multipliers)
        if clip_gradient_norm > 0:
            with name_scope("clip_grads"):
                grads = clip_gradient_norms(grads, clip_gradient_norm)
        return grads

    return _create_train_op(
        total_loss,
        optimizer,
        global_step=global_step,
        update_ops=update_ops,
        variables_to_train=variables_to_train,
        transform_grads_fn=transform,
        summarize_gradients=summarize_gradients,
        gate_gradients=gate_gradients,
        aggregation_method=aggregation_method,
        colocate_gradients_with_ops=colocate_gradients_with_ops,
        check_numerics=check_numerics,
    )


def train_step(sess, train_op, global_step, train_step_kwargs):
    """One step: runs ``train_op`` and the global step, logs when ``should_log`` holds;
    returns ``(loss, should_stop)``."""
    if "should_trace" in train_step_kwargs:
        raise NotImplementedError(
            "slim.learning.train(trace_every_n_steps=...): scopeflow writes no Chrome traces; "
            "use RunMetadata step stats (sess.run(..., run_metadata=...)) instead."
        )
    start = time.time()
    total_loss, step = sess.run([train_op, global_step])
    elapsed = time.time() - start
    if "should_log" in train_step_kwargs and sess.run(train_step_kwargs["should_log"]):
        _log.info("global step %d: loss = %.4f (%.3f sec/step)", step, total_loss, elapsed)
    should_stop = "should_stop" in train_step_kwargs and sess.run(train_step_kwargs["should_stop"])
    return total_loss, bool(should_stop)


def _check_train_arguments(train_op, logdir, summary_op, saver, trace, sync, delay, steps):
    if train_op is None:
        raise ValueError("train_op cannot be None.")
    if logdir is None:
        if summary_op != _USE_DEFAULT:
            raise ValueError("Cannot provide summary_op because logdir=None")
        if saver is not None:
            raise ValueError("Cannot provide saver because logdir=None")
        if trace is not None:
            raise ValueError("Cannot provide trace_every_n_steps because logdir=None")
    if sync is not None:
        raise NotImplementedError(
            "slim.learning.train(sync_optimizer=...): synchronous replicas need a cluster; "
            "scopeflow trains in one process (use scopeflow.distribute for data parallelism)."
        )
    if steps is not None and steps <= 0:
        raise ValueError("`number_of_steps` must be either None or a positive number.")
    del delay  # only waited for by non-chief workers


def _step_kwargs(global_step, number_of_steps, log_every_n_steps) -> dict:
    with name_scope("train_step"):
        if number_of_steps:
            should_stop = greater_equal(global_step, number_of_steps)
        else:
            should_stop = constant(False)
        kwargs = {"should_stop": should_stop}
        if log_every_n_steps > 0:
            kwargs["should_log"] = equal(floormod(global_step, log_every_n_steps), 0)
    return kwargs


def train(
    train_op,
    logdir,
    train_step_fn=train_step,
    train_step_kwargs=_USE_DEFAULT,
    log_every_n_steps=1,
    graph=None,
    master="",
    is_chief=True,
    global_step=None,
    number_of_steps=None,
    init_op=_USE_DEFAULT,
    init_feed_dict=None,
    local_init_op=_USE_DEFAULT,
    init_fn=None,
    ready_op=_USE_DEFAULT,
    summary_op=_USE_DEFAULT,
    save_summaries_secs=600,
    summary_writer=_USE_DEFAULT,
    startup_delay_steps=0,
    saver=None,
    save_interval_secs=600,
    sync_optimizer=None,
    session_config=None,
    session_wrapper=None,
    trace_every_n_steps=None,
    ignore_live_threads=False,
):
    """Trains with a ``tf.train.Supervisor`` on ``graph`` until ``number_of_steps`` global
    steps (or ``OutOfRangeError`` from the input); returns the last loss."""
    _check_train_arguments(
        train_op, logdir, summary_op, saver, trace_every_n_steps, sync_optimizer,
        startup_delay_steps, number_of_steps,
    )  # fmt: skip
    graph = graph or get_default_graph()
    with graph.as_default():
        global_step = global_step if global_step is not None else get_or_create_global_step()
        saver = saver or Saver()
        with name_scope("init_ops"):
            if init_op == _USE_DEFAULT:
                init_op = global_variables_initializer()
            if ready_op == _USE_DEFAULT:
                ready_op = report_uninitialized_variables()
            if local_init_op == _USE_DEFAULT:
                local_init_op = group(local_variables_initializer(), tables_initializer())
        if summary_op == _USE_DEFAULT:
            summary_op = merge_all()
        if summary_writer == _USE_DEFAULT:
            summary_writer = Supervisor.USE_DEFAULT
        if train_step_kwargs == _USE_DEFAULT:
            train_step_kwargs = _step_kwargs(global_step, number_of_steps, log_every_n_steps)
    sv = Supervisor(
        graph=graph,
        is_chief=is_chief,
        logdir=logdir,
        init_op=init_op,
        init_feed_dict=init_feed_dict,
        local_init_op=local_init_op,
        ready_op=ready_op,
        summary_op=summary_op,
        summary_writer=summary_writer,
        global_step=global_step,
        saver=saver,
        save_summaries_secs=save_summaries_secs,
        save_model_secs=save_interval_secs,
        init_fn=init_fn,
    )
    if summary_writer is not None:
        train_step_kwargs["summary_writer"] = sv.summary_writer
    total_loss = None
    with sv.managed_session(master, start_standard_services=False, config=session_config) as sess:
        _log.info("Starting Session.")
        if session_wrapper is not None:
            sess = session_wrapper(sess)
        if is_chief and logdir:
            sv.start_standard_services(sess)
        threads = sv.start_queue_runners(sess)
        _log.info("Starting Queues.")
        try:
            while not sv.should_stop():
                total_loss, should_stop = train_step_fn(
                    sess, train_op, global_step, train_step_kwargs
                )
                if should_stop:
                    _log.info("Stopping Training.")
                    sv.request_stop()
                    break
        except errors.OutOfRangeError as e:
            _log.info("Caught OutOfRangeError. Stopping Training. %s", e)
        if logdir and sv.is_chief:
            # The timer threads stop first, so that a periodic save still in flight cannot
            # finish after the final one and leave an older checkpoint as the latest.
            sv.stop(threads, close_summary_writer=False, ignore_live_threads=ignore_live_threads)
            _log.info("Finished training! Saving model to disk.")
            sv.saver.save(sess, sv.save_path, global_step=sv.global_step)
            sv.stop(close_summary_writer=True)
    return total_loss


__all__ = [
    "add_gradients_summaries",
    "clip_gradient_norms",
    "create_train_op",
    "multiply_gradients",
    "train",
    "train_step",
]
