"""Elementwise steps of a plan, rewritten once per plan for the NumPy executor: results written
into an input array that dies at that step, and chains of elementwise ops fused into one
``numexpr`` pass over memory. Every rewrite gives the bits the op's own kernel gives.

**In place.** An elementwise step (an op type in :data:`RULES`) whose input dies at that step
(the plan frees its slot there) writes its result into that input's array when, at run time,
nothing but the run holds the array (its reference count), it owns its memory, is writeable and
already has the result's shape and dtype (float32/float64): as TF's kernels forward an input's
buffer to their output, a bias add and ReLU after a convolution reuse the convolution's output.
Feeds, variables' values, constants and fetched values are always held elsewhere, so they are
never written.

**Chains.** Consecutive elementwise steps, each reading the one before, whose intermediate values
nothing else reads and nothing fetches, become one step. With ``numexpr`` installed (scopeflow's
``fast`` extra) and a result of :data:`NUMEXPR_MIN_BYTES` or more, the chain is one
``numexpr.evaluate`` pass on ``intra_op_parallelism_threads`` threads; otherwise its ops run one
after the other, in place where they can. Only exact operations are fused (+, -, *, /, sqrt and
selections, which round as NumPy's ufuncs do): ops with transcendental functions break a chain.
If a fused pass fails, or gives another dtype, the chain's ops run again one by one, so the same
error names the same op. Plans with ``tf.cond`` keep one step per op (their dead-branch
bookkeeping counts steps) and get the in-place rewrite only.

Measured on the shared 2-core VM (NumPy 2.4, numexpr 2.14 without VML, load average ~5):
``numexpr`` computes one operation at half NumPy's speed or less (an add of two 2 MB float32
arrays: 0.32 ms against 0.12 ms; ``where`` and ``tanh`` 10-15x slower than NumPy's), so a fused
chain of three operations beat NumPy only from results of about 64 MB (42 ms against 54 ms
for NumPy in place); the benchmarks' activations (0.3-13 MB) stay below that threshold. Writing
in place instead of into fresh arrays made such a chain 1.2-1.4x faster at 2-8 MB.
"""

from __future__ import annotations

import contextlib
import functools
import math
import sys
from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from scopeflow.framework import errors
from scopeflow.ops.kernels import extrema
from scopeflow.ops.kernels.quiet import quiet
from scopeflow.session.overlap import overlap_steps
from scopeflow.session.plan import Plan, Step
from scopeflow.session.side_by_side import HEAVY, pair_steps, refreed

NUMEXPR_MIN_BYTES = 64 << 20  # a chain's largest input from which numexpr runs it
IN_PLACE_MIN_SIZE = 1 << 12  # elements: below this a fresh array costs nothing to speak of
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_NOTHING = contextlib.nullcontext()
# References to an input array while the executor calls a step's kernel object (InPlace,
# Chain), when nothing else holds it: the run's slot, the executor's argument list, the call's
# (ctx, op, *args) tuple, ``__call__``'s own ``*args`` tuple and ``sys.getrefcount``'s
# argument (tests/session/test_fusion.py checks that steps do write in place under the
# executor).
_OWNED_REFS = 5

ErrorFn = Callable[[object, list, Exception], Exception]


class Rule(NamedTuple):
    """How an op type computes into an existing array, and as a numexpr expression.

    ``into(args, out)``: the op's result written into ``out`` (one of ``args``, of the result's
    shape and dtype), the same bits as its kernel. ``expr``: a numexpr template over ``{0}``,
    ``{1}`` (None: not fused), with integer literals only (a float literal is a float64).
    ``quiet``: the kernel silences floating-point warnings (``1.0 / 0.0``). ``valid(shapes)``:
    what the kernel checks beyond broadcasting (where it fails, the kernel runs and raises)."""

    arity: int
    into: Callable
    expr: str | None
    quiet: bool = False
    valid: Callable | None = None


def _ufunc_into(fn: np.ufunc) -> Callable:
    def into(args, out):
        fn(*args, out=out)

    return into


def _extremum_into(fn: np.ufunc) -> Callable:
    def into(args, out):
        extrema.extremum(fn, *args, out=out)

    return into


