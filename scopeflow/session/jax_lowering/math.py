"""JAX lowerings of the math ops: elementwise, comparisons, reductions, matrix products."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.session.jax_lowering.common import axis_tuple, binary, out_dtype, static, unary


def _round(x):
    return jnp.round(x) if jnp.issubdtype(x.dtype, jnp.floating) else x


def _sign(x):
    return jnp.sign(x)


def _div_no_nan(x, y):
    zero = y == 0
    return jnp.where(zero, jnp.zeros((), x.dtype), x / jnp.where(zero, jnp.ones((), y.dtype), y))


def _mul_no_nan(x, y):
    return jnp.where(y == 0, jnp.zeros((), x.dtype), x * y)


def _real_div(x, y):
    if jnp.issubdtype(x.dtype, jnp.integer):
        return jnp.trunc(x / y).astype(x.dtype)
    return x / y


def _floor_div(x, y):
    if jnp.issubdtype(x.dtype, jnp.floating):
        return jnp.floor(x / y)
    return jnp.floor_divide(x, y)


def _floor_mod(x, y):
    if jnp.issubdtype(x.dtype, jnp.floating):
        return x - jnp.floor(x / y) * y
    return jnp.mod(x, y)


UNARY = {
    "Abs": jnp.abs,
    "Acos": jnp.arccos,
    "Acosh": jnp.arccosh,
    "Asin": jnp.arcsin,
    "Asinh": jnp.arcsinh,
    "Atan": jnp.arctan,
    "Atanh": jnp.arctanh,
    "Ceil": jnp.ceil,
    "Conj": jnp.conj,
    "Cos": jnp.cos,
    "Cosh": jnp.cosh,
    "Exp": jnp.exp,
    "Expm1": jnp.expm1,
    "Floor": jnp.floor,
    "Invert": jnp.invert,
    "PopulationCount": lambda x: jax.lax.population_count(x).astype(jnp.uint8),
    "IsFinite": jnp.isfinite,
    "IsInf": jnp.isinf,
    "IsNan": jnp.isnan,
    "Log": jnp.log,
    "Log1p": jnp.log1p,
    "LogicalNot": jnp.logical_not,
    "Neg": jnp.negative,
    "Reciprocal": jnp.reciprocal,
    "Rint": jnp.rint,
    "Round": _round,
    "Rsqrt": jax.lax.rsqrt,
    "Sigmoid": jax.nn.sigmoid,
    "Sign": _sign,
    "Sin": jnp.sin,
    "Sinh": jnp.sinh,
    "Sqrt": jnp.sqrt,
    "Square": jnp.square,
    "Tan": jnp.tan,
    "Tanh": jnp.tanh,
    "Identity": lambda x: x,
    "StopGradient": lambda x: x,
    "PreventGradient": lambda x: x,
    "PlaceholderWithDefault": lambda x: x,
    "ZerosLike": jnp.zeros_like,
    "L2Loss": lambda x: jnp.sum(jnp.square(x)) / 2,
}

BINARY = {
    "AddV2": jnp.add,
    "Atan2": jnp.arctan2,
    "MulNoNan": _mul_no_nan,
    "NextAfter": jnp.nextafter,
    "Sub": jnp.subtract,
    "Mul": jnp.multiply,
    "RealDiv": _real_div,
    "DivNoNan": _div_no_nan,
    "FloorDiv": _floor_div,
    "FloorMod": _floor_mod,
    "Pow": jnp.power,
    "Maximum": jnp.maximum,
    "Minimum": jnp.minimum,
    "SquaredDifference": lambda x, y: (x - y) * jnp.conj(x - y),
    "Equal": jnp.equal,
    "NotEqual": jnp.not_equal,
    "Greater": jnp.greater,
    "GreaterEqual": jnp.greater_equal,
    "Less": jnp.less,
    "LessEqual": jnp.less_equal,
    "LogicalAnd": jnp.logical_and,
    "LogicalOr": jnp.logical_or,
    "BitwiseAnd": jnp.bitwise_and,
    "BitwiseOr": jnp.bitwise_or,
    "BitwiseXor": jnp.bitwise_xor,
}


def _reduction(fn):
    def lower(ctx, op, x, axis):
        x = jnp.asarray(x)
        axes = axis_tuple(axis, x.ndim)
        return fn(x, axis=axes, keepdims=bool(op._attrs.get("keep_dims", False)))

    return lower


def _lowest(fn, lowest: bool):
    """``jnp.max``/``jnp.min`` giving the dtype's lowest/highest value for an empty
    reduction, as TF does."""

    def reduce(x, axis, keepdims):
        if x.size:
            return fn(x, axis=axis, keepdims=keepdims)
        info = jnp.finfo(x.dtype) if jnp.issubdtype(x.dtype, jnp.floating) else jnp.iinfo(x.dtype)
        if jnp.issubdtype(x.dtype, jnp.floating):
            value = -jnp.inf if lowest else jnp.inf
        else:
            value = info.min if lowest else info.max
        return fn(x, axis=axis, keepdims=keepdims, initial=value)

    return reduce


def _mean(x, axis, keepdims):
    if jnp.issubdtype(x.dtype, jnp.integer):
        total = jnp.sum(x, axis=axis, keepdims=keepdims)
        count = int(np.prod([x.shape[a] for a in axis])) if axis else 1
        return jnp.trunc(total / max(count, 1)).astype(x.dtype)
    return jnp.mean(x, axis=axis, keepdims=keepdims)


def _arg(fn):
    def lower(ctx, op, x, axis):
        x = jnp.asarray(x)
        return fn(x, axis=int(static(axis)) % max(x.ndim, 1)).astype(out_dtype(op))

    return lower


def _matmul(ctx, op, a, b):
    if op._attrs.get("transpose_a"):
        a = a.T
    if op._attrs.get("transpose_b"):
        b = b.T
    return jnp.matmul(a, b, preferred_element_type=None)


def _sparse_matmul(ctx, op, a, b):
    """``SparseMatMul``: float32 (or bfloat16) inputs, a float32 product."""
    return _matmul(ctx, op, a.astype(jnp.float32), b.astype(jnp.float32))


def _batch_matmul(ctx, op, a, b):
    if op._attrs.get("adj_x"):
        a = jnp.conj(jnp.swapaxes(a, -1, -2))
    if op._attrs.get("adj_y"):
        b = jnp.conj(jnp.swapaxes(b, -1, -2))
    return jnp.matmul(a, b)


def _cast(ctx, op, x):
    x, dtype = jnp.asarray(x), out_dtype(op)
    if jnp.iscomplexobj(x) and not jnp.issubdtype(dtype, jnp.complexfloating):
        x = jnp.real(x)  # TF keeps the real part (JAX's astype warns, and will refuse)
    return x.astype(dtype)


def _add_n(ctx, op, *xs):
    total = xs[0]
    for x in xs[1:]:
        total = total + x
    return total


def _select(ctx, op, cond, x, y):
    cond = jnp.asarray(cond)
    if cond.ndim == 1 and jnp.ndim(x) > 1:
        cond = cond.reshape((-1,) + (1,) * (jnp.ndim(x) - 1))
    return jnp.where(cond, x, y)


def _cumulative(fn):
    def lower(ctx, op, x, axis):
        x = jnp.asarray(x)
        axis = int(static(axis)) % x.ndim
        if op._attrs.get("reverse"):
            x = jnp.flip(x, axis)
        out = fn(x, axis=axis)
        if op._attrs.get("exclusive"):
            identity = 0 if fn is jnp.cumsum else 1
            pad = [(0, 0)] * x.ndim
            pad[axis] = (1, 0)
            out = jnp.pad(out, pad, constant_values=identity)
            out = jax.lax.slice_in_dim(out, 0, x.shape[axis], axis=axis)
        if op._attrs.get("reverse"):
            out = jnp.flip(out, axis)
        return out

    return lower


def _truncate_div(x, y):
    if jnp.issubdtype(x.dtype, jnp.integer):
        return jax.lax.div(x, y)  # C's division, rounding toward zero
    quotient = x / y
    return quotient if jnp.iscomplexobj(quotient) else jnp.trunc(quotient)


def _shift(fn):
    """A shift by a count clamped to ``[0, bits - 1]``, as TF's kernels clamp it."""

    def shift(x, y):
        bits = jnp.iinfo(x.dtype).bits
        return fn(x, jnp.clip(y, 0, bits - 1).astype(x.dtype))

    return shift


