"""TF 2's diagonal ops ``MatrixDiagV3``, ``MatrixDiagPartV3`` and ``MatrixSetDiagV3``, which
graphs TensorFlow 2.x writes use for ``tf.eye``, ``tf.linalg.diag``, ``diag_part`` and
``set_diag`` (scopeflow builds TF1's ``MatrixDiag`` family): registered so those graphs import
and run, and built by ``tf.matrix_diag``/``matrix_diag_part``/``matrix_set_diag`` given TF 2's
arguments (``k``, ``num_rows``, ``num_cols``, ``padding_value``, ``align``) other than their
defaults, as TF builds them. ``k`` names one diagonal (a scalar, or a pair ``(d, d)``) or a
band (``(lo, hi)``): the band's diagonals are packed highest first into
``[..., hi - lo + 1, longest]``, each shorter one padded on the side ``align`` gives
(superdiagonals, then subdiagonals: ``RIGHT_LEFT`` pads superdiagonals before, subdiagonals
after).
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core.infer import apply_op, constant_value


def _band_of(k) -> tuple[int, int]:
    """The lowest and highest diagonal ``k`` names (a scalar, or a pair ``(lo, hi)``)."""
    values = np.ravel(k).tolist()
    if len(values) not in (1, 2):
        raise ValueError(f"diag_index must have only one or two elements, received {values}")
    lo, hi = int(values[0]), int(values[-1])
    if lo > hi:
        raise ValueError(
            f"lower_diag_index must not be greater than upper_diag_index, received "
            f"lower_diag_index = {lo} and upper_diag_index = {hi}"
        )
    return lo, hi


def _band_layout(rows: int, cols: int, lo: int, hi: int, align, longest=None) -> list:
    """``(d, length, offset)`` of each diagonal ``d`` of the band, highest first (the rows of
    the packed diagonals), ``offset`` the padding before it: a diagonal shorter than the
    longest sits at the right when ``align`` says so for its side (superdiagonals first)."""
    upper_side, lower_side = _as_str(align).split("_")
    lengths = [_part_length(rows, cols, d) for d in range(hi, lo - 1, -1)]
    longest = max(lengths) if longest is None else longest
    layout = []
    for d, length in zip(range(hi, lo - 1, -1), lengths, strict=True):
        right = (d >= 0 and upper_side == "RIGHT") or (d <= 0 and lower_side == "RIGHT")
        layout.append((d, length, longest - length if right else 0))
    return layout


def _as_str(value) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _positions(k: int, length: int):
    """Row and column of the ``length`` entries of diagonal ``k``."""
    i = np.arange(length)
    return i + max(-k, 0), i + max(k, 0)


def _diag_sizes(n: int, lo: int, hi: int, num_rows: int, num_cols: int) -> tuple[int, int]:
    min_rows, min_cols = n - min(hi, 0), n + max(lo, 0)
    if num_rows < 0 and num_cols < 0:
        num_rows = num_cols = max(min_rows, min_cols)
    elif num_rows < 0:
        num_rows = min_rows
    elif num_cols < 0:
        num_cols = min_cols
    if num_rows != min_rows and num_cols != min_cols:
        raise ValueError(
            "num_rows and num_cols are not consistent with lower_diag_index, upper_diag_index, "
            "and the length of the given diagonals."
        )
    return num_rows, num_cols


# -- MatrixDiagV3 ------------------------------------------------------------------------


def _known_band(k):
    """``(lo, hi)`` of a ``k`` known while building (TF's shape functions' error for lo > hi)."""
    value = constant_value(k)
    values = None if value is None else np.ravel(value).tolist()
    if values and len(values) == 2 and values[0] > values[1]:
        raise ValueError("lower_diag_index is greater than upper_diag_index")
    return None if value is None else _band_of(value)


def _diag_infer(inputs, attrs):
    diagonal, k, rows, cols = inputs[:4]
    dtype = diagonal.dtype.base_dtype
    band, known = _known_band(k), [constant_value(rows), constant_value(cols)]
    if diagonal.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    n = diagonal.shape[-1].value if diagonal.shape.ndims else None
    batch = diagonal.shape[:-1]
    if band is not None and band[0] < band[1]:  # diagonal: [..., num_diags, max_diag_len]
        count = band[1] - band[0] + 1
        if diagonal.shape.ndims < 2 or diagonal.shape[-2].value not in (None, count):
            raise ValueError(
                "The number of rows of `diagonal` doesn't match the number of diagonals "
                f"implied from `d_lower` and `d_upper`. num_diags = {count}, d_lower = "
                f"{band[0]}, d_upper = {band[1]} {diagonal.shape.as_list()}"
            )
        batch = diagonal.shape[:-2]
    if n is None or band is None or any(v is None for v in known):
        return [(dtype, batch.concatenate([None, None]))]
    shape = _diag_sizes(n, *band, int(known[0]), int(known[1]))
    return [(dtype, batch.concatenate(list(shape)))]


def _diag_kernel(ctx, op, diagonal, k, num_rows, num_cols, padding):
    if np.ndim(diagonal) == 0:
        raise ValueError("diagonal must be at least 1-dim, received a scalar")
    lo, hi = _band_of(k)
    n = np.shape(diagonal)[-1]
    rows, cols = _diag_sizes(n, lo, hi, int(num_rows), int(num_cols))
    packed = diagonal if lo < hi else np.expand_dims(diagonal, -2)
    out = np.full((*np.shape(packed)[:-2], rows, cols), padding, dtype=diagonal.dtype)
    layout = _band_layout(rows, cols, lo, hi, op._attrs["align"], n)
    for i, (d, length, offset) in enumerate(layout):
        length = max(min(length, n - offset), 0)
        r, c = _positions(d, length)
        out[..., r, c] = packed[..., i, offset : offset + length]
    return out


def _diag_grad(op, grad):
    k = op.inputs[1]
    part = apply_op(
        "MatrixDiagPartV3", [grad, k, zeros_like(op.inputs[4])], {"align": op._attrs["align"]}
    )
    return [part, None, None, None, None]


register_op("MatrixDiagV3", _diag_infer, kernel=_diag_kernel, grad=_diag_grad)


# -- MatrixDiagPartV3 --------------------------------------------------------------------


def _part_length(rows: int, cols: int, k: int) -> int:
    return max(min(rows - max(-k, 0), cols - max(k, 0)), 0)


def _part_infer(inputs, attrs):
    x, k = inputs[0], inputs[1]
    dtype = x.dtype.base_dtype
    if x.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    if x.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims}")
    band = _known_band(k)
    rows, cols = x.shape[-2].value, x.shape[-1].value
    if band is None or rows is None or cols is None:
        count = None if band is None else band[1] - band[0] + 1
        dims = [None] if count == 1 else [count, None] if count else None
        return [(dtype, x.shape[:-2].concatenate(dims) if dims else tensor_shape.unknown_shape())]
    longest = max(_part_length(rows, cols, d) for d in range(band[0], band[1] + 1))
    dims = [longest] if band[0] == band[1] else [band[1] - band[0] + 1, longest]
    return [(dtype, x.shape[:-2].concatenate(dims))]


def _part_kernel(ctx, op, x, k, padding):
    lo, hi = _band_of(k)
    x = np.asarray(x)
    layout = _band_layout(*np.shape(x)[-2:], lo, hi, op._attrs["align"])
    longest = max(length for _, length, _ in layout)
    out = np.full((*np.shape(x)[:-2], len(layout), longest), padding, dtype=x.dtype)
    for i, (d, length, offset) in enumerate(layout):
        r, c = _positions(d, length)
        out[..., i, offset : offset + length] = x[..., r, c]
    return out if lo < hi else out[..., 0, :]


def _part_grad(op, grad):
    x, k = op.inputs[0], op.inputs[1]
    zeros = zeros_like(x)
    align = {"align": op._attrs["align"]}  # the band packed as the forward op packed it
    return [apply_op("MatrixSetDiagV3", [zeros, grad, k], align), None, None]


register_op("MatrixDiagPartV3", _part_infer, kernel=_part_kernel, grad=_part_grad)


# -- MatrixSetDiagV3 ---------------------------------------------------------------------


def _set_infer(inputs, attrs):
    x = inputs[0]
    if x.shape.ndims is not None and x.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims}")
    return [(x.dtype.base_dtype, x.shape)]


def _set_kernel(ctx, op, x, diagonal, k):
    lo, hi = _band_of(k)
    out = np.array(x, copy=True)
    layout = _band_layout(*np.shape(x)[-2:], lo, hi, op._attrs["align"])
    longest = max(length for _, length, _ in layout)
    if np.shape(diagonal)[-1] != longest:
        raise ValueError(
            f"diagonal.shape[-1] must equal the length of the longest diagonal, {longest}, got "
            f"{np.shape(diagonal)[-1]}"
        )
    packed = diagonal if lo < hi else np.expand_dims(diagonal, -2)
    for i, (d, length, offset) in enumerate(layout):
        r, c = _positions(d, length)
        out[..., r, c] = packed[..., i, offset : offset + length]
    return out


def _set_grad(op, grad):
    k = op.inputs[2]
    diagonal = op.inputs[1]
    align = {"align": op._attrs["align"]}
    cleared = apply_op("MatrixSetDiagV3", [grad, zeros_like(diagonal), k], align)
    padding = constant(0, dtype=grad.dtype.base_dtype)
    part = apply_op("MatrixDiagPartV3", [grad, k, padding], align)
    return [cleared, part, None]


register_op("MatrixSetDiagV3", _set_infer, kernel=_set_kernel, grad=_set_grad)


# -- the tf.* functions given TF 2's arguments ----------------------------------------------

_ALIGNS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")


def _k_tensor(k):
    return convert_to_tensor(k, dtype=dtypes.int32, name="k")


def _align(op_type: str, align) -> str:
    if align not in _ALIGNS:
        allowed = ", ".join(f'"{a}"' for a in _ALIGNS)
        raise ValueError(
            f"Attr 'align' of '{op_type}' Op passed string '{align}' not in: {allowed}."
        )
    return align


def diag_v3(diagonal, name, k, num_rows, num_cols, padding_value, align):
    """``MatrixDiagV3`` under ``name`` (``diag``), its scalar inputs named as TF names them."""
    with name_scope(name, "diag", [diagonal]) as scope:
        diagonal = convert_to_tensor(diagonal, name="diagonal")
        inputs = [
            diagonal,
            _k_tensor(k),
            convert_to_tensor(num_rows, dtype=dtypes.int32, name="num_rows"),
            convert_to_tensor(num_cols, dtype=dtypes.int32, name="num_cols"),
            convert_to_tensor(padding_value, dtype=diagonal.dtype.base_dtype, name="padding_value"),
        ]
        return apply_op(
            "MatrixDiagV3", inputs, {"align": _align("MatrixDiagV3", align)}, name=scope
        )


def diag_part_v3(input, name, k, padding_value, align):  # noqa: A002 - TF's argument name
    """``MatrixDiagPartV3`` under ``name`` (``diag_part``)."""
    with name_scope(name, "diag_part", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        k = _k_tensor(k)
        padding = convert_to_tensor(padding_value, dtype=x.dtype.base_dtype, name="padding_value")
        inputs = [x, k, padding]
        return apply_op(
            "MatrixDiagPartV3", inputs, {"align": _align("MatrixDiagPartV3", align)}, name=scope
        )


def set_diag_v3(input, diagonal, name, k, align):  # noqa: A002 - TF's argument name
    """``MatrixSetDiagV3`` under ``name`` (``set_diag``)."""
    with name_scope(name, "set_diag", [input, diagonal]) as scope:
        x = convert_to_tensor(input, name="input")
        d = convert_to_tensor(diagonal, dtype=x.dtype.base_dtype, name="diagonal")
        inputs = [x, d, _k_tensor(k)]
        return apply_op(
            "MatrixSetDiagV3", inputs, {"align": _align("MatrixSetDiagV3", align)}, name=scope
        )
