"""The regularized optimizers' update ops: ``ApplyFtrl``/``ApplyFtrlV2`` (FTRL-proximal,
V2 with ``l2_shrinkage``), ``ApplyProximalAdagrad``, ``ApplyProximalGradientDescent`` and
``ApplyAdagradDA`` (whose ``global_step`` is an int64 scalar), and their ``SparseApply*``
forms, which update only the rows an ``IndexedSlices`` gradient names.

They follow ``scopeflow/ops/state/training.py`` (same signatures table, checks and row
helpers) and TF's kernels: the same order of operations, and the same run-time checks of the
hyper-parameters - which TF makes in the sparse FTRL kernels and in ProximalAdagrad's, not in
the dense FTRL, proximal gradient descent or AdagradDA kernels.
"""

from __future__ import annotations

import numpy as np

from scopeflow.ops.state.training import (
    SIGNATURES,
    _invalid,
    _rounds,
    _rows,
    _store,
    _values,
    register_apply_ops,
)

_FTRL = ("lr", "l1", "l2", "lr_power")
_FTRL_V2 = ("lr", "l1", "l2", "l2_shrinkage", "lr_power")
_PROXIMAL = ("lr", "l1", "l2")
SIGNATURES.update(
    {
        "ApplyFtrl": (("var", "accum", "linear", "grad", *_FTRL), 3, frozenset(_FTRL)),
        "ApplyFtrlV2": (("var", "accum", "linear", "grad", *_FTRL_V2), 3, frozenset(_FTRL_V2)),
        "ApplyProximalAdagrad": (("var", "accum", *_PROXIMAL, "grad"), 2, frozenset(_PROXIMAL)),
        "ApplyProximalGradientDescent": (
            ("var", "alpha", "l1", "l2", "delta"),
            1,
            frozenset({"alpha", "l1", "l2"}),
        ),
        "ApplyAdagradDA": (
            ("var", "gradient_accumulator", "gradient_squared_accumulator", "grad", *_PROXIMAL)
            + ("global_step",),
            3,
            frozenset(_PROXIMAL),
        ),
        "SparseApplyFtrl": (
            ("var", "accum", "linear", "grad", "indices", *_FTRL),
            3,
            frozenset(_FTRL),
        ),
        "SparseApplyFtrlV2": (
            ("var", "accum", "linear", "grad", "indices", *_FTRL_V2),
            3,
            frozenset(_FTRL_V2),
        ),
        "SparseApplyProximalAdagrad": (
            ("var", "accum", *_PROXIMAL, "grad", "indices"),
            2,
            frozenset(_PROXIMAL),
        ),
        "SparseApplyProximalGradientDescent": (
            ("var", "alpha", "l1", "l2", "grad", "indices"),
            1,
            frozenset({"alpha", "l1", "l2"}),
        ),
        "SparseApplyAdagradDA": (
            ("var", "gradient_accumulator", "gradient_squared_accumulator", "grad", "indices")
            + (*_PROXIMAL, "global_step"),
            3,
            frozenset(_PROXIMAL),
        ),
    }
)


def _require(op, ok: bool, what: str) -> None:
    if not ok:
        raise _invalid(op, f"{what}: []")


def _check_ftrl(op, lr, l1, l2, lr_power, shrinkage=None) -> None:
    """The sparse FTRL kernels' checks of their hyper-parameters, in TF's words."""
    by_lr = op._attrs.get("multiply_linear_by_lr", False)
    lr_ok = lr > 0 or (by_lr and lr >= 0)
    _require(op, lr_ok, "lr is not a positive scalar (or zero if multiply_linear_by_lr is set)")
    _require(op, l1 >= 0, "l1 regularization strength is not a non-negative scalar")
    _require(op, l2 >= 0, "l2 regularization strength is not a non-negative scalar")
    if shrinkage is not None:
        _require(
            op, shrinkage >= 0, "l2 shrinkage regularization strength is not a non-negative scalar"
        )
    _require(op, lr_power <= 0, "lr_power is not a non-positive scalar")


