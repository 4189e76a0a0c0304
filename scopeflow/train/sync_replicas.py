"""``tf.train.SyncReplicasOptimizer``: TF1's synchronous replicas, with TF1's accumulators and
token queue.

Each worker's train op applies its gradients to one accumulator per variable (a
``ConditionalAccumulator`` named ``sync_replicas/conditional_accumulator``, or a
``SparseConditionalAccumulator`` for ``IndexedSlices``, shared by ``<var>:0/grad_accum``),
tagged with the worker's ``sync_rep_local_step``, then takes a token from the queue
``sync_token_q`` and makes it its local step. The chief's queue runner takes the mean of
``replicas_to_aggregate`` gradients from each accumulator, applies them with the wrapped
optimizer (which increments the global step) and puts ``max(total_num_replicas,
replicas_to_aggregate)`` tokens holding the new global step into the queue. A gradient
computed at a local step below the accumulator's global step is stale and dropped. Workers
are threads running the train op in one session (or towers of one graph, each with its own
``SyncReplicasOptimizer``: accumulators and queue are shared by their shared names).

scopeflow commits a run's variable writes when the run ends, where TF writes them as the ops
run; the chief's runner therefore runs its op as two runs: the update (committed), then the
tokens (fed), so a worker holding a new token reads the updated variables, as in TF.
"""

from __future__ import annotations

import logging

from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import colocate_with, control_dependencies, device, name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import fill
from scopeflow.ops.control.grouping import group, no_op
from scopeflow.ops.data_flow.accumulators import (
    ConditionalAccumulator,
    SparseConditionalAccumulator,
)
from scopeflow.ops.data_flow.queues import FIFOQueue
from scopeflow.ops.state import storage as state_ops
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.queue_runner import QueueRunner
from scopeflow.train.session_manager import _ready
from scopeflow.train.session_run_hook import SessionRunHook
from scopeflow.variables.collections import global_variables, report_uninitialized_variables
from scopeflow.variables.variables import Variable

_log = logging.getLogger("tensorflow")


