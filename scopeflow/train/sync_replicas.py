"""``tf.train.SyncReplicasOptimizer``: TF1's synchronous replicas, accepted.

TF1 aggregated the gradients of ``replicas_to_aggregate`` workers in conditional
accumulators on the parameter servers and handed out tokens through a queue. scopeflow runs
one model per process, where there is nothing to aggregate (and
``scopeflow.distribute.data_parallel`` averages the gradients of all devices inside each
step), so this optimizer applies the wrapped optimizer's update as it is: same slots, same
update ops. It makes none of TF1's accumulators, token queue or ``sync_rep_local_step``
variable, and ``minimize`` returns the wrapped optimizer's op.
"""

from __future__ import annotations

import logging

from scopeflow.ops.control.grouping import no_op
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.session_run_hook import SessionRunHook

_log = logging.getLogger("tensorflow")


class SyncReplicasOptimizer(Optimizer):
    """Wraps ``opt`` and applies its updates unchanged (see the module's docstring).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(3.0, name="w")
    ...     opt = tf.train.SyncReplicasOptimizer(
    ...         tf.train.GradientDescentOptimizer(0.25), replicas_to_aggregate=2)
    ...     train = opt.minimize(w * w, global_step=tf.train.get_or_create_global_step())
    ...     with tf.train.MonitoredTrainingSession(
    ...             hooks=[opt.make_session_run_hook(is_chief=True)]) as sess:
    ...         _ = sess.run(train)
    ...         print(sess.run(w))
    1.5
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
        super().__init__(use_locking, name)
        if variable_averages is not None:
            raise NotImplementedError(
                "SyncReplicasOptimizer(variable_averages=...): not supported; apply a "
                "tf.train.ExponentialMovingAverage after the train op instead."
            )
        self._opt = opt
        self._replicas_to_aggregate = replicas_to_aggregate
        self._total_num_replicas = total_num_replicas or replicas_to_aggregate
        self._gradients_applied = False
        _log.info(
            "SyncReplicasOptimizer(replicas_to_aggregate=%d): scopeflow applies %s's updates "
            "as they are, with no cross-worker aggregation (one process runs the model; "
            "scopeflow.distribute.data_parallel averages over devices within each step)",
            replicas_to_aggregate,
            opt.get_name(),
        )

    def compute_gradients(self, *args, **kwargs):
        return self._opt.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """The wrapped optimizer's update, which TF1 requires a ``global_step`` for.

        Raises:
            ValueError: no ``global_step``, or no gradients, as TF1.
        """
        grads_and_vars = list(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("Must supply at least one variable")
        if global_step is None:
            raise ValueError("Global step is required to check staleness")
        update = self._opt.apply_gradients(grads_and_vars, global_step=global_step, name=name)
        self._gradients_applied = True
        return update

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs) -> list[str]:
        return self._opt.get_slot_names(*args, **kwargs)

    def variables(self) -> list:
        return self._opt.variables()

    def get_init_tokens_op(self, num_tokens: int = -1):
        """A no-op: there is no token queue to fill."""
        return no_op(name="sync_replicas_init_tokens")

    def get_chief_queue_runner(self):
        raise NotImplementedError(
            "SyncReplicasOptimizer.get_chief_queue_runner: there is no token queue to run here; "
            "pass make_session_run_hook(is_chief) to tf.train.MonitoredTrainingSession."
        )

    def make_session_run_hook(self, is_chief: bool, num_tokens: int = -1) -> SessionRunHook:
        """The hook TF1's monitored sessions take; here it only checks, as TF1's ``begin``
        does, that ``apply_gradients`` was called."""
        return _SyncReplicasHook(self)


class _SyncReplicasHook(SessionRunHook):
    def __init__(self, optimizer: SyncReplicasOptimizer):
        self._optimizer = optimizer

    def begin(self) -> None:
        if not self._optimizer._gradients_applied:
            raise ValueError(
                "SyncReplicasOptimizer.apply_gradient should be called before using the hook."
            )
