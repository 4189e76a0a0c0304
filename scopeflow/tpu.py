"""``tf.tpu`` on one CPU: ``CrossShardOptimizer`` and ``cross_replica_sum`` with TF's ops over
the one replica there is, ``bfloat16_scope``, ``outside_compilation``, ``core``. The functions
that build or drive a TPU computation (``rewrite``, ``shard``, ``replicate``,
``batch_parallel``, ``initialize_system``, ``shutdown_system``) raise ``NotImplementedError``
saying what to use instead."""

from __future__ import annotations

from scopeflow.estimator.tpu.tpu_estimator import bfloat16_scope
from scopeflow.ops.control.tpu import *  # noqa: F403
from scopeflow.ops.control.tpu import __all__ as _ops_all
from scopeflow.train.tpu_optimizer import CrossShardOptimizer

__all__ = [*_ops_all, "CrossShardOptimizer", "bfloat16_scope"]