class SyncReplicasOptimizer(Optimizer):
    """Aggregates ``replicas_to_aggregate`` gradients per variable before one update of
    ``opt`` (see the module's docstring).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(3.0, name="w")
    ...     step = tf.train.get_or_create_global_step()
    ...     opt = tf.train.SyncReplicasOptimizer(
    ...         tf.train.GradientDescentOptimizer(0.25), replicas_to_aggregate=2)
    ...     train = opt.minimize(w * w, global_step=step)
    ...     hook = opt.make_session_run_hook(is_chief=True)  # for MonitoredTrainingSession
    >>> train.op.type, train.op.inputs[1].op.name, opt.get_chief_queue_runner().name
    ('Assign', 'sync_token_q_Dequeue', 'sync_token_q')
    >>> [(a.accumulator_ref.op.name, a.accumulator_ref.op.get_attr("shared_name"))
    ...  for a, _ in opt._accumulator_list]
    [('sync_replicas/conditional_accumulator', b'w:0/grad_accum')]
    """

    def __init__(
        self,
        opt: Optimizer,
        replicas_to_aggregate: int,
        total_num_replicas: int | None = None,
        variable_averages=None,
        variables_to_average=None,
        use_locking: bool = False,
        name: str = "sync_replicas",
    ):
        if total_num_replicas is None:
            total_num_replicas = replicas_to_aggregate
        super().__init__(use_locking, name)
        _log.info(
            "SyncReplicasV2: replicas_to_aggregate=%s; total_num_replicas=%s",
            replicas_to_aggregate,
            total_num_replicas,
        )
        self._opt = opt
        self._replicas_to_aggregate = replicas_to_aggregate
        self._gradients_applied = False
        self._variable_averages = variable_averages
        self._variables_to_average = variables_to_average
        self._total_num_replicas = total_num_replicas
        self._tokens_per_step = max(total_num_replicas, replicas_to_aggregate)
        self._global_step = None
        self._sync_token_queue = None
        self._chief_queue_runner = None
        self._accumulator_list: list = []

    def compute_gradients(self, *args, **kwargs):
        """The wrapped optimizer's gradients (clip them per replica before applying)."""
        return self._opt.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """The worker's train op: its gradients into the accumulators, then a token from the
        queue as its local step. Builds the chief's update, queue runner and init ops too.

        Raises:
            ValueError: no gradients, no ``global_step`` (TF1's words), or a gradient that
                is neither a tensor nor ``IndexedSlices``.
        """
        if not grads_and_vars:
            raise ValueError("Must supply at least one variable")
        if global_step is None:
            raise ValueError("Global step is required to check staleness")
        self._global_step = global_step
        step_dtype = global_step.dtype.base_dtype
        local_anchor = no_op()
        with colocate_with(local_anchor):
            self._local_step = Variable(
                initial_value=0,
                trainable=False,
                collections=[GraphKeys.LOCAL_VARIABLES],
                dtype=step_dtype,
                name="sync_rep_local_step",
            )
        self.local_step_init_op = state_ops.assign(self._local_step, global_step)
        chief_init_ops = [self.local_step_init_op]
        self.ready_for_local_init_op = report_uninitialized_variables(global_variables())
        train_ops, aggregated, var_list = [], [], []
        with name_scope(None, self._name):
            for grad, var in grads_and_vars:
                var_list.append(var)
                with device(var.device):
                    if grad is None:
                        aggregated.append(None)
                        continue
                    train_ops.append(self._accumulate(grad, var, aggregated))
            with device(global_step.device), name_scope(""):
                update_op = self._opt.apply_gradients(
                    list(zip(aggregated, var_list, strict=True)), global_step
                )
                queue = FIFOQueue(
                    -1, step_dtype, shapes=(), name="sync_token_q", shared_name="sync_token_q"
                )
                self._sync_token_queue = queue
                with control_dependencies(train_ops):
                    token = queue.dequeue()
                train_op = state_ops.assign(self._local_step, token)
                with control_dependencies([update_op]):
                    tokens = fill([self._tokens_per_step], global_step)
                    sync_op = queue.enqueue_many((tokens,))
                if self._variable_averages is not None:
                    with control_dependencies([sync_op]), name_scope(""):
                        sync_op = self._variable_averages.apply(self._variables_to_average)
                self._chief_queue_runner = _ChiefQueueRunner(queue, [sync_op], tokens)
            for accum, dev in self._accumulator_list:
                with device(dev):
                    chief_init_ops.append(accum.set_global_step(global_step, name="SetGlobalStep"))
            self.chief_init_op = group(*chief_init_ops)
        self._gradients_applied = True
        return train_op

    def _accumulate(self, grad, var, aggregated: list):
        """The op applying ``grad`` to ``var``'s new accumulator; its take joins ``aggregated``."""
        shared = var.name + "/grad_accum"
        if isinstance(grad, Tensor):
            accum = ConditionalAccumulator(grad.dtype, shape=var.get_shape(), shared_name=shared)
            apply = accum.apply_grad(grad, local_step=self._local_step)
            aggregated.append(accum.take_grad(self._replicas_to_aggregate))
        elif isinstance(grad, IndexedSlices):
            accum = SparseConditionalAccumulator(grad.dtype, shape=(), shared_name=shared)
            apply = accum.apply_indexed_slices_grad(grad, local_step=self._local_step)
            aggregated.append(accum.take_indexed_slices_grad(self._replicas_to_aggregate))
        else:
            raise ValueError("Unknown grad type!")
        self._accumulator_list.append((accum, var.device))
        return apply

    def get_chief_queue_runner(self) -> QueueRunner:
        """The runner the chief starts: it aggregates, updates and hands out the tokens.

        Raises:
            ValueError: before ``apply_gradients``.
        """
        if not self._gradients_applied:
            raise ValueError("Should be called after apply_gradients().")
        return self._chief_queue_runner

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs) -> list[str]:
        return self._opt.get_slot_names(*args, **kwargs)

    def variables(self) -> list:
        """The wrapped optimizer's variables (not the local step)."""
        return self._opt.variables()

    def get_init_tokens_op(self, num_tokens: int = -1):
        """The op putting ``num_tokens`` tokens (default ``replicas_to_aggregate``) holding the
        global step into the queue; a ``NoOp`` named ``no_init_tokens`` for none.

        Raises:
            ValueError: before ``apply_gradients``, or fewer tokens than
                ``replicas_to_aggregate - total_num_replicas``.
        """
        if not self._gradients_applied:
            raise ValueError("get_init_tokens_op() should be called after apply_gradients().")
        tokens_needed = self._replicas_to_aggregate - self._total_num_replicas
        if num_tokens == -1:
            num_tokens = self._replicas_to_aggregate
        elif num_tokens < tokens_needed:
            raise ValueError(
                f"Too few tokens to finish the first step: {num_tokens} (given) vs "
                f"{tokens_needed} (needed)"
            )
        if num_tokens <= 0:
            return no_op(name="no_init_tokens")
        with device(self._global_step.device), name_scope(""):
            tokens = fill([num_tokens], self._global_step)
            return self._sync_token_queue.enqueue_many((tokens,))

    def make_session_run_hook(self, is_chief: bool, num_tokens: int = -1) -> SessionRunHook:
        """The hook running the local (chief: and accumulator) init ops once the session
        exists; the chief's also fills the token queue and starts the queue runner."""
        return _SyncReplicasOptimizerHook(self, is_chief, num_tokens)