def _relu_into(args, out):
    np.maximum(args[0], extrema.zeros_like(args[0]), out=out)


def _relu6_into(args, out):
    np.maximum(args[0], extrema.zeros_like(args[0]), out=out)
    extrema.extremum(np.minimum, out, np.asarray(6, out.dtype), out=out)


def _relu_grad_into(args, out):
    g, x = args
    if out is x and g is not x:  # the kernel's own steps: the mask as numbers, then the product
        np.greater(x, 0, out=out)
        np.multiply(g, out, out=out)
    else:
        np.multiply(g, np.greater(x, 0), out=out)


def _bias_add_valid(shapes) -> bool:
    value, bias = shapes
    return len(value) >= 2 and len(bias) == 1 and value[-1] == bias[0]


def _same_shapes(shapes) -> bool:
    return shapes[0] == shapes[1]


# NumPy's maximum/minimum return the second operand on ties (+0.0 and -0.0) and NaN when
# either is NaN: these selections do the same.
_MAX = "where(({0} > {1}) | ({0} != {0}), {0}, {1})"
_MIN = "where(({0} < {1}) | ({0} != {0}), {0}, {1})"

RULES: dict[str, Rule] = {
    "AddV2": Rule(2, _ufunc_into(np.add), "({0} + {1})"),
    "BiasAdd": Rule(2, _ufunc_into(np.add), "({0} + {1})", valid=_bias_add_valid),
    "Sub": Rule(2, _ufunc_into(np.subtract), "({0} - {1})"),
    "Mul": Rule(2, _ufunc_into(np.multiply), "({0} * {1})"),
    "RealDiv": Rule(2, _ufunc_into(np.true_divide), "({0} / {1})", quiet=True),
    "Maximum": Rule(2, _extremum_into(np.maximum), _MAX),
    "Minimum": Rule(2, _extremum_into(np.minimum), _MIN),
    "Neg": Rule(1, _ufunc_into(np.negative), "(-{0})"),
    "Square": Rule(1, _ufunc_into(np.square), "({0} * {0})"),
    "Sqrt": Rule(1, _ufunc_into(np.sqrt), "sqrt({0})", quiet=True),
    "Relu": Rule(1, _relu_into, _MAX.format("{0}", "0")),
    "Relu6": Rule(1, _relu6_into, _MIN.format(_MAX.format("{0}", "0"), "6")),
    "ReluGrad": Rule(2, _relu_grad_into, "({0} * where({1} > 0, 1, 0))", valid=_same_shapes),
    # Transcendental functions: in place only (numexpr's may differ from NumPy's in the last bit).
    "Exp": Rule(1, _ufunc_into(np.exp), None, quiet=True),
    "Tanh": Rule(1, _ufunc_into(np.tanh), None),
}


def prepare_steps(plan: Plan, error: ErrorFn) -> tuple[Step, ...]:
    """``plan``'s steps as the NumPy executor runs them: (without control flow) exact
    elementwise chains as one step, and elementwise steps in place where an input dies.
    ``error(op, args, cause)`` is the executor's error for a failed kernel."""
    steps = list(plan.steps)
    produced = _produced_slots(plan)
    if not plan.has_control_flow:
        steps = _chains(_without_unread_heavy(steps, plan), plan, produced, error)
        keep = frozenset(plan.fetch_slots)
        steps = pair_steps(overlap_steps(steps, keep, error), keep, error)
    return tuple(_in_place(step, produced) for step in steps)


def _without_unread_heavy(steps: list[Step], plan: Plan) -> list[Step]:
    """The steps less the matrix products and convolutions whose results no step reads and no
    fetch takes: only control edges wait on them (TF's gradient gating, ``GATE_OP``, groups a
    first layer's input gradient, which nothing uses), and being pure they change no value."""
    read = {slot for step in steps for slot in step.inputs}
    read.update(plan.fetch_slots)
    kept = [
        step
        for step in steps
        if getattr(step.op, "type", None) not in HEAVY or any(o in read for o in step.outputs)
    ]
    return steps if len(kept) == len(steps) else refreed(kept, frozenset(plan.fetch_slots))


