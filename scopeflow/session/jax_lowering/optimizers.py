"""JAX lowerings of the regularized optimizers' updates (``ApplyFtrl``, ``ApplyFtrlV2``,
``ApplyProximalAdagrad``, ``ApplyProximalGradientDescent``, ``ApplyAdagradDA``), of Keras's
(``ApplyAdagradV2``, ``ApplyAdaMax``, the resource-only ``ResourceApplyKerasMomentum``...) and
of every ``SparseApply*`` op: the update of the dense op applied to the rows an ``IndexedSlices``
gradient names, one index after another (a ``lax.scan``), so repeated indices update in
turn as in TF's kernels.

TF's sparse FTRL and ProximalAdagrad kernels check their hyper-parameters when they run; here
they are checked while tracing when known then (constants, as optimizers build them), and
not at all when fed (XLA cannot fail a run on a value)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.framework import errors
from scopeflow.session.jax_lowering import state


def _require(op, value, ok, what: str) -> None:
    if isinstance(value, np.ndarray | np.generic) and not ok(value):
        raise errors.InvalidArgumentError(None, op, f"{what}: []")


def _check_l1_l2(op, l1, l2) -> None:
    _require(op, l1, lambda v: v >= 0, "l1 regularization strength is not a non-negative scalar")
    _require(op, l2, lambda v: v >= 0, "l2 regularization strength is not a non-negative scalar")


def _check_ftrl(op, lr, l1, l2, lr_power, shrinkage=None) -> None:
    floor = 0 if op._attrs.get("multiply_linear_by_lr", False) else np.nextafter(0, 1)
    _require(
        op,
        lr,
        lambda v: v >= floor,
        "lr is not a positive scalar (or zero if multiply_linear_by_lr is set)",
    )
    _check_l1_l2(op, l1, l2)
    if shrinkage is not None:
        what = "l2 shrinkage regularization strength is not a non-negative scalar"
        _require(op, shrinkage, lambda v: v >= 0, what)
    _require(op, lr_power, lambda v: v <= 0, "lr_power is not a non-positive scalar")


def _check_proximal(op, lr, l1, l2) -> None:
    _require(op, lr, lambda v: v > 0, "lr is not a positive scalar")
    _check_l1_l2(op, l1, l2)


def _ftrl(op, var, accum, linear, grad, lr, l1, l2, *rest):
    """FTRL-proximal's new ``(var, accum, linear)`` in TF's order of operations; ``rest`` is
    ``(lr_power,)`` or, for V2, ``(l2_shrinkage, lr_power)``."""
    shrinkage, lr_power = (None, rest[0]) if len(rest) == 1 else rest
    g = grad if shrinkage is None else grad + (2 * shrinkage) * var
    new_accum = accum + jnp.square(grad)
    root = lr_power == -0.5
    new_power = jnp.where(root, jnp.sqrt(new_accum), jnp.power(new_accum, -lr_power))
    sigma = jnp.where(
        root, jnp.sqrt(new_accum) - jnp.sqrt(accum), new_power - jnp.power(accum, -lr_power)
    )
    if op._attrs.get("multiply_linear_by_lr", False):
        linear = linear + (g * lr - sigma * var)
        bound, y = l1 * lr, new_power + (2 * l2 * lr)
    else:
        linear = linear + (g - sigma / lr * var)
        bound, y = l1, new_power / lr + 2 * l2
    x = jnp.clip(linear, -bound, bound) - linear
    return x / y, new_accum, linear


def _shrink(prox, lr, l1, l2, lr_l1):
    """The proximal step's soft threshold by ``lr_l1`` and its L2 scaling."""
    soft = jnp.sign(prox) * jnp.maximum(jnp.abs(prox) - lr_l1, 0)
    return jnp.where(l1 > 0, soft, prox) / (1 + l2 * lr)


def _proximal_adagrad(op, var, accum, lr, l1, l2, grad):
    accum = accum + jnp.square(grad)
    rate = lr * (1 / jnp.sqrt(accum))
    return _shrink(var - grad * rate, rate, l1, l2, rate * l1), accum


def _proximal_gradient_descent(op, var, alpha, l1, l2, delta):
    return (_shrink(var - delta * alpha, alpha, l1, l2, alpha * l1),)


def _adagrad_da(op, var, g_acc, gg_acc, grad, lr, l1, l2, step):
    g_acc, gg_acc = g_acc + grad, gg_acc + jnp.square(grad)
    step = jnp.asarray(step).astype(var.dtype)
    denominator = l2 * step * lr + jnp.sqrt(gg_acc)
    shrunk = jnp.where(l1 > 0, jnp.sign(g_acc) * jnp.maximum(jnp.abs(g_acc) - l1 * step, 0), g_acc)
    return -lr * shrunk / denominator, g_acc, gg_acc


def _ftrl_checked(op, var, accum, linear, grad, lr, l1, l2, *rest):
    _check_ftrl(op, lr, l1, l2, rest[-1], rest[0] if len(rest) == 2 else None)
    return _ftrl(op, var, accum, linear, grad, lr, l1, l2, *rest)


