"""``scopeflow.distribute``: one graph over many devices and many processes, through JAX.

``data_parallel(session)`` makes a ``Session(executor="jax")`` split fed batches over the
devices and keep variables replicated (or sharded by rules on their names); ``initialize()``
joins this process to the others running the same program (``jax.distributed``). JAX is
imported when they are called, not when ``scopeflow`` is.
"""

from __future__ import annotations

from scopeflow.distribute.hosts import initialize
from scopeflow.distribute.mesh import data_parallel

__all__ = ["data_parallel", "initialize"]
