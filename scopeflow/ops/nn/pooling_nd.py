"""``tf.nn.max_pool1d``, ``avg_pool1d``, ``max_pool_v2`` and ``avg_pool_v2``, built as TF
builds them: a 1-D pool is ``ExpandDims`` + ``MaxPool``/``AvgPool`` over a height of one +
``Squeeze``; the ``_v2`` pools pick the 1-D, 2-D or 3-D pool by the rank of ``input``."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.shape import expand_dims, squeeze
from scopeflow.ops.nn.pooling import avg_pool, max_pool
from scopeflow.ops.nn.pooling3d import avg_pool3d, max_pool3d


def spatial_sequence(value, n: int, name: str) -> list[int]:
    """TF's ``_get_sequence`` for a channels-last layout: ``value`` (an int, or 1, ``n`` or
    ``n + 2`` values) as the ``n + 2`` values of a window or strides attribute."""
    if value is None:
        return [1] * (n + 2)
    values = [value] if isinstance(value, int) else list(value)
    if len(values) == n + 2:
        return [int(v) for v in values]
    if len(values) == 1:
        values = values * n
    elif len(values) != n:
        raise ValueError(
            f"{name} should be of length 1, {n} or {n + 2}. Received: {name}={values} of "
            f"length {len(values)}"
        )
    return [1, *(int(v) for v in values), 1]


def _check_nwc(data_format) -> None:
    if data_format not in (None, "NWC"):
        raise NotImplementedError(
            f"data_format={data_format!r} is not supported; scopeflow pools in NWC. Transpose "
            "the input with tf.transpose(x, [0, 2, 1]) and use NWC."
        )


def _pool1d(pool_fn, default_name, input, ksize, strides, padding, data_format, name):  # noqa: A002
    _check_nwc(data_format)
    with name_scope(name, default_name, [input]) as scope:
        ksize = [1, *spatial_sequence(ksize, 1, "ksize")]
        strides = [1, *spatial_sequence(strides, 1, "strides")]
        if not isinstance(padding, str):
            pairs = [list(p) for p in padding]
            if len(pairs) != 3:
                raise ValueError(
                    f"When padding is a list, it must be of size 3. Received: padding={padding}"
                )
            padding = [[0, 0], *pairs]
        x = expand_dims(input, 1)
        return squeeze(pool_fn(x, ksize, strides, padding, name=scope), [1])


@undo.atomic
def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """The maximum of each ``ksize`` window of ``[batch, width, channels]``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.max_pool1d(tf.constant([[[1.0], [3.0], [2.0], [0.0]]]), 2, 2, "VALID")
    ...     print(y.op.name, tf.Session().run(y)[0, :, 0])
    MaxPool1d/Squeeze [3. 2.]
    """
    return _pool1d(max_pool, "MaxPool1d", input, ksize, strides, padding, data_format, name)


@undo.atomic
def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """The mean of each ``ksize`` window of ``[batch, width, channels]`` (SAME windows: of
    their real entries).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.avg_pool1d(tf.constant([[[1.0], [3.0], [2.0]]]), 2, 2, "SAME")
    ...     print(y.op.name, tf.Session().run(y)[0, :, 0])
    AvgPool1D/Squeeze [2. 2.]
    """
    if not isinstance(padding, str):
        raise ValueError(f"avg_pool1d takes padding 'SAME' or 'VALID', got {padding!r}")
    return _pool1d(avg_pool, "AvgPool1D", input, ksize, strides, padding, data_format, name)


def _spatial_rank(input, data_format) -> int:  # noqa: A002
    if input.shape.ndims is not None:
        n = input.shape.ndims - 2
    elif data_format is not None:
        n = len(data_format) - 2
    else:
        raise ValueError(
            "`input` must have a static shape or a data format must be given. Received: "
            f"input.shape={input.shape} and data_format={data_format}"
        )
    if not 1 <= n <= 3:
        raise ValueError(
            f"`input.shape.rank` must be 3, 4 or 5. Received: input.shape={input.shape} of "
            f"rank {n + 2}."
        )
    if data_format is not None and data_format.startswith("NC"):
        raise NotImplementedError(
            f"data_format={data_format!r} is not supported; scopeflow pools channels-last "
            "inputs (NWC, NHWC, NDHWC). Transpose the input to put channels last."
        )
    return n


@undo.atomic
def max_pool_v2(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """TF2's ``tf.nn.max_pool``: ``max_pool1d``, a 2-D ``MaxPool`` or ``MaxPool3D`` by the
    rank of ``input`` (3, 4 or 5).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.max_pool_v2(tf.zeros([1, 4, 4, 4, 2]), 2, 2, "SAME")
    >>> y.op.type, y.shape.as_list()
    ('MaxPool3D', [1, 2, 2, 2, 2])
    """
    input = convert_to_tensor(input)  # noqa: A001
    n = _spatial_rank(input, data_format)
    ksize = spatial_sequence(ksize, n, "ksize")
    strides = spatial_sequence(strides, n, "strides")
    if n == 1:
        return max_pool1d(input, ksize, strides, padding, name=name)
    if n == 2:
        with name_scope(name, "MaxPool2d", [input]) as scope:
            return max_pool(input, ksize, strides, padding, name=scope)
    if not isinstance(padding, str):
        raise ValueError(
            "Explicit padding is not supported with an input tensor of rank 5. Received: "
            f"padding={padding}"
        )
    return max_pool3d(input, ksize, strides, padding, name=name)


@undo.atomic
def avg_pool_v2(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """TF2's ``tf.nn.avg_pool``: ``avg_pool1d``, a 2-D ``AvgPool`` or ``AvgPool3D`` by the
    rank of ``input`` (3, 4 or 5).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.avg_pool_v2(tf.zeros([2, 6, 6, 3]), 3, 2, "VALID")
    >>> y.op.name, y.shape.as_list()
    ('AvgPool', [2, 2, 2, 3])
    """
    input = convert_to_tensor(input)  # noqa: A001
    n = _spatial_rank(input, data_format)
    ksize = spatial_sequence(ksize, n, "ksize")
    strides = spatial_sequence(strides, n, "strides")
    pool_fn = {1: avg_pool1d, 2: avg_pool, 3: avg_pool3d}[n]
    return pool_fn(input, ksize, strides, padding, name=name)


__all__ = ["avg_pool1d", "avg_pool_v2", "max_pool1d", "max_pool_v2"]
