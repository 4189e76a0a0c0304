"""``tf.nn.convolution``, ``tf.nn.atrous_conv2d``, ``tf.nn.pool`` and
``tf.nn.with_space_to_batch`` as TF1 builds them: a
dilated 1-, 2- or 3-D convolution (or 1-/2-D pooling) is a ``conv1d`` (``Conv2D``, ``Conv3D``,
``MaxPool``, ``AvgPool``) with VALID padding between ``SpaceToBatchND`` and ``BatchToSpaceND``,
the paddings and crops computed while building (TF's ``with_space_to_batch``), or in the graph
from ``tf.shape`` when the spatial sizes are unknown, under a ``convolution`` (``max_pool``,
``avg_pool``) scope; without dilation, the one op (``conv1d``'s ExpandDims, Conv2D and
Squeeze), named by the scope."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.nn.conv import conv2d
from scopeflow.ops.nn.conv3d import conv3d
from scopeflow.ops.nn.conv_nd import conv1d
from scopeflow.ops.nn.pooling import avg_pool, max_pool
from scopeflow.ops.nn.space_batch_wrap import with_space_to_batch_window


def _pair(value, what: str, n: int = 2) -> list[int]:
    values = [int(v) for v in np.broadcast_to(np.asarray(value, dtype=np.int64), (n,))]
    if any(v < 1 for v in values):
        raise ValueError(f"all values of `{what}` must be positive. Received: {what}={values}")
    return values


@undo.atomic
def convolution(
    input,  # noqa: A002 - TF1's argument name
    filter,  # noqa: A002
    padding,
    strides=None,
    dilation_rate=None,
    name=None,
    data_format=None,
    filters=None,
    dilations=None,
):
    """An N-D convolution with ``strides`` or ``dilation_rate`` (1-D NWC, 2-D NHWC or 3-D
    NDHWC here), as TF1 builds it.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.convolution(tf.ones([1, 5, 5, 1]), tf.ones([3, 3, 1, 1]), "SAME",
    ...                           dilation_rate=[2, 2])
    ...     print(y.op.type, tf.Session().run(y)[0, :, :, 0].tolist()[2])
    BatchToSpaceND [6.0, 6.0, 9.0, 6.0, 6.0]
    """
    if filters is not None:
        raise ValueError("Cannot specify both 'filters' and 'filter'.")
    if dilations is not None and dilation_rate is not None:
        raise ValueError("Cannot specify both 'dilations' and 'dilation_rate'.")
    kernel = filter
    rate = dilation_rate if dilations is None else dilations
    if data_format not in (None, "NWC", "NHWC", "NDHWC"):
        raise NotImplementedError(
            f"tf.nn.convolution with data_format={data_format!r} is not supported; put the "
            "channels last"
        )
    with name_scope(name, "convolution", [input, kernel]) as scope:
        x = convert_to_tensor(input, name="input")
        if not hasattr(getattr(kernel, "shape", None), "ndims"):
            kernel = convert_to_tensor(kernel, name="filter")
        # a variable is read where the convolution op takes it, as TF reads it
        n = kernel.shape.ndims - 2 if kernel.shape.ndims is not None else None
        if n not in (1, 2, 3) or x.shape.ndims != n + 2:
            raise NotImplementedError(
                f"tf.nn.convolution of input.shape={x.shape} and filter.shape={kernel.shape}: "
                "only 1-, 2- and 3-D convolutions of inputs of one batch dimension and known "
                "rank (NWC, NHWC, NDHWC) are supported; reshape the input"
            )
        step = _pair(1 if strides is None else strides, "strides", n)
        rate = _pair(1 if rate is None else rate, "dilation_rate", n)

        def conv(value, pad, step=(1,) * n):
            if n == 1:
                return conv1d(value, kernel, step[0], pad, name=scope)
            make = conv2d if n == 2 else conv3d
            return make(value, kernel, [1, *step, 1], pad, name=scope)

        if rate == [1] * n:  # (the op checks the padding, as TF's)
            return conv(x, padding, step)
        if padding not in ("SAME", "VALID"):
            raise ValueError(
                f"`padding` must be one of 'SAME' or 'VALID'. Received: padding={padding}"
            )
        if step != [1] * n:
            raise ValueError(
                "`strides > 1` not supported in conjunction with `dilation_rate > 1`. "
                f"Received: strides={step} and dilation_rate={rate}"
            )
        if padding == "SAME" and not kernel.shape.is_fully_defined():
            raise NotImplementedError(
                "tf.nn.convolution with dilation_rate and padding='SAME' needs a filter of "
                "static shape here; use tf.nn.conv2d(..., dilations=[1, r, r, 1]) instead"
            )
        return with_space_to_batch_window(x, rate, padding, conv, kernel.shape.as_list())


@undo.atomic
def atrous_conv2d(value, filters, rate, padding, name=None):
    """A 2-D convolution whose filter taps are ``rate`` pixels apart (TF1's
    ``tf.nn.convolution`` with ``dilation_rate=[rate, rate]``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.atrous_conv2d(tf.ones([1, 6, 6, 2]), tf.ones([3, 3, 2, 4]), 2, "SAME")
    ...     print(y.name, y.shape)
    convolution/BatchToSpaceND:0 (1, 6, 6, 4)
    """
    return convolution(
        value, filters, padding, dilation_rate=np.broadcast_to(rate, (2,)), name=name
    )


@undo.atomic
def pool(
    input,  # noqa: A002 - TF1's argument name
    window_shape,
    pooling_type,
    padding,
    dilation_rate=None,
    strides=None,
    name=None,
    data_format=None,
    dilations=None,
):
    """1-D (NWC) or 2-D (NHWC) max or average pooling (``pooling_type`` "MAX" or "AVG") with
    ``strides`` or, for VALID windows, ``dilation_rate``, as TF1 builds it.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.pool(tf.zeros([1, 6, 6, 3]), [2, 2], "MAX", "VALID", dilation_rate=[2, 2])
    ...     print(y.name, y.shape)
    max_pool/BatchToSpaceND:0 (1, 4, 4, 3)
    """
    if dilations is not None and dilation_rate is not None:
        raise ValueError("Cannot specify both 'dilations' and 'dilation_rate'.")
    rate = dilation_rate if dilations is None else dilations
    if pooling_type not in ("MAX", "AVG"):
        raise ValueError(f"2-D {pooling_type} pooling is not supported.")
    if data_format not in (None, "NHWC"):
        raise NotImplementedError(
            f"tf.nn.pool with data_format={data_format!r} is not supported; transpose to NHWC"
        )
    with name_scope(name, f"{pooling_type.lower()}_pool", [input]) as scope:
        x = convert_to_tensor(input, name="input")
        n = len(window_shape)
        if n not in (1, 2) or x.shape.ndims not in (None, n + 2):
            raise NotImplementedError(
                f"tf.nn.pool with window_shape={list(window_shape)} over input.shape={x.shape}: "
                "only 1-D (NWC) and 2-D (NHWC) pooling is supported; use tf.nn.max_pool3d or "
                "tf.nn.avg_pool3d for 3-D"
            )
        step = _pair(1 if strides is None else strides, "strides", n)
        rate = _pair(1 if rate is None else rate, "dilation_rate", n)
        if padding == "SAME" and rate != [1] * n:
            raise ValueError(
                "pooling with 'SAME' padding is not implemented for `dilation_rate` > 1. "
                f"Received: padding={padding} and dilation_rate={rate}"
            )
        if any(s > w for s, w in zip(step, window_shape, strict=True)):
            raise ValueError(
                "`strides` > `window_shape` not supported due to inconsistency between CPU "
                f"and GPU implementations. Received: strides={step} and "
                f"window_shape={list(window_shape)}"
            )
        pool_fn = max_pool if pooling_type == "MAX" else avg_pool

        def op(value, pad):
            if n == 2:
                return pool_fn(value, [1, *window_shape, 1], [1, *step, 1], pad, name=scope)
            # 1-D as TF pools it: a height of one added and squeezed out again
            wide = pool_fn(
                expand_dims(value, 1), [1, 1, *window_shape, 1], [1, 1, *step, 1], pad, name=scope
            )
            return squeeze(wide, [1])

        return with_space_to_batch_window(x, rate, padding, op, list(window_shape))


@undo.atomic
def with_space_to_batch(
    input,  # noqa: A002 - TF's argument name
    dilation_rate,
    padding,
    op,
    filter_shape=None,
    spatial_dims=None,
    data_format=None,
):
    """``op(converted, num_spatial_dims, "VALID")`` on ``input`` turned by ``SpaceToBatchND``
    into blocks of ``dilation_rate``, turned back by ``BatchToSpaceND`` (``op(input,
    num_spatial_dims, padding)`` when the rate is all ones): a window op made dilated. The
    spatial dimensions are the ones after the batch.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     x = tf.reshape(tf.range(16.0), [1, 4, 4, 1])
    ...     y = tf.nn.with_space_to_batch(
    ...         x, [2, 2], "VALID",
    ...         lambda v, n, pad: tf.nn.max_pool(v, [1, 2, 2, 1], [1, 1, 1, 1], pad))
    ...     print(y.op.type, tf.Session().run(y)[0, :, :, 0].tolist())
    BatchToSpaceND [[10.0, 11.0], [14.0, 15.0]]
    """
    x = convert_to_tensor(input, name="input")
    rate = [int(r) for r in np.asarray(dilation_rate).reshape(-1)]
    if np.ndim(dilation_rate) != 1:
        raise ValueError(
            f"`dilation_rate.shape.rank` must be 1. Received: dilation_rate={dilation_rate}"
        )
    n = len(rate)
    if data_format is not None and data_format.startswith("NC"):
        raise NotImplementedError(
            f"with_space_to_batch(data_format={data_format!r}) is not supported; put the "
            "channels last"
        )
    if spatial_dims is not None and list(spatial_dims) != list(range(1, n + 1)):
        if sorted(set(spatial_dims)) != list(spatial_dims) or min(spatial_dims) < 1:
            raise ValueError(
                "`spatial_dims` must be a monotonically increasing sequence of positive "
                f"integers. Received: spatial_dims={list(spatial_dims)}"
            )
        raise NotImplementedError(
            f"with_space_to_batch(spatial_dims={list(spatial_dims)}): only the dimensions "
            f"right after the batch ({list(range(1, n + 1))}) are supported; transpose the "
            "input so the spatial dimensions come first"
        )
    if x.shape.ndims is not None and x.shape.ndims < n + 1:
        raise ValueError(
            f"`input.shape.rank` must be at least {n + 1}. Received: input.shape={x.shape} "
            f"with rank {x.shape.ndims}"
        )
    if any(r < 1 for r in rate):
        raise ValueError(f"`dilation_rate` must be positive. Received: dilation_rate={rate}")
    return with_space_to_batch_window(
        x, rate, padding, lambda value, pad: op(value, n, pad), filter_shape
    )


__all__ = ["atrous_conv2d", "convolution", "pool", "with_space_to_batch"]
