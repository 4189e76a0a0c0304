"""Values with a meaning of their own that travel between layers at run time."""

from __future__ import annotations


class _Dead:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<dead>"


# The value a not-taken ``tf.cond`` branch carries at run time: ``Switch`` outputs it on the
# side that is not taken, executors skip every op that receives it, and ``Merge`` (an op type
# with ``merges_dead``) takes its one live input instead.
DEAD = _Dead()
