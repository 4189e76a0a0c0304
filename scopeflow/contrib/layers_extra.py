"""The rest of ``tf.contrib.layers`` (and ``slim``) that TF1 models use: convolutions of any
rank (``convolution``, ``conv1d``, ``conv3d``, ``conv3d_transpose``, ``conv2d_in_plane``),
3-D and generic pooling, ``softmax`` over the last axis, ``unit_norm``, ``maxout``, the image
and sequence reshapes of OCR models, ``dense_to_sparse`` and the activation shorthands
(``linear`` has no activation, ``relu``, ``relu6``, ``elu``). Names, variables and values are
tf_slim's (checked with tf_slim on TF 2.21 compat.v1).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     x = tf.placeholder(tf.float32, [2, 7, 3])
...     y = tf.contrib.layers.conv1d(x, 4, 3)
...     print(y.name, y.shape.as_list(), [v.op.name for v in tf.global_variables()])
Conv/Relu:0 [2, 7, 4] ['Conv/weights', 'Conv/biases']
"""

from __future__ import annotations

import functools

from scopeflow.contrib.arg_scope import add_arg_scope
from scopeflow.contrib.initializers import xavier_initializer
from scopeflow.contrib.layers_core import (
    WeightLayer,
    collect_named_outputs,
    convolution2d,
    fully_connected,
)
from scopeflow.framework import dtypes
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import ones, reshape
from scopeflow.ops.array.basic import shape as array_shape
from scopeflow.ops.array.gather import gather_nd
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.slicing import strided_slice
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.math.deprecated import div
from scopeflow.ops.math.elementwise import not_equal, sqrt, square
from scopeflow.ops.math.reduction import reduce_max, reduce_sum
from scopeflow.ops.math.selection import where
from scopeflow.ops.nn.activation import elu as nn_elu
from scopeflow.ops.nn.activation import relu as nn_relu
from scopeflow.ops.nn.activation import relu6 as nn_relu6
from scopeflow.ops.nn.basic import bias_add as nn_bias_add
from scopeflow.ops.nn.basic import softmax as nn_softmax
from scopeflow.ops.nn.conv3d import conv3d as nn_conv3d
from scopeflow.ops.nn.conv3d import conv3d_transpose as nn_conv3d_transpose
from scopeflow.ops.nn.conv_nd import conv1d as nn_conv1d
from scopeflow.ops.nn.depthwise import depthwise_conv2d
from scopeflow.ops.nn.dilated import convolution as nn_convolution
from scopeflow.ops.nn.dilated import pool as nn_pool
from scopeflow.ops.nn.pooling3d import avg_pool3d as nn_avg_pool3d
from scopeflow.ops.nn.pooling3d import max_pool3d as nn_max_pool3d
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.variables.initializers import zeros_initializer
from scopeflow.variables.variable_scope import variable_scope

DATA_FORMAT_NCHW = "NCHW"
DATA_FORMAT_NHWC = "NHWC"
DATA_FORMAT_NCDHW = "NCDHW"
DATA_FORMAT_NDHWC = "NDHWC"
_XAVIER = xavier_initializer()
_ZEROS = zeros_initializer()

# TF1's shorthands: fully_connected with a fixed activation
linear = functools.partial(fully_connected, activation_fn=None)
relu = functools.partial(fully_connected, activation_fn=nn_relu)
relu6 = functools.partial(fully_connected, activation_fn=nn_relu6)
elu = functools.partial(fully_connected, activation_fn=nn_elu)


def _n_ints(count: int, value, name: str) -> list[int]:
    values = [value] * count if isinstance(value, int) else list(value)
    if len(values) != count:
        raise ValueError(f"The `{name}` argument must be a tuple of {count} integers: {value}")
    return [int(v) for v in values]


def _channels_last(data_format, rank: int, layer: str) -> None:
    if data_format is not None and not (data_format[0] == "N" and data_format[-1] == "C"):
        raise NotImplementedError(
            f"{layer}(data_format={data_format!r}): scopeflow runs channels last; transpose "
            f"the inputs to {'NWC' if rank == 3 else 'NDHWC'}."
        )


