"""``from tensorflow.examples.tutorials.mnist import input_data``: MNIST as the TF1 tutorials
read it (``input_data.read_data_sets("MNIST_data/", one_hot=True)``); see
``scopeflow/contrib/learn/datasets/mnist.py``.

>>> from scopeflow.examples.tutorials.mnist import input_data
>>> input_data.read_data_sets("unused", fake_data=True).train.num_examples
10000
"""

from __future__ import annotations

from scopeflow.contrib.learn.datasets.base import maybe_download
from scopeflow.contrib.learn.datasets.mnist import (
    DataSet,
    dense_to_one_hot,
    extract_images,
    extract_labels,
    read_data_sets,
)

__all__ = [
    "DataSet",
    "dense_to_one_hot",
    "extract_images",
    "extract_labels",
    "maybe_download",
    "read_data_sets",
]
