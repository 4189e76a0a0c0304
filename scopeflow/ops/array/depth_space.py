"""``SpaceToDepth`` and ``DepthToSpace`` (``tf.space_to_depth``, ``tf.depth_to_space`` and
their ``tf.nn`` aliases): square blocks of an NHWC image's height and width moved into its
channels and back, each the other's gradient."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import register_op
from scopeflow.ops.core.infer import apply_op

TensorShape = tensor_shape.TensorShape


def _check_attrs(op_type: str, attrs) -> int:
    block = attrs["block_size"]
    if block < 2:
        raise ValueError(f"Attr 'block_size' of '{op_type}' Op passed {block} less than minimum 2.")
    if attrs["data_format"] != "NHWC":
        raise NotImplementedError(
            f"{op_type} with data_format={attrs['data_format']!r}: scopeflow supports 'NHWC' "
            "only (as TF1 on CPU); transpose to NHWC first."
        )
    return block


def _input_rank(x) -> None:
    if x.shape.ndims not in (None, 4):
        raise ValueError(f"Shape must be rank 4 but is rank {x.shape.ndims}")


def _space_to_depth_infer(inputs, attrs):
    (x,) = inputs
    block = _check_attrs("SpaceToDepth", attrs)
    _input_rank(x)
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, TensorShape([None] * 4))]
    n, h, w, c = x.shape.as_list()
    for size in (h, w):
        if size is not None and size % block:
            raise ValueError(f"Dimension size must be evenly divisible by {block} but is {size}")
    out = [n, *(None if s is None else s // block for s in (h, w))]
    return [(x.dtype.base_dtype, TensorShape([*out, None if c is None else c * block * block]))]


def _space_to_depth_kernel(ctx, op, x):
    block = op._attrs["block_size"]
    n, h, w, c = x.shape
    if h % block or w % block:
        raise ValueError(
            f"Image width {w} and height {h} should be divisible by block_size: {block}"
        )
    blocks = x.reshape(n, h // block, block, w // block, block, c).transpose(0, 1, 3, 2, 4, 5)
    return np.ascontiguousarray(blocks).reshape(n, h // block, w // block, c * block * block)


def _depth_to_space_infer(inputs, attrs):
    (x,) = inputs
    block = _check_attrs("DepthToSpace", attrs)
    _input_rank(x)
    if x.shape.ndims is None:
        return [(x.dtype.base_dtype, TensorShape([None] * 4))]
    n, h, w, c = x.shape.as_list()
    if c is not None and c % (block * block):
        raise ValueError(f"Dimension size must be evenly divisible by {block * block} but is {c}")
    out = [n, *(None if s is None else s * block for s in (h, w))]
    return [(x.dtype.base_dtype, TensorShape([*out, None if c is None else c // block**2]))]


def _depth_to_space_kernel(ctx, op, x):
    block = op._attrs["block_size"]
    n, h, w, c = x.shape
    if c % (block * block):
        raise ValueError(f"Input depth dimension {c} should be divisible by: {block * block}")
    depth = c // (block * block)
    blocks = x.reshape(n, h, w, block, block, depth).transpose(0, 1, 3, 2, 4, 5)
    return np.ascontiguousarray(blocks).reshape(n, h * block, w * block, depth)


def _block_attrs(op) -> dict:
    return {"block_size": op._attrs["block_size"], "data_format": op._attrs["data_format"]}


register_op(
    "SpaceToDepth",
    _space_to_depth_infer,
    kernel=_space_to_depth_kernel,
    grad=lambda op, grad: [apply_op("DepthToSpace", [grad], _block_attrs(op))],
)
register_op(
    "DepthToSpace",
    _depth_to_space_infer,
    kernel=_depth_to_space_kernel,
    grad=lambda op, grad: [apply_op("SpaceToDepth", [grad], _block_attrs(op))],
)


def _block_op(op_type: str, input, block_size, name, data_format):  # noqa: A002
    with name_scope(name, op_type, [input]) as scope:
        x = convert_to_tensor(input, name="input")
        attrs = {"block_size": int(block_size), "data_format": data_format}
        return apply_op(op_type, [x], attrs, name=scope)


@undo.atomic
def space_to_depth(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """Each ``block_size`` x ``block_size`` block of an NHWC ``input``'s height and width
    moved into its channels (height and width divided by ``block_size``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.space_to_depth(tf.reshape(tf.range(4), [1, 2, 2, 1]), 2)
    ...     print(y.shape, tf.Session().run(y).ravel())
    (1, 1, 1, 4) [0 1 2 3]
    """
    return _block_op("SpaceToDepth", input, block_size, name, data_format)


@undo.atomic
def depth_to_space(input, block_size, name=None, data_format="NHWC"):  # noqa: A002
    """The inverse of :func:`space_to_depth`: an NHWC ``input``'s channels spread over
    ``block_size`` x ``block_size`` blocks of height and width.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.depth_to_space(tf.reshape(tf.range(4), [1, 1, 1, 4]), 2)
    ...     print(y.shape, tf.Session().run(y)[0, :, :, 0].tolist())
    (1, 2, 2, 1) [[0, 1], [2, 3]]
    """
    return _block_op("DepthToSpace", input, block_size, name, data_format)


__all__ = ["depth_to_space", "space_to_depth"]
