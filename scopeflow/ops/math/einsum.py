"""``tf.einsum`` (``tf.linalg.einsum``): one ``Einsum`` op for one or two operands (more are
contracted two at a time), as TF 2.21's ``compat.v1`` builds it (TF 1.15 built reshapes,
transposes and a matmul instead), with TF's gradient: einsums of the output gradient with the
other operand, broadcast back over the labels an operand alone sums over.

Equations use letters, at most one ``...`` per operand for broadcast dimensions, and an
optional ``->`` output (default: ``...`` then the labels used once, in alphabetical order);
a label repeated within an operand takes its diagonal.
"""

from __future__ import annotations

import collections

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.error_text import shape_str
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor_shape import TensorShape, unknown_shape
from scopeflow.ops.array.basic import fill, reshape, shape, stack
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import size
from scopeflow.ops.array.stitch import dynamic_stitch
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import NUMBERS, apply_op, check_dtype_in, constant_value
from scopeflow.ops.math.broadcasting import broadcast, broadcast_to
from scopeflow.ops.math.elementwise import conj, floormod
from scopeflow.ops.math.sequence import range  # noqa: A004 - TF1's name

_ELLIPSIS = "..."


def _split(equation: str) -> tuple[list[str], str]:
    inputs, output = equation.split("->")
    return inputs.split(","), output


def _resolve(equation: str, count: int) -> str:
    """``equation`` with its output made explicit, checked against ``count`` operands."""
    equation = equation.replace(" ", "")
    inputs, _, output = equation.partition("->")
    labels = inputs.split(",")
    if len(labels) != count:
        raise ValueError(f'Got {count} inputs for equation "{equation}", expecting {len(labels)}')
    for subs in [*labels, output]:
        rest = subs.replace(_ELLIPSIS, "", 1)
        if rest and not rest.isalpha():  # digits, stray dots, a second ellipsis
            raise ValueError(
                f"Subscripts have to be letters, with at most one '...' per operand, got "
                f"'{subs}' in equation \"{equation}\""
            )
    if "->" not in equation:
        counts = collections.Counter("".join(labels).replace(".", ""))
        once = "".join(sorted(label for label, n in counts.items() if n == 1))
        output = (_ELLIPSIS if _ELLIPSIS in inputs else "") + once
    letters = output.replace(_ELLIPSIS, "")
    for label in letters:  # TF checks the output while building
        if label not in inputs:
            raise ValueError(
                f"Output subscripts contain the label {label} not present in the input subscripts."
            )
    if len(set(letters)) != len(letters):
        raise ValueError(f"Output subscripts contain a label appearing more than once: {equation}")
    return f"{','.join(labels)}->{output}"


def _operand_dims(subs: str, dims: list | None, index: int, equation: str):
    """``({label: dim}, broadcast dims)`` of one operand, or ``(None, None)`` for an unknown
    rank; TF's rank error when the rank does not fit the subscripts."""
    letters = subs.replace(_ELLIPSIS, "")
    if dims is None:
        return None, None
    if (_ELLIPSIS not in subs and len(dims) != len(letters)) or len(dims) < len(letters):
        raise ValueError(
            f"Shape must be rank {len(letters)} but is rank {len(dims)}\n\t for {index}th input "
            f"and equation: {equation}"
        )
    before, _, after = subs.partition(_ELLIPSIS)
    middle = dims[len(before) : len(dims) - len(after)]
    pairs = list(zip(before, dims[: len(before)], strict=True))
    pairs += list(zip(after, dims[len(dims) - len(after) :], strict=True))
    found: dict[str, int | None] = {}
    for label, d in pairs:
        known = found.get(label)
        if known is not None and d is not None and known != d:
            raise ValueError(
                f"Expected dimension {known} at axis {subs.index(label)} of the input shaped "
                f"{dims} but got dimension {d} for equation: {equation}"
            )
        found[label] = d if known is None else known
    return found, middle if _ELLIPSIS in subs else []


