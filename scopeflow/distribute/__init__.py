"""``scopeflow.distribute``: one graph over many devices and many processes, through JAX; and
``tf.distribute``'s strategy API with one replica.

``data_parallel(session)`` makes a ``Session(executor="jax")`` split fed batches over the
devices and keep variables replicated (or sharded by rules on their names); ``initialize()``
joins this process to the others running the same program (``jax.distributed``). JAX is
imported when they are called, not when ``scopeflow`` is. ``tf.distribute.MirroredStrategy``
and the rest (``strategy.py``) run TF 1.14/1.15 strategy code as one replica on the CPU.
"""

from __future__ import annotations

from scopeflow.distribute import experimental
from scopeflow.distribute.collective_options import RunOptions
from scopeflow.distribute.hosts import initialize
from scopeflow.distribute.mesh import data_parallel
from scopeflow.distribute.strategy import (
    CrossDeviceOps,
    HierarchicalCopyAllReduce,
    InputContext,
    InputReplicationMode,
    MirroredStrategy,
    NcclAllReduce,
    OneDeviceStrategy,
    ReduceOp,
    ReductionToOneDevice,
    ReplicaContext,
    Strategy,
    StrategyExtended,
    experimental_set_strategy,
    get_loss_reduction,
    get_replica_context,
    get_strategy,
    has_strategy,
    in_cross_replica_context,
)

__all__ = [
    "CrossDeviceOps",
    "HierarchicalCopyAllReduce",
    "InputContext",
    "InputReplicationMode",
    "MirroredStrategy",
    "NcclAllReduce",
    "OneDeviceStrategy",
    "ReduceOp",
    "ReductionToOneDevice",
    "ReplicaContext",
    "RunOptions",
    "Strategy",
    "StrategyExtended",
    "data_parallel",
    "experimental",
    "experimental_set_strategy",
    "get_loss_reduction",
    "get_replica_context",
    "get_strategy",
    "has_strategy",
    "in_cross_replica_context",
    "initialize",
]
