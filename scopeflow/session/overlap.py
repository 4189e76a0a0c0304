"""Heavy steps overlapped with the rest of a run: moved up to where their inputs are ready,
computed by one background thread, waited for where their results are first needed.

TF1's executor runs every op whose inputs are ready, several at a time. A training step's
backward pass is a chain - each layer's input gradient feeds the next layer's - with the
filter gradients hanging off it: each is needed only by its optimizer update, which the
plan's order puts at the very end. Here each heavy step (:data:`HEAVY`: convolutions, pure)
of a plan without ``tf.cond`` is moved up to just after the steps it
needs (bringing along the light stateless steps among them, :data:`MOVABLE`), and split into
a *start* there and a *wait* just before the first step that reads its results or waits for
it. A start queues the kernel for the run's background lane - one pool thread, one kernel
thread - and the calling thread goes on along the plan with one kernel thread too, so two
cores are used and never more. A wait takes the results; if the lane has not begun that
kernel yet, the calling thread runs it itself.

Matrix products are left to session/side_by_side.py (pairs), which measured faster for them:
an MLP's critical path is its products, which lose their own split over the threads while
the lane is busy (MLP benchmark 127 against 139-141 steps/s; ResNet 13.3-14.5 against 12.2
with pairs alone, quiet VM).

A heavy step goes to the lane only when the run allows two ops at once
(``ctx.side_by_side``: ``inter_op_parallelism_threads``), its largest input reaches
:data:`MIN_BYTES` and at least :data:`MIN_BETWEEN` steps lie between its start and its wait;
otherwise its kernel runs at its place. Values are those of the plain loop bit for bit (each
kernel computes the same bits on one thread as on several). Errors are those of the plain
loop too: a run that fails first waits for the lane, and a heavy step that failed and comes
first in the plan's original order is the error raised.
"""

from __future__ import annotations

import collections
import threading

from scopeflow.framework import errors
from scopeflow.ops.kernels import parallel, spin
from scopeflow.ops.kernels.parallel import Threads
from scopeflow.session.plan import Step
from scopeflow.session.side_by_side import CONVOLUTIONS, MIN_BYTES, MOVABLE, OneThread, refreed

HEAVY = CONVOLUTIONS
# Steps that take no time to speak of: a heavy step's wait must have others before it.
_TRIVIAL = MOVABLE | {"VariableV2", "Identity", "NoOp", "Placeholder", "PlaceholderWithDefault"}
_GATES = frozenset({"NoOp", "Identity"})
MIN_BETWEEN = 2  # steps (not trivial) between a start and its wait
_ONE = Threads(1)
_LANE = ("overlap", "lane")  # its key in ctx.memo


def overlap_steps(steps: list[Step], keep: frozenset, error) -> list[Step]:
    """``steps`` with heavy steps moved up and split into a start and a wait (``keep``:
    slots never freed, the fetched ones; ``error(op, args, cause)``: the executor's
    error)."""
    if not any(getattr(step.op, "type", None) in HEAVY for step in steps):
        return steps
    original = {id(step.op): i for i, step in enumerate(steps)}
    steps = _gates_sunk(_moved_up(list(steps)))
    readers: dict[int, int] = {}  # slot: its first reader
    for i, step in enumerate(steps):
        for slot in step.inputs:
            readers.setdefault(slot, i)
    position = {id(step.op): i for i, step in enumerate(steps)}
    waiting: dict[int, int] = {}  # a heavy step's position: the first that waits for it
    for i, step in enumerate(steps):
        if getattr(step.op, "type", None) in _GATES:
            continue  # pure: what waits on a heavy step through them reads it, or need not wait
        for c in getattr(step.op, "control_inputs", ()):
            p = position.get(id(c))
            if p is not None and p not in waiting:
                waiting[p] = i
    waits_at: dict[int, list[Step]] = {}
    starts: dict[int, Step] = {}
    for i, step in enumerate(steps):
        if getattr(step.op, "type", None) not in HEAVY:
            continue
        first = min((readers.get(slot, len(steps)) for slot in step.outputs), default=len(steps))
        first = min(first, waiting.get(i, len(steps)))
        work = sum(1 for k in range(i + 1, first) if steps[k].op.type not in _TRIVIAL)
        if work < MIN_BETWEEN:
            continue  # nothing worth overlapping before its results are needed
        plain = (step, error, original[id(step.op)], original)
        starts[i] = Step(_Start(*plain), step.op, step.inputs, step.outputs[:1], ())
        wait = Step(_Wait(*plain), step.op, step.outputs[:1], step.outputs, ())
        waits_at.setdefault(first, []).append(wait)
    out: list[Step] = []
    for i, step in enumerate(steps):
        out.extend(waits_at.get(i, ()))
        out.append(starts.get(i, step))
    out.extend(waits_at.get(len(steps), ()))
    return refreed(out, keep)


