"""``tf.feature_column.crossed_column``: the hashed crosses of string features and categorical
columns (``SparseCross``, TF's FarmHash fingerprints), a categorical column itself."""

from __future__ import annotations

from dataclasses import dataclass

from scopeflow.feature_column.columns import HashedCategoricalColumn, _CategoricalColumn
from scopeflow.framework import dtypes
from scopeflow.ops.parsing.example_ops import VarLenFeature
from scopeflow.ops.sparse.cross import sparse_cross_hashed


def _leaf_keys(cross) -> list:
    keys = []
    for key in cross.keys:
        keys.extend(_leaf_keys(key) if isinstance(key, CrossedColumn) else [key])
    return keys


@dataclass(frozen=True)
class CrossedColumn(_CategoricalColumn):
    keys: tuple
    hash_bucket_size: int
    hash_key: int | None = None

    @property
    def name(self) -> str:
        names = [k if isinstance(k, str) else k.name for k in _leaf_keys(self)]
        return "_X_".join(sorted(names))

    @property
    def _parse_example_spec(self) -> dict:
        spec: dict = {}
        for key in self.keys:
            if isinstance(key, str):
                spec[key] = VarLenFeature(dtypes.string)
            else:
                spec.update(key._parse_example_spec)
        return spec

    @property
    def _num_buckets(self) -> int:
        return self.hash_bucket_size

    def _transform_feature(self, inputs):
        tensors = []
        for key in _leaf_keys(self):
            if isinstance(key, str):
                tensors.append(inputs.get(key))
                continue
            pair = key._get_sparse_tensors(inputs)
            if pair.weight_tensor is not None:
                raise ValueError(
                    "crossed_column does not support weight_tensor, but the given column "
                    f"populates weight_tensor. Given column: {key.name}"
                )
            tensors.append(pair.id_tensor)
        return sparse_cross_hashed(tensors, self.hash_bucket_size, self.hash_key)


def crossed_column(keys, hash_bucket_size, hash_key=None):
    """A categorical column of the crosses of ``keys`` (feature names, or categorical
    columns other than hashed ones), hashed into ``hash_bucket_size`` buckets.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     fc = tf.feature_column
    ...     cross = fc.crossed_column(["a", "b"], 5)
    ...     out = fc.input_layer({"a": [["x"]], "b": [["y"]]}, [fc.indicator_column(cross)])
    ...     print(cross.name, tf.Session().run(out))
    a_X_b [[0. 0. 0. 0. 1.]]
    """
    if not hash_bucket_size or hash_bucket_size < 1:
        raise ValueError(f"hash_bucket_size must be > 1. hash_bucket_size: {hash_bucket_size}")
    if not keys or len(keys) < 2:
        raise ValueError(f"keys must be a list with length > 1. Given: {keys}")
    for key in keys:
        if not isinstance(key, (str, _CategoricalColumn)):
            raise ValueError(
                "Unsupported key type. All keys must be either string, or categorical column "
                f"except HashedCategoricalColumn. Given: {key}"
            )
        if isinstance(key, HashedCategoricalColumn):
            raise ValueError(
                "categorical_column_with_hash_bucket is not supported for crossing. Hashing "
                "before crossing will increase probability of collision. Instead, use the "
                f"feature name as a string. Given: {key}"
            )
    return CrossedColumn(tuple(keys), hash_bucket_size, hash_key)
