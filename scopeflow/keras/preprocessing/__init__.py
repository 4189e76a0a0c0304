"""``tf.keras.preprocessing``: Keras's data preparation on NumPy arrays: ``sequence``
(``pad_sequences``, ``skipgrams``, ``TimeseriesGenerator``), ``text`` (``Tokenizer``,
``one_hot``...) and ``image`` (``ImageDataGenerator``, image files through Pillow).

>>> import scopeflow as tf
>>> tf.keras.preprocessing.sequence.pad_sequences([[1, 2], [3]]).tolist()
[[1, 2], [0, 3]]
"""

from __future__ import annotations

from scopeflow.keras.preprocessing import image, sequence, text

__all__ = ["image", "sequence", "text"]
