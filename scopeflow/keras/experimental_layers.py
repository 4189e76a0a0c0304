"""``tf.keras.layers.experimental``: where TF2.2-2.5 programs found ``EinsumDense`` and the
preprocessing layers (``tf.keras.layers.experimental.preprocessing.Rescaling``...).

>>> import scopeflow as tf
>>> tf.keras.layers.experimental.preprocessing.Rescaling is tf.keras.layers.Rescaling
True
"""

from __future__ import annotations

from scopeflow.keras import preprocessing_layers as preprocessing
from scopeflow.keras.multi_head_attention import EinsumDense
from scopeflow.keras.random_features import RandomFourierFeatures

__all__ = ["EinsumDense", "RandomFourierFeatures", "preprocessing"]
