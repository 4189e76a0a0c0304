"""``tf.tpu.CrossShardOptimizer``: an optimizer whose gradients are summed over the TPU
replicas (``CrossReplicaSum``) before the wrapped optimizer applies them, as TF builds it. On
the one replica scopeflow runs, the sum is the gradient itself, so training is the wrapped
optimizer's, with TF's graph.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     w = tf.Variable([1.0, 2.0], name="w")
...     opt = tf.tpu.CrossShardOptimizer(tf.train.GradientDescentOptimizer(0.5))
...     train = opt.minimize(tf.reduce_sum(w * w))
...     sess = tf.Session()
...     sess.run(tf.global_variables_initializer())
...     sess.run(train)
...     print(sess.run(w))
[0. 0.]
"""

from __future__ import annotations

from scopeflow.framework.graph_api import colocate_with
from scopeflow.ops.control.tpu import cross_replica_sum
from scopeflow.train.optimizer import Optimizer

__all__ = ["CrossShardOptimizer"]

_REDUCTIONS = ("weighted_sum", "weighted_mean")  # tf.losses.Reduction.SUM and MEAN


class CrossShardOptimizer(Optimizer):
    """Wraps ``opt``: ``apply_gradients`` sums each gradient over the replicas of its group
    (one ``CrossReplicaSum`` colocated with the gradient) and hands the sums to ``opt``.
    ``reduction`` MEAN would scale the loss by ``1 / replicas``: 1 here.

    Raises:
        ValueError: ``reduction`` is neither ``tf.losses.Reduction.SUM`` nor ``MEAN``; (at
            ``compute_gradients``) ``group_assignment`` is not a partition of the replicas.
        TypeError: ``opt`` is not a ``tf.train.Optimizer`` (a Keras optimizer, say).
    """

    def __init__(
        self, opt, reduction="weighted_mean", name="CrossShardOptimizer", group_assignment=None
    ):
        if reduction not in _REDUCTIONS:
            raise ValueError(
                f"Argument `reduction` should be one of {_REDUCTIONS}. Received: {reduction}"
            )
        if not isinstance(opt, Optimizer):
            raise TypeError(
                "CrossShardOptimizer only works with tf.training.Optimizer and not Keras "
                f"Optimizer. Received: {opt}. If you want to average your gradients, rescale "
                "your loss with: `loss /= global_batch_size`"
            )
        super().__init__(False, name)
        self._opt = opt
        self._reduction = reduction
        self._group_assignment = group_assignment

    def _check_group_assignment(self) -> None:
        groups = self._group_assignment
        if not groups:
            return
        if not (isinstance(groups, list) and all(isinstance(g, list) for g in groups)):
            raise ValueError(
                f"Argument `group_assignment` must be a list of lists. Received: {groups}"
            )
        if {i for g in groups for i in g} != {0}:  # the replicas: range(1)
            raise ValueError(
                f"Argument `group_assignment` must be a permutation of range(1). Received: {groups}"
            )

    def compute_gradients(self, loss, var_list=None, **kwargs):
        """``opt.compute_gradients``; with one replica no loss scaling is needed."""
        self._check_group_assignment()
        return self._opt.compute_gradients(loss, var_list=var_list, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Sums each gradient over the replicas, then ``opt.apply_gradients``."""
        summed = []
        for grad, var in grads_and_vars:
            if grad is None:
                summed.append((grad, var))
                continue
            with colocate_with(grad):
                summed.append((cross_replica_sum(grad, self._group_assignment), var))
        return self._opt.apply_gradients(summed, global_step, name)

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._opt.get_slot_names(*args, **kwargs)

    def variables(self):
        return self._opt.variables()
