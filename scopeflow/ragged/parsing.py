"""``tf.io.parse_example`` with ``tf.io.RaggedFeature``s: the ragged values and row splits
``ParseExampleV2`` gives (``ops/parsing/example_ops.py``) as ``RaggedTensor``s, with no other
ops, as TF's.

>>> import scopeflow as tf
>>> def example(values):
...     feature = tf.train.Feature(int64_list=tf.train.Int64List(value=values))
...     return tf.train.Example(features=tf.train.Features(feature={"v": feature}))
>>> with tf.Graph().as_default():
...     records = [example(v).SerializeToString() for v in ([1, 2, 3], [], [4])]
...     parsed = tf.io.parse_example(records, {"v": tf.io.RaggedFeature(tf.int64)})
...     print(tf.Session().run(parsed["v"]).to_list())
[[1, 2, 3], [], [4]]
"""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.ops.parsing.example_ops import parse_example_into
from scopeflow.ragged.tensor import RaggedTensor

__all__ = ["parse_example"]


def _ragged(values, row_splits) -> RaggedTensor:
    return RaggedTensor(values, row_splits, internal=True)


@undo.atomic
def parse_example(serialized, features, name=None, example_names=None):
    """Parses a batch of serialized ``tf.train.Example``s (a vector of strings) into a dict:
    a dense tensor for each ``FixedLenFeature`` (``[batch] + shape``) and
    ``FixedLenSequenceFeature`` (padded), a ``SparseTensor`` for each ``VarLenFeature`` and
    ``SparseFeature``, a ``RaggedTensor`` (one row per example) for each ``RaggedFeature``."""
    return parse_example_into(serialized, features, name, example_names, _ragged)
