"""Optimizer update ops: ``ApplyGradientDescent``, ``ApplyMomentum``, ``ApplyAdam``,
``ApplyAdagrad``, ``ApplyRMSProp``, ``ApplyCenteredRMSProp`` and ``ApplyAdadelta``, and the
sparse ones applying an ``IndexedSlices`` gradient to some rows: ``SparseApplyMomentum``,
``SparseApplyAdagrad``, ``SparseApplyRMSProp``, ``SparseApplyCenteredRMSProp`` and
``SparseApplyAdadelta``.

Each takes the variable and its slots as reference inputs (``ref_inputs``: the kernel gets
their ``VariableV2`` ops), the hyper-parameters as scalars and the gradient last or, as in
TF, where TF's op definition puts it. A kernel reads the current values, computes the new ones
in the order of operations TF's own kernels use (so float32 results agree with TF), stages
them with ``ctx.write_variable`` and returns the variable's new value. A sparse kernel reads
and writes only the rows ``indices`` names (``ctx.variable_rows``, ``ctx.update_rows``), so
its cost is that of the rows, not of the table; repeated indices apply one after another, as
in TF's kernels. The optimizers in ``scopeflow/train`` build these ops with ``apply_update``.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import merge_shapes
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import FLOATS, INDEX, check_dtype_in, check_same_dtype
from scopeflow.ops.kernels import compiled

# op type -> (input names in TF's order, how many leading inputs are references, scalars)
SIGNATURES: dict[str, tuple[tuple[str, ...], int, frozenset[str]]] = {
    "ApplyGradientDescent": (("var", "alpha", "delta"), 1, frozenset({"alpha"})),
    "ApplyMomentum": (("var", "accum", "lr", "grad", "momentum"), 2, frozenset({"lr", "momentum"})),
    "ApplyAdam": (
        (
            "var",
            "m",
            "v",
            "beta1_power",
            "beta2_power",
            "lr",
            "beta1",
            "beta2",
            "epsilon",
            "grad",
        ),
        3,
        frozenset({"beta1_power", "beta2_power", "lr", "beta1", "beta2", "epsilon"}),
    ),
    "ApplyAdagrad": (("var", "accum", "lr", "grad"), 2, frozenset({"lr"})),
    "ApplyRMSProp": (
        ("var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad"),
        3,
        frozenset({"lr", "rho", "momentum", "epsilon"}),
    ),
    "ApplyCenteredRMSProp": (
        ("var", "mg", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad"),
        4,
        frozenset({"lr", "rho", "momentum", "epsilon"}),
    ),
    "ApplyAdadelta": (
        ("var", "accum", "accum_update", "lr", "rho", "epsilon", "grad"),
        3,
        frozenset({"lr", "rho", "epsilon"}),
    ),
    # The sparse ones: the gradient's rows, and after them the rows' indices.
    "SparseApplyMomentum": (
        ("var", "accum", "lr", "grad", "indices", "momentum"),
        2,
        frozenset({"lr", "momentum"}),
    ),
    "SparseApplyAdagrad": (("var", "accum", "lr", "grad", "indices"), 2, frozenset({"lr"})),
    "SparseApplyRMSProp": (
        ("var", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad", "indices"),
        3,
        frozenset({"lr", "rho", "momentum", "epsilon"}),
    ),
    "SparseApplyCenteredRMSProp": (
        ("var", "mg", "ms", "mom", "lr", "rho", "momentum", "epsilon", "grad", "indices"),
        4,
        frozenset({"lr", "rho", "momentum", "epsilon"}),
    ),
    "SparseApplyAdadelta": (
        ("var", "accum", "accum_update", "lr", "rho", "epsilon", "grad", "indices"),
        3,
        frozenset({"lr", "rho", "epsilon"}),
    ),
}


def _apply_infer(op_type: str):
    names, n_refs, scalars = SIGNATURES[op_type]

    sparse = "indices" in names

    def infer(inputs, attrs):
        if len(inputs) != len(names):
            raise ValueError(f"{op_type} takes {len(names)} inputs ({', '.join(names)})")
        untyped = ("indices", "global_step")
        typed = [(n, t) for n, t in zip(names, inputs, strict=True) if n not in untyped]
        dtype = check_same_dtype(op_type, tuple(n for n, _ in typed), [t for _, t in typed])
        if "global_step" in names:  # AdagradDA's: an int64 scalar
            step = inputs[names.index("global_step")]
            check_dtype_in(op_type, "global_step", step, (dtypes.int64,))
            if step.shape.ndims not in (None, 0):
                raise ValueError(f"Shape must be rank 0 but is rank {step.shape.ndims}")
        check_dtype_in(op_type, "var", inputs[0], FLOATS)
        for name, t in zip(names[:n_refs], inputs[:n_refs], strict=True):
            if not t.dtype._is_ref_dtype:
                raise TypeError(
                    f"'{op_type}' Op requires that input '{name}' be a mutable tensor "
                    "(e.g.: a tf.Variable)"
                )
        shape = inputs[0].shape
        for name, t in typed:
            if name in scalars:
                if t.shape.ndims not in (None, 0):
                    raise ValueError(f"Shape must be rank 0 but is rank {t.shape.ndims}")
            elif name == "grad" and sparse:
                indices = inputs[names.index("indices")]
                shape = merge_shapes(shape, _rows_shape(op_type, t, indices))
            else:
                shape = merge_shapes(shape, t.shape)
        return [(dtype._as_ref, shape)]

    return infer


def _rows_shape(op_type: str, grad, indices) -> TensorShape:
    """The variable's shape as far as a sparse gradient's rows tell (TF's shape checks)."""
    check_dtype_in(op_type, "indices", indices, INDEX)
    if indices.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {indices.shape.ndims}")
    if grad.shape.ndims is None:
        return TensorShape(None)
    if grad.shape.ndims == 0:
        raise ValueError("Shape must be at least rank 1 but is rank 0")
    merge_shapes(indices.shape, grad.shape[:1])
    return TensorShape([None]).concatenate(grad.shape[1:])


def _values(ctx, op, refs, grad) -> list[np.ndarray]:
    """The current values of the reference inputs, checked against the gradient's shape."""
    names = SIGNATURES[op.type][0]
    values = [ctx.read_variable(ref, op) for ref in refs]
    for name, value in zip(names[1:], values[1:], strict=False):
        if value.shape != values[0].shape:
            raise errors.InvalidArgumentError(
                None,
                op,
                f"var and {name} do not have the same shape{shape_str(values[0].shape)} "
                f"{shape_str(value.shape)} (op '{op.name}')",
            )
    if (grad.shape if type(grad) is np.ndarray else np.shape(grad)) != values[0].shape:
        raise errors.InvalidArgumentError(
            None,
            op,
            f"var and {'delta' if 'delta' in names else 'grad'} do not have the same shape"
            f"{shape_str(values[0].shape)} {shape_str(np.shape(grad))} (op '{op.name}')",
        )
    return values


def _scalar(x):
    """A 0-d array as the NumPy scalar it holds: the same arithmetic, several times cheaper
    per operation (1.5 against 0.15 us); anything else as it is."""
    return x[()] if type(x) is np.ndarray and not x.ndim else x


def _store(ctx, ref, value, like: np.ndarray) -> np.ndarray:
    # ``value`` is always a fresh result of the kernel, never an input: no copy needed.
    if type(value) is np.ndarray and value.dtype == like.dtype:
        new = value
    else:
        new = np.asarray(value, dtype=like.dtype)
    ctx.write_variable(ref, new)
    return new


def _gradient_descent_kernel(ctx, op, var_ref, alpha, delta):
    (var,) = _values(ctx, op, [var_ref], delta)
    if var.dtype == delta.dtype == np.result_type(alpha) and var.dtype.kind == "f":
        new = ctx.empty(var.shape, var.dtype)  # the bits of the line below
        np.multiply(delta, alpha, out=new)
        return _store(ctx, var_ref, np.subtract(var, new, out=new), var)
    return _store(ctx, var_ref, var - delta * alpha, var)


def _momentum_kernel(ctx, op, var_ref, accum_ref, lr, grad, momentum):
    var, accum = _values(ctx, op, [var_ref, accum_ref], grad)
    loops = compiled.for_arrays(compiled.MOMENTUM_MIN_SIZE, var, accum, grad)
    if loops is not None:  # one compiled pass: the bits of the lines below
        nesterov = op._attrs.get("use_nesterov", False)
        new_var, new_accum = ctx.empty(var.shape, var.dtype), ctx.empty(var.shape, var.dtype)
        compiled.run(
            ctx.threads,
            loops.momentum_nesterov if nesterov else loops.momentum,
            (var, accum, grad),
            (var.dtype.type(lr), var.dtype.type(momentum)),
            (new_var, new_accum),
        )
        _store(ctx, accum_ref, new_accum, accum)
        return _store(ctx, var_ref, new_var, var)
    if var.dtype == accum.dtype == grad.dtype == np.result_type(lr, momentum):
        # The lines below, each operation into arrays a step before freed (the same bits).
        new_accum, new_var = ctx.empty(var.shape, var.dtype), ctx.empty(var.shape, var.dtype)
        np.multiply(accum, momentum, out=new_accum)
        accum = _store(ctx, accum_ref, np.add(new_accum, grad, out=new_accum), accum)
        if op._attrs.get("use_nesterov", False):
            np.multiply(accum, momentum, out=new_var)
            new_var *= lr
            new_var += grad * lr
        else:
            np.multiply(accum, lr, out=new_var)
        return _store(ctx, var_ref, np.subtract(var, new_var, out=new_var), var)
    accum = _store(ctx, accum_ref, accum * momentum + grad, accum)
    if op._attrs.get("use_nesterov", False):
        return _store(ctx, var_ref, var - (grad * lr + accum * momentum * lr), var)
    return _store(ctx, var_ref, var - lr * accum, var)


def _adam_kernel(ctx, op, var_ref, m_ref, v_ref, b1_power, b2_power, lr, b1, b2, eps, grad):
    var, m, v = _values(ctx, op, [var_ref, m_ref, v_ref], grad)
    b1_power, b2_power, lr, b1, b2, eps = map(_scalar, (b1_power, b2_power, lr, b1, b2, eps))
    one = var.dtype.type(1)
    alpha = lr * np.sqrt(one - b2_power) / (one - b1_power)
    nesterov = op._attrs.get("use_nesterov", False)
    least = 0 if compiled.loaded() else compiled.ADAM_MIN_SIZE
    loops = compiled.for_arrays(least, var, m, v, grad)
    if loops is not None:  # one compiled pass: the bits of _adam_update
        kind = var.dtype.type
        new_var, new_m, new_v = (ctx.empty(var.shape, var.dtype) for _ in range(3))
        c1, c2 = kind(one - b1), kind(one - b2)
        scalars = (kind(alpha), c1, kind(b1), c2) if nesterov else (kind(alpha), c1, c2)
        compiled.run(
            ctx.threads,
            loops.adam_nesterov if nesterov else loops.adam,
            (var, m, v, grad),
            (*scalars, kind(eps)),
            (new_var, new_m, new_v),
        )
        _store(ctx, m_ref, new_m, m)
        _store(ctx, v_ref, new_v, v)
        return _store(ctx, var_ref, new_var, var)
    scalars = (alpha, one, b1, b2, eps, nesterov)
    spans = ctx.threads.batch_spans(var.size, var.nbytes) if var.ndim else []
    if len(spans) < 2:
        new_m, new_v, new_var = _adam_update(var, m, v, grad, *scalars)
    else:
        # A megabyte or more: the same arithmetic in spans of the flattened arrays, on the
        # session's kernel threads (each element's bits are what one call gives).
        flat = [np.reshape(x, -1) for x in (var, m, v, grad)]
        new_m, new_v, new_var = (ctx.empty(var.shape, x.dtype) for x in (m, v, var))
        outs = [x.reshape(-1) for x in (new_m, new_v, new_var)]

        def span(a, b):
            parts = _adam_update(*(x[a:b] for x in flat), *scalars)
            for out, part in zip(outs, parts, strict=True):
                out[a:b] = part  # (cast to the variable's dtype as _store would)

        ctx.threads.run_spans(span, spans)
    _store(ctx, m_ref, new_m, m)
    _store(ctx, v_ref, new_v, v)
    return _store(ctx, var_ref, new_var, var)


def _adam_update(var, m, v, grad, alpha, one, b1, b2, eps, nesterov):
    """Adam's new ``m``, ``v`` and variable value, in TF's order of operations."""
    # The same arithmetic, in the same order, as m + (grad - m) * (1 - b1) etc., but in
    # place on each fresh result: large optimizer steps are bound by memory traffic.
    new_m = np.subtract(grad, m, dtype=m.dtype)
    new_m *= one - b1
    new_m += m
    new_v = np.square(grad, dtype=v.dtype)
    new_v -= v
    new_v *= one - b2
    new_v += v
    denominator = np.sqrt(new_v)
    denominator += eps
    if nesterov:
        step = (grad * (one - b1) + b1 * new_m) * alpha
    else:
        step = new_m * alpha
    step /= denominator
    if isinstance(step, np.ndarray):  # 0-d results are NumPy scalars, which have no buffer
        return new_m, new_v, np.subtract(var, step, out=step)
    return new_m, new_v, var - step


def _adagrad_kernel(ctx, op, var_ref, accum_ref, lr, grad):
    var, accum = _values(ctx, op, [var_ref, accum_ref], grad)
    if op._attrs.get("update_slots", True):
        accum = _store(ctx, accum_ref, accum + np.square(grad), accum)
    return _store(ctx, var_ref, var - grad * lr / np.sqrt(accum), var)


def _rms_prop_kernel(ctx, op, var_ref, ms_ref, mom_ref, lr, rho, momentum, epsilon, grad):
    var, ms, mom = _values(ctx, op, [var_ref, ms_ref, mom_ref], grad)
    one = var.dtype.type(1)
    ms = _store(ctx, ms_ref, ms + (np.square(grad) - ms) * (one - rho), ms)
    mom = _store(ctx, mom_ref, mom * momentum + (grad * lr) / np.sqrt(ms + epsilon), mom)
    return _store(ctx, var_ref, var - mom, var)


def _centered_rms_prop_kernel(
    ctx, op, var_ref, mg_ref, ms_ref, mom_ref, lr, rho, momentum, epsilon, grad
):
    var, mg, ms, mom = _values(ctx, op, [var_ref, mg_ref, ms_ref, mom_ref], grad)
    one = var.dtype.type(1)
    ms = _store(ctx, ms_ref, ms + (np.square(grad) - ms) * (one - rho), ms)
    mg = _store(ctx, mg_ref, mg + (grad - mg) * (one - rho), mg)
    denominator = (ms - np.square(mg)) + epsilon
    mom = _store(ctx, mom_ref, mom * momentum + (grad * lr) / np.sqrt(denominator), mom)
    return _store(ctx, var_ref, var - mom, var)


def _adadelta_kernel(ctx, op, var_ref, accum_ref, update_ref, lr, rho, epsilon, grad):
    var, accum, accum_update = _values(ctx, op, [var_ref, accum_ref, update_ref], grad)
    one = var.dtype.type(1)
    accum = _store(ctx, accum_ref, accum * rho + np.square(grad) * (one - rho), accum)
    update = np.sqrt(accum_update + epsilon) / np.sqrt(accum + epsilon) * grad
    new_var = _store(ctx, var_ref, var - update * lr, var)
    _store(ctx, update_ref, accum_update * rho + np.square(update) * (one - rho), accum_update)
    return new_var


def register_apply_ops(kernels) -> None:
    """Registers each ``(op type, kernel)`` of ``kernels`` as a reference-variable update op
    of :data:`SIGNATURES`: stateful, no gradient, its variables' inputs refs, its output the
    updated variable's ref, as TF1's ``Apply*`` ops."""
    for op_type, kernel in kernels:
        register_op(
            op_type,
            _apply_infer(op_type),
            kernel=kernel,
            grad=NOT_DIFFERENTIABLE,
            stateful=True,
            ref_inputs=tuple(range(SIGNATURES[op_type][1])),
            ref_output=True,
        )


register_apply_ops(
    (
        ("ApplyGradientDescent", _gradient_descent_kernel),
        ("ApplyMomentum", _momentum_kernel),
        ("ApplyAdam", _adam_kernel),
        ("ApplyAdagrad", _adagrad_kernel),
        ("ApplyRMSProp", _rms_prop_kernel),
        ("ApplyCenteredRMSProp", _centered_rms_prop_kernel),
        ("ApplyAdadelta", _adadelta_kernel),
    )
)


# -- sparse updates: only the rows an IndexedSlices gradient names ------------------------


def _rows(ctx, op, refs, grad, indices) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """``(rows, at, blocks)``: the distinct ``indices`` (sorted), where each index is among
    them, and copies of those rows of each reference input; checked as TF's kernels check."""
    names = SIGNATURES[op.type][0]
    shapes = [ctx.variable_shape(ref, op) for ref in refs]
    for name, shape in zip(names[1:], shapes[1:], strict=False):
        if shape != shapes[0]:
            raise _invalid(
                op,
                f"var and {name} do not have the same shape{shape_str(shapes[0])} "
                + shape_str(shape),
            )
    if not shapes[0]:
        raise _invalid(op, "var must be at least 1 dimensional")
    if np.ndim(indices) != 1:
        raise _invalid(op, "indices must be one-dimensional")
    for d in range(1, len(shapes[0])):
        if np.ndim(grad) <= d or np.shape(grad)[d] != shapes[0][d]:
            raise _invalid(op, f"var and grad must match in dimension {d}")
    if np.ndim(grad) == 0 or np.shape(grad)[0] != len(indices):
        raise _invalid(op, "grad must be the same size as indices in the first dimension.")
    bad = (indices < 0) | (indices >= shapes[0][0])
    if bad.any():
        i = int(np.argmax(bad))
        raise _invalid(op, f"Index {int(indices[i])} at offset {i} in indices is out of range")
    rows, at = np.unique(indices, return_inverse=True)
    return rows, np.reshape(at, -1), [ctx.variable_rows(ref, rows, op) for ref in refs]


def _invalid(op, message: str) -> errors.InvalidArgumentError:
    return errors.InvalidArgumentError(None, op, f"{message} (op '{op.name}')")


def _rounds(at: np.ndarray, n_rows: int) -> list[np.ndarray]:
    """The positions of the gradient's rows in groups naming each row at most once, the
    k-th group holding the k-th occurrences: applied group after group, repeated indices
    update one after another as in TF's kernels (one group when indices are distinct)."""
    if len(at) == n_rows:
        return [np.arange(n_rows)]
    order = np.argsort(at, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(at[order]) != 0])
    rank = np.arange(len(at)) - np.repeat(starts, np.diff(np.r_[starts, len(at)]))
    return [order[rank == k] for k in range(int(rank.max()) + 1)]


