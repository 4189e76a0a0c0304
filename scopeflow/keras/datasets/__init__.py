"""``tf.keras.datasets``: Keras's small datasets as NumPy arrays, downloaded once into
``~/.keras/datasets`` by ``tf.keras.utils.get_file`` and read from there after. Outputs
(shapes, dtypes, order, seeded shuffles, word-index shifts) are Keras's; the pickles inside
CIFAR's batches and imdb/reuters' ``.npz`` are read with a restricted unpickler that builds
only NumPy arrays and plain values (``safe_pickle``).

>>> import scopeflow as tf
>>> tf.keras.datasets.reuters.get_label_names()[:3]
('cocoa', 'grain', 'veg-oil')
"""

from __future__ import annotations

from scopeflow.keras.datasets import (
    boston_housing,
    cifar10,
    cifar100,
    fashion_mnist,
    imdb,
    mnist,
    reuters,
)

__all__ = ["boston_housing", "cifar10", "cifar100", "fashion_mnist", "imdb", "mnist", "reuters"]