def _produced_slots(plan: Plan) -> frozenset:
    """Slots a step of this run produces (not feeds, not the plan's initial values)."""
    fed = set(plan.feed_slots)
    return frozenset(
        slot
        for step in plan.steps
        for slot in step.outputs
        if slot not in fed and plan.initial_slots[slot] is None
    )


def _rule(step: Step) -> Rule | None:
    op = step.op
    rule = RULES.get(getattr(op, "type", None))
    if rule is None or len(step.inputs) != rule.arity or len(step.outputs) != 1:
        return None
    try:
        dtype = np.dtype(op.outputs[0].dtype.base_dtype.as_numpy_dtype)
    except TypeError:  # bfloat16 without ml_dtypes
        return None
    return rule if dtype in _FLOATS else None


def _in_place(step: Step, produced: frozenset) -> Step:
    rule = _rule(step)
    if rule is None or isinstance(step.kernel, Chain):
        return step
    dying = tuple(k for k, s in enumerate(step.inputs) if s in step.free and s in produced)
    if not dying and _small(step.op):
        return step  # nothing to write into, and a result too small for a free array
    return step._replace(kernel=InPlace(step.kernel, rule, dying))


def _small(op) -> bool:
    """Whether the op's result is known while building to have fewer elements than
    :data:`IN_PLACE_MIN_SIZE` (a scalar sum: the wrapper would only cost time)."""
    shape = op.outputs[0].shape
    return shape.is_fully_defined() and shape.num_elements() < IN_PLACE_MIN_SIZE


def _fits(args, v) -> bool:
    """Whether the result of an elementwise op over ``args`` may be written into ``v``: a
    float32/float64 array owning its contiguous, writeable memory (:func:`_owns_memory`), of
    the dtype of every argument, which every argument broadcasts to."""
    if (
        type(v) is not np.ndarray
        or v.dtype not in _FLOATS
        or v.size < IN_PLACE_MIN_SIZE
        or not v.flags.writeable
        or not v.flags.c_contiguous
        or not _owns_memory(v)
    ):
        return False
    shape, dtype = v.shape, v.dtype
    return all(
        type(a) is np.ndarray and a.dtype == dtype and _broadcasts_to(a.shape, shape) for a in args
    )


def _owns_memory(v: np.ndarray) -> bool:
    """Whether ``v``'s memory is its own: no base, or (a kernel's ``result.reshape(...)``) a
    base array of the same size that owns its memory and that nothing but ``v`` refers to (its
    references: ``v``'s, the name ``base``, ``sys.getrefcount``'s argument)."""
    base = v.base
    if base is None:
        return True
    return (
        type(base) is np.ndarray
        and base.base is None
        and base.nbytes == v.nbytes
        and sys.getrefcount(base) <= 3
    )


def _broadcasts_to(shape: tuple, target: tuple) -> bool:
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target), strict=False))


def _valid(rule: Rule, args) -> bool:
    return rule.valid is None or rule.valid([a.shape for a in args])


def _into_free_array(ctx, rule: Rule, args) -> np.ndarray | None:
    """``rule``'s op over ``args`` written into a large array from the session's free ones
    (``ctx.empty``, session/buffers.py), when its kernel would give a new float32/float64
    array of the arguments' dtype; else None."""
    first = args[0]
    if type(first) is not np.ndarray or first.dtype not in _FLOATS:
        return None
    shape, dtype = first.shape, first.dtype
    if any(type(a) is not np.ndarray or a.dtype != dtype for a in args):
        return None
    if any(a.shape != shape for a in args):
        try:
            shape = np.broadcast_shapes(*(a.shape for a in args))
        except ValueError:
            return None  # the kernel raises its own error
    if math.prod(shape) < IN_PLACE_MIN_SIZE or not _valid(rule, args):
        return None
    return run_into(ctx, rule, args, ctx.empty(shape, dtype))


