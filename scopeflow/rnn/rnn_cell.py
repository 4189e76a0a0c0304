"""``tf.nn.rnn_cell``: TF1's RNN cells and their state tuple."""

from __future__ import annotations

from scopeflow.rnn.cell_base import LayerRNNCell, LSTMStateTuple, RNNCell
from scopeflow.rnn.cells import BasicLSTMCell, BasicRNNCell, GRUCell, LSTMCell, MultiRNNCell
from scopeflow.rnn.wrappers import DeviceWrapper, DropoutWrapper, ResidualWrapper

__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "GRUCell",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerRNNCell",
    "MultiRNNCell",
    "ResidualWrapper",
    "RNNCell",
]
