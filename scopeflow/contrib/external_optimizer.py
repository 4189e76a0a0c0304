"""``tf.contrib.opt.ExternalOptimizerInterface`` and ``ScipyOptimizerInterface``: a loss
minimized by an algorithm outside the graph (``scipy.optimize.minimize``, L-BFGS-B by default),
as TF 1.15 runs it. The variables are packed into one float vector; each evaluation feeds a
candidate vector to the variables and fetches the loss and its packed gradient; at the end the
result is assigned to the variables through placeholders. SciPy is imported when
``minimize`` runs.

>>> import scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     v = tf.Variable([7.0, 7.0], name="vector")
...     opt = tf.contrib.opt.ScipyOptimizerInterface(
...         tf.reduce_sum(tf.square(v - 1.0)), options={"maxiter": 100})
...     sess.run(tf.global_variables_initializer())
...     opt.minimize(sess)
...     print(sess.run(v).round(4))
[1. 1.]
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework.defaults import get_default_session
from scopeflow.gradients import gradients
from scopeflow.ops.array.basic import placeholder, reshape
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import zeros_like
from scopeflow.platform import tf_logging
from scopeflow.variables.collections import trainable_variables


def _shape_tuple(tensor) -> tuple:
    return tuple(tensor.shape.as_list())


def _packed_gradients(tensor, var_list) -> list:
    """``tensor``'s gradients w.r.t. ``var_list``, zeros for a variable it does not reach."""
    grads = gradients(tensor, var_list)
    return [zeros_like(v) if g is None else g for v, g in zip(var_list, grads, strict=True)]


class ExternalOptimizerInterface:
    """The graph side of an external minimizer: subclasses implement ``_minimize``.

    Args:
        loss: the scalar to minimize.
        var_list: the variables to optimize (default: the trainable variables).
        equalities, inequalities: scalar tensors constrained ``== 0`` and ``>= 0``.
        var_to_bounds: ``{variable: (low, high)}``, bounds broadcast to the variable.
        **optimizer_kwargs: passed to the external algorithm.
    """

    def __init__(
        self,
        loss,
        var_list=None,
        equalities=None,
        inequalities=None,
        var_to_bounds=None,
        **optimizer_kwargs,
    ):
        self._loss = loss
        self._equalities = equalities or []
        self._inequalities = inequalities or []
        self._vars = trainable_variables() if var_list is None else list(var_list)
        self._packed_bounds = None
        if var_to_bounds is not None:
            low, high = [], []
            for var in self._vars:
                shape = var.shape.as_list()
                bounds = var_to_bounds.get(var, (-np.inf, np.inf))
                low.extend(np.broadcast_to(bounds[0], shape).flat)
                high.extend(np.broadcast_to(bounds[1], shape).flat)
            self._packed_bounds = list(zip(low, high, strict=True))
        self._update_placeholders = [placeholder(var.dtype) for var in self._vars]
        self._var_updates = [
            var.assign(reshape(ph, _shape_tuple(var)))
            for var, ph in zip(self._vars, self._update_placeholders, strict=True)
        ]
        loss_grads = _packed_gradients(loss, self._vars)
        equality_grads = [_packed_gradients(e, self._vars) for e in self._equalities]
        inequality_grads = [_packed_gradients(e, self._vars) for e in self._inequalities]
        self.optimizer_kwargs = optimizer_kwargs
        self._packed_var = self._pack(self._vars)
        self._packed_loss_grad = self._pack(loss_grads)
        self._packed_equality_grads = [self._pack(g) for g in equality_grads]
        self._packed_inequality_grads = [self._pack(g) for g in inequality_grads]
        ends = np.cumsum([0] + [int(np.prod(_shape_tuple(v))) for v in self._vars])
        self._packing_slices = [slice(a, b) for a, b in zip(ends[:-1], ends[1:], strict=True)]

    def minimize(
        self,
        session=None,
        feed_dict=None,
        fetches=None,
        step_callback=None,
        loss_callback=None,
        **run_kwargs,
    ):
        """Runs the external minimizer from the variables' current values, then assigns its
        result to them. ``loss_callback(*fetches)`` follows each evaluation of the loss,
        ``step_callback(packed_vector)`` each step of the algorithm."""
        session = session or get_default_session()
        feed_dict = feed_dict or {}
        fetches = fetches or []
        loss_callback = loss_callback or (lambda *fetched: None)
        step_callback = step_callback or (lambda xk: None)
        loss_grad_func = self._make_eval_func(
            [self._loss, self._packed_loss_grad], session, feed_dict, fetches, loss_callback
        )
        funcs = [
            [self._make_eval_func(t, session, feed_dict, fetches) for t in tensors]
            for tensors in (
                self._equalities,
                self._packed_equality_grads,
                self._inequalities,
                self._packed_inequality_grads,
            )
        ]
        initial = session.run(self._packed_var)
        packed = self._minimize(
            initial_val=initial,
            loss_grad_func=loss_grad_func,
            equality_funcs=funcs[0],
            equality_grad_funcs=funcs[1],
            inequality_funcs=funcs[2],
            inequality_grad_funcs=funcs[3],
            packed_bounds=self._packed_bounds,
            step_callback=step_callback,
            optimizer_kwargs=self.optimizer_kwargs,
        )
        values = [packed[s] for s in self._packing_slices]
        session.run(
            self._var_updates,
            feed_dict=dict(zip(self._update_placeholders, values, strict=True)),
            **run_kwargs,
        )

    def _minimize(
        self,
        initial_val,
        loss_grad_func,
        equality_funcs,
        equality_grad_funcs,
        inequality_funcs,
        inequality_grad_funcs,
        packed_bounds,
        step_callback,
        optimizer_kwargs,
    ):
        raise NotImplementedError(
            "To use ExternalOptimizerInterface, subclass from it and implement the "
            "_minimize() method."
        )

    @classmethod
    def _pack(cls, tensors):
        """The tensors flattened and concatenated into one vector (``None`` for none)."""
        if not tensors:
            return None
        if len(tensors) == 1:
            return reshape(tensors[0], [-1])
        return concat([reshape(t, [-1]) for t in tensors], 0)

    def _make_eval_func(self, tensors, session, feed_dict, fetches, callback=None):
        """A function of a packed vector that feeds it to the variables and returns the
        ``tensors``' values (calling ``callback`` with the extra ``fetches``' values)."""
        tensors = tensors if isinstance(tensors, list) else [tensors]
        count = len(tensors)

        def eval_func(x):
            feed = {
                var: x[s].reshape(_shape_tuple(var))
                for var, s in zip(self._vars, self._packing_slices, strict=True)
            }
            feed.update(feed_dict)
            values = session.run(tensors + fetches, feed_dict=feed)
            if callable(callback):
                callback(*values[count:])
            return values[:count]

        return eval_func


