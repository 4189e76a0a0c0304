"""``tf.keras.preprocessing``: ``sequence.pad_sequences`` (the rest of Keras's preprocessing,
images and text, is not here: use ``tf.image`` and ``tf.data``).

>>> import scopeflow as tf
>>> tf.keras.preprocessing.sequence.pad_sequences([[1, 2], [3]]).tolist()
[[1, 2], [0, 3]]
"""

from __future__ import annotations

from scopeflow.keras.preprocessing import sequence

__all__ = ["sequence"]
