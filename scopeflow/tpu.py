"""``tf.tpu`` on one CPU: ``CrossShardOptimizer``, ``cross_replica_sum``, ``replicate``,
``rewrite``, ``shard``, ``batch_parallel`` and ``outside_compilation`` build TF's graphs and run
them as the one replica there is; ``bfloat16_scope``, ``core``. Several replicas, and
``initialize_system``/``shutdown_system`` (a TPU system), raise ``NotImplementedError`` saying
what to use instead."""

from __future__ import annotations

import types

from scopeflow.estimator.tpu.tpu_estimator import bfloat16_scope
from scopeflow.ops.control.tpu import *  # noqa: F403
from scopeflow.ops.control.tpu import __all__ as _ops_all
from scopeflow.ops.control.tpu import initialize_tpu_system, shutdown_tpu_system
from scopeflow.train.tpu_optimizer import CrossShardOptimizer

experimental = types.SimpleNamespace(
    initialize_tpu_system=initialize_tpu_system, shutdown_tpu_system=shutdown_tpu_system
)
del initialize_tpu_system, shutdown_tpu_system

__all__ = [*_ops_all, "CrossShardOptimizer", "bfloat16_scope", "experimental"]
