"""Index and coordinate helpers: ``tf.meshgrid`` (TF1's reshapes times a ``Fill`` of ones),
``UnravelIndex`` (flat indices as coordinates), ``tf.batch_gather`` (a gather per batch row,
built as TF1.15 builds it) and ``EnsureShape`` (a static and run-time shape check)."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import ones, reshape, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import size
from scopeflow.ops.core import build
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in

TensorShape = tensor_shape.TensorShape


@undo.atomic
def meshgrid(*args, **kwargs):
    """Coordinate grids of the 1-D ``args``: with ``indexing="xy"`` (the default) the first
    two axes are swapped, as in NumPy's ``meshgrid``; ``"ij"`` keeps the argument order.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x, y = tf.meshgrid([1, 2], [3, 4, 5])
    ...     print(x.shape, tf.Session().run(y)[:, 0])
    (3, 2) [3 4 5]
    """
    indexing = kwargs.pop("indexing", "xy")
    name = kwargs.pop("name", "meshgrid")
    if kwargs:
        raise TypeError(f"'{next(iter(kwargs))}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError(
            f"Argument `indexing` parameter must be either 'xy' or 'ij', got '{indexing}'"
        )
    with name_scope(name, "meshgrid", args):
        ndim = len(args)
        if not ndim:
            return []
        ones_shape = (1,) * ndim
        output = [  # TF1's stack of a tensor is the tensor itself
            reshape(
                x if isinstance(x, Tensor) else stack(x),
                ones_shape[:i] + (-1,) + ones_shape[i + 1 :],
            )
            for i, x in enumerate(args)
        ]
        shapes = [size(x) for x in args]
        dtype = convert_to_tensor(args[0]).dtype.base_dtype
        if indexing == "xy" and ndim > 1:
            output[0] = reshape(output[0], (1, -1) + (1,) * (ndim - 2))
            output[1] = reshape(output[1], (-1, 1) + (1,) * (ndim - 2))
            shapes[0], shapes[1] = shapes[1], shapes[0]
        factor = ones(shapes, dtype)
        return [build.binary("Mul", x, factor, default_name="mul") for x in output]


# -- UnravelIndex ---------------------------------------------------------------------------


def _unravel_infer(inputs, attrs):
    indices, dims = inputs
    check_dtype_in("UnravelIndex", "indices", indices, INDEX)
    if dims.dtype.base_dtype != indices.dtype.base_dtype:
        raise TypeError(
            f"Input 'dims' of 'UnravelIndex' Op has type {dims.dtype.base_dtype.name} that "
            f"does not match type {indices.dtype.base_dtype.name} of argument 'indices'."
        )
    if dims.shape.ndims not in (None, 1):
        raise ValueError(f"Shape must be rank 1 but is rank {dims.shape.ndims}")
    if indices.shape.ndims not in (None, 0, 1):
        raise ValueError(f"Shape must be at most rank 1 but is rank {indices.shape.ndims}")
    count = dims.shape[0].value if dims.shape.ndims == 1 else None
    if indices.shape.ndims == 0:
        return [(indices.dtype.base_dtype, TensorShape([count]))]
    n = indices.shape.num_elements() if indices.shape.ndims == 1 else None
    return [(indices.dtype.base_dtype, TensorShape([count, n]))]


def _unravel_kernel(ctx, op, indices, dims):
    if (dims <= 0).any():
        raise ValueError(f"Input dims must be positive, got {dims.tolist()}")
    total = int(np.prod(dims))
    if ((indices < 0) | (indices >= total)).any():
        raise ValueError(
            f"index is out of bound as with dims: indices {np.asarray(indices).tolist()}, "
            f"dims {dims.tolist()}"
        )
    return np.stack(np.unravel_index(indices, tuple(dims.tolist()))).astype(indices.dtype)


register_op("UnravelIndex", _unravel_infer, kernel=_unravel_kernel, grad=NOT_DIFFERENTIABLE)


@undo.atomic
def unravel_index(indices, dims, name=None):
    """The coordinates in an array of shape ``dims`` of the flat ``indices`` (a scalar or a
    vector): one row per dimension.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.unravel_index([7, 2], [3, 4])).tolist())
    [[1, 0], [3, 2]]
    """
    with name_scope(name, "UnravelIndex", [indices, dims]) as scope:
        indices = convert_to_tensor(indices, name="indices")
        if not isinstance(dims, Tensor):
            dims = convert_to_tensor(dims, dtype=indices.dtype.base_dtype, name="dims")
        attrs = {"Tidx": indices.dtype.base_dtype}
        return apply_op("UnravelIndex", [indices, dims], attrs, name=scope)


# -- batch_gather ---------------------------------------------------------------------------


@undo.atomic
def batch_gather(params, indices, name=None):
    """``params[b..., indices[b..., j]]``: a gather along axis ``indices.ndim - 1`` of
    ``params`` for each index ``b...`` of their shared leading (batch) dimensions.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.batch_gather([[1, 2, 3], [4, 5, 6]], [[2, 0], [1, 1]])
    ...     print(tf.Session().run(y).tolist())
    [[3, 1], [5, 5]]
    """
    with name_scope(name, "BatchGather", [params, indices]):
        indices = convert_to_tensor(indices, name="indices")
        params = convert_to_tensor(params, name="params")
        ndims = indices.shape.ndims
        if ndims is None:
            raise ValueError("batch_gather does not allow indices with unknown shape.")
        index = indices.dtype.base_dtype
        params_shape = shape(params)
        dims = cast(params_shape, index)
        flat = indices
        stride = None
        for dim in range(ndims - 1, 0, -1):  # add each batch row's offset in flat params
            stride = dims[dim] if stride is None else build.binary("Mul", stride, dims[dim])
            rows = build.range_of(0, dims[dim - 1], 1, name="Range")
            step = build.binary("Mul", cast(rows, index), stride, default_name="mul")
            step_shape = stack([1] * (dim - 1) + [dims[dim - 1]] + [1] * (ndims - dim))
            flat = build.binary("AddV2", flat, reshape(step, step_shape), default_name="add")
        outer = params_shape[ndims:]
        rows = build.reduce_prod(params_shape[:ndims], [0])
        flat_params = reshape(params, concat([stack([rows]), outer], axis=0))
        gathered = gather(flat_params, reshape(flat, [-1]))
        result = reshape(gathered, concat([shape(indices), outer], axis=0))
        batch = indices.shape[: ndims - 1].merge_with(params.shape[: ndims - 1])
        static = batch.concatenate(indices.shape[ndims - 1 :])
        result.set_shape(static.concatenate(params.shape[ndims:]))
        return result


# -- EnsureShape ----------------------------------------------------------------------------


def _ensure_shape_infer(inputs, attrs):
    (x,) = inputs
    want = attrs["shape"]
    if want.ndims is not None and x.shape.ndims is not None and want.ndims != x.shape.ndims:
        raise ValueError(f"Shape must be rank {want.ndims} but is rank {x.shape.ndims}")
    if not x.shape.is_compatible_with(want):
        bad = next(i for i in range(want.ndims) if not want[i].is_compatible_with(x.shape[i]))
        raise ValueError(
            f"Dimension {bad} in both shapes must be equal, but are {want[bad].value} and "
            f"{x.shape[bad].value}. Shapes are {_text(want)} and {_text(x.shape)}."
        )
    return [(x.dtype.base_dtype, x.shape.merge_with(want))]


def _text(shape: TensorShape) -> str:
    return "[" + ",".join("?" if d is None else str(d) for d in shape.as_list()) + "]"


def _ensure_shape_kernel(ctx, op, x):
    want = op._attrs["shape"]
    if not want.is_compatible_with(TensorShape(np.shape(x))):
        raise ValueError(
            f"Shape of tensor {op.inputs[0].op.name} {_text(TensorShape(np.shape(x)))} is not "
            f"compatible with expected shape {_text(want)}."
        )
    return x


register_op("EnsureShape", _ensure_shape_infer, kernel=_ensure_shape_kernel, grad=lambda op, g: [g])


@undo.atomic
def ensure_shape(x, shape, name=None):
    """``x`` unchanged, with its static shape merged with ``shape`` (``None`` dimensions
    match any); running fails when its shape turns out not to match.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.ensure_shape(tf.placeholder(tf.float32, [None, 3]), [2, None]).shape)
    (2, 3)
    """
    shape = tensor_shape.as_shape(shape)
    with name_scope(name, "EnsureShape", [x]) as scope:
        x = convert_to_tensor(x, name="x")
        return apply_op("EnsureShape", [x], {"shape": shape}, name=scope)


__all__ = ["batch_gather", "ensure_shape", "meshgrid", "unravel_index"]
