"""``tf.contrib.cudnn_rnn``: the CPU cells whose variables and arithmetic match cuDNN's fused
RNNs, so a model trained with ``CudnnLSTM``/``CudnnGRU`` on a GPU (its weights saved in the
canonical form) runs here with ``tf.nn.dynamic_rnn``.

``CudnnCompatibleLSTMCell`` is ``LSTMBlockCell`` with no forget bias, named
``cudnn_compatible_lstm_cell``. ``CudnnCompatibleGRUCell`` applies the reset gate after the
hidden state's product and has that product's own bias, as cuDNN does::

    r, u = sigmoid([x, h] @ W_gates + b_gates)
    h' = tanh(x @ W_in + b_in + r * (h @ W_hidden + b_hidden))
    h_new = u * h + (1 - u) * h'

``CudnnLSTM``, ``CudnnGRU``, ``CudnnRNNTanh`` and ``CudnnRNNRelu`` themselves run only on
NVIDIA GPUs (TF1 has no CPU kernel for them either) and raise ``NotImplementedError`` naming
these cells.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     cell = tf.contrib.cudnn_rnn.CudnnCompatibleGRUCell(3)
...     out, _ = tf.nn.dynamic_rnn(cell, tf.ones([2, 4, 5]), dtype=tf.float32)
...     names = [v.op.name for v in tf.global_variables()]
>>> names[2:4]
['rnn/cudnn_compatible_gru_cell/candidate/input_projection/kernel', \
'rnn/cudnn_compatible_gru_cell/candidate/hidden_projection/kernel']
"""

from __future__ import annotations

from scopeflow.contrib.rnn import LSTMBlockCell
from scopeflow.ops.array.join import concat, split
from scopeflow.ops.math.elementwise import sigmoid
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.basic import bias_add
from scopeflow.rnn.cell_base import check_supported_dtypes
from scopeflow.rnn.cells import GRUCell, input_depth
from scopeflow.variables.initializers import Constant, Zeros

CUDNN_RNN_UNIDIRECTION = "unidirectional"
CUDNN_RNN_BIDIRECTION = "bidirectional"
CUDNN_LSTM = "lstm"
CUDNN_GRU = "gru"
CUDNN_RNN_RELU = "rnn_relu"
CUDNN_RNN_TANH = "rnn_tanh"
CUDNN_INPUT_LINEAR_MODE = "linear_input"
CUDNN_INPUT_SKIP_MODE = "skip_input"
CUDNN_INPUT_AUTO_MODE = "auto_select"


class CudnnCompatibleLSTMCell(LSTMBlockCell):
    """The LSTM cell of ``CudnnLSTM``'s weights: ``cudnn_compatible_lstm_cell/kernel`` and
    ``/bias``, no forget bias."""

    def __init__(self, num_units, reuse=None):
        super().__init__(
            num_units,
            forget_bias=0,
            cell_clip=None,
            use_peephole=False,
            reuse=reuse,
            name="cudnn_compatible_lstm_cell",
        )


class CudnnCompatibleGRUCell(GRUCell):
    """The GRU cell of ``CudnnGRU``'s weights: ``gates/kernel``, ``gates/bias``,
    ``candidate/input_projection/{kernel,bias}`` and ``candidate/hidden_projection/{kernel,
    bias}`` under ``cudnn_compatible_gru_cell``."""

    def __init__(self, num_units, reuse=None, kernel_initializer=None):
        super().__init__(
            num_units, activation=None, reuse=reuse, kernel_initializer=kernel_initializer
        )

    def build(self, input_shape):
        depth = input_depth(self, input_shape)
        units, init = self._num_units, self._kernel_initializer
        bias = self._bias_initializer
        self._gate_kernel = self.add_weight(
            "gates/kernel", shape=[depth + units, 2 * units], initializer=init
        )
        self._gate_bias = self.add_weight(
            "gates/bias",
            shape=[2 * units],
            initializer=bias if bias is not None else Constant(1.0, dtype=self.dtype),
        )
        self._input_kernel = self.add_weight(
            "candidate/input_projection/kernel", shape=[depth, units], initializer=init
        )
        self._hidden_kernel = self.add_weight(
            "candidate/hidden_projection/kernel", shape=[units, units], initializer=init
        )
        zeros = bias if bias is not None else Zeros(dtype=self.dtype)
        self._input_bias = self.add_weight(
            "candidate/input_projection/bias", shape=[units], initializer=zeros
        )
        self._hidden_bias = self.add_weight(
            "candidate/hidden_projection/bias", shape=[units], initializer=zeros
        )
        self.built = True

    def call(self, inputs, state):
        check_supported_dtypes([inputs, state])
        gates = sigmoid(
            bias_add(matmul(concat([inputs, state], 1), self._gate_kernel), self._gate_bias)
        )
        r, u = split(value=gates, num_or_size_splits=2, axis=1)
        candidate = bias_add(matmul(inputs, self._input_kernel), self._input_bias)
        candidate += r * bias_add(matmul(state, self._hidden_kernel), self._hidden_bias)
        candidate = self._activation(candidate)
        new_h = (1 - u) * candidate + u * state
        return new_h, new_h


def _gpu_only(name: str):
    class CudnnLayer:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError(
                f"tf.contrib.cudnn_rnn.{name}: cuDNN's fused RNN runs only on NVIDIA GPUs (TF1 "
                "has no CPU kernel for it either). Use CudnnCompatibleLSTMCell or "
                "CudnnCompatibleGRUCell (tf.contrib.cudnn_rnn) with tf.nn.dynamic_rnn: they "
                "read the canonical weights of a cuDNN-trained model."
            )

    CudnnLayer.__name__ = CudnnLayer.__qualname__ = name
    return CudnnLayer


CudnnLSTM = _gpu_only("CudnnLSTM")
CudnnGRU = _gpu_only("CudnnGRU")
CudnnRNNTanh = _gpu_only("CudnnRNNTanh")
CudnnRNNRelu = _gpu_only("CudnnRNNRelu")
