"""``Dataset.ragged_batch`` and ``tf.data.experimental.dense_to_ragged_batch``: batches whose
components of varying shape become ``RaggedTensor``s, built as TF 2.21 builds them: a
``MapDataset`` encoding each such component as a ragged variant, then ``BatchDatasetV2``;
``get_next`` decodes each batch with one ``RaggedTensorFromVariant`` (``ragged_variant.py``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     ds = tf.data.Dataset.range(4).map(tf.range).ragged_batch(2)
...     [b.to_list() for b in ds.as_numpy_iterator()]
[[[], [0]], [[0, 1], [0, 1, 2]]]
"""

from __future__ import annotations

from scopeflow.data import function, ragged_variant, structure
from scopeflow.data.dataset import Dataset, _function_attrs, _make
from scopeflow.framework import dtypes, undo
from scopeflow.ragged.tensor import RaggedTensor


def _ragged_spec(spec, row_splits_dtype):
    """A component's spec once made ragged: a dense tensor of known rank with some unknown
    dimension becomes ragged up to its last unknown one; any other stays as it is."""
    if type(spec) is not structure.Spec or spec.shape.ndims in (None, 0):
        return spec
    if spec.shape.is_fully_defined():
        return spec
    ragged_rank = max(i for i, d in enumerate(spec.shape.as_list()) if d is None)
    return structure.RaggedSpec(spec.dtype, spec.shape, ragged_rank, row_splits_dtype)


@undo.atomic
def _dense_to_ragged(dataset, row_splits_dtype) -> Dataset:
    """``dataset`` with its components of varying shape encoded as ragged variants."""
    row_splits_dtype = dtypes.as_dtype(row_splits_dtype)
    if row_splits_dtype not in (dtypes.int32, dtypes.int64):
        raise ValueError(f"row_splits_dtype must be int32 or int64, got {row_splits_dtype!r}")
    specs = structure.map_leaves(lambda s: _ragged_spec(s, row_splits_dtype), dataset._specs)
    flat = structure.flatten(specs)
    made = [
        new is not old for new, old in zip(flat, structure.flatten(dataset._specs), strict=True)
    ]

    def encode(*leaves):
        out = []
        for spec, leaf, ragged in zip(flat, leaves, made, strict=True):
            if not ragged:  # as it was (a ragged tensor: encoded by the map, as any)
                out.append(leaf)
                continue
            if spec.ragged_rank:
                leaf = RaggedTensor.from_tensor(
                    leaf, ragged_rank=spec.ragged_rank, row_splits_dtype=row_splits_dtype
                )
            out.append(ragged_variant.to_variant(leaf))
        return tuple(out)

    traced = function.TracedFunction(_Repacked(encode, dataset._specs), dataset._specs, "map")
    inputs = [dataset._variant_tensor, *traced.captured]
    return _make("MapDataset", inputs, specs, preserve_cardinality=True, **_function_attrs(traced))


class _Repacked:
    """``encode`` called with the whole element, however the element is passed."""

    def __init__(self, encode, specs):
        self.encode, self.specs = encode, specs

    def __call__(self, *args):
        element = args if type(self.specs) is tuple else args[0]
        return self.encode(*structure.flatten(element))


def ragged_batch(
    self, batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64, name=None
) -> Dataset:
    """Batches of ``batch_size`` elements whose components of varying shape are
    ``RaggedTensor``s (ragged in the batch dimension and up to their last unknown one); a
    ``RaggedTensor`` component gains a ragged dimension; fully defined ones batch as dense."""
    return _dense_to_ragged(self, row_splits_dtype).batch(batch_size, drop_remainder)


def dense_to_ragged_batch(batch_size, drop_remainder=False, row_splits_dtype=dtypes.int64):
    """``Dataset.ragged_batch`` as a transformation for ``Dataset.apply``."""
    return lambda dataset: ragged_batch(dataset, batch_size, drop_remainder, row_splits_dtype)


Dataset.ragged_batch = ragged_batch