def _einsum_infer(inputs, attrs):
    equation = attrs["equation"]
    dtype = inputs[0].dtype.base_dtype
    kinds = [t.dtype.base_dtype for t in inputs]
    if any(k != dtype for k in kinds):
        raise TypeError(
            "Tensors in list passed to 'inputs' of 'Einsum' Op have types "
            f"[{', '.join(k.name for k in kinds)}] that don't all match."
        )
    check_dtype_in("Einsum", "inputs", inputs[0], NUMBERS)
    subscripts, output = _split(equation)
    labels: dict[str, int | None] = {}
    batch = TensorShape([])
    batch_known = True
    for i, (subs, t) in enumerate(zip(subscripts, inputs, strict=True)):
        dims = None if t.shape.ndims is None else t.shape.as_list()
        found, middle = _operand_dims(subs, dims, i, equation)
        if found is None:
            batch_known = batch_known and _ELLIPSIS not in subs
            continue
        for label, d in found.items():
            known = labels.get(label)
            if known is not None and d is not None and known != d:
                raise ValueError(
                    f"Expected dimension {known} for label '{label}' but got dimension {d} "
                    f"in the {i}th input for equation: {equation}"
                )
            if known is None:
                labels[label] = d
        batch = broadcast(batch, TensorShape(middle))
    if _ELLIPSIS in output and not batch_known:
        return [(dtype, unknown_shape())]
    before, _, after = output.partition(_ELLIPSIS)
    dims = [labels.get(c) for c in before]
    if _ELLIPSIS in output:
        dims += batch.as_list()
    dims += [labels.get(c) for c in after]
    return [(dtype, TensorShape(dims))]


def _check_operands(subscripts, operands) -> None:
    """TF's run-time checks of the operands' ranks and label sizes (those named by letters)."""
    sizes = {}
    for i, (subs, x) in enumerate(zip(subscripts, operands, strict=True)):
        if _ELLIPSIS in subs:
            before, after = subs.split(_ELLIPSIS)
            if x.ndim < len(before) + len(after):
                continue
            labelled = [
                *enumerate(before),
                *((x.ndim - len(after) + k, c) for k, c in enumerate(after)),
            ]
        elif x.ndim != len(subs):
            raise ValueError(f"Expected input {i} to have rank {len(subs)} but got: {x.ndim}")
        else:
            labelled = list(enumerate(subs))
        for axis, label in labelled:
            want = sizes.setdefault(label, x.shape[axis])
            if want != x.shape[axis]:
                raise ValueError(
                    f"Expected dimension {want} at axis {axis} of the input shaped "
                    f"{shape_str(x.shape)} but got dimension {x.shape[axis]}"
                )


def _einsum_kernel(ctx, op, *operands):
    subscripts, output = _split(op._attrs["equation"])
    _check_operands(subscripts, operands)
    unique = "".join(dict.fromkeys(output.replace(_ELLIPSIS, "")))
    if len(unique) == len(output.replace(_ELLIPSIS, "")):
        out = np.einsum(op._attrs["equation"], *operands)
        return np.asarray(out, dtype=operands[0].dtype)
    if _ELLIPSIS in op._attrs["equation"]:
        raise NotImplementedError(
            f"Einsum '{op.name}': a label repeated in the output together with '...' "
            f"({op._attrs['equation']}); name the broadcast dimensions with letters instead."
        )
    # A label repeated in the output (an un-trace, as in a trace's gradient): the values go
    # on the diagonal of zeros, through einsum's writeable diagonal view.
    sizes = {}
    for subs, x in zip(subscripts, operands, strict=True):
        sizes.update(zip(subs, x.shape, strict=True))
    out = np.zeros([sizes[c] for c in output], operands[0].dtype)
    np.einsum(f"{output}->{unique}", out)[...] = np.einsum(
        f"{','.join(subscripts)}->{unique}", *operands
    )
    return out


