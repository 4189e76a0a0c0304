"""The NumPy kernels of the element-wise ops (``elementwise.py`` registers the ops): how TF's
CPU kernels compute integer division, rounding, the sigmoid..., and the factories wrapping a
NumPy function as a kernel (large results in spans over the run's threads; two scalars through
their own arithmetic)."""

from __future__ import annotations

import operator

import numpy as np

from scopeflow.ops.kernels import extrema
from scopeflow.ops.kernels import quiet as fp


def unary_kernel(fn, quiet: bool = False):
    """The kernel applying the NumPy function ``fn`` to the op's input value; ``quiet``
    silences NumPy's floating-point warnings: as in TF, ``log(-1.0)`` is ``nan`` silently."""
    if quiet:

        def kernel(ctx, op, x):
            with fp.quiet():
                return fn(x)

    else:

        def kernel(ctx, op, x):
            return fn(x)

    return kernel


def binary_kernel(fn, quiet: bool = False):
    """Like ``unary_kernel``, for ``fn(x, y)`` (``1.0 / 0.0`` is ``inf`` silently). A plain
    ufunc's large results are computed in spans over the run's threads."""
    if isinstance(fn, np.ufunc) and fn.nin == 2 and fn.nout == 1:
        return split_kernel(fn, quiet)
    if quiet:

        def kernel(ctx, op, x, y):
            with fp.quiet():
                return fn(x, y)

    else:

        def kernel(ctx, op, x, y):
            return fn(x, y)

    return kernel


# NumPy scalars of one type compute these through their own arithmetic, the same result as
# the ufunc's (same dtype, same rounding, same wrap-around) in a tenth of the time: what a
# tf.while_loop's counters and conditions run on every iteration.
_SCALAR_OPERATORS = {
    np.add: operator.add,
    np.subtract: operator.sub,
    np.multiply: operator.mul,
    np.less: operator.lt,
    np.less_equal: operator.le,
    np.greater: operator.gt,
    np.greater_equal: operator.ge,
}


def split_kernel(fn: np.ufunc, quiet: bool):
    scalar = _SCALAR_OPERATORS.get(fn)
    if quiet:

        def kernel(ctx, op, x, y):
            with fp.quiet():
                return ctx.threads.split_ufunc(fn, x, y)

    elif fn in extrema.SLOW_WITH_ONE_VALUE:

        def kernel(ctx, op, x, y):
            return ctx.threads.split_ufunc(fn, *extrema.spread(x, y))

    elif scalar is not None:

        def kernel(ctx, op, x, y):
            try:
                if x.ndim == 0 and y.ndim == 0:
                    a, b = x[()], y[()]  # 0-d arrays as NumPy scalars
                    if type(a) is type(b):
                        return scalar(a, b)
            except (AttributeError, IndexError):  # not NumPy values: the ufunc decides
                pass
            return ctx.threads.split_ufunc(fn, x, y)

        kernel.scalar_operator = scalar  # what a generated loop may inline for two scalars

    else:

        def kernel(ctx, op, x, y):
            return ctx.threads.split_ufunc(fn, x, y)

    return kernel


def is_int(x) -> bool:
    return x.dtype.kind in "iu"


def nonzero_divisor(y, x) -> None:
    """TF's error for an integer division by zero (none when the result is empty)."""
    if not np.all(y) and np.broadcast(x, y).size:
        raise ZeroDivisionError("Integer division by zero")


def truncate_div(x, y):
    """C's integer division (rounding toward zero), as TF's ``RealDiv`` on integers."""
    nonzero_divisor(y, x)
    return (x - np.fmod(x, y)) // y


def realdiv(x, y):
    return truncate_div(x, y) if is_int(x) else np.true_divide(x, y)


def floordiv(x, y):
    if is_int(x):
        nonzero_divisor(y, x)
        return np.floor_divide(x, y)
    return np.floor(np.true_divide(x, y))  # TF's floor(x / y), not Python's divmod rule


def floormod(x, y):
    if is_int(x):
        nonzero_divisor(y, x)
        return np.remainder(x, y)
    # TF's rule: C's fmod, moved by y when the signs differ (so -0.0 stays -0.0)
    r = np.fmod(x, y)
    return np.where((r != 0) & ((y < 0) != (r < 0)), r + y, r).astype(r.dtype, copy=False)


def squared_difference(x, y):
    d = np.subtract(x, y)
    return np.multiply(d, np.conj(d)) if d.dtype.kind == "c" else np.multiply(d, d)


def reciprocal(x):
    return truncate_div(np.ones_like(x), x) if is_int(x) else np.reciprocal(x)


def round_half_even(x):
    return x if is_int(x) else np.rint(x)  # rint rounds half to even, as TF


def sigmoid(x):
    if x.dtype.kind == "c":
        return 1 / (1 + np.exp(-x))
    e = np.exp(-np.abs(x))  # never overflows; exact in both tails
    r = 1 / (1 + e)
    return extrema.select(x >= 0, r, e * r)