def run_into(ctx, rule: Rule, args, out: np.ndarray) -> np.ndarray:
    """``rule``'s op over ``args`` written into ``out``, in spans of the first axis over the
    run's threads when large (elementwise: the bits do not depend on the spans)."""
    threads = ctx.threads
    spans = threads.elementwise_spans(out.shape[0], out.nbytes) if out.ndim else []
    with quiet() if rule.quiet else _NOTHING:
        if len(spans) < 2:
            rule.into(args, out)
            return out
        ndim, rows = out.ndim, out.shape[0]

        def span(a, b):
            parts = [x[a:b] if x.ndim == ndim and x.shape[0] == rows else x for x in args]
            rule.into(parts, out[a:b])

        threads.run_spans(span, spans)
    return out


class InPlace:
    """A step's kernel writing the op's result into an input that dies at this step when
    nothing else holds it (its reference count, at most ``refs`` when only the caller's
    bookkeeping holds it) and it fits (:func:`_fits`), else (with ``spare``) into a free
    array of the session's (:func:`_into_free_array`); else the op's own kernel runs."""

    __slots__ = ("kernel", "rule", "dying", "refs", "spare")

    def __init__(self, kernel, rule: Rule, dying: tuple[int, ...], refs=_OWNED_REFS, spare=True):
        self.kernel, self.rule, self.dying = kernel, rule, dying
        self.refs, self.spare = refs, spare

    def __call__(self, ctx, op, *args):
        for k in self.dying:
            if sys.getrefcount(args[k]) <= self.refs and _fits(args, args[k]):
                if _valid(self.rule, args):
                    return run_into(ctx, self.rule, args, args[k])
        result = _into_free_array(ctx, self.rule, args) if self.spare else None
        return self.kernel(ctx, op, *args) if result is None else result


# -- chains -------------------------------------------------------------------------------


def _chains(steps: list[Step], plan: Plan, produced: frozenset, error: ErrorFn) -> list[Step]:
    """``steps`` with each run of two or more consecutive exact elementwise steps, each
    reading the one before and nothing else reading their intermediate values, as one step
    running a :class:`Chain`."""
    readers: dict[int, int] = {}
    for step in steps:
        for slot in set(step.inputs):
            readers[slot] = readers.get(slot, 0) + 1
    fetched = set(plan.fetch_slots)
    out: list[Step] = []
    run: list[Step] = []
    for step in steps:
        rule = _rule(step)
        fusible = rule is not None and rule.expr is not None
        if run and fusible and _links(run[-1], step, readers, fetched):
            run.append(step)
            continue
        out.extend(_fused(run, produced, error))
        run = [step] if fusible else []
        if not fusible:
            out.append(step)
    out.extend(_fused(run, produced, error))
    return out


def _links(before: Step, step: Step, readers: dict, fetched: set) -> bool:
    """Whether ``step`` continues a chain ending with ``before``: it reads ``before``'s value,
    which nothing else reads or fetches, where its expression names it once (numexpr would
    compute a repeated term again each time: ReLU's selection names its operand 4 times)."""
    value = before.outputs[0]
    if value not in step.inputs or readers.get(value) != 1 or value in fetched:
        return False
    expr = RULES[step.op.type].expr
    return all(expr.count(f"{{{k}}}") == 1 for k, s in enumerate(step.inputs) if s == value)


def _fused(run: list[Step], produced: frozenset, error: ErrorFn) -> list[Step]:
    if len(run) < 2:
        return run
    inner = {s.outputs[0] for s in run[:-1]}
    inputs: list[int] = []
    for s in run:
        inputs.extend(i for i in s.inputs if i not in inner and i not in inputs)
    free = tuple(dict.fromkeys(f for s in run for f in s.free if f not in inner))
    dying = tuple(k for k, slot in enumerate(inputs) if slot in free and slot in produced)
    last = run[-1]
    chain = Chain(tuple(run), tuple(inputs), dying, error)
    return [Step(chain, last.op, tuple(inputs), last.outputs, free)]