@add_arg_scope
def convolution(
    inputs,
    num_outputs,
    kernel_size,
    stride=1,
    padding="SAME",
    data_format=None,
    rate=1,
    activation_fn=nn_relu,
    normalizer_fn=None,
    normalizer_params=None,
    weights_initializer=_XAVIER,
    weights_regularizer=None,
    biases_initializer=_ZEROS,
    biases_regularizer=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    scope=None,
    conv_dims=None,
):
    """A 1-, 2- or 3-D convolution (by the rank of ``inputs``, or ``conv_dims``) with
    ``weights`` ``[*kernel_size, in, num_outputs]`` and ``biases``, in the variable scope
    ``Conv``; channels last."""
    layer = WeightLayer.of(locals())
    inputs = convert_to_tensor(inputs)
    rank = inputs.shape.ndims
    if rank not in (3, 4, 5):
        raise ValueError(f"Convolution not supported for input with rank {rank}")
    if conv_dims is not None and conv_dims + 2 != rank:
        raise ValueError(f"Convolution expects input with rank {conv_dims + 2}, got {rank}")
    if rank == 4:
        return convolution2d(
            inputs, num_outputs, kernel_size, stride, padding, data_format, rate,
            activation_fn, normalizer_fn, normalizer_params, weights_initializer,
            weights_regularizer, biases_initializer, biases_regularizer, reuse,
            variables_collections, outputs_collections, trainable, scope,
        )  # fmt: skip
    _channels_last(data_format, rank, "convolution")
    dims = rank - 2
    kernel = _n_ints(dims, kernel_size, "kernel_size")
    strides, rates = _n_ints(dims, stride, "strides"), _n_ints(dims, rate, "dilation_rate")
    if max(rates) > 1 and max(strides) > 1:
        raise ValueError("`strides > 1` not supported in conjunction with `dilation_rate > 1`")
    with variable_scope(scope, "Conv", [inputs], reuse=reuse) as sc:
        depth = inputs.shape[-1].value
        if depth is None:
            raise ValueError(f"The channel dimension of the inputs of {sc.name} must be known")
        weights, biases = layer.variables(
            [*kernel, depth, num_outputs], num_outputs, inputs.dtype.base_dtype
        )
        if max(rates) > 1:  # as TF: SpaceToBatchND, the VALID convolution, BatchToSpaceND
            outputs = nn_convolution(
                inputs, weights, padding.upper(), dilation_rate=rates,
                name="conv1d" if dims == 1 else "Conv3D",
            )  # fmt: skip
        elif dims == 1:
            outputs = nn_conv1d(
                inputs, weights, strides[0], padding.upper(), dilations=[1, rates[0], 1]
            )
        else:
            outputs = nn_conv3d(
                inputs, weights, [1, *strides, 1], padding.upper(), dilations=[1, *rates, 1]
            )
        return layer.finish(outputs, biases, sc)


convolution1d = functools.partial(convolution, conv_dims=1)
convolution3d = functools.partial(convolution, conv_dims=3)
conv1d, conv3d = convolution1d, convolution3d


