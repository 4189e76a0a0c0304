"""``tf.manip``: TF1's module of tensor manipulations (``tf.manip.roll``...), the same
functions as at the top of ``tf``."""

from __future__ import annotations

from scopeflow.ops.array.basic import reshape
from scopeflow.ops.array.gather import gather_nd, scatter_nd
from scopeflow.ops.array.join import reverse, tile
from scopeflow.ops.array.roll import roll
from scopeflow.ops.array.space_batch import batch_to_space_nd, space_to_batch_nd

__all__ = [
    "batch_to_space_nd",
    "gather_nd",
    "reshape",
    "reverse",
    "roll",
    "scatter_nd",
    "space_to_batch_nd",
    "tile",
]
