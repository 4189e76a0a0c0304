"""Independent heavy steps of a plan run side by side, two at a time, on two threads.

A training step's backward pass is full of pairs of large products that do not depend on
each other: a convolution's input gradient and its filter gradient (both read the output
gradient), a dense layer's ``dx = dy @ W.T`` and ``dW = x.T @ dy``, the two branches of a
residual block. On a machine with two cores or more such a pair runs as one step: one op on
a kernel-pool thread, the other on the calling thread, each op's kernel on one thread (so
the pair uses two cores and never more). The pair is one hand-off per millisecond or more of
work, where splitting each kernel costs a hand-off per span. The two ops are claimed by
whichever thread is free first: when the pool thread starts late (a loaded machine), the
calling thread runs both, one after the other, instead of waiting.

**Which steps.** Op types in :data:`HEAVY` (convolutions and matrix products: pure, no
state). Scanning the plan in order, a heavy step is paired with the first heavy step after
it that does not need it: the second moves up beside the first, bringing along the light
stateless steps it needs from between them (:data:`MOVABLE`: a gradient's filter sizes), or
the first moves down beside the second when nothing in between reads it. Control inputs are
respected; being pure, a moved step sees the same values. Freed slots are recomputed for
the new order. Plans with ``tf.cond`` keep their order (their
dead-branch bookkeeping counts steps).

**When.** At run time a pair runs side by side when the session allows two ops at once
(``inter_op_parallelism_threads`` 0 or 2 or more, 0 meaning the session's kernel thread
count, itself 1 for ``intra_op_parallelism_threads=1``) and both ops' largest inputs reach
:data:`MIN_BYTES`; otherwise its two ops run one after the other, as before.

**Same values, same errors.** Each kernel computes the same bits on one thread as on several
(the kernels split their work the same way for any thread count), so pairing changes no
value. If either op fails, the first one's failure (in the plan's order) is raised, with the
error its kernel gives alone; nothing is written, since heavy ops have no side effects.
"""

from __future__ import annotations

from scopeflow.framework import errors
from scopeflow.ops.kernels.parallel import Threads, run_claimed
from scopeflow.session.plan import Step

CONVOLUTIONS = frozenset(
    {
        "Conv2D",
        "Conv2DBackpropInput",
        "Conv2DBackpropFilter",
        "DepthwiseConv2dNative",
        "DepthwiseConv2dNativeBackpropInput",
        "DepthwiseConv2dNativeBackpropFilter",
    }
)
HEAVY = CONVOLUTIONS | {"MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3"}
MIN_BYTES = 1 << 18  # an op's largest input from which it is worth a thread hand-off
_ONE = Threads(1)
_TWO = Threads(2)


# Light, stateless op types a heavy step may bring along when it moves up (a gradient's
# filter sizes, a reshape of its input).
MOVABLE = frozenset(
    {"Const", "Shape", "ShapeN", "Size", "Rank", "Reshape", "Pack", "StridedSlice", "Fill"}
)
_REACH = 256  # steps looked ahead for a partner


def pair_steps(steps: list[Step], keep: frozenset, error) -> list[Step]:
    """``steps`` with independent heavy steps paired into one :class:`SideBySide` step
    (``keep``: slots never freed, the fetched ones; ``error(op, args, cause)``: the
    executor's error for a failed kernel)."""
    if sum(1 for step in steps if _heavy(step)) < 2:
        return steps
    steps = list(steps)
    i = 0
    while i < len(steps):
        if _heavy(steps[i]):
            steps = _paired_at(steps, i, error)
        i += 1
    return refreed(steps, keep)


def _heavy(step: Step) -> bool:
    kernel = step.kernel
    if isinstance(kernel, SideBySide) or getattr(kernel, "overlapped", False):
        return False
    return getattr(step.op, "type", None) in HEAVY