def _axis_of(subs: str, label: str):
    """The axis of ``label``'s leftmost occurrence in ``subs`` (negative after ``...``)."""
    before, _, after = subs.partition(_ELLIPSIS)
    if label in before:
        return before.index(label)
    return after.index(label) - len(after) if label in after else None


def _bcast_range(subs: str) -> tuple[int, int | None]:
    start = subs.find(_ELLIPSIS)
    if start == -1:
        return 0, 0
    remaining = len(subs) - (start + len(_ELLIPSIS))
    return start, -remaining if remaining > 0 else None


def _reduced_shape(input_shape, axes):
    """``input_shape`` with the axes ``axes`` (a tensor) set to 1: a NumPy array when both
    are known while building, as TF folds it, else TF's ``DynamicStitch``."""
    known, known_axes = constant_value(input_shape), constant_value(axes)
    if known is not None and known_axes is not None:
        dims = np.array(known, dtype=np.int32)
        dims[np.array(known_axes, dtype=np.int32)] = 1
        return dims
    rank = size(input_shape, out_type=input_shape.dtype.base_dtype)
    axes = floormod(axes + rank, rank)
    ones = fill(shape(axes), constant(1, dtype=input_shape.dtype.base_dtype))
    return dynamic_stitch([range(rank), axes], [input_shape, ones])


def _grad_reduced(grad, output_subs, input_subs, input_shape, reduced):
    """The gradient for ``input_subs -> output_subs`` that sums over the labels ``reduced``."""
    reduced_subs = "".join(reduced)
    axes = [_axis_of(input_subs, label) for label in reduced_subs]
    reduced_dims = stack([input_shape[a] for a in axes])
    repeated = len(set(input_subs)) + len(set(output_subs)) < len(input_subs) + len(output_subs)
    kept = "".join(s for s in input_subs if s not in reduced)
    if not repeated and kept == output_subs:
        folded = _reduced_shape(input_shape, convert_to_tensor(axes))
        return broadcast_to(reshape(grad, folded), input_shape)
    grad_dims = concat([reduced_dims, shape(grad)], axis=0)
    ones = constant(np.ones(len(reduced), np.int32), name="ones")
    keep_dims = concat([ones, shape(grad)], axis=0)
    widened = broadcast_to(reshape(grad, keep_dims), grad_dims)
    return _apply_einsum([widened], f"{reduced_subs + output_subs}->{input_subs}")


def _grad_wrt(grad, other, input_shape, input_subs, other_subs, output_subs):
    reduced = sorted(set(input_subs) - set(output_subs + other_subs + "."))
    kept = "".join(s for s in input_subs if s not in reduced)
    partial = _apply_einsum([grad, other], f"{output_subs},{other_subs}->{kept}")
    if not reduced:
        return partial
    return _grad_reduced(partial, kept, input_subs, input_shape, reduced)


def _einsum_grad(op, grad):
    subscripts, output = _split(op._attrs["equation"])
    if len(op.inputs) == 1:
        input_shape = shape(op.inputs[0])
        reduced = sorted(set(subscripts[0]) - set(output + "."))
        if not reduced:
            return [_apply_einsum([grad], f"{output}->{subscripts[0]}")]
        return [_grad_reduced(grad, output, subscripts[0], input_shape, reduced)]
    x_subs, y_subs = subscripts
    if _ELLIPSIS in output:
        x_subs += "" if _ELLIPSIS in x_subs else _ELLIPSIS
        y_subs += "" if _ELLIPSIS in y_subs else _ELLIPSIS
    x, y = op.inputs
    if grad.dtype.is_complex:
        x, y = conj(x), conj(y)
    x_shape, y_shape = shape(x), shape(y)
    grad_x = _grad_wrt(grad, y, x_shape, x_subs, y_subs, output)
    grad_y = _grad_wrt(grad, x, y_shape, y_subs, x_subs, output)
    if _ELLIPSIS not in output:
        return [grad_x, grad_y]
    bx, by = _bcast_range(x_subs), _bcast_range(y_subs)
    xs, ys = x.shape, y.shape
    if xs.is_fully_defined() and ys.is_fully_defined():
        if xs[bx[0] : bx[1]].as_list() == ys[by[0] : by[1]].as_list():
            return [grad_x, grad_y]
    rx, ry = apply_op("BroadcastGradientArgs", [x_shape[bx[0] : bx[1]], y_shape[by[0] : by[1]]])
    grad_x = reshape(build.reduce_sum(grad_x, bx[0] + rx), x_shape)
    grad_y = reshape(build.reduce_sum(grad_y, by[0] + ry), y_shape)
    return [grad_x, grad_y]


