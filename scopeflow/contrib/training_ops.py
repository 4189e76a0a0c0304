"""``tf.contrib.training``'s training functions, as tf_slim has them: ``create_train_op`` (the
loss tensor that runs the update: update ops first, then the gradients, optionally
transformed and summarised, then a numerics check), the gradient transforms
(``clip_gradient_norms``, ``multiply_gradients``), ``add_gradients_summaries`` and ``train``
(a ``MonitoredTrainingSession`` loop that returns the last loss).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     w = tf.Variable(3.0)
...     opt = tf.train.GradientDescentOptimizer(0.25)
...     train_op = tf.contrib.training.create_train_op(tf.square(w), opt)
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         print(sess.run(train_op), sess.run(w))
9.0 1.5
"""

from __future__ import annotations

import logging

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import (
    control_dependencies,
    get_collection,
    get_collection_ref,
    name_scope,
)
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.ops.control.grouping import no_op, with_dependencies
from scopeflow.ops.control.numerics import check_numerics as check_numerics_op
from scopeflow.ops.math.clip import clip_by_norm, global_norm
from scopeflow.summary.summary_ops import histogram, scalar
from scopeflow.train.monitored_session import MonitoredTrainingSession
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.training_util import get_or_create_global_step
from scopeflow.variables.collections import trainable_variables

_log = logging.getLogger("tensorflow")
_USE_GLOBAL_STEP = 0  # create_train_op's default: the graph's global step, made if missing


def add_gradients_summaries(grads_and_vars) -> list:
    """A histogram (``<var>_gradient``) and a norm scalar (``<var>_gradient_norm``) summary
    of each gradient that is not None."""
    summaries = []
    for grad, var in grads_and_vars:
        if grad is None:
            _log.info("Var %s has no gradient", var.op.name)
            continue
        values = grad.values if isinstance(grad, IndexedSlices) else grad
        summaries.append(histogram(var.op.name + "_gradient", values))
        summaries.append(scalar(var.op.name + "_gradient_norm", global_norm([values])))
    return summaries


def _map_gradient(grad, fn):
    if isinstance(grad, IndexedSlices):
        return IndexedSlices(fn(grad.values), grad.indices, grad.dense_shape)
    return fn(grad)


def clip_gradient_norms(gradients_to_variables, max_norm) -> list:
    """Each gradient clipped to the L2 norm ``max_norm`` (the values of sparse ones)."""
    return [
        (None if g is None else _map_gradient(g, lambda t: clip_by_norm(t, max_norm)), v)
        for g, v in gradients_to_variables
    ]


def clip_gradient_norms_fn(max_norm):
    """:func:`clip_gradient_norms` with ``max_norm`` fixed, as a ``transform_grads_fn``."""
    return lambda gradients_to_variables: clip_gradient_norms(gradients_to_variables, max_norm)


def multiply_gradients(grads_and_vars, gradient_multipliers) -> list:
    """The gradients of the variables named in ``gradient_multipliers`` (by variable or op
    name) multiplied by their factor."""
    if not isinstance(grads_and_vars, list):
        raise ValueError("`grads_and_vars` must be a list.")
    if not gradient_multipliers:
        raise ValueError("`gradient_multipliers` is empty.")
    if not isinstance(gradient_multipliers, dict):
        raise ValueError("`gradient_multipliers` must be a dict.")
    scaled = []
    for grad, var in grads_and_vars:
        key = var if var in gradient_multipliers else var.op.name
        if key in gradient_multipliers:
            if grad is None:
                raise ValueError("Requested multiple of `None` gradient.")
            factor = gradient_multipliers[key]
            grad = _map_gradient(grad, lambda t, f=factor: t * convert_to_tensor(f, t.dtype))
        scaled.append((grad, var))
    return scaled


def create_train_op(
    total_loss,
    optimizer,
    global_step=_USE_GLOBAL_STEP,
    update_ops=None,
    variables_to_train=None,
    transform_grads_fn=None,
    summarize_gradients=False,
    gate_gradients=Optimizer.GATE_OP,
    aggregation_method=None,
    colocate_gradients_with_ops=False,
    check_numerics=True,
):
    """The loss tensor whose run first runs ``update_ops`` (``UPDATE_OPS`` by default: batch
    norm's averages), then applies ``optimizer``'s gradients of ``variables_to_train``
    (transformed by ``transform_grads_fn``), counting ``global_step``; filed in
    ``TRAIN_OP``. With ``check_numerics`` an inf or NaN loss fails the run."""
    if global_step is _USE_GLOBAL_STEP:
        global_step = get_or_create_global_step()
    collected = set(get_collection(GraphKeys.UPDATE_OPS))
    update_ops = collected if update_ops is None else set(update_ops)
    if not collected.issubset(update_ops):
        _log.warning(
            "update_ops in create_train_op does not contain all the update_ops in "
            "GraphKeys.UPDATE_OPS"
        )
    if update_ops:
        with control_dependencies(sorted(update_ops, key=lambda op: op.name)):
            barrier = no_op(name="update_barrier")
        total_loss = with_dependencies([barrier], total_loss)
    if variables_to_train is None:
        variables_to_train = trainable_variables()
    if not variables_to_train:
        raise ValueError("create_train_op: there are no variables to train")
    grads = optimizer.compute_gradients(
        total_loss,
        variables_to_train,
        gate_gradients=gate_gradients,
        aggregation_method=aggregation_method,
        colocate_gradients_with_ops=colocate_gradients_with_ops,
    )
    if transform_grads_fn:
        grads = transform_grads_fn(grads)
    if summarize_gradients:
        with name_scope("summarize_grads"):
            add_gradients_summaries(grads)
    grad_updates = optimizer.apply_gradients(grads, global_step=global_step)
    with name_scope("train_op"):
        if check_numerics:
            total_loss = check_numerics_op(total_loss, "LossTensor is inf or nan")
        train_op = with_dependencies([grad_updates], total_loss)
    train_ops = get_collection_ref(GraphKeys.TRAIN_OP)
    if train_op not in train_ops:
        train_ops.append(train_op)
    return train_op


def train(
    train_op,
    logdir,
    master="",
    is_chief=True,
    scaffold=None,
    hooks=None,
    chief_only_hooks=None,
    save_checkpoint_secs=600,
    save_summaries_steps=100,
    config=None,
    max_wait_secs=7200,
    run_metadata=None,
):
    """Runs ``train_op`` in a ``MonitoredTrainingSession`` (checkpoints and summaries in
    ``logdir``) until a hook stops it; returns the last loss."""
    if logdir is None and is_chief:
        if save_summaries_steps:
            raise ValueError("logdir cannot be None when save_summaries_steps is not None")
        if save_checkpoint_secs:
            raise ValueError("logdir cannot be None when save_checkpoint_secs is not None")
    with MonitoredTrainingSession(
        master=master,
        is_chief=is_chief,
        checkpoint_dir=logdir,
        scaffold=scaffold,
        hooks=hooks,
        chief_only_hooks=chief_only_hooks,
        save_checkpoint_secs=save_checkpoint_secs,
        save_summaries_steps=save_summaries_steps,
        config=config,
        max_wait_secs=max_wait_secs,
    ) as session:
        loss = None
        while not session.should_stop():
            loss = session.run(train_op, run_metadata=run_metadata)
    return loss