def _gates_sunk(steps: list[Step]) -> list[Step]:
    """Each ``Identity`` of a heavy step's result (TF's gradient gating passes each gradient
    through one, ``<op>_grad/tuple/control_dependency``) moved down to just before its first
    reader, so that the heavy step is waited for there, not where it is gated."""
    heavy = [step for step in steps if getattr(step.op, "type", None) in HEAVY]
    producer = {slot for step in heavy for slot in step.outputs}
    for i in range(len(steps) - 1, -1, -1):
        step = steps[i]
        if getattr(step.op, "type", None) != "Identity" or not producer.intersection(step.inputs):
            continue
        outputs = set(step.outputs)
        reader = next(
            (k for k in range(i + 1, len(steps)) if outputs.intersection(steps[k].inputs)),
            len(steps),
        )
        steps.insert(reader - 1, steps.pop(i))
    return steps


def _moved_up(steps: list[Step]) -> list[Step]:
    """Each heavy step (with the light steps it needs) moved up to just after the last
    step it needs that cannot move."""
    i = 0
    while i < len(steps):
        if getattr(steps[i].op, "type", None) in HEAVY:
            steps = _move_up(steps, i)
        i += 1
    return steps


def _move_up(steps: list[Step], i: int) -> list[Step]:
    producer = {slot: k for k, step in enumerate(steps[:i]) for slot in step.outputs}
    position = {id(step.op): k for k, step in enumerate(steps[:i])}
    group: set[int] = set()
    anchor = -1
    stack = [i]
    while stack:
        k = stack.pop()
        for c in getattr(steps[k].op, "control_inputs", ()):
            anchor = max(anchor, position.get(id(c), -1))
        for slot in steps[k].inputs:
            p = producer.get(slot, -1)
            if p < 0 or p in group:
                continue
            if getattr(steps[p].op, "type", None) in MOVABLE:  # (its control inputs: anchors)
                group.add(p)
                stack.append(p)
            else:
                anchor = max(anchor, p)
    if anchor >= i - 1 - len(group):
        return steps  # already as early as it can be
    moving = [steps[k] for k in sorted(group)] + [steps[i]]
    staying = [step for k, step in enumerate(steps[anchor + 1 : i], anchor + 1) if k not in group]
    return steps[: anchor + 1] + moving + staying + steps[i + 1 :]


class _Job:
    """One heavy step's kernel call, run by the lane or by the calling thread."""

    __slots__ = ("kernel", "op", "args", "index", "done", "result", "failure", "claimed")

    def __init__(self, kernel, op, args, index: int):
        self.kernel, self.op, self.args, self.index = kernel, op, args, index
        self.done = spin.Event()
        self.result = self.failure = None
        self.claimed = False

    def run(self, ctx) -> None:
        try:
            self.result = self.kernel(ctx, self.op, *self.args)
        except Exception as e:  # noqa: BLE001 - handed to the wait
            self.failure = e
        finally:
            self.done.set()


