"""The update ops TF added for Keras's optimizers: ``ApplyAdagradV2`` and
``SparseApplyAdagradV2`` (Adagrad with ``epsilon`` added to the root), ``ApplyAdaMax``, and
three that TF defines for resource variables only: ``ResourceApplyKerasMomentum``,
``ResourceSparseApplyKerasMomentum`` (momentum as Keras writes it, the accumulator holding the
step ``momentum * accum - lr * grad``) and ``ResourceApplyAdamWithAmsgrad``.

They follow ``training.py`` (signatures table, checks, row helpers) and TF's kernels' order of
operations. The reference ops get their ``Resource*`` twins in ``resource_training.py``,
which also registers the resource-only ones (``RESOURCE_ONLY``), whose kernels read and write
the handles' values as the twins do and return nothing.
"""

from __future__ import annotations

import numpy as np

from scopeflow.ops.state.training import (
    SIGNATURES,
    _invalid,
    _rounds,
    _rows,
    _scalar,
    _store,
    _values,
    register_apply_ops,
)

_ADAM = ("beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon")
SIGNATURES.update(
    {
        "ApplyAdagradV2": (
            ("var", "accum", "lr", "epsilon", "grad"),
            2,
            frozenset({"lr", "epsilon"}),
        ),
        "SparseApplyAdagradV2": (
            ("var", "accum", "lr", "epsilon", "grad", "indices"),
            2,
            frozenset({"lr", "epsilon"}),
        ),
        "ApplyAdaMax": (
            ("var", "m", "v", "beta1_power", "lr", "beta1", "beta2", "epsilon", "grad"),
            3,
            frozenset({"beta1_power", "lr", "beta1", "beta2", "epsilon"}),
        ),
        "ResourceApplyKerasMomentum": (
            ("var", "accum", "lr", "grad", "momentum"),
            2,
            frozenset({"lr", "momentum"}),
        ),
        "ResourceSparseApplyKerasMomentum": (
            ("var", "accum", "lr", "grad", "indices", "momentum"),
            2,
            frozenset({"lr", "momentum"}),
        ),
        "ResourceApplyAdamWithAmsgrad": (
            ("var", "m", "v", "vhat", *_ADAM, "grad"),
            4,
            frozenset(_ADAM),
        ),
    }
)


def _adagrad_v2_kernel(ctx, op, var_ref, accum_ref, lr, epsilon, grad):
    var, accum = _values(ctx, op, [var_ref, accum_ref], grad)
    if op._attrs.get("update_slots", True):
        accum = _store(ctx, accum_ref, accum + np.square(grad), accum)
    return _store(ctx, var_ref, var - lr * grad / (np.sqrt(accum) + epsilon), var)


def _sparse_adagrad_v2_kernel(ctx, op, var_ref, accum_ref, lr, epsilon, grad, indices):
    rows, at, (var, accum) = _rows(ctx, op, [var_ref, accum_ref], grad, indices)
    for group in _rounds(at, len(rows)):
        i, g = at[group], grad[group]
        if op._attrs.get("update_slots", True):
            accum[i] += np.square(g)
        var[i] -= lr * g / (np.sqrt(accum[i]) + epsilon)
    ctx.update_rows(accum_ref, rows, accum, op)
    return ctx.update_rows(var_ref, rows, var, op)


def _ada_max_kernel(ctx, op, var_ref, m_ref, v_ref, b1_power, lr, b1, b2, epsilon, grad):
    var, m, v = _values(ctx, op, [var_ref, m_ref, v_ref], grad)
    b1_power, lr, b1, b2, epsilon = map(_scalar, (b1_power, lr, b1, b2, epsilon))
    one = var.dtype.type(1)
    m = _store(ctx, m_ref, m + (grad - m) * (one - b1), m)
    v = _store(ctx, v_ref, np.maximum(b2 * v, np.abs(grad)), v)
    return _store(ctx, var_ref, var - lr / (one - b1_power) * (m / (v + epsilon)), var)


def _keras_momentum_kernel(ctx, op, var_ref, accum_ref, lr, grad, momentum):
    var, accum = _values(ctx, op, [var_ref, accum_ref], grad)
    accum = _store(ctx, accum_ref, accum * momentum - grad * lr, accum)
    if op._attrs.get("use_nesterov", False):
        _store(ctx, var_ref, var + (accum * momentum - grad * lr), var)
    else:
        _store(ctx, var_ref, var + accum, var)
    return ()


def _sparse_keras_momentum_kernel(ctx, op, var_ref, accum_ref, lr, grad, indices, momentum):
    n_rows = ctx.variable_shape(var_ref, op)[:1]
    bad = np.flatnonzero((indices < 0) | (indices >= n_rows[0])) if n_rows else []
    if len(bad):  # this kernel's own words for it (TF's other sparse kernels say "Index ...")
        i = int(bad[0])
        raise _invalid(op, f"indices[{i}] = {int(indices[i])} is not in [0, {n_rows[0]})")
    rows, at, (var, accum) = _rows(ctx, op, [var_ref, accum_ref], grad, indices)
    nesterov = op._attrs.get("use_nesterov", False)
    for group in _rounds(at, len(rows)):
        i, g = at[group], grad[group]
        accum[i] = accum[i] * momentum - g * lr
        var[i] += accum[i] * momentum - g * lr if nesterov else accum[i]
    ctx.update_rows(accum_ref, rows, accum, op)
    ctx.update_rows(var_ref, rows, var, op)
    return ()


def _adam_amsgrad_kernel(ctx, op, *args):
    refs, (b1_power, b2_power, lr, b1, b2, epsilon, grad) = args[:4], args[4:]
    var, m, v, vhat = _values(ctx, op, list(refs), grad)
    b1_power, b2_power, lr, b1, b2, epsilon = map(
        _scalar, (b1_power, b2_power, lr, b1, b2, epsilon)
    )
    one = var.dtype.type(1)
    alpha = lr * np.sqrt(one - b2_power) / (one - b1_power)
    m = _store(ctx, refs[1], m + (grad - m) * (one - b1), m)
    v = _store(ctx, refs[2], v + (np.square(grad) - v) * (one - b2), v)
    vhat = _store(ctx, refs[3], np.maximum(vhat, v), vhat)
    _store(ctx, refs[0], var - alpha * m / (np.sqrt(vhat) + epsilon), var)
    return ()


register_apply_ops(
    (
        ("ApplyAdagradV2", _adagrad_v2_kernel),
        ("SparseApplyAdagradV2", _sparse_adagrad_v2_kernel),
        ("ApplyAdaMax", _ada_max_kernel),
    )
)

# Registered with the resource twins' checks in resource_training.py.
RESOURCE_ONLY = {
    "ResourceApplyKerasMomentum": _keras_momentum_kernel,
    "ResourceSparseApplyKerasMomentum": _sparse_keras_momentum_kernel,
    "ResourceApplyAdamWithAmsgrad": _adam_amsgrad_kernel,
}