def _euclidean(x, axis, keepdims):
    """Squares summed in ``x``'s own dtype (integers wrap), the root of an integer sum
    truncated, as TF computes it."""
    squares = x * (jnp.conj(x) if jnp.iscomplexobj(x) else x)
    total = jnp.sum(squares, axis=axis, keepdims=keepdims, dtype=x.dtype)
    if jnp.issubdtype(x.dtype, jnp.integer):
        return jnp.sqrt(total.astype(jnp.float64)).astype(x.dtype)
    return jnp.sqrt(total)


def _log_add_exp(acc, x):
    """TF's ``LogSumExpReducer``: ``log1p(exp(min - max)) + max`` with C's ``min``/``max``
    (a NaN ``x`` compares false), ``-inf`` kept; ``inf`` and ``inf`` give NaN."""
    low = jnp.where(x < acc, x, acc)
    high = jnp.where(acc < x, x, acc)
    return jnp.where(high == -jnp.inf, high, jnp.log1p(jnp.exp(low - high)) + high)


def _cumulative_logsumexp(ctx, op, x, axis):
    """The NumPy kernel's scan in order (float32 for half types) as a ``lax.scan``."""
    x = jnp.asarray(x)
    axis = int(static(axis)) % x.ndim
    work = jnp.moveaxis(x.astype(jnp.float32) if jnp.finfo(x.dtype).bits < 32 else x, axis, 0)
    exclusive = bool(op._attrs["exclusive"])

    def step(acc, row):
        new = _log_add_exp(acc, row)
        return new, acc if exclusive else new

    start = jnp.full(work.shape[1:], -jnp.inf, work.dtype)
    out = jax.lax.scan(step, start, work, reverse=bool(op._attrs["reverse"]))[1]
    return jnp.moveaxis(out, 0, axis).astype(x.dtype)


