"""TF's ``with_space_to_batch`` core: a window op (a convolution or a pooling, given as
``op(value, padding)``) made dilated by running it VALID on ``SpaceToBatchND`` blocks of the
rate and turning the result back with ``BatchToSpaceND``; the paddings and crops are
constants when the spatial sizes are static, else computed from ``tf.shape`` with TF's ops and
names. ``tf.nn.convolution``, the convolution layers, ``depthwise_conv2d`` and
``separable_conv2d`` share it."""

from __future__ import annotations

import numpy as np

from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import shape, stack
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.space_batch import batch_to_space_nd, space_to_batch_nd


def _required_paddings(spatial: list[int], base: np.ndarray, rate: list[int], base_const: bool):
    """TF's ``required_space_to_batch_paddings`` for static shapes: (paddings, crops), with
    the constants TF makes on the way (``base_const``: the base paddings are made here)."""
    with name_scope(None, "required_space_to_batch_paddings"):
        convert_to_tensor(np.asarray(spatial, np.int32), name="input_shape")
        if base_const:
            convert_to_tensor(base, name="base_paddings")
        pad_start, orig_end = base[:, 0], base[:, 1]
        full = np.asarray(spatial) + pad_start + orig_end
        extra = (np.asarray(rate) - full % rate) % rate
        paddings = np.stack([pad_start, orig_end + extra], axis=1).astype(np.int32)
        crops = np.stack([np.zeros_like(extra), extra], axis=1).astype(np.int32)
        convert_to_tensor(paddings, name="paddings")
        convert_to_tensor(crops, name="crops")
    return paddings, crops


def _dynamic_paddings(x, rate_t, base, base_t):
    """TF's ``required_space_to_batch_paddings`` over spatial sizes known only when run:
    (paddings, crops) computed in the graph from ``tf.shape(x)``, with TF's ops and names, then
    passed through the single-part ``concat`` TF's ``_with_space_to_batch_adjust`` makes."""
    n = len(base)
    dims = shape(x)
    spatial = stack([dims[i] for i in range(1, n + 1)])
    with name_scope(None, "required_space_to_batch_paddings"):
        if base_t is None:
            base_t = convert_to_tensor(base, name="base_paddings")
        pad_start, orig_end = base_t[:, 0], base_t[:, 1]
        full = spatial + pad_start + orig_end
        extra = (rate_t - full % rate_t) % rate_t
        pad_end = orig_end + extra
        paddings = stack([[pad_start[i], pad_end[i]] for i in range(n)], name="paddings")
        crops = stack([[0, extra[i]] for i in range(n)], name="crops")
    return concat([paddings[0:n]], 0), concat([crops[0:n]], 0)


def with_space_to_batch_window(
    x, rate: list[int], padding: str, op, filter_shape, shape_const: bool = True
):
    """``op(x, padding)`` with its window's taps ``rate`` apart over the ``len(rate)``
    dimensions after the batch, as TF's ``with_space_to_batch`` builds it (``filter_shape``:
    the window's or filter's full shape, read for SAME; ``shape_const``: make its constant
    ``filter_shape`` here, as ``tf.nn.convolution`` does, where ``depthwise_conv2d`` has made
    its own ``Shape``); the paddings are constants when the spatial sizes are static, else
    computed in the graph."""
    n = len(rate)
    rate_t = convert_to_tensor(np.asarray(rate, np.int32), name="dilation_rate")
    if all(r == 1 for r in rate):
        return op(x, padding)
    if x.shape.ndims is None:
        raise NotImplementedError(
            f"a dilated window over input.shape={x.shape}: the input's rank must be known "
            "here; give the placeholder a shape such as [None, None, None, channels]"
        )
    base_t = None
    same = isinstance(padding, str) and padding == "SAME"  # else VALID or explicit pads
    if same:
        if filter_shape is None:
            raise ValueError(
                "`filter_shape` must be specified for `padding='SAME'`. Received: "
                f"filter_shape={filter_shape} and padding={padding}"
            )
        filter_shape = np.asarray(filter_shape, np.int32)
        if shape_const:
            convert_to_tensor(filter_shape, name="filter_shape")
        extra = (filter_shape[:n] - 1) * np.asarray(rate)
        start = extra // 2
        base = np.stack([start, extra - start], axis=1).astype(np.int32)
        base_t = convert_to_tensor(base, name="stack")
    elif isinstance(padding, str) and padding == "VALID":
        base = np.zeros([n, 2], np.int32)
    elif not isinstance(padding, str) and np.shape(padding) == (n + 2, 2):
        base = np.asarray(padding, np.int32)[1 : 1 + n]  # explicit pads: TF's base paddings
    else:
        raise ValueError(f"`padding` must be one of 'SAME' or 'VALID'. Received: padding={padding}")
    spatial = x.shape.as_list()[1 : 1 + n]
    if None in spatial:
        paddings, crops = _dynamic_paddings(x, rate_t, base, base_t)
    else:
        paddings, crops = _required_paddings(spatial, base, rate, base_const=not same)
    block = np.asarray(rate, np.int32)
    converted = space_to_batch_nd(x, block, paddings)
    return batch_to_space_nd(op(converted, "VALID"), block, crops)


__all__ = ["with_space_to_batch_window"]