def _proximal_adagrad_checked(op, var, accum, lr, l1, l2, grad):
    _check_proximal(op, lr, l1, l2)
    return _proximal_adagrad(op, var, accum, lr, l1, l2, grad)


def _adagrad_v2(op, var, accum, lr, epsilon, grad):
    if op._attrs.get("update_slots", True):
        accum = accum + grad * grad
    return var - lr * grad / (jnp.sqrt(accum) + epsilon), accum


def _ada_max(op, var, m, v, beta1_power, lr, beta1, beta2, epsilon, grad):
    m = m + (grad - m) * (1 - beta1)
    v = jnp.maximum(beta2 * v, jnp.abs(grad))
    return var - lr / (1 - beta1_power) * (m / (v + epsilon)), m, v


def _keras_momentum(op, var, accum, lr, grad, momentum):
    accum = accum * momentum - grad * lr
    if op._attrs.get("use_nesterov", False):
        return var + (accum * momentum - grad * lr), accum
    return var + accum, accum


def _adam_amsgrad(op, var, m, v, vhat, beta1_power, beta2_power, lr, beta1, beta2, eps, grad):
    alpha = lr * jnp.sqrt(1 - beta2_power) / (1 - beta1_power)
    m = m + (grad - m) * (1 - beta1)
    v = v + (grad * grad - v) * (1 - beta2)
    vhat = jnp.maximum(vhat, v)
    return var - alpha * m / (jnp.sqrt(vhat) + eps), m, v, vhat


def _sparse(update, n_refs: int, grad_at: int):
    """A ``SparseApply*`` op: ``update`` (the dense op's, on whole arrays) applied to the rows
    ``indices`` names; the op's arguments are the dense op's with ``indices`` right after the
    gradient (``grad_at``: the gradient's position among the non-reference arguments).

    Distinct indices (as TF1's optimizers pass them, duplicates summed) update all rows at
    once; repeated ones, one index after another (a ``lax.scan``), as TF's kernels do."""

    def lower(ctx, op, *args):
        refs, scalars = list(args[:n_refs]), list(args[n_refs:])
        grad = jnp.asarray(scalars[grad_at])
        indices = jnp.asarray(scalars.pop(grad_at + 1))
        values = tuple(ctx.read_variable(r, op) for r in refs)

        def apply(blocks, at, g):
            hyper = list(scalars)
            hyper[grad_at] = g
            new = update(op, *[b[at] for b in blocks], *hyper)
            return tuple(
                b.at[at].set(jnp.asarray(v).astype(b.dtype))
                for b, v in zip(blocks, new, strict=True)
            )

        def step(blocks, k):
            return apply(blocks, indices[k], grad[k]), None

        def one_by_one(blocks):
            return jax.lax.scan(step, blocks, jnp.arange(indices.shape[0]))[0]

        new = values
        if indices.shape[0]:
            ordered = jnp.sort(indices)
            repeated = jnp.any(ordered[1:] == ordered[:-1])
            new = jax.lax.cond(repeated, one_by_one, lambda b: apply(b, indices, grad), values)
        for ref, value in zip(refs, new, strict=True):
            ctx.write_variable(ref, value)
        return ctx.read_variable(refs[0])

    return lower


LOWERINGS = {
    "ApplyFtrl": state.apply_update(_ftrl),
    "ApplyFtrlV2": state.apply_update(_ftrl),
    "ApplyProximalAdagrad": state.apply_update(_proximal_adagrad_checked),
    "ApplyProximalGradientDescent": state.apply_update(_proximal_gradient_descent),
    "ApplyAdagradDA": state.apply_update(_adagrad_da),
    "SparseApplyFtrl": _sparse(_ftrl_checked, 3, 0),
    "SparseApplyFtrlV2": _sparse(_ftrl_checked, 3, 0),
    "SparseApplyProximalAdagrad": _sparse(_proximal_adagrad_checked, 2, 3),
    "SparseApplyProximalGradientDescent": _sparse(_proximal_gradient_descent, 1, 3),
    "SparseApplyAdagradDA": _sparse(_adagrad_da, 3, 0),
    "SparseApplyMomentum": _sparse(state.momentum, 2, 1),
    "SparseApplyAdagrad": _sparse(state.adagrad, 2, 1),
    "SparseApplyRMSProp": _sparse(state.rmsprop, 3, 4),
    "SparseApplyCenteredRMSProp": _sparse(state.centered_rmsprop, 4, 4),
    "SparseApplyAdadelta": _sparse(state.adadelta, 3, 3),
    "ApplyAdagradV2": state.apply_update(_adagrad_v2),
    "SparseApplyAdagradV2": _sparse(_adagrad_v2, 2, 2),
    "ApplyAdaMax": state.apply_update(_ada_max),
}
# The ops TF defines for resource variables only (ops/state/training_keras.py's RESOURCE_ONLY),
# lowered as reference ops; jax_lowering/resource.py drops their output.
RESOURCE_ONLY = {
    "ResourceApplyKerasMomentum": state.apply_update(_keras_momentum),
    "ResourceSparseApplyKerasMomentum": _sparse(_keras_momentum, 2, 1),
    "ResourceApplyAdamWithAmsgrad": state.apply_update(_adam_amsgrad),
}