def _sparse_momentum_kernel(ctx, op, var_ref, accum_ref, lr, grad, indices, momentum):
    rows, at, (var, accum) = _rows(ctx, op, [var_ref, accum_ref], grad, indices)
    nesterov = op._attrs.get("use_nesterov", False)
    for group in _rounds(at, len(rows)):
        i, g = at[group], grad[group]
        accum[i] = accum[i] * momentum + g
        if nesterov:
            var[i] -= g * lr + accum[i] * momentum * lr
        else:
            var[i] -= accum[i] * lr
    ctx.update_rows(accum_ref, rows, accum, op)
    return ctx.update_rows(var_ref, rows, var, op)


def _sparse_adagrad_kernel(ctx, op, var_ref, accum_ref, lr, grad, indices):
    rows, at, (var, accum) = _rows(ctx, op, [var_ref, accum_ref], grad, indices)
    for group in _rounds(at, len(rows)):
        i, g = at[group], grad[group]
        if op._attrs.get("update_slots", True):
            accum[i] += np.square(g)
        var[i] -= g * lr / np.sqrt(accum[i])
    ctx.update_rows(accum_ref, rows, accum, op)
    return ctx.update_rows(var_ref, rows, var, op)


def _sparse_rms_prop_kernel(
    ctx, op, var_ref, ms_ref, mom_ref, lr, rho, momentum, epsilon, grad, indices
):
    rows, at, (var, ms, mom) = _rows(ctx, op, [var_ref, ms_ref, mom_ref], grad, indices)
    one = var.dtype.type(1)
    for group in _rounds(at, len(rows)):
        i, g = at[group], grad[group]
        ms[i] = ms[i] * rho + np.square(g) * (one - rho)
        mom[i] = mom[i] * momentum + lr * g / np.sqrt(ms[i] + epsilon)
        var[i] -= mom[i]
    ctx.update_rows(ms_ref, rows, ms, op)
    ctx.update_rows(mom_ref, rows, mom, op)
    return ctx.update_rows(var_ref, rows, var, op)


