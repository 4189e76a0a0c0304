"""``tf.contrib.layers.instance_norm`` and ``group_norm`` as TF 1.15's (style transfer, GANs,
detection heads with small batches): per-example statistics, ``beta``/``gamma`` model
variables of the channel count under ``InstanceNorm`` / ``GroupNorm``, TF's op names.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     x = tf.constant(np.arange(8.0, dtype=np.float32).reshape(1, 2, 2, 2))
...     y = tf.contrib.layers.group_norm(x, groups=1, epsilon=0.0)
...     sess.run(tf.global_variables_initializer())
...     print(sess.run(y)[0, 0, 0].round(3), [v.op.name for v in tf.model_variables()])
[-1.528 -1.091] ['GroupNorm/beta', 'GroupNorm/gamma']
"""

from __future__ import annotations

from scopeflow.contrib.arg_scope import add_arg_scope
from scopeflow.contrib.framework import model_variable
from scopeflow.contrib.layers_core import collect_named_outputs, variable_collections
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.tensor_shape import dimension_value
from scopeflow.ops.array.basic import reshape
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.math.elementwise import rsqrt
from scopeflow.ops.nn.composite import batch_normalization, moments
from scopeflow.variables.initializers import ones_initializer, zeros_initializer
from scopeflow.variables.variable_scope import variable_scope


def _beta_gamma(
    params_shape, dtype, center, scale, initializers, collections, trainable, broadcast
):
    """The ``beta`` and ``gamma`` model variables (None when off), reshaped to
    ``broadcast`` when given."""
    initializers = initializers or {}

    def make(name, default):
        variable = model_variable(
            name,
            shape=params_shape,
            dtype=dtype,
            initializer=initializers.get(name, default),
            collections=variable_collections(collections, name),
            trainable=trainable,
        )
        return reshape(variable, broadcast) if broadcast else variable

    beta = make("beta", zeros_initializer()) if center else None
    gamma = make("gamma", ones_initializer()) if scale else None
    return beta, gamma


@add_arg_scope
def instance_norm(
    inputs,
    center=True,
    scale=True,
    epsilon=1e-6,
    activation_fn=None,
    param_initializers=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    data_format="NHWC",
    scope=None,
):
    """Normalizes each example and channel over the other axes (all but the batch and the
    channels), then scales by ``gamma`` and shifts by ``beta`` (one per channel).

    Raises:
        ValueError: the rank or the channel count is unknown, or ``data_format`` is neither
            ``"NHWC"`` nor ``"NCHW"``.
    """
    inputs = convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    if rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    if data_format not in ("NCHW", "NHWC"):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with variable_scope(scope, "InstanceNorm", [inputs], reuse=reuse) as sc:
        channel_axis = 1 if data_format == "NCHW" else rank - 1
        broadcast = None
        if data_format == "NCHW":  # the parameters shaped to broadcast over H, W
            broadcast = [1, dimension_value(inputs.shape[1])] + [1] * (rank - 2)
        params_shape = inputs.shape[channel_axis : channel_axis + 1]
        if not params_shape.is_fully_defined():
            raise ValueError(
                f"Inputs {inputs.name} has undefined channels dimension {params_shape}."
            )
        beta, gamma = _beta_gamma(
            params_shape,
            inputs.dtype.base_dtype,
            center,
            scale,
            param_initializers,
            variables_collections,
            trainable,
            broadcast,
        )
        axes = [a for a in range(1, rank) if a != channel_axis]
        mean, variance = moments(inputs, axes, keep_dims=True)
        outputs = batch_normalization(
            inputs, mean, variance, beta, gamma, epsilon, name="instancenorm"
        )
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def group_norm(
    inputs,
    groups=32,
    channels_axis=-1,
    reduction_axes=(-3, -2),
    center=True,
    scale=True,
    epsilon=1e-6,
    activation_fn=None,
    param_initializers=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    scope=None,
    mean_close_to_zero=False,
):
    """Splits the channels into ``groups`` and normalizes each example's group over its
    channels and ``reduction_axes`` (H and W for NHWC), then scales by ``gamma`` and shifts
    by ``beta`` (one per channel).

    Raises:
        ValueError: the rank, the channel count or a reduction axis's size is unknown; the
            channels do not divide into ``groups``; an axis is out of bounds or both a
            reduction axis and the channel axis.
    """
    if mean_close_to_zero:
        raise NotImplementedError(
            "group_norm(mean_close_to_zero=True) (one-pass sufficient statistics) is not "
            "supported: use the default two-pass moments, which are as accurate or more."
        )
    inputs = convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    if rank is None:
        raise ValueError(f"Inputs {inputs.name} has undefined rank.")
    if channels_axis > rank - 1:
        raise ValueError("Axis is out of bounds.")
    dynamic = array_shape(inputs)  # (TF1 makes it whether or not a dimension is unknown)
    sizes = [
        dynamic[i] if dimension_value(d) is None else dimension_value(d)
        for i, d in enumerate(inputs.shape)
    ]
    channels_axis = channels_axis % rank
    channels = dimension_value(inputs.shape[channels_axis])
    if channels is None:
        raise ValueError(
            f"Inputs {inputs.name} has undefined channel dimension: {channels_axis}."
        )
    axes = [a + rank if a < 0 else a for a in reduction_axes]
    for a in axes:
        if a > rank:
            raise ValueError("Axis is out of bounds.")
        if dimension_value(inputs.shape[a]) is None:
            raise ValueError(f"Inputs {inputs.name} has undefined dimensions {a}.")
        if a == channels_axis:
            raise ValueError("reduction_axis must be mutually exclusive with channels_axis")
    if groups > channels:
        raise ValueError(f"Invalid groups {groups} for {channels} channels.")
    if channels % groups:
        raise ValueError(f"{channels} channels is not commensurate with {groups} groups.")
    before, after = sizes[:channels_axis], sizes[channels_axis + 1 :]
    split = [groups, channels // groups]
    grouped = reshape(inputs, before + split + after)
    moments_axes = [channels_axis + 1] + [a + 1 if a > channels_axis else a for a in axes]
    with variable_scope(scope, "GroupNorm", [grouped], reuse=reuse) as sc:
        beta, gamma = _beta_gamma(
            [channels],
            grouped.dtype.base_dtype,
            center,
            scale,
            param_initializers,
            variables_collections,
            trainable,
            [1] * len(before) + split + [1] * len(after),
        )
        mean, variance = moments(grouped, moments_axes, keep_dims=True)
        gain = rsqrt(variance + epsilon)
        offset = -mean * gain
        if gamma is not None:
            gain *= gamma
            offset *= gamma
        if beta is not None:
            offset += beta
        outputs = reshape(grouped * gain + offset, sizes)
        if activation_fn is not None:
            outputs = activation_fn(outputs)
        return collect_named_outputs(outputs_collections, sc.name, outputs)
