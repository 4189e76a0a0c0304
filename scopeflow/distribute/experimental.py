"""``tf.distribute.experimental``: the strategies that need no cluster run as one replica on
the CPU; those that do raise ``NotImplementedError`` naming scopeflow's way."""

from __future__ import annotations

from scopeflow.distribute.collective_options import (
    CollectiveCommunication,
    CollectiveHints,
    CommunicationImplementation,
    CommunicationOptions,
)
from scopeflow.distribute.strategy import CentralStorageStrategy, MultiWorkerMirroredStrategy


class ParameterServerStrategy:
    """Not supported: it needs a cluster of parameter servers and workers."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "ParameterServerStrategy: scopeflow has no parameter servers; train in one process "
            "(tf.distribute.MirroredStrategy) or over many devices with "
            "scopeflow.distribute.data_parallel(session)"
        )


class TPUStrategy(ParameterServerStrategy):
    """Not supported: scopeflow runs no TPU programs through tf.distribute."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "TPUStrategy: scopeflow runs graphs on TPUs through JAX: use "
            "Session(executor='jax') and scopeflow.distribute.data_parallel(session)"
        )


__all__ = [
    "CentralStorageStrategy",
    "CollectiveCommunication",
    "CollectiveHints",
    "CommunicationImplementation",
    "CommunicationOptions",
    "MultiWorkerMirroredStrategy",
    "ParameterServerStrategy",
    "TPUStrategy",
]