def _sparse_centered_rms_prop_kernel(
    ctx, op, var_ref, mg_ref, ms_ref, mom_ref, lr, rho, momentum, epsilon, grad, indices
):
    refs = [var_ref, mg_ref, ms_ref, mom_ref]
    rows, at, (var, mg, ms, mom) = _rows(ctx, op, refs, grad, indices)
    one = var.dtype.type(1)
    for group in _rounds(at, len(rows)):
        i, g = at[group], grad[group]
        ms[i] = ms[i] * rho + np.square(g) * (one - rho)
        mg[i] = mg[i] * rho + g * (one - rho)
        denominator = ms[i] + epsilon - np.square(mg[i])
        mom[i] = mom[i] * momentum + lr * g / np.sqrt(denominator)
        var[i] -= mom[i]
    for ref, block in zip(refs[1:], (mg, ms, mom), strict=True):
        ctx.update_rows(ref, rows, block, op)
    return ctx.update_rows(var_ref, rows, var, op)


def _sparse_adadelta_kernel(
    ctx, op, var_ref, accum_ref, update_ref, lr, rho, epsilon, grad, indices
):
    rows, at, (var, accum, accum_update) = _rows(
        ctx, op, [var_ref, accum_ref, update_ref], grad, indices
    )
    one = var.dtype.type(1)
    for group in _rounds(at, len(rows)):
        i, g = at[group], grad[group]
        accum[i] = accum[i] * rho + np.square(g) * (one - rho)
        update = np.sqrt(accum_update[i] + epsilon) / np.sqrt(accum[i] + epsilon) * g
        var[i] -= update * lr
        accum_update[i] = accum_update[i] * rho + np.square(update) * (one - rho)
    ctx.update_rows(accum_ref, rows, accum, op)
    ctx.update_rows(update_ref, rows, accum_update, op)
    return ctx.update_rows(var_ref, rows, var, op)