def _check_proximal(op, lr, l1, l2) -> None:
    _require(op, lr > 0, "lr is not a positive scalar")
    _require(op, l1 >= 0, "l1 regularization strength is not a non-negative scalar")
    _require(op, l2 >= 0, "l2 regularization strength is not a non-negative scalar")


def _ftrl(op, var, accum, linear, grad, lr, l1, l2, shrinkage, lr_power):
    """FTRL-proximal's new ``(var, accum, linear)`` in TF's order of operations."""
    by_lr = op._attrs.get("multiply_linear_by_lr", False)
    g = grad if shrinkage is None else grad + (2 * shrinkage) * var
    new_accum = accum + np.square(grad)
    if lr_power == -0.5:
        new_power, sigma = np.sqrt(new_accum), np.sqrt(new_accum) - np.sqrt(accum)
    else:
        new_power = np.power(new_accum, -lr_power)
        sigma = new_power - np.power(accum, -lr_power)
    if by_lr:
        linear = linear + (g * lr - sigma * var)
        bound, y = l1 * lr, new_power + (2 * l2 * lr)
    else:
        linear = linear + (g - sigma / lr * var)
        bound, y = l1, new_power / lr + 2 * l2
    x = np.clip(linear, -bound, bound) - linear
    return x / y, new_accum, linear


def _ftrl_kernel(ctx, op, var_ref, accum_ref, linear_ref, grad, *hyper):
    var, accum, linear = _values(ctx, op, [var_ref, accum_ref, linear_ref], grad)
    shrinkage = hyper[3] if len(hyper) == 5 else None
    lr, l1, l2, lr_power = hyper[0], hyper[1], hyper[2], hyper[-1]
    new = _ftrl(op, var, accum, linear, grad, lr, l1, l2, shrinkage, lr_power)
    _store(ctx, accum_ref, new[1], accum)
    _store(ctx, linear_ref, new[2], linear)
    return _store(ctx, var_ref, new[0], var)


def _shrink(prox, lr, l1, l2, lr_l1):
    """The proximal step's soft threshold by ``lr_l1`` and its L2 scaling."""
    if l1 > 0:
        return np.sign(prox) * np.maximum(np.abs(prox) - lr_l1, 0) / (1 + l2 * lr)
    return prox / (1 + l2 * lr)


def _proximal_adagrad(var, accum, grad, lr, l1, l2):
    accum = accum + np.square(grad)
    rate = lr * (1 / np.sqrt(accum))
    return _shrink(var - grad * rate, rate, l1, l2, rate * l1), accum


def _proximal_adagrad_kernel(ctx, op, var_ref, accum_ref, lr, l1, l2, grad):
    var, accum = _values(ctx, op, [var_ref, accum_ref], grad)
    _check_proximal(op, lr, l1, l2)
    new_var, new_accum = _proximal_adagrad(var, accum, grad, lr, l1, l2)
    _store(ctx, accum_ref, new_accum, accum)
    return _store(ctx, var_ref, new_var, var)


def _proximal_gradient_descent_kernel(ctx, op, var_ref, alpha, l1, l2, delta):
    (var,) = _values(ctx, op, [var_ref], delta)
    return _store(ctx, var_ref, _shrink(var - delta * alpha, alpha, l1, l2, alpha * l1), var)


def _adagrad_da(var, g_acc, gg_acc, grad, lr, l1, l2, step):
    g_acc, gg_acc = g_acc + grad, gg_acc + np.square(grad)
    step = var.dtype.type(step)
    denominator = l2 * step * lr + np.sqrt(gg_acc)
    if l1 > 0:
        shrunk = np.maximum(np.abs(g_acc) - l1 * step, 0)
        return -lr * np.sign(g_acc) * shrunk / denominator, g_acc, gg_acc
    return -lr * g_acc / denominator, g_acc, gg_acc


