"""``tf.contrib.rnn``'s convolutional LSTM cells: ``ConvLSTMCell`` and its 1-D, 2-D and 3-D
forms, as TF 1.15's (Shi et al., https://arxiv.org/abs/1506.04214).

One ``SAME`` convolution of ``[inputs, h]`` (concatenated on the channels) with the variable
``kernel`` (``kernel_shape + [in_channels + output_channels, 4 * output_channels]``) plus
``biases`` (zeros) gives the gates in TF1's order ``i, j, f, o``:
``c' = sigmoid(f + forget_bias) * c + sigmoid(i) * tanh(j)``, ``h' = tanh(c') * sigmoid(o)``
(``h'`` concatenated with the inputs with ``skip_connection``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     cell = tf.contrib.rnn.Conv2DLSTMCell(
...         input_shape=[5, 5, 2], output_channels=3, kernel_shape=[3, 3])
...     out, state = tf.nn.dynamic_rnn(cell, tf.ones([4, 6, 5, 5, 2]), dtype=tf.float32)
...     print(out.shape, [v.op.name for v in tf.global_variables()])
(4, 6, 5, 5, 3) ['rnn/conv_2d_lstm_cell/kernel', 'rnn/conv_2d_lstm_cell/biases']
"""

from __future__ import annotations

from scopeflow.framework import tensor_shape
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.math.elementwise import sigmoid, tanh
from scopeflow.ops.nn.conv import conv2d
from scopeflow.ops.nn.conv3d import conv3d
from scopeflow.ops.nn.conv_nd import conv1d
from scopeflow.rnn.cell_base import LSTMStateTuple, RNNCell
from scopeflow.variables.initializers import constant_initializer
from scopeflow.variables.variable_scope import get_variable


def _conv(args, filter_size, num_features, bias):
    """TF1's ``_conv``: a ``SAME`` convolution of ``args`` (concatenated on the channels) with
    ``kernel`` and, with ``bias``, plus ``biases``."""
    shapes = [a.shape.as_list() for a in args]
    for shape in shapes:
        if len(shape) not in (3, 4, 5):
            raise ValueError(f"Conv Linear expects 3D, 4D or 5D arguments: {shapes}")
        if len(shape) != len(shapes[0]):
            raise ValueError(f"Conv Linear expects all args to be of same Dimension: {shapes}")
    rank = len(shapes[0])
    depth = sum(shape[-1] for shape in shapes)
    dtype = args[0].dtype
    kernel = get_variable("kernel", list(filter_size) + [depth, num_features], dtype=dtype)
    inputs = args[0] if len(args) == 1 else concat(args, axis=rank - 1)
    if rank == 3:
        res = conv1d(inputs, kernel, 1, padding="SAME")
    elif rank == 4:
        res = conv2d(inputs, kernel, [1] * 4, padding="SAME")
    else:
        res = conv3d(inputs, kernel, [1] * 5, padding="SAME")
    if not bias:
        return res
    biases = get_variable(
        "biases", [num_features], dtype=dtype, initializer=constant_initializer(0.0)
    )
    return res + biases


class ConvLSTMCell(RNNCell):
    """A convolutional LSTM over ``conv_ndims``-D inputs of shape ``input_shape`` (without the
    batch; channels last): states and outputs keep the spatial shape with
    ``output_channels`` channels (plus the input's with ``skip_connection``). With
    ``skip_connection`` the new state's ``h`` carries the inputs too, so (as in TF 1.15) it no
    longer matches ``state_size`` and only single steps run; ``dynamic_rnn`` rejects it.

    Raises:
        ValueError: when ``input_shape`` does not have ``conv_ndims + 1`` dimensions.
    """

    def __init__(
        self,
        conv_ndims,
        input_shape,
        output_channels,
        kernel_shape,
        use_bias=True,
        skip_connection=False,
        forget_bias=1.0,
        initializers=None,
        name="conv_lstm_cell",
    ):
        super().__init__(name=name)
        del initializers  # unused in TF 1.15 as well
        if conv_ndims != len(input_shape) - 1:
            raise ValueError(f"Invalid input_shape {input_shape} for conv_ndims={conv_ndims}.")
        self._conv_ndims = conv_ndims
        self._input_shape = list(input_shape)
        self._output_channels = output_channels
        self._kernel_shape = list(kernel_shape)
        self._use_bias = use_bias
        self._forget_bias = forget_bias
        self._skip_connection = skip_connection
        total = output_channels + (self._input_shape[-1] if skip_connection else 0)
        state_size = tensor_shape.TensorShape(self._input_shape[:-1] + [output_channels])
        self._state_size = LSTMStateTuple(state_size, state_size)
        self._output_size = tensor_shape.TensorShape(self._input_shape[:-1] + [total])

    @property
    def output_size(self):
        return self._output_size

    @property
    def state_size(self):
        return self._state_size

    def call(self, inputs, state):
        cell, hidden = state
        gates = _conv([inputs, hidden], self._kernel_shape, 4 * self._output_channels,
                      self._use_bias)  # fmt: skip
        i, j, f, o = split(gates, num_or_size_splits=4, axis=self._conv_ndims + 1)
        new_cell = sigmoid(f + self._forget_bias) * cell
        new_cell += sigmoid(i) * tanh(j)
        output = tanh(new_cell) * sigmoid(o)
        if self._skip_connection:
            output = concat([output, inputs], axis=-1)
        return output, LSTMStateTuple(new_cell, output)


class Conv1DLSTMCell(ConvLSTMCell):
    """``ConvLSTMCell`` over ``[batch, width, channels]`` inputs (scope
    ``conv_1d_lstm_cell``)."""

    def __init__(self, name="conv_1d_lstm_cell", **kwargs):
        super().__init__(conv_ndims=1, name=name, **kwargs)


class Conv2DLSTMCell(ConvLSTMCell):
    """``ConvLSTMCell`` over ``[batch, height, width, channels]`` inputs (scope
    ``conv_2d_lstm_cell``)."""

    def __init__(self, name="conv_2d_lstm_cell", **kwargs):
        super().__init__(conv_ndims=2, name=name, **kwargs)


class Conv3DLSTMCell(ConvLSTMCell):
    """``ConvLSTMCell`` over ``[batch, depth, height, width, channels]`` inputs (scope
    ``conv_3d_lstm_cell``)."""

    def __init__(self, name="conv_3d_lstm_cell", **kwargs):
        super().__init__(conv_ndims=3, name=name, **kwargs)


__all__ = ["Conv1DLSTMCell", "Conv2DLSTMCell", "Conv3DLSTMCell", "ConvLSTMCell"]