class Chain:
    """Consecutive elementwise steps run as one step: a numexpr pass over large arrays, else
    the ops one by one, each writing into the value before it (or into a chain input that
    dies with it, when nothing else holds it) where that fits."""

    __slots__ = ("steps", "rules", "where", "last_read", "dying", "expression", "dtype", "error")

    def __init__(self, steps: tuple[Step, ...], inputs: tuple[int, ...], dying, error: ErrorFn):
        self.steps = steps
        self.rules = tuple(RULES[s.op.type] for s in steps)
        position = {slot: k for k, slot in enumerate(inputs)}
        # Per step, each of its inputs: k >= 0, the chain's k-th input; -1, the step before's.
        self.where = tuple(tuple(position.get(i, -1) for i in s.inputs) for s in steps)
        self.last_read = {k: j for j, where in enumerate(self.where) for k in where if k >= 0}
        self.dying = dying
        self.error = error
        value = ""
        for rule, where in zip(self.rules, self.where, strict=True):
            value = rule.expr.format(*(f"a{k}" if k >= 0 else value for k in where))
        self.expression = value
        self.dtype = np.dtype(steps[-1].op.outputs[0].dtype.base_dtype.as_numpy_dtype)

    def __call__(self, ctx, op, *args):
        owned = {k for k in self.dying if sys.getrefcount(args[k]) <= _OWNED_REFS}
        if any(type(a) is np.ndarray and a.nbytes >= NUMEXPR_MIN_BYTES for a in args):
            result = self._numexpr(ctx, args)
            if result is not None:
                return result
        return self._one_by_one(ctx, args, owned)

    def _numexpr(self, ctx, args) -> np.ndarray | None:
        numexpr = _numexpr_module()
        if numexpr is None or not self._checked(args):
            return None
        _follow_threads(numexpr, ctx.threads.count)
        names = {f"a{k}": a for k, a in enumerate(args)}
        try:
            with quiet():
                result = numexpr.evaluate(self.expression, local_dict=names, global_dict={})
        except Exception:  # noqa: BLE001 - the ops run one by one and raise their own errors
            return None
        return result if result.dtype == self.dtype else None

    def _checked(self, args) -> bool:
        """Whether every op's kernel would accept its inputs (dtypes, broadcasting and its
        own checks), worked out from the shapes alone."""
        if not all(type(a) is np.ndarray and a.dtype == self.dtype for a in args):
            return False
        shape: tuple = ()
        for rule, where in zip(self.rules, self.where, strict=True):
            shapes = [args[k].shape if k >= 0 else shape for k in where]
            if rule.valid is not None and not rule.valid(shapes):
                return False
            try:
                shape = np.broadcast_shapes(*shapes)
            except ValueError:
                return False
        return True

    def _one_by_one(self, ctx, args, owned: set):
        value = None
        mine = False  # ``value`` was made by this chain: it may be written in place
        steps = zip(self.steps, self.rules, self.where, strict=True)
        for j, (step, rule, where) in enumerate(steps):
            step_args = [args[k] if k >= 0 else value for k in where]
            writable = [value] if mine else []
            writable += [args[k] for k in where if k in owned and self.last_read[k] == j]
            try:
                value, mine = _run_step(ctx, step, rule, step_args, writable)
            except errors.OpError:
                raise
            except Exception as e:  # noqa: BLE001 - as the executor: named after its op
                raise self.error(step.op, step_args, e) from e
        return value


def _run_step(ctx, step: Step, rule: Rule, args: list, writable: list) -> tuple:
    """One op of a chain, into one of ``writable`` where it fits, else by its kernel; returns
    its value and whether this chain alone holds it."""
    for out in writable:
        if _fits(args, out) and _valid(rule, args):
            return run_into(ctx, rule, args, out), True
    result = _into_free_array(ctx, rule, args)
    if result is not None:
        return result, True
    result = step.kernel(ctx, step.op, *args)
    fresh = type(result) is np.ndarray and result.base is None
    return result, fresh and not any(result is a for a in args)


@functools.cache
def _numexpr_module():
    """``numexpr``, imported on first use; None when it is not installed."""
    try:
        import numexpr
    except ImportError:
        return None
    return numexpr


def _follow_threads(numexpr, count: int) -> None:
    """numexpr's thread count (one setting for the process) set to the session's."""
    if numexpr.get_num_threads() != count:
        numexpr.set_num_threads(count)