@add_arg_scope
def convolution3d_transpose(
    inputs,
    num_outputs,
    kernel_size,
    stride=1,
    padding="SAME",
    data_format=DATA_FORMAT_NDHWC,
    activation_fn=nn_relu,
    normalizer_fn=None,
    normalizer_params=None,
    weights_initializer=_XAVIER,
    weights_regularizer=None,
    biases_initializer=_ZEROS,
    biases_regularizer=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    scope=None,
):
    """A 3-D transposed convolution (``weights`` ``[kd, kh, kw, num_outputs, in]``) in the
    variable scope ``Conv3d_transpose``; the output is ``stride`` times larger (plus the
    kernel's overhang with VALID)."""
    layer = WeightLayer.of(locals())
    _channels_last(data_format, 5, "convolution3d_transpose")
    kernel = _n_ints(3, kernel_size, "kernel_size")
    strides = _n_ints(3, stride, "strides")
    with variable_scope(scope, "Conv3d_transpose", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        if inputs.shape.ndims != 5 or inputs.shape[-1].value is None:
            raise ValueError(f"{sc.name}: expected 5-D inputs with known channels: {inputs.shape}")
        weights, biases = layer.variables(
            [*kernel, num_outputs, inputs.shape[-1].value], num_outputs, inputs.dtype.base_dtype
        )
        dynamic = array_shape(inputs)
        sizes = []
        for i, (k, s) in enumerate(zip(kernel, strides, strict=True)):
            size = inputs.shape[i + 1].value
            size = dynamic[i + 1] if size is None else size
            grown = size * s
            sizes.append(grown if padding.upper() == "SAME" else grown + max(k - s, 0))
        out_shape = [dynamic[0], *sizes, num_outputs]
        outputs = nn_conv3d_transpose(
            inputs, weights, out_shape, [1, *strides, 1], padding=padding.upper()
        )
        static = [inputs.shape[0].value]
        static += [s if isinstance(s, int) else None for s in sizes] + [num_outputs]
        outputs.set_shape(static)
        return layer.finish(outputs, biases, sc)


conv3d_transpose = convolution3d_transpose


def _pool3d(pool, default, inputs, kernel_size, stride, padding, data_format, collections, scope):
    _channels_last(data_format, 5, default)
    with name_scope(scope, default, [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        kernel = [1, *_n_ints(3, kernel_size, "pool_size"), 1]
        outputs = pool(inputs, kernel, [1, *_n_ints(3, stride, "strides"), 1], padding.upper())
        return collect_named_outputs(collections, sc, outputs)


@add_arg_scope
def max_pool3d(
    inputs,
    kernel_size,
    stride=2,
    padding="VALID",
    data_format=DATA_FORMAT_NDHWC,
    outputs_collections=None,
    scope=None,
):
    """3-D max pooling (stride 2, VALID by default) in the name scope ``MaxPool3D``."""
    return _pool3d(
        nn_max_pool3d, "MaxPool3D", inputs, kernel_size, stride, padding, data_format,
        outputs_collections, scope,
    )  # fmt: skip


@add_arg_scope
def avg_pool3d(
    inputs,
    kernel_size,
    stride=2,
    padding="VALID",
    data_format=DATA_FORMAT_NDHWC,
    outputs_collections=None,
    scope=None,
):
    """3-D average pooling (stride 2, VALID by default) in the name scope ``AvgPool3D``."""
    return _pool3d(
        nn_avg_pool3d, "AvgPool3D", inputs, kernel_size, stride, padding, data_format,
        outputs_collections, scope,
    )  # fmt: skip


@add_arg_scope
def pool(
    inputs,
    kernel_size,
    pooling_type,
    padding="VALID",
    data_format=None,
    dilation_rate=1,
    stride=1,
    outputs_collections=None,
    scope=None,
):
    """``tf.nn.pool`` over every spatial axis (``"MAX"`` or ``"AVG"``), its output op named
    by the scope (``max_pool``/``avg_pool``)."""
    with name_scope(scope, f"{pooling_type.lower()}_pool", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        rank = inputs.shape.ndims
        if rank is None:
            raise ValueError("Rank of inputs must be known")
        if rank < 3:
            raise ValueError("Rank of inputs must be >= 3")
        dims = rank - 2
        output = nn_pool(
            inputs,
            _n_ints(dims, kernel_size, "kernel_size"),
            pooling_type,
            padding,
            dilation_rate=_n_ints(dims, dilation_rate, "dilation_rate"),
            strides=_n_ints(dims, stride, "stride"),
            name=sc,
            data_format=data_format,
        )
        return collect_named_outputs(outputs_collections, sc, output)


@add_arg_scope
def softmax(logits, scope=None):
    """Softmax over the last axis of ``logits`` of any rank ≥ 2 (in scope ``softmax``)."""
    with variable_scope(scope, "softmax", [logits]):
        logits = convert_to_tensor(logits)
        if logits.shape.ndims is None or logits.shape.ndims < 2:
            raise ValueError(f"logits must have rank at least 2, got shape {logits.shape}")
        classes = logits.shape[-1].value
        if classes is None:
            raise ValueError(f"The last dimension of logits must be known: {logits.shape}")
        predictions = nn_softmax(reshape(logits, [-1, classes]))
        predictions = reshape(predictions, array_shape(logits))
        predictions.set_shape(logits.shape)
        return predictions


@add_arg_scope
def unit_norm(inputs, dim, epsilon=1e-7, scope=None):
    """``inputs`` divided by their L2 norm along axis ``dim`` (``epsilon`` added under the
    root), in scope ``UnitNorm``."""
    with variable_scope(scope, "UnitNorm", [inputs]):
        inputs = convert_to_tensor(inputs)
        if inputs.shape.ndims is None:
            raise ValueError("The input rank must be known.")
        rank = inputs.shape.ndims
        if dim < 0 or dim >= rank:
            raise ValueError("dim must be positive but smaller than the input rank.")
        lengths = sqrt(epsilon + reduce_sum(square(inputs), dim, True))
        multiples = [strided_slice(array_shape(inputs), [dim], [dim + 1])]
        if dim > 0:
            multiples.insert(0, ones([dim], dtypes.int32))
        if dim < rank - 1:
            multiples.append(ones([rank - 1 - dim], dtypes.int32))
        return div(inputs, tile(lengths, concat(multiples, 0)))


@add_arg_scope
def maxout(inputs, num_units, axis=-1, scope=None):
    """The maximum over each of ``num_units`` equal groups of the features along ``axis``
    (Goodfellow et al., 2013), in scope ``MaxOut``."""
    with variable_scope(scope, "MaxOut", [inputs]):
        inputs = convert_to_tensor(inputs)
        shape = inputs.shape.as_list()
        channels = shape[axis]
        if channels % num_units:
            raise ValueError(
                f"number of features({channels}) is not a multiple of num_units({num_units})"
            )
        shape[axis] = num_units
        shape.append(channels // num_units)
        dynamic = array_shape(inputs)
        shape = [dynamic[i] if d is None else d for i, d in enumerate(shape)]
        return reduce_max(reshape(inputs, shape), -1, keepdims=False)


@add_arg_scope
def images_to_sequence(inputs, data_format=DATA_FORMAT_NHWC, outputs_collections=None, scope=None):
    """Images ``[batch, height, width, depth]`` as a sequence over their columns:
    ``[width, batch * height, depth]`` (OCR models' recurrent input)."""
    if data_format not in (DATA_FORMAT_NCHW, DATA_FORMAT_NHWC):
        raise ValueError("data_format has to be either NCHW or NHWC.")
    with name_scope(scope, "ImagesToSequence", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        if data_format == DATA_FORMAT_NCHW:
            inputs = transpose(inputs, [0, 2, 3, 1])
        _, _, width, depth = inputs.shape.as_list()
        dynamic = array_shape(inputs)
        columns = transpose(inputs, [2, 0, 1, 3])
        outputs = reshape(columns, [width, dynamic[0] * dynamic[1], depth])
        return collect_named_outputs(outputs_collections, sc, outputs)


@add_arg_scope
def sequence_to_images(
    inputs, height, output_data_format="channels_last", outputs_collections=None, scope=None
):
    """The inverse of :func:`images_to_sequence` for images of ``height`` rows."""
    with name_scope(scope, "SequenceToImages", [inputs]) as sc:
        inputs = convert_to_tensor(inputs)
        width, batches, depth = inputs.shape.as_list()
        batches = -1 if batches is None else batches // height
        reshaped = reshape(inputs, [width, batches, height, depth])
        order = [1, 3, 2, 0] if output_data_format == "channels_first" else [1, 2, 0, 3]
        return collect_named_outputs(outputs_collections, sc, transpose(reshaped, order))


@add_arg_scope
def dense_to_sparse(tensor, eos_token=0, outputs_collections=None, scope=None):
    """A ``SparseTensor`` of the entries of ``tensor`` that are not ``eos_token``."""
    with variable_scope(scope, "dense_to_sparse", [tensor]) as sc:
        tensor = convert_to_tensor(tensor)
        indices = where(not_equal(tensor, constant(eos_token, tensor.dtype)))
        values = gather_nd(tensor, indices)
        dense_shape = array_shape(tensor, out_type=dtypes.int64)
        outputs = SparseTensor(indices, values, dense_shape)
        return collect_named_outputs(outputs_collections, sc.name, outputs)


@add_arg_scope
def convolution2d_in_plane(
    inputs,
    kernel_size,
    stride=1,
    padding="SAME",
    activation_fn=nn_relu,
    normalizer_fn=None,
    normalizer_params=None,
    weights_initializer=_XAVIER,
    weights_regularizer=None,
    biases_initializer=_ZEROS,
    biases_regularizer=None,
    reuse=None,
    variables_collections=None,
    outputs_collections=None,
    trainable=True,
    scope=None,
):
    """One ``[kh, kw, 1, 1]`` filter applied to every channel on its own (a depthwise
    convolution sharing its filter), in the variable scope ``ConvInPlane``."""
    layer = WeightLayer.of(locals())
    with variable_scope(scope, "ConvInPlane", [inputs], reuse=reuse) as sc:
        inputs = convert_to_tensor(inputs)
        if inputs.shape.ndims != 4 or inputs.shape[-1].value is None:
            raise ValueError(f"{sc.name}: expected 4-D inputs with known channels: {inputs.shape}")
        channels = inputs.shape[-1].value
        weights, biases = layer.variables(
            [*_n_ints(2, kernel_size, "kernel_size"), 1, 1], channels, inputs.dtype.base_dtype
        )
        strides = [1, *_n_ints(2, stride, "strides"), 1]
        outputs = depthwise_conv2d(inputs, tile(weights, [1, 1, channels, 1]), strides, padding)
        if biases is not None:
            outputs = nn_bias_add(outputs, biases)
        return layer.finish(outputs, None, sc)


conv2d_in_plane = convolution2d_in_plane