def _adagrad_da_kernel(ctx, op, var_ref, g_ref, gg_ref, grad, lr, l1, l2, step):
    var, g_acc, gg_acc = _values(ctx, op, [var_ref, g_ref, gg_ref], grad)
    new_var, g_acc_new, gg_acc_new = _adagrad_da(var, g_acc, gg_acc, grad, lr, l1, l2, step)
    _store(ctx, g_ref, g_acc_new, g_acc)
    _store(ctx, gg_ref, gg_acc_new, gg_acc)
    return _store(ctx, var_ref, new_var, var)


def _sparse_ftrl_kernel(ctx, op, var_ref, accum_ref, linear_ref, grad, indices, *hyper):
    refs = [var_ref, accum_ref, linear_ref]
    rows, at, (var, accum, linear) = _rows(ctx, op, refs, grad, indices)
    shrinkage = hyper[3] if len(hyper) == 5 else None
    lr, l1, l2, lr_power = hyper[0], hyper[1], hyper[2], hyper[-1]
    _check_ftrl(op, lr, l1, l2, lr_power, shrinkage)
    for group in _rounds(at, len(rows)):
        i = at[group]
        new = _ftrl(op, var[i], accum[i], linear[i], grad[group], lr, l1, l2, shrinkage, lr_power)
        var[i], accum[i], linear[i] = new
    ctx.update_rows(accum_ref, rows, accum, op)
    ctx.update_rows(linear_ref, rows, linear, op)
    return ctx.update_rows(var_ref, rows, var, op)


def _sparse_proximal_adagrad_kernel(ctx, op, var_ref, accum_ref, lr, l1, l2, grad, indices):
    rows, at, (var, accum) = _rows(ctx, op, [var_ref, accum_ref], grad, indices)
    _check_proximal(op, lr, l1, l2)
    for group in _rounds(at, len(rows)):
        i = at[group]
        var[i], accum[i] = _proximal_adagrad(var[i], accum[i], grad[group], lr, l1, l2)
    ctx.update_rows(accum_ref, rows, accum, op)
    return ctx.update_rows(var_ref, rows, var, op)


def _sparse_proximal_gradient_descent_kernel(ctx, op, var_ref, alpha, l1, l2, grad, indices):
    rows, at, (var,) = _rows(ctx, op, [var_ref], grad, indices)
    for group in _rounds(at, len(rows)):
        i = at[group]
        var[i] = _shrink(var[i] - grad[group] * alpha, alpha, l1, l2, alpha * l1)
    return ctx.update_rows(var_ref, rows, var, op)


def _sparse_adagrad_da_kernel(ctx, op, var_ref, g_ref, gg_ref, grad, indices, lr, l1, l2, step):
    rows, at, (var, g_acc, gg_acc) = _rows(ctx, op, [var_ref, g_ref, gg_ref], grad, indices)
    for group in _rounds(at, len(rows)):
        i = at[group]
        var[i], g_acc[i], gg_acc[i] = _adagrad_da(
            var[i], g_acc[i], gg_acc[i], grad[group], lr, l1, l2, step
        )
    ctx.update_rows(g_ref, rows, g_acc, op)
    ctx.update_rows(gg_ref, rows, gg_acc, op)
    return ctx.update_rows(var_ref, rows, var, op)


register_apply_ops(
    (
        ("ApplyFtrl", _ftrl_kernel),
        ("ApplyFtrlV2", _ftrl_kernel),
        ("ApplyProximalAdagrad", _proximal_adagrad_kernel),
        ("ApplyProximalGradientDescent", _proximal_gradient_descent_kernel),
        ("ApplyAdagradDA", _adagrad_da_kernel),
        ("SparseApplyFtrl", _sparse_ftrl_kernel),
        ("SparseApplyFtrlV2", _sparse_ftrl_kernel),
        ("SparseApplyProximalAdagrad", _sparse_proximal_adagrad_kernel),
        ("SparseApplyProximalGradientDescent", _sparse_proximal_gradient_descent_kernel),
        ("SparseApplyAdagradDA", _sparse_adagrad_da_kernel),
    )
)