def _bucketize(ctx, op, x):
    boundaries = np.asarray(op._attrs["boundaries"], dtype=np.float64)
    index = jnp.searchsorted(boundaries, jnp.asarray(x).astype(jnp.float64), side="right")
    return index.astype(jnp.int32)


def _einsum(ctx, op, *xs):
    equation = op._attrs["equation"].replace(" ", "")
    inputs, _, output = equation.partition("->")
    if "." in output or len(set(output)) == len(output):
        return jnp.einsum(equation, *xs)
    # A repeated output index ('i->ii'): the einsum to the distinct indices, then placed on
    # the diagonal (zeros elsewhere), which jnp.einsum does not do.
    distinct = "".join(dict.fromkeys(output))
    base = jnp.einsum(f"{inputs}->{distinct}", *xs)
    sizes = dict(zip(distinct, base.shape, strict=True))
    grids = np.indices([sizes[c] for c in output])
    first = {c: output.index(c) for c in distinct}
    value = base[tuple(grids[first[c]] for c in distinct)]
    on_diagonal = np.all([grids[p] == grids[first[c]] for p, c in enumerate(output)], axis=0)
    return jnp.where(on_diagonal, value, jnp.zeros((), base.dtype))


LOWERINGS = {
    **{name: unary(fn) for name, fn in UNARY.items()},
    **{name: binary(fn) for name, fn in BINARY.items()},
    "ComplexAbs": lambda ctx, op, x: jnp.abs(x),
    "Sum": _reduction(jnp.sum),
    "Prod": _reduction(jnp.prod),
    "Max": _reduction(_lowest(jnp.max, True)),
    "Min": _reduction(_lowest(jnp.min, False)),
    "Mean": _reduction(_mean),
    "All": _reduction(jnp.all),
    "Any": _reduction(jnp.any),
    "ArgMax": _arg(jnp.argmax),
    "ArgMin": _arg(jnp.argmin),
    "MatMul": _matmul,
    "SparseMatMul": _sparse_matmul,
    "BatchMatMulV2": _batch_matmul,
    "Cast": _cast,
    "AddN": _add_n,
    "Select": _select,
    "SelectV2": lambda ctx, op, c, x, y: jnp.where(c, x, y),
    "Cumsum": _cumulative(jnp.cumsum),
    "Cumprod": _cumulative(jnp.cumprod),
    "Einsum": _einsum,
    "TruncateDiv": binary(_truncate_div),
    "TruncateMod": binary(jax.lax.rem),
    "LeftShift": binary(_shift(jnp.left_shift)),
    "RightShift": binary(_shift(jnp.right_shift)),
    "EuclideanNorm": _reduction(_euclidean),
    "CumulativeLogsumexp": _cumulative_logsumexp,
    "Bucketize": _bucketize,
}