class _ChiefQueueRunner(QueueRunner):
    """TF's runner of the sync op, run as two runs: the update, whose variable writes are
    committed when its run ends, then the tokens of the new global step (fed)."""

    def __init__(self, queue, enqueue_ops, tokens):
        super().__init__(queue, enqueue_ops)
        self._tokens = tokens

    def _run_enqueue(self, sess, enqueue_op) -> None:
        tokens = sess.run(self._tokens)
        sess.run(enqueue_op, feed_dict={self._tokens: tokens})


class _SyncReplicasOptimizerHook(SessionRunHook):
    def __init__(self, sync_optimizer: SyncReplicasOptimizer, is_chief: bool, num_tokens: int):
        self._sync_optimizer = sync_optimizer
        self._is_chief = is_chief
        self._num_tokens = num_tokens

    def begin(self) -> None:
        opt = self._sync_optimizer
        if not opt._gradients_applied:
            raise ValueError(
                "SyncReplicasOptimizer.apply_gradient should be called before using the hook."
            )
        self._ready_for_local_init_op = opt.ready_for_local_init_op
        if self._is_chief:
            self._local_init_op = opt.chief_init_op
            self._q_runner = opt.get_chief_queue_runner()
            self._init_tokens_op = opt.get_init_tokens_op(self._num_tokens)
        else:
            self._local_init_op = opt.local_step_init_op
            self._q_runner = None
            self._init_tokens_op = None

    def after_create_session(self, session, coord) -> None:
        ready, msg = _ready(
            self._ready_for_local_init_op,
            session,
            "Model is not ready for SyncReplicasOptimizer local init.",
        )
        if not ready:
            raise RuntimeError(
                "Init operations did not make model ready for SyncReplicasOptimizer "
                f"local_init. Init op: {self._local_init_op.name}, error: {msg}"
            )
        session.run(self._local_init_op)
        if self._init_tokens_op is not None:
            session.run(self._init_tokens_op)
        if self._q_runner is not None:
            self._q_runner.create_threads(session, coord=coord, daemon=True, start=True)


__all__ = ["SyncReplicasOptimizer"]
