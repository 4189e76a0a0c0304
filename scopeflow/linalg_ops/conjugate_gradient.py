"""``tf.linalg.experimental.conjugate_gradient``: solves ``A x = rhs`` for a self-adjoint
positive definite operator ``A`` by (preconditioned) conjugate gradients in a ``while_loop``."""

from __future__ import annotations

import collections

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import shape, zeros
from scopeflow.ops.array.join import concat
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.ops.math.broadcasting import broadcast_dynamic_shape, broadcast_to
from scopeflow.ops.math.elementwise import conj, greater, less, logical_and
from scopeflow.ops.math.norm import norm
from scopeflow.ops.math.reduction import reduce_any, reduce_sum

CGState = collections.namedtuple("CGState", ["i", "x", "r", "p", "gamma"])


def _inner(a, b):
    """``<a, b>`` over the last axis, conjugating ``a``."""
    return reduce_sum(conj(a) * b, axis=-1)


def conjugate_gradient(
    operator,
    rhs,
    preconditioner=None,
    x=None,
    tol=1e-5,
    max_iter=20,
    name="conjugate_gradient",
):
    """Conjugate gradients for ``operator x = rhs`` (``rhs`` ``[..., N]``), stopping after
    ``max_iter`` steps or once every residual's norm is at most ``tol`` times ``rhs``'s.

    Returns ``CGState(i, x, r, p, gamma)``: the step count, the solution, the residual, the
    last search direction and ``<r, M r>`` (``M`` the preconditioner, an approximation of the
    inverse of ``operator``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     op = tf.linalg.LinearOperatorFullMatrix(
    ...         [[4.0, 1.0], [1.0, 3.0]], is_self_adjoint=True, is_positive_definite=True)
    ...     state = tf.linalg.experimental.conjugate_gradient(op, tf.constant([1.0, 2.0]))
    ...     print(tf.Session().run(state.x).round(5))
    [0.09091 0.63636]
    """
    if not (operator.is_self_adjoint and operator.is_positive_definite):
        raise ValueError("Expected a self-adjoint, positive definite operator.")

    def apply_preconditioner(r):
        return r if preconditioner is None else preconditioner.matvec(r)

    def keep_going(i, state):
        unconverged = reduce_any(greater(norm(state.r, axis=-1), tol))
        return logical_and(less(i, max_iter), unconverged)

    def step(i, state):
        z = operator.matvec(state.p)
        alpha = state.gamma / _inner(state.p, z)
        x_next = state.x + alpha[..., None] * state.p
        r_next = state.r - alpha[..., None] * z
        q = apply_preconditioner(r_next)
        gamma = _inner(r_next, q)
        p_next = q + (gamma / state.gamma)[..., None] * state.p
        return i + 1, CGState(i + 1, x_next, r_next, p_next, gamma)

    with name_scope(name):
        rhs = convert_to_tensor(rhs, name="rhs")
        operator.range_dimension.assert_is_compatible_with(rhs.shape[-1])
        batch = broadcast_dynamic_shape(shape(rhs)[:-1], operator.batch_shape_tensor())
        if preconditioner is not None:
            batch = broadcast_dynamic_shape(batch, preconditioner.batch_shape_tensor())
        full_shape = concat([batch, shape(rhs)[-1:]], axis=-1)
        r0 = broadcast_to(rhs, full_shape)
        tol = tol * norm(r0, axis=-1)
        if x is None:
            x = zeros(full_shape, dtype=rhs.dtype.base_dtype)
        else:
            x = convert_to_tensor(x, dtype=rhs.dtype, name="x")
            r0 = rhs - operator.matvec(x)
        p0 = apply_preconditioner(r0)
        i = convert_to_tensor(0, dtype=dtypes.int32)
        state = CGState(i=i, x=x, r=r0, p=p0, gamma=_inner(r0, p0))
        _, state = while_loop(keep_going, step, [i, state])
        return CGState(state.i, x=state.x, r=state.r, p=state.p, gamma=state.gamma)
