"""``tf.keras.layers.Discretization``, ``Hashing`` and ``CategoryEncoding`` (also under
``tf.keras.layers.experimental.preprocessing``), and the ``PreprocessingLayer`` base class, as
TF's Keras builds them in graph mode.

``Discretization`` buckets numbers by ``bin_boundaries`` (``Bucketize``); ``Hashing`` maps
strings (integers as their decimal strings) to ``num_bins`` bins with FarmHash
(``StringToHashBucketFast``) or, with a ``salt``, SipHash (``StringToHashBucketStrong``);
``CategoryEncoding`` turns integer ids into one-hot, multi-hot or count vectors. As in
compat.v1 TF, ``adapt`` raises ``RuntimeError``: give ``bin_boundaries``.

>>> import scopeflow as tf
>>> with tf.Graph().as_default(), tf.Session() as sess:
...     layer = tf.keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.5])
...     print(sess.run(layer(tf.constant([[-1.5, 0.0, 1.0], [2.5, 3.0, 0.7]]))))
[[0 1 2]
 [3 3 1]]
"""

from __future__ import annotations

from scopeflow.framework import dtypes
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.keras.engine import Layer
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import one_hot
from scopeflow.ops.array.shape import expand_dims, zeros_like
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction
from scopeflow.ops.math.bucketize import bucketize
from scopeflow.ops.math.selection import where_v2
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ops.strings.convert import as_string, string_to_hash_bucket_fast
from scopeflow.ops.strings.hashing import string_to_hash_bucket_strong

_ENCODINGS = ("count", "one_hot", "multi_hot")


def _check_mode(layer: str, mode: str, allowed: tuple) -> None:
    if mode not in allowed:
        raise ValueError(
            f"Unkown value for `output_mode` argument of layer {layer}. Allowed values are: or "
            f"one of the following values: {allowed}. Received: {mode}"
        )


def _no_sparse(layer: str, sparse: bool) -> None:
    if sparse:
        raise NotImplementedError(
            f"{layer}(sparse=True) is not supported; use the dense output (tf.sparse.from_dense "
            "makes it sparse)."
        )


def _dense_only(layer: str, inputs):
    if isinstance(inputs, SparseTensor):
        raise NotImplementedError(
            f"{layer} on a SparseTensor is not supported; densify it first "
            "(tf.sparse.to_dense with a default the layer maps where you want)."
        )
    return convert_to_tensor(inputs)


def encode_categorical(ids, output_mode: str, depth: int, dtype, count_weights=None):
    """Keras's encoding of integer ``ids``: themselves (``"int"``), or per sample the
    ``depth``-long one-hot, multi-hot or (weighted) count vector; a rank-1 input is one
    sample, except for ``"one_hot"``, which encodes each entry."""
    ids = convert_to_tensor(ids)
    if output_mode == "int":
        return array_ops.identity(cast(ids, dtype))
    original = ids.shape
    if ids.shape.ndims == 0:
        ids = expand_dims(ids, -1)
    if output_mode == "one_hot" and ids.shape[-1].value != 1:
        ids = expand_dims(ids, -1)
    if ids.shape.ndims > 2:
        raise ValueError(
            "When output_mode is not `'int'`, maximum supported output rank is 2. Received "
            f"output_mode {output_mode} and input shape {original}, which would result in "
            f"output rank {ids.shape.ndims}."
        )
    hits = one_hot(cast(ids, dtypes.int64), depth, dtype=dtype)
    if count_weights is not None and output_mode == "count":
        weights = cast(convert_to_tensor(count_weights), dtype)
        hits = hits * expand_dims(weights, -1)
    counts = reduction.reduce_sum(hits, axis=-2)
    if output_mode == "count":
        return counts
    return cast(math_ops.greater(counts, 0), dtype)


class PreprocessingLayer(Layer):
    """The base of Keras's preprocessing layers; ``adapt`` is TF2-only, as in compat.v1
    TF."""

    def adapt(self, data, batch_size=None, steps=None):
        raise RuntimeError(
            "`adapt` is only supported in tensorflow v2. (scopeflow runs TF1's graph mode: "
            "give the layer its vocabulary or boundaries instead.)"
        )


