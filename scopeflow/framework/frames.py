"""Loop frames: the ops of one ``tf.while_loop`` that the plan compiler needs.

The graph holds TF1's own loop ops (``Enter``, ``Merge``, ``Switch``, ``Identity``,
``NextIteration``, ``Exit``, ``LoopCond``), cycle included. ``ops/control/while_loop.py``
records each loop's ops here as it builds them, and marks every op made inside the loop with
its innermost frame (``op._frame``). A plan then treats a whole loop as one step: it runs the
loop's condition and body as two compiled sub-plans, iteration after iteration, with the loop
variables passed from one to the next (see ``session/loops.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scopeflow.framework.operation import Operation


@dataclass(eq=False)
class LoopFrame:
    """One while loop's structure (compared and hashed by identity)."""

    name: str  # the frame name TF records on Enter ops: "<scope>/while_context"
    outer: LoopFrame | None  # the enclosing loop, if this loop is nested in another's body
    back_prop: bool = True
    parallel_iterations: int = 10
    # One per loop variable, in order: Enter (is_constant False), Merge, Switch, Identity,
    # NextIteration, Exit.
    var_enters: list[Operation] = field(default_factory=list)
    merges: list[Operation] = field(default_factory=list)
    switches: list[Operation] = field(default_factory=list)
    identities: list[Operation] = field(default_factory=list)  # what the body gets
    next_iterations: list[Operation] = field(default_factory=list)
    exits: list[Operation] = field(default_factory=list)
    loop_cond: Operation | None = None
    # Values from outside the loop that the loop reads (Enter with is_constant True).
    const_enters: list[Operation] = field(default_factory=list)
    # Outside ops that ops inside waited on (control inputs): the loop runs after them.
    external_control: list[Operation] = field(default_factory=list)
    # (op, gate): ops inside that must run every iteration though no loop variable depends on
    # them - a gradient's stack pushes - when the loop ``gate`` (the gradient loop that pops
    # what they push) is part of the same run.
    per_iteration: list[tuple[Operation, LoopFrame]] = field(default_factory=list)
    # What built the loop (ops/control/while_loop.py's WhileContext), to add ops to it later.
    builder: object = None

    def is_plumbing(self, op: Operation) -> bool:
        """Whether ``op`` moves values into, around or out of the loop (its ``Enter``,
        ``Merge``, ``Switch``, ``NextIteration``, ``LoopCond``) rather than computing in the
        body or condition."""
        return (
            op is self.loop_cond
            or op in self.merges
            or op in self.switches
            or op in self.next_iterations
            or op in self.var_enters
            or op in self.const_enters
        )

    def contains(self, frame: LoopFrame | None) -> bool:
        """Whether ``frame`` is this loop or a loop nested inside its body."""
        while frame is not None:
            if frame is self:
                return True
            frame = frame.outer
        return False