register_apply_ops(
    (
        ("SparseApplyMomentum", _sparse_momentum_kernel),
        ("SparseApplyAdagrad", _sparse_adagrad_kernel),
        ("SparseApplyRMSProp", _sparse_rms_prop_kernel),
        ("SparseApplyCenteredRMSProp", _sparse_centered_rms_prop_kernel),
        ("SparseApplyAdadelta", _sparse_adadelta_kernel),
    )
)


def apply_update(op_type: str, inputs, use_locking: bool = False, name=None, **attrs):
    """Adds one update op of ``op_type`` (``"ApplyAdam"``...) to the default graph; ``inputs``
    in TF's order, references as the variables' ref tensors (or resource handles: the
    ``Resource*`` twin of ``op_type``). Returns the op's output."""
    attrs = {"use_locking": bool(use_locking), **attrs}
    if inputs[0].dtype.base_dtype == dtypes.resource:  # a resource variable's handle
        # As TF's op wrappers: resource variables among the inputs are read in the op's scope.
        with name_scope(name, "Resource" + op_type) as scope:
            inputs = [convert_to_tensor(t) for t in inputs]
            op = get_default_graph().create_op("Resource" + op_type, inputs, attrs, scope)
        return ResourceUpdate(op)
    op = get_default_graph().create_op(op_type, list(inputs), attrs, name)
    return op.outputs[0]


class ResourceUpdate:
    """What ``apply_update`` returns for a resource variable: its ``Resource*`` op, which has
    no output (``.op``, and usable wherever an op is: ``tf.group``, control dependencies)."""

    def __init__(self, op):
        self.op = op

    def _as_graph_element(self):
        return self.op