register_op(
    "Einsum",
    _einsum_infer,
    kernel=_einsum_kernel,
    grad=_einsum_grad,
    grad_takes_indexed_slices=True,
)


def _apply_einsum(inputs, equation: str, name="Einsum"):
    """An ``Einsum`` op; an IndexedSlices (a gradient) among ``inputs`` is made dense as its
    argument (``Einsum/inputs_0``), as TF's op builder converts it."""
    with name_scope(name) as scope:
        inputs = [convert_to_tensor(t, name=f"inputs_{i}") for i, t in enumerate(inputs)]
        return apply_op("Einsum", inputs, {"equation": equation, "N": len(inputs)}, name=scope)


@undo.atomic
def einsum(equation, *inputs, **kwargs):
    """Tensor contraction by Einstein summation: ``tf.einsum('ij,jk->ik', a, b)`` is a
    matrix product, ``'ij->ji'`` a transpose, ``'ii->i'`` a diagonal, ``'bij,bjk->bik'`` a
    batched product.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     c = tf.einsum("ij,jk->ik", [[1.0, 2.0]], [[3.0], [4.0]])
    ...     print(tf.Session().run(c))
    [[11.]]

    More than two operands are contracted two at a time, one ``Einsum`` op each, in the
    order opt_einsum's path search picks (``optimize``: ``'greedy'``, ``'optimal'``...), as
    TF does, unknown dimensions counted as 1.
    """
    name = kwargs.pop("name", None)
    optimize = kwargs.pop("optimize", "greedy")
    if kwargs:
        raise TypeError(f"Invalid keyword arguments for this function: {', '.join(kwargs)}")
    with name_scope(name, "einsum", [equation, inputs]):
        operands = [convert_to_tensor(x) for x in inputs]
        resolved = _resolve(equation, len(operands))
        if len(operands) <= 2:
            return _apply_einsum(operands, resolved)
        for positions, pair in _contraction_path(resolved, operands, optimize):
            pair_operands = [operands.pop(i) for i in positions]
            operands.append(_apply_einsum(pair_operands, pair))
        return operands[0]


def _contraction_path(equation: str, operands: list, optimize) -> list:
    """TF's pairwise contractions of ``equation``: (operand positions to pop, in order, from
    the list of operands left; the two-operand equation), ``...`` standing for one label."""
    import opt_einsum

    labels, output = _split(equation)
    free = next(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                if c not in equation)  # fmt: skip
    shapes = []
    for subs, x in zip(labels, operands, strict=True):
        if x.shape.ndims is None:  # sizes unknown: one per label
            shapes.append((1,) * len(subs.replace(_ELLIPSIS, free)))
            continue
        dims = [1 if d is None else d for d in x.shape.as_list()]
        if _ELLIPSIS in subs:  # its dims as one label, of their product's size
            before, after = subs.split(_ELLIPSIS)
            middle = dims[len(before) : len(dims) - len(after)]
            dims = [*dims[: len(before)], int(np.prod(middle)), *dims[len(dims) - len(after) :]]
        shapes.append(tuple(dims))
    packed = equation.replace(_ELLIPSIS, free)
    _, contractions = opt_einsum.contract_path(
        packed, *shapes, shapes=True, optimize=optimize, einsum_call=True, use_blas=True
    )
    return [(step[0], step[2].replace(free, _ELLIPSIS)) for step in contractions]


__all__ = ["einsum"]
