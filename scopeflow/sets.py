"""``tf.sets``: set operations along the last dimension of dense or sparse tensors, under
TF1's two names for each (``tf.sets.intersection`` is ``tf.sets.set_intersection``)."""

from __future__ import annotations

from scopeflow.ops.sparse.sets import set_difference, set_intersection, set_size, set_union
from scopeflow.ops.sparse.sets import set_difference as difference
from scopeflow.ops.sparse.sets import set_intersection as intersection
from scopeflow.ops.sparse.sets import set_size as size
from scopeflow.ops.sparse.sets import set_union as union

__all__ = [
    "difference",
    "intersection",
    "set_difference",
    "set_intersection",
    "set_size",
    "set_union",
    "size",
    "union",
]
