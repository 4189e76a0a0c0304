"""``tf.keras.experimental``: where TF 2.0-2.3 programs found the cosine schedules and
``SequenceFeatures``.

>>> import scopeflow as tf
>>> tf.keras.experimental.CosineDecay is tf.keras.optimizers.schedules.CosineDecay
True
"""

from __future__ import annotations

from scopeflow.keras.dense_features import SequenceFeatures
from scopeflow.keras.learning_rate_schedule import CosineDecay, CosineDecayRestarts
from scopeflow.keras.linear_model import LinearModel, WideDeepModel

__all__ = ["CosineDecay", "CosineDecayRestarts", "LinearModel", "SequenceFeatures", "WideDeepModel"]
