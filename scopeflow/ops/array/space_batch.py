"""``tf.space_to_batch_nd`` and ``tf.batch_to_space_nd`` (``SpaceToBatchND``,
``BatchToSpaceND``: blocks of the spatial dimensions moved into the batch and back, each the
other's gradient), and TF1's square-block ``tf.space_to_batch``/``tf.batch_to_space``.

``space_to_batch_nd`` zero-pads the ``M`` spatial dimensions after the batch by
``paddings``, cuts each into ``block_shape`` steps and stacks the ``prod(block_shape)``
offsets in front of the batch; ``batch_to_space_nd`` undoes it and crops by ``crops``.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.array.basic import stack, zeros
from scopeflow.ops.core.infer import INDEX, apply_op, check_dtype_in, constant_value

TensorShape = tensor_shape.TensorShape


def _divisible(size, block: int):
    if size is not None and size % block:
        raise ValueError(f"Dimension size must be evenly divisible by {block} but is {size}")
    return None if size is None else size // block


def _block_infer(op_type: str, second: str):
    """The shape rule of ``op_type`` (``second``: its pads or crops input's name)."""

    def infer(inputs, attrs):
        x, block_t, pads_t = inputs
        check_dtype_in(op_type, "block_shape", block_t, INDEX)
        check_dtype_in(op_type, second, pads_t, INDEX)
        if block_t.shape.ndims not in (None, 1):
            raise ValueError(f"block_shape must have rank 1. ({op_type}: {block_t.shape})")
        if pads_t.shape.ndims not in (None, 2):
            raise ValueError(
                f"Shapes must be equal rank, but are {pads_t.shape.ndims} and 2 ({op_type}: "
                f"{second} {pads_t.shape})"
            )
        dtype = x.dtype.base_dtype
        m = block_t.shape[0] if block_t.shape.ndims == 1 else None
        if m is None or x.shape.ndims is None:
            return [(dtype, tensor_shape.unknown_shape())]
        if x.shape.ndims < m + 1:
            raise ValueError(f"Shape must be at least rank {m + 1} but is rank {x.shape.ndims}")
        block, pads = constant_value(block_t), constant_value(pads_t)
        dims = x.shape.as_list()
        if block is None:
            return [(dtype, TensorShape([None] * (m + 1) + dims[m + 1 :]))]
        block = [int(b) for b in np.asarray(block).reshape(-1)]
        if any(b < 1 for b in block):
            raise ValueError(f"{op_type}: block_shape must be positive, got {block}")
        spatial = [None] * m
        if pads is not None:
            pads = np.asarray(pads).reshape(m, 2)
            if (pads < 0).any():
                raise ValueError(f"{op_type}: {second} must be non-negative, got {pads.tolist()}")
        prod = int(np.prod(block))
        if op_type == "SpaceToBatchND":
            batch = None if dims[0] is None else dims[0] * prod
            if pads is not None:
                spatial = [
                    _divisible(None if d is None else d + int(p.sum()), b)
                    for d, p, b in zip(dims[1 : m + 1], pads, block, strict=True)
                ]
        else:
            batch = dims[0]
            for b in block:  # one block dimension at a time, as TF's message says
                batch = _divisible(batch, b)
            if pads is not None:
                spatial = [
                    None if d is None else d * b - int(c.sum())
                    for d, c, b in zip(dims[1 : m + 1], pads, block, strict=True)
                ]
                if any(s is not None and s < 0 for s in spatial):
                    raise ValueError(f"{op_type}: crops {pads.tolist()} exceed the block")
        return [(dtype, TensorShape([batch, *spatial, *dims[m + 1 :]]))]

    return infer


def _space_to_batch_kernel(ctx, op, x, block, pads):
    block, pads = [int(b) for b in block.reshape(-1)], pads.reshape(-1, 2)
    m = len(block)
    x = np.pad(x, [(0, 0), *[tuple(int(v) for v in p) for p in pads], *[(0, 0)] * (x.ndim - m - 1)])
    batch, spatial, rest = x.shape[0], x.shape[1 : m + 1], x.shape[m + 1 :]
    for i, (s, b) in enumerate(zip(spatial, block, strict=True)):
        if s % b:
            raise ValueError(f"padded_shape[{i}]={s} is not divisible by block_shape[{i}]={b}")
    split = [batch] + [v for s, b in zip(spatial, block, strict=True) for v in (s // b, b)]
    x = x.reshape(*split, *rest)
    order = [2 + 2 * i for i in range(m)] + [0] + [1 + 2 * i for i in range(m)]
    x = x.transpose(*order, *range(2 * m + 1, x.ndim))
    return x.reshape(
        batch * int(np.prod(block)), *[s // b for s, b in zip(spatial, block, strict=True)], *rest
    )


def _batch_to_space_kernel(ctx, op, x, block, crops):
    block, crops = [int(b) for b in block.reshape(-1)], crops.reshape(-1, 2)
    m, prod = len(block), int(np.prod(block))
    if x.shape[0] % prod:
        raise ValueError(
            f"Input batch dimension ({x.shape[0]}) is not divisible by product of block sizes "
            f"({prod})"
        )
    batch, spatial, rest = x.shape[0] // prod, x.shape[1 : m + 1], x.shape[m + 1 :]
    x = x.reshape(*block, batch, *spatial, *rest)
    order = [m] + [v for i in range(m) for v in (m + 1 + i, i)]
    x = x.transpose(*order, *range(2 * m + 1, x.ndim))
    x = x.reshape(batch, *[s * b for s, b in zip(spatial, block, strict=True)], *rest)
    ends = [s * b - int(c[1]) for s, b, c in zip(spatial, block, crops, strict=True)]
    index = tuple(slice(int(c[0]), e) for c, e in zip(crops, ends, strict=True))
    return x[(slice(None), *index)]


def _space_to_batch_grad(op, grad):
    return [batch_to_space_nd(grad, op.inputs[1], op.inputs[2]), None, None]


def _batch_to_space_grad(op, grad):
    return [space_to_batch_nd(grad, op.inputs[1], op.inputs[2]), None, None]


register_op(
    "SpaceToBatchND",
    _block_infer("SpaceToBatchND", "paddings"),
    kernel=_space_to_batch_kernel,
    grad=_space_to_batch_grad,
)
register_op(
    "BatchToSpaceND",
    _block_infer("BatchToSpaceND", "crops"),
    kernel=_batch_to_space_kernel,
    grad=_batch_to_space_grad,
)


def _block_op(op_type: str, second: str, x, block_shape, pads, name):
    with name_scope(name, op_type, [x, block_shape, pads]) as scope:
        x = convert_to_tensor(x, name="input")
        block = convert_to_tensor(block_shape, name="block_shape")
        pads = convert_to_tensor(pads, name=second)
        attrs = {
            "Tblock_shape": block.dtype.base_dtype,
            ("Tpaddings" if second == "paddings" else "Tcrops"): pads.dtype.base_dtype,
        }
        return apply_op(op_type, [x, block, pads], attrs, name=scope)


@undo.atomic
def space_to_batch_nd(input, block_shape, paddings, name=None):  # noqa: A002 - TF1's name
    """Blocks of the spatial dimensions of ``input`` (after zero-padding them by
    ``paddings``) moved into its batch dimension.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape(tf.range(4.0), [1, 2, 2, 1])
    ...     print(tf.Session().run(tf.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]])).ravel())
    [0. 1. 2. 3.]
    """
    return _block_op("SpaceToBatchND", "paddings", input, block_shape, paddings, name)


@undo.atomic
def batch_to_space_nd(input, block_shape, crops, name=None):  # noqa: A002 - TF1's name
    """The inverse of :func:`space_to_batch_nd`: batch blocks moved back into the spatial
    dimensions, which are then cropped by ``crops``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape(tf.range(4.0), [4, 1, 1, 1])
    ...     y = tf.batch_to_space_nd(x, [2, 2], [[0, 0], [0, 0]])
    ...     print(tf.Session().run(y)[0, :, :, 0])
    [[0. 1.]
     [2. 3.]]
    """
    return _block_op("BatchToSpaceND", "crops", input, block_shape, crops, name)


def _block_size(block_size, block_shape) -> int:
    if block_size is not None and block_shape is not None:
        raise ValueError("Cannot specify both 'block_size' and 'block_shape'.")
    return block_size if block_shape is None else block_shape


@undo.atomic
def space_to_batch(input, paddings, block_size=None, name=None, block_shape=None):  # noqa: A002
    """TF1's 4-D :func:`space_to_batch_nd` with a square ``block_size``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.space_to_batch(tf.zeros([1, 4, 4, 3]), [[0, 0], [0, 0]], 2).shape)
    (4, 2, 2, 3)
    """
    size = _block_size(block_size, block_shape)
    block = np.array([size, size], dtype=np.int64)
    result = space_to_batch_nd(input, block, paddings, name=name)
    result.set_shape(result.shape.with_rank(4))
    return result


@undo.atomic
def batch_to_space(input, crops, block_size, name=None, block_shape=None):  # noqa: A002
    """TF1's 4-D :func:`batch_to_space_nd` with a square ``block_size``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.batch_to_space(tf.zeros([4, 2, 2, 3]), [[0, 0], [0, 1]], 2).shape)
    (1, 4, 3, 3)
    """
    size = _block_size(block_size, block_shape)
    block = np.array([size, size], dtype=np.int64)
    result = batch_to_space_nd(input, block, crops, name=name)
    result.set_shape(result.shape.with_rank(4))
    return result


@undo.atomic
def required_space_to_batch_paddings(input_shape, block_shape, base_paddings=None, name=None):
    """The ``paddings`` and ``crops`` (int32, ``[num_block_dims, 2]``) that make
    ``input_shape`` plus ``base_paddings`` divisible by ``block_shape`` for
    ``space_to_batch_nd``, and undo the extra padding in ``batch_to_space_nd``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     paddings, crops = tf.required_space_to_batch_paddings([5, 7], [2, 3])
    ...     with tf.Session() as sess:
    ...         print(sess.run(paddings).tolist(), sess.run(crops).tolist())
    [[0, 1], [0, 2]] [[0, 1], [0, 2]]
    """
    with name_scope(name, "required_space_to_batch_paddings", [input_shape, block_shape]):
        input_shape = convert_to_tensor(input_shape, dtype=dtypes.int32, name="input_shape")
        block_shape = convert_to_tensor(block_shape, dtype=dtypes.int32, name="block_shape")
        block_shape.shape.with_rank(1)
        num_block_dims = tensor_shape.dimension_value(block_shape.shape[0])
        if num_block_dims is None:
            raise ValueError("required_space_to_batch_paddings: block_shape must have a known size")
        input_shape.shape.assert_is_compatible_with([num_block_dims])
        if base_paddings is None:
            base_paddings = zeros([num_block_dims, 2], dtypes.int32)
        else:
            base_paddings = convert_to_tensor(base_paddings, dtypes.int32, name="base_paddings")
            base_paddings.shape.assert_is_compatible_with([num_block_dims, 2])
        pad_start, pad_end = base_paddings[:, 0], base_paddings[:, 1]
        full_shape = input_shape + pad_start + pad_end
        extra_end = (block_shape - full_shape % block_shape) % block_shape
        paddings = stack([pad_start, pad_end + extra_end], axis=1, name="paddings")
        crops = stack([zeros([num_block_dims], dtypes.int32), extra_end], axis=1, name="crops")
        return paddings, crops


__all__ = [
    "batch_to_space",
    "batch_to_space_nd",
    "required_space_to_batch_paddings",
    "space_to_batch",
    "space_to_batch_nd",
]