class Discretization(PreprocessingLayer):
    """The bucket of each number: ``i`` where ``bin_boundaries[i-1] <= x <
    bin_boundaries[i]`` (int64), or its one-hot/multi-hot/count encoding."""

    def __init__(
        self,
        bin_boundaries=None,
        num_bins=None,
        epsilon=0.01,
        output_mode="int",
        sparse=False,
        **kwargs,
    ):
        _check_mode("Discretization", output_mode, ("int", *_ENCODINGS[1:], "count"))
        _no_sparse("Discretization", sparse)
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                "Both `num_bins` and `bin_boundaries` should not be set. You passed "
                f"`num_bins={num_bins}` and `bin_boundaries={bin_boundaries}`"
            )
        if "dtype" not in kwargs or kwargs["dtype"] is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        self.bin_boundaries = None if bin_boundaries is None else list(bin_boundaries)
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs):
        if self.bin_boundaries is None:
            raise ValueError(
                "Discretization needs `bin_boundaries`: `adapt` is only supported in tensorflow v2."
            )
        inputs = _dense_only("Discretization", inputs)
        buckets = bucketize(inputs, [float(b) for b in self.bin_boundaries])
        depth = len(self.bin_boundaries) + 1
        return encode_categorical(buckets, self.output_mode, depth, self._dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }


class Hashing(Layer):
    """The hash bin of each string (integers hashed as their decimal strings), in
    ``[0, num_bins)``; with ``mask_value``, that value maps to 0 and the rest to
    ``[1, num_bins)``; with ``salt`` (an int or two), SipHash keyed by it."""

    def __init__(
        self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs
    ):
        if num_bins is None or num_bins <= 0:
            raise ValueError(
                "The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                f"Received: num_bins={num_bins}."
            )
        _check_mode("Hashing", output_mode, ("int", *_ENCODINGS[1:], "count"))
        _no_sparse("Hashing", sparse)
        if "dtype" not in kwargs or kwargs["dtype"] is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else "float32"
        super().__init__(**kwargs)
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.output_mode = output_mode
        self.sparse = sparse
        if salt is not None and isinstance(salt, int):
            salt = [salt, salt]
        elif salt is not None and (not isinstance(salt, list | tuple) or len(salt) != 2):
            raise ValueError(
                "The `salt` argument for `Hashing` can only be a tuple of size 2 integers, or "
                f"a single integer. Received: salt={salt}."
            )
        self.salt = None if salt is None else list(salt)

    def call(self, inputs):
        inputs = _dense_only("Hashing", inputs)
        strings = inputs if inputs.dtype.base_dtype == dtypes.string else as_string(inputs)
        bins = self.num_bins if self.mask_value is None else self.num_bins - 1
        if self.salt is None:
            hashed = string_to_hash_bucket_fast(strings, bins)
        else:
            hashed = string_to_hash_bucket_strong(strings, bins, self.salt)
        if self.mask_value is not None:
            masked = math_ops.equal(inputs, convert_to_tensor(self.mask_value, inputs.dtype))
            hashed = where_v2(masked, zeros_like(hashed), hashed + 1)
        return encode_categorical(hashed, self.output_mode, self.num_bins, self._dtype)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }


class CategoryEncoding(Layer):
    """Integer ids in ``[0, num_tokens)`` as ``"multi_hot"`` (default), ``"one_hot"`` or
    ``"count"`` vectors (``count_weights`` weighs the counts); ids out of range fail the run
    with ``InvalidArgumentError``."""

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        if output_mode == "binary":
            output_mode = "multi_hot"
        _check_mode("CategoryEncoding", output_mode, _ENCODINGS)
        _no_sparse("CategoryEncoding", sparse)
        if num_tokens is None:
            raise ValueError(
                "num_tokens must be set to use this layer. If the number of tokens is not "
                "known beforehand, use the IntegerLookup layer instead."
            )
        if num_tokens < 1:
            raise ValueError(f"`num_tokens` must be >= 1. Received: num_tokens={num_tokens}.")
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "float32"
        super().__init__(**kwargs)
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def call(self, inputs, count_weights=None):
        inputs = _dense_only("CategoryEncoding", inputs)
        if count_weights is not None and self.output_mode != "count":
            raise ValueError(
                "`count_weights` is not used when `output_mode` is not `'count'`. Received "
                f"`count_weights={count_weights}`."
            )
        largest, smallest = reduction.reduce_max(inputs), reduction.reduce_min(inputs)
        in_range = math_ops.logical_and(
            math_ops.greater(cast(self.num_tokens, largest.dtype), largest),
            math_ops.greater_equal(smallest, cast(0, smallest.dtype)),
        )
        message = (
            "Input values must be in the range 0 <= values < num_tokens with "
            f"num_tokens={self.num_tokens}"
        )
        with control_dependencies([Assert(in_range, [message])]):
            return encode_categorical(
                inputs, self.output_mode, self.num_tokens, self._dtype, count_weights
            )

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "num_tokens": self.num_tokens,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }


__all__ = ["CategoryEncoding", "Discretization", "Hashing", "PreprocessingLayer"]
