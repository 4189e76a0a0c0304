"""Functions built on ``tf.gradients``: ``tf.hessians`` (a loop of gradients),
``tf.grad_pass_through`` (a function whose gradient is the identity, a straight-through
estimator) and ``tf.recompute_grad`` (a function whose activations are not kept for the
gradient but computed again when it is built), the last two on ``tf.custom_gradient`` as TF
builds them."""

from __future__ import annotations

import functools

from scopeflow.framework import dtypes, nest, undo
from scopeflow.framework.constant import constant
from scopeflow.framework.graph import graph_of
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.gradients import _as_list, _as_x, gradients
from scopeflow.ops.array.basic import identity, reshape, shape
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import size
from scopeflow.ops.control.custom_gradient import custom_gradient
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.control.while_loop import while_loop
from scopeflow.variables.variable_scope import get_variable_scope, variable_scope


def grad_pass_through(f):
    """``f`` with the identity as its gradient: ``tf.gradients`` passes each output's gradient
    to the matching input unchanged (variables ``f`` reads get none).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([0.4, 1.7])
    ...     y = tf.grad_pass_through(tf.round)(x)
    ...     print(tf.Session().run([y, tf.gradients(3.0 * y, x)[0]]))
    [array([0., 2.], dtype=float32), array([3., 3.], dtype=float32)]
    """

    @custom_gradient
    def pass_through(*args):
        def grad(*dys, variables=None):
            return (dys, [None] * len(variables)) if variables else dys

        return f(*args), grad

    return functools.wraps(f)(pass_through)


def recompute_grad(f):
    """``f`` whose gradient is built from a second call of ``f`` (on the same inputs, in the
    variable scope of the first call, reusing its variables) made when ``tf.gradients`` asks
    for it, so that the first call's intermediate values need not be kept: memory for
    compute. The values of ``f`` and of its gradients are unchanged.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([1.0, 2.0])
    ...     y = tf.recompute_grad(lambda t: t * t)(x)
    ...     print(tf.Session().run(tf.gradients(y, x)[0]))
    [2. 4.]
    """

    @custom_gradient
    def recomputed(*args):
        scope = get_variable_scope()
        result = f(*args)

        def grad(*dresult, variables=None):
            with control_dependencies(dresult):  # computed again once the gradient arrives
                inputs = [identity(a) for a in args]
            with variable_scope(scope, reuse=True):
                again = nest.flatten(f(*inputs))
            variables = list(variables or [])
            grads = gradients(
                again, inputs + variables, grad_ys=list(dresult), unconnected_gradients="zero"
            )
            input_grads = grads[: len(inputs)]
            return (input_grads, grads[len(inputs) :]) if variables else input_grads

        return result, grad

    return functools.wraps(f)(recomputed)


@undo.atomic
def hessians(
    ys,
    xs,
    name="hessians",
    colocate_gradients_with_ops=False,
    gate_gradients=False,
    aggregation_method=None,
):
    """For each ``x`` in ``xs``, the Hessian of the sum of ``ys``: a tensor of shape
    ``x.shape + x.shape`` whose ``[i..., j...]`` element is d2(sum ys)/dx[i...]dx[j...].

    Built as TF1 builds it (``name`` unused, as in TF1): the first gradients, flattened
    (``Reshape``); a ``tf.while_loop`` over their ``Size`` elements whose body writes the
    gradient of element ``j`` into a ``TensorArray``; its stack reshaped to ``x``'s shape
    twice (``Reshape_1``). Where TF1 fails on an ``x`` that does not affect ``ys`` or on a
    linear ``y``, this returns ``None`` for the unconnected ``x`` and zeros for the linear one.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.constant([1.0, 2.0])
    ...     (h,) = tf.hessians(tf.reduce_sum(x ** 3), x)
    ...     with tf.Session() as sess:
    ...         print(h.name, sess.run(h).tolist())
    Reshape_1:0 [[6.0, 0.0], [0.0, 12.0]]
    """
    ys, xs = _as_list(ys), _as_list(xs)
    graph = graph_of([*ys, *xs])
    options = {
        "colocate_gradients_with_ops": colocate_gradients_with_ops,
        "gate_gradients": gate_gradients,
        "aggregation_method": aggregation_method,
    }
    with graph.as_default():
        out = []
        for x, first in zip(xs, gradients(ys, xs, **options), strict=True):
            if first is None:
                out.append(None)
                continue
            x = _as_x(x)
            flat = reshape(first, [-1])
            count = size(x)

            def body(j, rows, flat=flat, x=x):
                (row,) = gradients(flat[j], x, unconnected_gradients="zero", **options)
                return j + 1, rows.write(j, row)

            start = (constant(0, dtypes.int32), TensorArray(x.dtype.base_dtype, count))
            _, rows = while_loop(lambda j, _, count=count: j < count, body, start)
            x_shape = shape(x)
            out.append(reshape(rows.stack(), concat([x_shape, x_shape], 0)))
        return out


__all__ = ["grad_pass_through", "hessians", "recompute_grad"]
