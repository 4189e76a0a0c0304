"""``tf.GradientTape`` in graph mode, as TF 2's ``compat.v1`` builds it: the tape records the
ops made inside its ``with`` block, and ``gradient`` differentiates through those ops only.

Built on ``tf.gradients``: the inputs that recorded ops take from ops made outside the tape
are passed as ``stop_gradients``, so a source's gradient flows only along recorded ops, as
TF's tape. Differences from TF, which are not values:

- TF builds the gradient ops of a graph tape from its eager tape, named in the current
  name scope (``Mul_5``, ``AddN``); here they are ``tf.gradients``' ops, in the current name
  scope too, with ``tf.gradients``' internal names (``grad_ys_0``, ``Mul_grad/...``).
- ``jacobian`` and ``batch_jacobian``: TF vectorizes them with ``pfor``; here one gradient per
  element of the target (its shape must be static), seeded with a one-hot
  ``output_gradients``, stacked: the same values, a larger graph.
- scopeflow's variables are TF1's reference variables, which TF 2.21's tape fails on
  (``AttributeError: 'RefVariable' object has no attribute '_id'``); here they behave as TF's
  resource variables do on a tape: trainable ones read inside the block are watched.
"""

from __future__ import annotations

import contextlib

import numpy as np

from scopeflow.framework import nest
from scopeflow.framework.constant import constant
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.tensor import Tensor
from scopeflow.gradients import UnconnectedGradients, gradients
from scopeflow.ops.array.basic import reshape, shape, stack, zeros
from scopeflow.ops.array.shape import zeros_like
from scopeflow.platform import tf_logging as logging

_ONE_SET_ONLY = (
    "A non-persistent GradientTape can only be used to compute one set of gradients (or "
    "jacobians)"
)
# jacobian/batch_jacobian build one gradient per target element; past this the graph is huge.
_MAX_JACOBIAN_ROWS = 2048


def _is_variable(x) -> bool:
    return hasattr(x, "_ref") and hasattr(x, "_snapshot")


def _differentiable(t) -> bool:
    dtype = t.dtype.base_dtype
    return dtype.is_floating or dtype.is_complex