class _Lane:
    """A run's background thread and its queue of heavy steps."""

    __slots__ = ("lock", "queue", "active", "unfinished", "threads", "jobs", "original")

    def __init__(self, original: dict):
        self.lock = threading.Lock()
        self.queue: collections.deque = collections.deque()
        self.active = False
        self.unfinished = 0
        self.threads = None
        self.jobs: list[_Job] = []
        self.original = original

    def claim(self, job: _Job) -> bool:
        with self.lock:
            if job.claimed:
                return False
            job.claimed = True
            return True

    def drain(self, ctx, state) -> None:
        with state():  # the calling thread's error handling and pool of arrays
            self._drain(OneThread(ctx))

    def _drain(self, narrow) -> None:
        while True:
            with self.lock:
                if not self.queue:
                    self.active = False
                    return
                job = self.queue.popleft()
                if job.claimed:
                    continue
                job.claimed = True
            job.run(narrow)


class _Start:
    __slots__ = ("step", "error", "index", "original")
    overlapped = True  # session/side_by_side.py leaves it alone

    def __init__(self, step: Step, error, index: int, original: dict):
        self.step, self.error, self.index, self.original = step, error, index, original

    def __call__(self, ctx, op, *args):
        job = _Job(self.step.kernel, op, args, self.index)
        large = max((getattr(a, "nbytes", 0) for a in args), default=0) >= MIN_BYTES
        if not (getattr(ctx, "side_by_side", False) and large):
            job.claimed = True
            job.run(ctx)
            return job
        lane = ctx.memo.get(_LANE)
        if lane is None:
            lane = ctx.memo[_LANE] = _Lane(self.original)
        with lane.lock:
            lane.queue.append(job)
            lane.jobs.append(job)
            lane.unfinished += 1
            if lane.unfinished == 1:
                lane.threads, ctx.threads = ctx.threads, _ONE
            start = not lane.active
            lane.active = True
        if start:
            parallel._shared_pool().submit(lane.drain, ctx, parallel.callers_state())
        return job


class _Wait:
    __slots__ = ("step", "error", "index", "original")
    overlapped = True  # session/side_by_side.py leaves it alone

    def __init__(self, step: Step, error, index: int, original: dict):
        self.step, self.error, self.index, self.original = step, error, index, original

    def __call__(self, ctx, op, job):
        lane = ctx.memo.get(_LANE)
        if lane is not None and job in lane.jobs:
            if lane.claim(job):
                job.run(ctx)  # not begun by the lane: run here (ctx.threads is one thread)
            job.done.wait()
            with lane.lock:
                lane.jobs.remove(job)
                lane.unfinished -= 1
                if not lane.unfinished:
                    ctx.threads = lane.threads
        if job.failure is not None:
            if isinstance(job.failure, errors.OpError):
                raise job.failure
            raise self.error(op, list(job.args), job.failure) from job.failure
        return job.result


def settle(ctx, op, error) -> Exception | None:
    """After step ``op`` failed: waits for the heavy steps still queued or running, runs here
    the queued ones that come before ``op`` in the plan's original order (the plain loop
    would have run them first, so their error wins; a loaded machine may not have begun
    them), drops the other queued ones, and returns the error of the one that failed first
    in that order, if it comes before ``op``; None otherwise."""
    lane = ctx.memo.get(_LANE)
    if lane is None or not lane.jobs:
        return None
    failed_at = lane.original.get(id(op), len(lane.original))
    for job in list(lane.jobs):
        if lane.claim(job):
            if job.index < failed_at:
                job.run(ctx)
            else:
                job.done.set()  # never begun, and after the failure: dropped
    failed = None
    for job in sorted(lane.jobs, key=lambda j: j.index):
        job.done.wait()
        if job.failure is not None and failed is None:
            failed = job
    if lane.threads is not None:
        ctx.threads = lane.threads
    if failed is None or failed.index > failed_at:
        return None
    if isinstance(failed.failure, errors.OpError):
        return failed.failure
    return error(failed.op, list(failed.args), failed.failure)