def _paired_at(steps: list[Step], i: int, error) -> list[Step]:
    """``steps`` with heavy step ``i`` paired with the first heavy step after it that can
    run beside it, and the steps between reordered for that; unchanged if there is none."""
    producer = {slot: k for k, step in enumerate(steps) for slot in step.outputs}
    position = {id(step.op): k for k, step in enumerate(steps)}

    def inside(k: int, start: int, stop: int) -> bool:
        step = steps[k]
        controls = getattr(step.op, "control_inputs", ())
        return any(start <= position.get(id(c), -1) < stop for c in controls)

    def needs(j: int) -> list[int] | None:
        """The steps after ``i`` that ``j`` needs (all light, none reading ``i``'s results
        or waiting for ``i``); None if it needs ``i`` or a step that cannot move."""
        found: set[int] = set()
        stack = [j]
        while stack:
            k = stack.pop()
            if inside(k, i, j):
                return None
            for slot in steps[k].inputs:
                p = producer.get(slot, -1)
                if p < i or p in found:
                    continue
                if p == i or getattr(steps[p].op, "type", None) not in MOVABLE:
                    return None
                found.add(p)
                stack.append(p)
        return sorted(found)

    def reads_first(j: int) -> bool:
        """Whether a step in ``i + 1 .. j`` reads ``i``'s results or waits for it."""
        mine = set(steps[i].outputs)
        return any(
            not mine.isdisjoint(steps[k].inputs) or inside(k, i, i + 1) for k in range(i + 1, j + 1)
        )

    for j in range(i + 1, min(len(steps), i + _REACH)):
        if not _heavy(steps[j]):
            continue
        first, second = steps[i], steps[j]
        pair = Step(
            SideBySide(first, second, error),
            first.op,
            first.inputs + second.inputs,
            first.outputs + second.outputs,
            (),
        )
        needed = needs(j)
        if needed is not None:  # j and what it needs move up beside i
            rest = [k for k in range(i + 1, j) if k not in needed]
            middle = [steps[k] for k in needed] + [pair] + [steps[k] for k in rest]
            return steps[:i] + middle + steps[j + 1 :]
        if not reads_first(j):  # i moves down beside j
            return steps[:i] + steps[i + 1 : j] + [pair] + steps[j + 1 :]
    return steps


def refreed(steps: list[Step], keep: frozenset) -> list[Step]:
    """The steps with each slot freed after its last reader in this order (``keep``: slots
    never freed)."""
    last_use: dict[int, int] = {}
    for index, step in enumerate(steps):
        for slot in step.inputs:
            last_use[slot] = index
    frees: dict[int, list[int]] = {}
    for slot, index in last_use.items():
        if slot not in keep:
            frees.setdefault(index, []).append(slot)
    return [step._replace(free=tuple(frees.get(index, ()))) for index, step in enumerate(steps)]


class OneThread:
    """A run's context whose kernels use one thread."""

    __slots__ = ("_ctx",)
    threads = _ONE

    def __init__(self, ctx):
        self._ctx = ctx

    def __getattr__(self, name):
        return getattr(self._ctx, name)


class SideBySide:
    """Two independent steps as one: run on two threads when large enough, else in order.
    Returns the outputs of both, the first step's first."""

    __slots__ = ("first", "second", "split", "error")

    def __init__(self, first: Step, second: Step, error):
        self.first, self.second, self.error = first, second, error
        self.split = len(first.inputs)

    def __call__(self, ctx, op, *args):
        first, second = self.first, self.second
        a, b = args[: self.split], args[self.split :]
        if (
            getattr(ctx, "side_by_side", False)
            and ctx.threads.count > 1
            and _large(a)
            and _large(b)
        ):
            results: list = [None, None]
            failures: list = [None, None]
            narrow = OneThread(ctx)

            def lane(start, _stop):
                step, step_args = (first, a) if start == 0 else (second, b)
                try:
                    results[start] = step.kernel(narrow, step.op, *step_args)
                except Exception as e:  # noqa: BLE001 - raised below, first step's first
                    failures[start] = e

            run_claimed(_TWO, lane, [(0, 1), (1, 2)])
            for k, (step, step_args) in enumerate(((first, a), (second, b))):
                cause = failures[k]
                if cause is not None:
                    if isinstance(cause, errors.OpError):
                        raise cause
                    raise self.error(step.op, list(step_args), cause) from cause
        else:
            results = []
            for step, step_args in ((first, a), (second, b)):
                try:
                    results.append(step.kernel(ctx, step.op, *step_args))
                except errors.OpError:
                    raise
                except Exception as e:  # noqa: BLE001 - every kernel failure becomes an OpError
                    raise self.error(step.op, list(step_args), e) from e
        return _outputs(first, results[0]) + _outputs(second, results[1])


def _large(args) -> bool:
    return max((getattr(x, "nbytes", 0) for x in args), default=0) >= MIN_BYTES


def _outputs(step: Step, result) -> list:
    return [result] if len(step.outputs) == 1 else list(result)
