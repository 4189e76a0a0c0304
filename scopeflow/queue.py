"""``tf.queue``: TF1's queues (also at the top level: ``tf.FIFOQueue``...)."""

from __future__ import annotations

from scopeflow.ops.data_flow.queues import (
    FIFOQueue,
    PaddingFIFOQueue,
    PriorityQueue,
    QueueBase,
    RandomShuffleQueue,
)

__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]
