"""TF 2's diagonal ops ``MatrixDiagV3``, ``MatrixDiagPartV3`` and ``MatrixSetDiagV3``, which
graphs TensorFlow 2.x writes use for ``tf.eye``, ``tf.linalg.diag``, ``diag_part`` and
``set_diag`` (scopeflow builds TF1's ``MatrixDiag`` family): registered so those graphs import
and run, and built by ``tf.matrix_diag``/``matrix_diag_part``/``matrix_set_diag`` given TF 2's
arguments (``k``, ``num_rows``, ``num_cols``, ``padding_value``, ``align``) other than their
defaults, as TF builds them. One diagonal ``k`` (a scalar, or a pair naming one diagonal) is
supported; a band of several diagonals (``k = (lo, hi)``, ``lo < hi``) raises
``NotImplementedError`` while building, or fails an imported graph's run with
``UnimplementedError``.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.array.shape import zeros_like
from scopeflow.ops.core.infer import apply_op, constant_value


def _known_k(k) -> int | None:
    """The one diagonal a constant ``k`` tensor names while building, else None."""
    value = constant_value(k)
    if value is None or np.size(value) not in (1, 2) or len(set(np.ravel(value).tolist())) != 1:
        return None
    return int(np.ravel(value)[0])


def _single_k(op, k) -> int:
    """The one diagonal ``k`` names (a scalar, or a pair ``(d, d)``)."""
    values = np.ravel(k).tolist()
    if len(values) not in (1, 2):
        raise ValueError(f"diag_index must have only one or two elements, received {values}")
    if len(values) == 2 and values[0] != values[1]:
        if values[0] > values[1]:
            raise ValueError(
                f"lower_diag_index must not be greater than upper_diag_index, received "
                f"lower_diag_index = {values[0]} and upper_diag_index = {values[1]}"
            )
        raise errors.UnimplementedError(
            None,
            op,
            f"a band of diagonals (k = {values}) is not supported; take one diagonal at a time",
        )
    return int(values[0])


def _positions(k: int, length: int):
    """Row and column of the ``length`` entries of diagonal ``k``."""
    i = np.arange(length)
    return i + max(-k, 0), i + max(k, 0)


def _diag_sizes(n: int, k: int, num_rows: int, num_cols: int) -> tuple[int, int]:
    min_rows, min_cols = n + max(-k, 0), n + max(k, 0)
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


def _diag_infer(inputs, attrs):
    diagonal, k, rows, cols = inputs[:4]
    dtype = diagonal.dtype.base_dtype
    known = [_known_k(k), constant_value(rows), constant_value(cols)]
    n = diagonal.shape[-1].value if diagonal.shape.ndims else None
    if diagonal.shape.ndims is None:
        return [(dtype, tensor_shape.unknown_shape())]
    batch = diagonal.shape[:-1]
    if n is None or any(v is None for v in known):
        return [(dtype, batch.concatenate([None, None]))]
    shape = _diag_sizes(n, known[0], int(known[1]), int(known[2]))
    return [(dtype, batch.concatenate(list(shape)))]


def _diag_kernel(ctx, op, diagonal, k, num_rows, num_cols, padding):
    if np.ndim(diagonal) == 0:
        raise ValueError("diagonal must be at least 1-dim, received a scalar")
    k = _single_k(op, k)
    n = np.shape(diagonal)[-1]
    rows, cols = _diag_sizes(n, k, int(num_rows), int(num_cols))
    out = np.full((*np.shape(diagonal)[:-1], rows, cols), padding, dtype=diagonal.dtype)
    length = min(n, rows - max(-k, 0), cols - max(k, 0))
    r, c = _positions(k, max(length, 0))
    out[..., r, c] = diagonal[..., : len(r)]
    return out


def _diag_grad(op, grad):
    k = op.inputs[1]
    part = apply_op(
        "MatrixDiagPartV3", [grad, k, zeros_like(op.inputs[4])], {"align": "RIGHT_LEFT"}
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
    known = _known_k(k)
    rows, cols = x.shape[-2].value, x.shape[-1].value
    length = None
    if known is not None and rows is not None and cols is not None:
        length = _part_length(rows, cols, known)
    return [(dtype, x.shape[:-2].concatenate(TensorShape([length])))]


def _part_kernel(ctx, op, x, k, padding):
    k = _single_k(op, k)
    r, c = _positions(k, _part_length(*np.shape(x)[-2:], k))
    return np.asarray(x)[..., r, c].copy()


def _part_grad(op, grad):
    x, k = op.inputs[0], op.inputs[1]
    zeros = zeros_like(x)
    return [apply_op("MatrixSetDiagV3", [zeros, grad, k], {"align": "RIGHT_LEFT"}), None, None]


register_op("MatrixDiagPartV3", _part_infer, kernel=_part_kernel, grad=_part_grad)


# -- MatrixSetDiagV3 ---------------------------------------------------------------------


def _set_infer(inputs, attrs):
    x = inputs[0]
    if x.shape.ndims is not None and x.shape.ndims < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {x.shape.ndims}")
    return [(x.dtype.base_dtype, x.shape)]


def _set_kernel(ctx, op, x, diagonal, k):
    k = _single_k(op, k)
    out = np.array(x, copy=True)
    length = _part_length(*np.shape(x)[-2:], k)
    if np.shape(diagonal)[-1] != length:
        raise ValueError(
            f"diagonal.shape[-1] must equal the length of diagonal {k}, {length}, got "
            f"{np.shape(diagonal)[-1]}"
        )
    r, c = _positions(k, length)
    out[..., r, c] = diagonal
    return out


def _set_grad(op, grad):
    k = op.inputs[2]
    diagonal = op.inputs[1]
    cleared = apply_op("MatrixSetDiagV3", [grad, zeros_like(diagonal), k], {"align": "RIGHT_LEFT"})
    padding = constant(0, dtype=grad.dtype.base_dtype)
    part = apply_op("MatrixDiagPartV3", [grad, k, padding], {"align": "RIGHT_LEFT"})
    return [cleared, part, None]


register_op("MatrixSetDiagV3", _set_infer, kernel=_set_kernel, grad=_set_grad)


# -- the tf.* functions given TF 2's arguments ----------------------------------------------

_ALIGNS = ("LEFT_RIGHT", "RIGHT_LEFT", "LEFT_LEFT", "RIGHT_RIGHT")


def _k_tensor(k):
    k = convert_to_tensor(k, dtype=dtypes.int32, name="k")
    value = constant_value(k)
    if value is not None and np.size(value) == 2 and np.ravel(value)[0] != np.ravel(value)[1]:
        raise NotImplementedError(
            f"a band of diagonals (k = {np.ravel(value).tolist()}) is not supported; take one "
            "diagonal at a time (a scalar k) and combine them"
        )
    return k


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