class GradientTape:
    """Records the ops made in its ``with`` block for ``gradient`` and ``jacobian``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([1.0, 2.0])
    ...     with tf.GradientTape() as tape:
    ...         tape.watch(x)
    ...         y = tf.reduce_sum(x * x)
    ...     print(tf.Session().run(tape.gradient(y, x)))
    [2. 4.]
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True):
        self._persistent = bool(persistent)
        self._watch_accessed_variables = bool(watch_accessed_variables)
        self._graph = None
        self._spans: list[tuple[int, int]] = []  # [start, end) of recorded op ids
        self._start: int | None = None  # the open span's start while recording
        self._watched: list = []  # tensors and variables given to watch()
        self._alive = False  # False before the first block and after a one-shot gradient

    # -- recording -------------------------------------------------------------------------

    @property
    def _recording(self) -> bool:
        return self._start is not None

    def __enter__(self) -> GradientTape:
        if self._recording:
            raise ValueError(
                "Tape is still recording, This can happen if you try to re-enter an "
                "already-active tape."
            )
        if not self._alive:
            self._reset_state()
        self._graph = self._graph or get_default_graph()
        self._open()
        return self

    def __exit__(self, *exc) -> None:
        if self._recording:
            self._close()

    def _reset_state(self) -> None:
        self._spans, self._watched, self._alive = [], [], True

    def _open(self) -> None:
        self._start = get_default_graph().version

    def _close(self) -> None:
        self._spans.append((self._start, self._graph.version))
        self._start = None

    def _check_recording(self) -> None:
        if not self._recording:
            raise ValueError("Tape is not recording.")

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops made in this block are not recorded (their results are constants to the tape)."""
        self._check_recording()
        self._close()
        try:
            yield
        finally:
            self._open()

    def reset(self) -> None:
        """Forgets everything recorded so far and goes on recording (inside the block only)."""
        self._check_recording()
        self._reset_state()
        self._open()

    def _recorded(self, op) -> bool:
        if op.graph is not self._graph:
            return False
        spans = self._spans + ([(self._start, self._graph.version)] if self._recording else [])
        return any(start <= op._id < end for start, end in spans)

    def _recorded_ops(self) -> list:
        spans = self._spans + ([(self._start, self._graph.version)] if self._recording else [])
        return [
            op
            for op in self._graph.get_operations()
            if any(start <= op._id < end for start, end in spans)
        ]

    # -- watching --------------------------------------------------------------------------

    def watch(self, tensor) -> None:
        """Makes the tape differentiate with respect to ``tensor`` (a nest of tensors or
        variables); a tensor whose dtype is not floating gets a warning, as in TF."""
        for t in nest.flatten(tensor):
            if not isinstance(t, Tensor) and not _is_variable(t):
                raise ValueError(
                    f"Passed in object {t!r} of type {type(t).__name__!r}, not tf.Tensor or "
                    "tf.Variable or ExtensionType."
                )
            if not _differentiable(t):
                logging.warning(
                    "The dtype of the watched tensor must be floating (e.g. tf.float32), "
                    f"got {t.dtype.base_dtype!r}"
                )
            if self._recording and not any(t is w for w in self._watched):
                self._watched.append(t)

    def watched_variables(self) -> tuple:
        """The variables watched: given to ``watch``, or (with ``watch_accessed_variables``)
        trainable variables that ops recorded on the tape read, in order of first use."""
        found = [w for w in self._watched if _is_variable(w)]
        if self._watch_accessed_variables and self._graph is not None:
            by_tensor = {}
            for v in self._graph.get_collection(GraphKeys.TRAINABLE_VARIABLES):
                if _is_variable(v):
                    by_tensor[v._snapshot] = by_tensor[v._ref()] = v
            for op in self._recorded_ops():
                for t in op.inputs:
                    v = by_tensor.get(t)
                    if v is not None and not any(v is f for f in found):
                        found.append(v)
        return tuple(found)

    # -- gradients -------------------------------------------------------------------------

    def _begin_gradient(self) -> None:
        if not self._alive:
            raise RuntimeError(_ONE_SET_ONLY)
        if self._recording:
            if not self._persistent:
                self._close()
            else:
                logging.log_first_n(  # once, as TF
                    logging.WARN,
                    "GradientTape.gradient called on a persistent tape inside its context: "
                    "the gradient ops are recorded on the tape as well. Call it outside the "
                    "context unless you want higher-order gradients.",
                    1,
                )

    def _end_gradient(self) -> None:
        if not self._persistent:
            self._alive = False

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=UnconnectedGradients.NONE,
    ):
        """d(sum of ``target``)/d(each of ``sources``), through the ops recorded on the tape:
        ``None`` (or zeros with ``unconnected_gradients="zero"``) for a source not connected
        or not watched.

        Raises:
            RuntimeError: a non-persistent tape's second gradient or jacobian.
        """
        self._begin_gradient()
        try:
            flat_sources = nest.flatten(sources)
            targets = nest.flatten(target)
            seeds = nest.flatten(output_gradients) if output_gradients is not None else None
            grads = self._gradients(targets, flat_sources, seeds, unconnected_gradients)
        finally:
            self._end_gradient()
        return nest.pack_sequence_as(sources, grads)

    def _gradients(self, targets, sources, seeds, unconnected) -> list:
        unconnected = getattr(unconnected, "value", unconnected)
        if unconnected not in ("none", "zero"):
            raise ValueError(f"Unknown value for unconnected_gradients: {unconnected!r}")
        for s in sources:
            if not isinstance(s, Tensor) and not _is_variable(s):
                raise ValueError(
                    f"GradientTape.gradient: source {s!r} of type {type(s).__name__!r} is not "
                    "a tf.Tensor or tf.Variable."
                )
        if seeds is not None and len(seeds) != len(targets):
            raise ValueError(
                f"GradientTape.gradient: {len(seeds)} output_gradients for {len(targets)} "
                "targets; pass one per target."
            )
        watched = self._watched_sources()
        xs = [s for s in sources if _differentiable(s) and self._connectable(s, watched)]
        pairs = [
            (t, None if seeds is None else seeds[i])
            for i, t in enumerate(targets)
            if isinstance(t, Tensor)
            and _differentiable(t)
            and (self._recorded(t.op) or any(t is x for x in xs))
        ]
        found = {}
        if xs and pairs:
            with self._graph.as_default():
                ys = [t for t, _ in pairs]
                grad_ys = [g for _, g in pairs] if seeds is not None else None
                scope = self._graph.get_name_scope()
                result = gradients(
                    ys,
                    xs,
                    grad_ys=grad_ys,
                    name=scope + "/" if scope else "",
                    stop_gradients=self._boundary(xs),
                    unconnected_gradients="none",
                )
            found = {id(x): g for x, g in zip(xs, result, strict=True)}
        out = []
        for s in sources:
            g = found.get(id(s))
            if g is None and unconnected == "zero":
                with self._graph.as_default() if self._graph else contextlib.nullcontext():
                    g = zeros(s.shape, dtype=s.dtype.base_dtype, name="zeros_like")
            out.append(g)
        return out

    def _watched_sources(self) -> list:
        return [*self._watched, *self.watched_variables()]

    def _connectable(self, source, watched) -> bool:
        """A source the tape differentiates: watched, or made by a recorded op."""
        if any(source is w for w in watched):
            return True
        return isinstance(source, Tensor) and self._recorded(source.op)

    def _boundary(self, xs) -> list:
        """One output of each op made outside the tape that a recorded op reads: gradients
        stop there (a source's own producer keeps its output's gradient)."""
        keep = set()
        for x in xs:
            if _is_variable(x):
                keep.add(x._snapshot.op)
        recorded = self._recorded_ops()
        stops, seen = [], set(recorded)
        for op in recorded:
            for t in op.inputs:
                if t.op not in seen and t.op not in keep:
                    seen.add(t.op)
                    stops.append(t)
        return stops

    # -- jacobians -------------------------------------------------------------------------

    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """d(each element of ``target``)/d(each source): shape ``target.shape +
        source.shape`` per source (one gradient per target element, stacked)."""
        self._begin_gradient()
        try:
            flat = nest.flatten(sources)
            n, tshape = _static_rows(target, "jacobian", batch=False)
            rows = []
            for i in range(n):
                seed = np.zeros(n, dtype=target.dtype.base_dtype.as_numpy_dtype)
                seed[i] = 1
                seed = constant(seed.reshape(tshape))
                rows.append(self._gradients([target], flat, [seed], unconnected_gradients))
            out = []
            for j, s in enumerate(flat):
                col = [r[j] for r in rows]
                if any(g is None for g in col):
                    out.append(None)
                    continue
                stacked = stack(col) if col else zeros([0, *s.shape.as_list()], s.dtype)
                out.append(reshape(stacked, [*tshape, *s.shape.as_list()]))
        finally:
            self._end_gradient()
        return nest.pack_sequence_as(sources, out)

    def batch_jacobian(
        self,
        target,
        source,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """For each batch row b: d(target[b])/d(source[b]), shape ``[batch] +
        target.shape[1:] + source.shape[1:]`` (rows are assumed independent, as in TF)."""
        self._begin_gradient()
        try:
            for t in (target, source):
                if t.shape.ndims is not None and t.shape.ndims < 2:
                    raise ValueError(f"Shape {t.shape} must have rank at least 2")
            batch_t, batch_s = target.shape[0], source.shape[0]
            if not batch_t.is_compatible_with(batch_s):
                raise ValueError(
                    f"Need first dimension of target shape ({target.shape}) and source shape "
                    f"({source.shape}) to match."
                )
            n, inner = _static_rows(target, "batch_jacobian", batch=True)
            dtype = target.dtype.base_dtype
            cols = []
            for i in range(n):
                hot = np.zeros(n, dtype=dtype.as_numpy_dtype)
                hot[i] = 1
                seed = zeros_like_rows(target, n) + constant(hot)
                seed = reshape(seed, shape(target))
                (g,) = self._gradients([target], [source], [seed], unconnected_gradients)
                cols.append(g)
            if any(g is None for g in cols):
                return None
            out = stack(cols, axis=1)
            return reshape(out, [-1, *inner, *source.shape.as_list()[1:]])
        finally:
            self._end_gradient()


def _static_rows(target, what: str, batch: bool) -> tuple[int, list[int]]:
    """The number of seeds (target elements, past the batch dimension with ``batch``) and the
    static shape they span."""
    dims = target.shape.as_list() if target.shape.ndims is not None else None
    span = None if dims is None else (dims[1:] if batch else dims)
    if span is None or any(d is None for d in span):
        raise NotImplementedError(
            f"GradientTape.{what} of '{target.name}' with shape {target.shape}: scopeflow "
            "builds one gradient per target element, so the target's shape (past the batch "
            "dimension for batch_jacobian) must be static. Reshape it to a static shape, or "
            "use tf.gradients on slices of the target."
        )
    n = int(np.prod(span, dtype=np.int64))
    if n > _MAX_JACOBIAN_ROWS:
        raise NotImplementedError(
            f"GradientTape.{what} of '{target.name}' ({n} elements): scopeflow builds one "
            f"gradient per element, at most {_MAX_JACOBIAN_ROWS}; differentiate a smaller "
            "target (or slices of it) with tape.gradient."
        )
    return n, span


def zeros_like_rows(target, n: int):
    """Zeros of shape ``[batch, n]`` for a target whose dimensions past the first hold n."""
    return reshape(zeros_like(target), [-1, n])