class ScipyOptimizerInterface(ExternalOptimizerInterface):
    """``scipy.optimize.minimize`` over the variables (``method`` default ``"L-BFGS-B"``;
    other keyword arguments such as ``options`` go to SciPy; equalities and inequalities
    become SciPy constraints)."""

    _DEFAULT_METHOD = "L-BFGS-B"

    def _minimize(
        self,
        initial_val,
        loss_grad_func,
        equality_funcs,
        equality_grad_funcs,
        inequality_funcs,
        inequality_grad_funcs,
        packed_bounds,
        step_callback,
        optimizer_kwargs,
    ):
        def loss_grad_func_wrapper(x):
            loss, gradient = loss_grad_func(x)
            return loss, gradient.astype("float64")

        optimizer_kwargs = dict(optimizer_kwargs)
        method = optimizer_kwargs.pop("method", self._DEFAULT_METHOD)

        def float64(func):  # SciPy's SLSQP now takes float64 arrays only
            return lambda x: np.asarray(func(x), np.float64)

        constraints = [
            {"type": "eq", "fun": float64(f), "jac": float64(j)}
            for f, j in zip(equality_funcs, equality_grad_funcs, strict=True)
        ] + [
            {"type": "ineq", "fun": float64(f), "jac": float64(j)}
            for f, j in zip(inequality_funcs, inequality_grad_funcs, strict=True)
        ]
        minimize_kwargs = {
            "jac": True,
            "callback": step_callback,
            "method": method,
            "constraints": constraints,
            "bounds": packed_bounds,
        }
        for kwarg in minimize_kwargs:
            if kwarg in optimizer_kwargs:
                if kwarg == "bounds":
                    raise ValueError("Bounds must be set using the var_to_bounds argument")
                raise ValueError(
                    f"Optimizer keyword arg '{kwarg}' is set automatically and cannot be "
                    "injected manually"
                )
        minimize_kwargs.update(optimizer_kwargs)
        import scipy.optimize

        initial_val = np.asarray(initial_val, np.float64)  # as the SciPy of TF1's time cast it
        result = scipy.optimize.minimize(loss_grad_func_wrapper, initial_val, **minimize_kwargs)
        lines = ["Optimization terminated with:", "  Message: %s", "  Objective function value: %f"]
        args = [result.message, result.fun]
        if hasattr(result, "nit"):
            lines.append("  Number of iterations: %d")
            args.append(result.nit)
        if hasattr(result, "nfev"):
            lines.append("  Number of functions evaluations: %d")
            args.append(result.nfev)
        tf_logging.info("\n".join(lines), *args)
        return result["x"]


__all__ = ["ExternalOptimizerInterface", "ScipyOptimizerInterface"]
