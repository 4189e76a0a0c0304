"""The ``tf.keras.layers`` that TF1-era Keras programs use beyond the core set, gathered for
``layers.py``: locally connected layers, cuDNN's recurrent layers, convolutional
LSTMs, the base of user-written cells,
``DenseFeatures``.

>>> import scopeflow as tf
>>> tf.keras.layers.LocallyConnected2D.__module__
'scopeflow.keras.locally_connected'
"""

from __future__ import annotations

from scopeflow.keras.backend_config import disable_v2_dtype_behavior, enable_v2_dtype_behavior
from scopeflow.keras.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from scopeflow.keras.cudnn_recurrent import CuDNNGRU, CuDNNLSTM
from scopeflow.keras.dense_features import DenseFeatures
from scopeflow.keras.locally_connected import LocallyConnected1D, LocallyConnected2D
from scopeflow.keras.recurrent_cells import AbstractRNNCell

__all__ = [
    "AbstractRNNCell",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "CuDNNGRU",
    "CuDNNLSTM",
    "DenseFeatures",
    "LocallyConnected1D",
    "LocallyConnected2D",
    "disable_v2_dtype_behavior",
    "enable_v2_dtype_behavior",
]
