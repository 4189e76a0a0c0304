"""Functions wrapped for ``tf.gradients``: ``tf.grad_pass_through`` (a function whose
gradient is the identity, a straight-through estimator) and ``tf.recompute_grad`` (a function
whose activations are not kept for the gradient but computed again when it is built), both on
``tf.custom_gradient`` as TF builds them."""

from __future__ import annotations

import functools

from scopeflow.framework import nest
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.gradients import gradients
from scopeflow.ops.array.basic import identity
from scopeflow.ops.control.custom_gradient import custom_gradient
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


__all__ = ["grad_pass_through", "recompute_grad"]
