"""``tf.parse_example`` and ``tf.parse_single_example`` (``ParseExampleV2``): serialized
``tf.train.Example`` records read into dense tensors (``tf.FixedLenFeature``,
``tf.FixedLenSequenceFeature``) and ``SparseTensor``s (``tf.VarLenFeature``), with TF1's graph
(sorted keys, defaults as ``key_<name>`` constants) and TF's run-time errors."""

from __future__ import annotations

import collections
import math
import re

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.parsing.example_wire import WireError, example_features
from scopeflow.ops.parsing.ragged_feature import RaggedFeature, ragged_output, ragged_params
from scopeflow.ops.sparse.merge import sparse_merge
from scopeflow.ops.sparse.tensor import SparseTensor

TensorShape = tensor_shape.TensorShape
PARSED = (dtypes.float32, dtypes.int64, dtypes.string)
_KIND = {dtypes.float32: "float", dtypes.int64: "int64", dtypes.string: "bytes"}


class FixedLenFeature(collections.namedtuple("FixedLenFeature", "shape dtype default_value")):
    """A feature of fixed ``shape`` parsed into a dense tensor; ``default_value`` (else it is
    required) fills in for an example without it."""

    def __new__(cls, shape, dtype, default_value=None):
        return super().__new__(cls, shape, dtype, default_value)


class FixedLenSequenceFeature(
    collections.namedtuple("FixedLenSequenceFeature", "shape dtype allow_missing default_value")
):
    """A feature of any number of items of ``shape`` parsed into a dense tensor padded with
    ``default_value`` (needs ``allow_missing=True`` in ``parse_example``)."""

    def __new__(cls, shape, dtype, allow_missing=False, default_value=None):
        return super().__new__(cls, shape, dtype, allow_missing, default_value)


class VarLenFeature(collections.namedtuple("VarLenFeature", ["dtype"])):
    """A feature of any length parsed into a ``SparseTensor``."""


# -- the op ----------------------------------------------------------------------------------


def _parse_example_infer(inputs, attrs):
    serialized = inputs[0]
    rank = serialized.shape.ndims
    if rank is not None and rank > 1:
        raise ValueError(f"Shape must be at most rank 1 but is rank {rank}")
    batch = [] if rank == 0 else [serialized.shape[0].value if rank == 1 else None]
    index_width = None if rank is None else rank + 1
    sparse = [(dtypes.int64, TensorShape([None, index_width])) for _ in attrs["sparse_types"]]
    sparse += [(t, TensorShape([None])) for t in attrs["sparse_types"]]
    sparse += [(dtypes.int64, TensorShape([index_width])) for _ in attrs["sparse_types"]]
    dense = [
        (t, TensorShape(None) if rank is None else TensorShape(batch).concatenate(shape))
        for t, shape in zip(attrs["Tdense"], attrs["dense_shapes"], strict=True)
    ]
    splits = TensorShape([batch[0] + 1 if rank == 1 and batch[0] is not None else None])
    ragged = [(t, TensorShape([None])) for t in attrs.get("ragged_value_types", [])]
    ragged += [(t, splits) for t in attrs.get("ragged_split_types", [])]
    return sparse + dense + ragged


def type_name(dtype) -> str:
    return "float" if dtype == dtypes.float32 else dtype.name


def _bytes(x) -> bytes:
    return x.encode() if isinstance(x, str) else bytes(x)


class _Example:
    """One record being parsed: its features, and how TF's errors name it."""

    def __init__(self, op, data, name, index: int | None):
        self.index = index  # None: the op parses one scalar record
        self.prefix = "" if index is None else f"Name: {name}, "
        try:
            self.features = example_features(data)
        except WireError:
            text = data.decode("latin-1").encode("unicode_escape").decode()
            raise errors.InvalidArgumentError(
                None, op, f"Could not parse example input, value: '{text}'"
            ) from None
        self.op = op

    def error(self, message: str):
        return errors.InvalidArgumentError(None, self.op, message)

    def key_text(self, key: str) -> str:
        if self.index is None:
            return f"Key: {key}.  "
        return f"{self.prefix}Key: {key}, Index: {self.index}.  "

    def values(self, key: str, dtype, *, sparse: bool):
        """The values of feature ``key`` as a NumPy array of ``dtype``, or None when absent."""
        feature = self.features.get(key.encode())
        if feature is None or feature.kind is None:
            return None
        if feature.kind != _KIND[dtype]:
            actual = type_name(_DTYPE_OF_KIND[feature.kind])
            if sparse:
                raise self.error(
                    f"{self.key_text(key)}Data types don't match. Expected type: "
                    f"{type_name(dtype)}, Actual type: {actual}"
                )
            raise self.error(
                f"{self.key_text(key)}Data types don't match. Data type: {actual} but "
                f"expected type: {type_name(dtype)}"
            )
        if dtype == dtypes.string:
            array = np.empty(len(feature.values), dtype=object)
            array[:] = feature.values
            return array
        return np.asarray(feature.values, dtype=dtype.as_numpy_dtype)


_DTYPE_OF_KIND = {kind: dtype for dtype, kind in _KIND.items()}


def _sparse_output(examples, key, dtype, scalar: bool):
    rows = []
    for example in examples:
        found = example.values(key, dtype, sparse=True)
        rows.append(np.empty(0, dtype=dtype.as_numpy_dtype) if found is None else found)
    counts = [len(r) for r in rows]
    width = max(counts, default=0)
    positions = np.concatenate([np.arange(n, dtype=np.int64) for n in counts] or [[]])
    values = np.concatenate(rows) if rows else np.empty(0, dtype.as_numpy_dtype)
    if scalar:
        return positions.astype(np.int64)[:, None], values, np.array([width], np.int64)
    batch = np.repeat(np.arange(len(rows), dtype=np.int64), counts)
    indices = np.stack([batch, positions.astype(np.int64)], axis=1)
    return indices, values, np.array([len(rows), width], np.int64)


def _dense_output(examples, key, dtype, shape, default):
    numpy_dtype = dtype.as_numpy_dtype
    if shape.ndims and shape[0].value is None:
        return _sequence_output(examples, key, dtype, shape, default)
    dims = shape.as_list()
    size = math.prod(dims)
    out = np.empty([len(examples), *dims], dtype=numpy_dtype)
    rows = out.reshape(len(examples), size)  # a view: object elements are set one by one
    for i, example in enumerate(examples):
        found = example.values(key, dtype, sparse=False)
        if found is None:
            if np.size(default) == 0:
                raise example.error(
                    f"{example.prefix}Feature: {key} (data type: {type_name(dtype)}) is "
                    "required but could not be found."
                )
            found = np.reshape(default, -1)
        elif found.size != size:
            if example.index is None:
                raise example.error(
                    f"{example.key_text(key)}Can't parse serialized Example: Some "
                    f"{_KIND[dtype]}_list slice was not parsed."
                )
            raise example.error(
                f"{example.key_text(key)}Number of {_KIND[dtype]} values != expected.  "
                f"Values size: {found.size} but output shape: [{','.join(map(str, dims))}]"
            )
        rows[i] = np.reshape(found, -1)
    return out


def _sequence_output(examples, key, dtype, shape, default):
    inner = shape.as_list()[1:]
    stride = math.prod(inner)
    rows = []
    for example in examples:
        found = example.values(key, dtype, sparse=False)
        found = np.empty(0, dtype.as_numpy_dtype) if found is None else found
        if found.size % stride:
            if example.index is None:
                raise example.error(
                    f"Error while parsing feature with key {key}: number of elements should be "
                    f"divisible by {stride}, found {found.size} instead"
                )
            raise example.error(
                f"{example.key_text(key)}Number of {_KIND[dtype]} values is not a multiple of "
                f"stride length. Saw {found.size} values but output shape is: "
                f"[{','.join(['?', *map(str, inner)])}]"
            )
        rows.append(np.reshape(found, [-1, *inner]))
    length = max((len(r) for r in rows), default=0)
    out = np.full([len(rows), length, *inner], np.reshape(default, ()), dtype=dtype.as_numpy_dtype)
    for i, row in enumerate(rows):
        out[i, : len(row)] = row
    return out


def _parse_example_kernel(ctx, op, serialized, names, sparse_keys, dense_keys, ragged_keys, *dv):
    attrs = op._attrs
    scalar = np.ndim(serialized) == 0
    records = np.reshape(serialized, -1)
    names = np.reshape(names, -1)
    examples = [
        _Example(
            op,
            _bytes(data),
            _bytes(names[i]).decode() if names.size else "<unknown>",
            None if scalar else i,
        )
        for i, data in enumerate(records)
    ]
    sparse = [
        _sparse_output(examples, _bytes(key).decode(), dtype, scalar)
        for key, dtype in zip(sparse_keys, attrs["sparse_types"], strict=True)
    ]
    dense = []
    for key, dtype, shape, default in zip(
        dense_keys, attrs["Tdense"], attrs["dense_shapes"], dv, strict=True
    ):
        value = _dense_output(examples, _bytes(key).decode(), dtype, shape, default)
        dense.append(value[0] if scalar else value)
    ragged = [
        ragged_output(examples, _bytes(key).decode(), dtype, split_dtype, scalar)
        for key, dtype, split_dtype in zip(
            ragged_keys, attrs.get("ragged_value_types", []), attrs.get("ragged_split_types", []),
            strict=True,
        )
    ]  # fmt: skip
    outputs = (*(s[0] for s in sparse), *(s[1] for s in sparse), *(s[2] for s in sparse), *dense)
    outputs += (*(r[0] for r in ragged), *(r[1] for r in ragged))
    return outputs if len(outputs) > 1 else outputs[0]


register_op(
    "ParseExampleV2",
    _parse_example_infer,
    kernel=_parse_example_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


# -- building ----------------------------------------------------------------------------------


def checked_dtype(dtype, parameter: str):
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in PARSED:
        raise TypeError(
            f"Value passed to parameter '{parameter}' has DataType {dtype.name} not in list of "
            "allowed values: float32, int64, string"
        )
    return dtype


def feature_params(features, allowed=None, *, padded_sequences: bool = True) -> tuple:
    """``(sparse, dense)``: ``[(key, dtype)]`` and ``[(key, dtype, shape, default, padded)]``
    in sorted key order, checked as TF1 checks them. ``allowed``: the feature classes
    accepted; ``padded_sequences``: a ``FixedLenSequenceFeature`` is ``[None] + shape``, padded
    (``parse_example``), else its shape is one step's (a ``SequenceExample``'s lists)."""
    allowed = allowed or (VarLenFeature, FixedLenFeature, FixedLenSequenceFeature)
    for feature in features.values():
        sequence = isinstance(feature, FixedLenSequenceFeature)
        if padded_sequences and sequence and not feature.allow_missing:
            raise ValueError(
                "Unsupported: FixedLenSequenceFeature requires allow_missing to be True."
            )
    sparse, dense = [], []
    for key in sorted(features):
        feature = features[key]
        if not isinstance(feature, allowed):
            raise ValueError(f"Unsupported {type(feature).__name__} {feature} for key '{key}'")
        if isinstance(feature, VarLenFeature):
            if not feature.dtype:
                raise ValueError(f"Missing type for feature {key}. Received feature={feature}")
            sparse.append((key, feature.dtype))
            continue
        if not feature.dtype:
            raise ValueError(f"Missing type for feature {key}. Received feature={feature}.")
        if feature.shape is None:
            raise ValueError(f"Missing shape for feature {key}. Received feature={feature}.")
        padded = padded_sequences and isinstance(feature, FixedLenSequenceFeature)
        shape = TensorShape(([None] if padded else []) + list(feature.shape))
        if isinstance(feature, FixedLenFeature):
            if shape.ndims and shape[0].value is None:
                raise ValueError(
                    f"First dimension of shape for feature {key} unknown. Consider using "
                    f"FixedLenSequenceFeature. Received feature={feature}."
                )
            if not shape.is_fully_defined():
                raise ValueError(
                    f"All dimensions of shape for feature {key} need to be known but received "
                    f"{feature.shape!s}."
                )
        dense.append((key, feature.dtype, shape, feature.default_value, padded))
    return sparse, dense


def dense_default(key: str, dtype, shape, default, padded: bool):
    """The default tensor TF1 builds for a dense feature (empty: required)."""
    dtype = dtypes.as_dtype(dtype)
    safe_key = re.sub("[^A-Za-z0-9_.\\-/]", "_", key)
    if padded:
        if default is None:
            return convert_to_tensor("" if dtype == dtypes.string else 0, dtype=dtype)
        value = convert_to_tensor(default, dtype=dtype, name="padding_" + safe_key)
        return reshape(value, [])
    if default is None:
        return constant([], dtype=dtype)
    if isinstance(default, Tensor):
        return default
    value = convert_to_tensor(default, dtype=dtype, name="key_" + safe_key)
    return reshape(value, shape.as_list())


# -- SparseFeature: a SparseTensor merged from its index and value features --------------


class SparseFeature(
    collections.namedtuple(
        "SparseFeature", ["index_key", "value_key", "dtype", "size", "already_sorted"]
    )
):
    """A sparse feature of a dense shape ``size`` (one size per index key), whose values are
    the feature ``value_key`` and whose indices the features ``index_key`` (a key, or a list
    of keys, one per dimension); ``already_sorted``: the indices come in row-major order.

    >>> import scopeflow as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "ix": tf.train.Feature(int64_list=tf.train.Int64List(value=[3, 0])),
    ...     "v": tf.train.Feature(float_list=tf.train.FloatList(value=[0.5, 1.5]))}))
    >>> with tf.Graph().as_default():
    ...     parsed = tf.io.parse_single_example(
    ...         ex.SerializeToString(), {"s": tf.io.SparseFeature("ix", "v", tf.float32, 5)})
    ...     print(tf.Session().run(tf.sparse.to_dense(parsed["s"])))
    [1.5 0.  0.  0.5 0. ]
    """

    def __new__(cls, index_key, value_key, dtype, size, already_sorted=False):
        return super().__new__(cls, index_key, value_key, dtype, size, already_sorted)


def _add_sparse_key(raw: dict, key: str, dtype) -> None:
    have = raw.get(key)
    if have is None:
        raw[key] = VarLenFeature(dtype)
    elif isinstance(have, VarLenFeature) and dtypes.as_dtype(have.dtype) != dtype:
        raise ValueError(f"Conflicting type {have.dtype} vs {dtype} for feature {key}.")


def raw_features(features: dict) -> dict:
    """``features`` with each ``SparseFeature`` replaced by ``VarLenFeature``s of its keys."""
    raw = {k: f for k, f in features.items() if not isinstance(f, SparseFeature)}
    for key in sorted(features):
        feature = features[key]
        if not isinstance(feature, SparseFeature):
            continue
        if not feature.index_key:
            raise ValueError(f"Missing index_key for SparseFeature {feature}.")
        if not feature.value_key:
            raise ValueError(f"Missing value_key for SparseFeature {feature}.")
        if not feature.dtype:
            raise ValueError(f"Missing type for feature {key}. Received feature={feature}.")
        index_keys = (
            [feature.index_key] if isinstance(feature.index_key, str) else feature.index_key
        )
        for index_key in sorted(index_keys):
            _add_sparse_key(raw, index_key, dtypes.int64)
        _add_sparse_key(raw, feature.value_key, dtypes.as_dtype(feature.dtype))
    return raw


def merged_sparse_features(features: dict, parsed: dict) -> dict:
    """The parsed tensors of ``features``: each ``SparseFeature`` merged from its keys' tensors
    (keys only its index or values were parsed for are dropped)."""
    merged = {}
    for key in sorted(features):
        feature = features[key]
        if isinstance(feature, SparseFeature):
            if isinstance(feature.index_key, str):
                ids = parsed[feature.index_key]
            else:
                ids = [parsed[k] for k in feature.index_key]
            merged[key] = sparse_merge(
                ids,
                parsed[feature.value_key],
                vocab_size=feature.size,
                already_sorted=feature.already_sorted,
            )
    out = {**parsed, **merged}  # TF's order: the parsed ones, then the merged ones
    return {key: value for key, value in out.items() if key in features}


@undo.atomic
def parse_example(serialized, features, name=None, example_names=None):
    """TF's ``parse_example`` for the non-ragged features (``tf.io.parse_example`` is
    ``scopeflow/ragged/parsing.py``'s, which also makes ``RaggedFeature``s' tensors)."""
    return parse_example_into(serialized, features, name, example_names, None)


def parse_example_into(serialized, features, name, example_names, make_ragged):
    """Parses a batch of serialized ``tf.train.Example``s (a vector of strings) into a dict:
    a dense tensor for each ``FixedLenFeature`` (``[batch] + shape``) and
    ``FixedLenSequenceFeature`` (padded), a ``SparseTensor`` for each ``VarLenFeature`` and
    ``SparseFeature``.

    >>> import scopeflow as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "x": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0]))}))
    >>> with tf.Graph().as_default():
    ...     parsed = tf.parse_example([ex.SerializeToString()],
    ...                               {"x": tf.FixedLenFeature([2], tf.float32)})
    ...     print(tf.Session().run(parsed["x"]))
    [[1. 2.]]
    """
    if not features:
        raise ValueError(f"Argument `features` cannot be None or falsy. Got {features}")
    requested, features = features, raw_features(features)
    ragged = ragged_params(features, make_ragged)
    features = {k: f for k, f in features.items() if not isinstance(f, RaggedFeature)}
    sparse, dense = feature_params(features)
    with name_scope(name, "ParseExample", [serialized, example_names]):
        serialized = convert_to_tensor(serialized, name="serialized")
        defaults = [dense_default(*entry) for entry in dense]
        with name_scope(name or "ParseExampleV2") as scope:
            inputs = [
                serialized,
                convert_to_tensor(
                    [] if example_names is None else example_names,
                    dtype=dtypes.string,
                    name="names",
                ),
                convert_to_tensor([k for k, _ in sparse], dtypes.string, name="sparse_keys"),
                convert_to_tensor([e[0] for e in dense], dtypes.string, name="dense_keys"),
                convert_to_tensor([r[1] for r in ragged], dtypes.string, name="ragged_keys"),
                *defaults,
            ]
            attrs = {
                "Tdense": [checked_dtype(e[1], "dense_defaults") for e in dense],
                "num_sparse": len(sparse),
                "sparse_types": [checked_dtype(t, "sparse_types") for _, t in sparse],
                "ragged_value_types": [r[2] for r in ragged],
                "ragged_split_types": [r[3] for r in ragged],
                "dense_shapes": [e[2] for e in dense],
            }
            outputs = get_default_graph().create_op("ParseExampleV2", inputs, attrs, scope).outputs
    n = len(sparse)
    result = {
        key: SparseTensor(outputs[i], outputs[n + i], outputs[2 * n + i])
        for i, (key, _) in enumerate(sparse)
    }
    result.update({entry[0]: outputs[3 * n + i] for i, entry in enumerate(dense)})
    first, m = 3 * n + len(dense), len(ragged)
    for i, entry in enumerate(ragged):
        result[entry[0]] = make_ragged(outputs[first + i], outputs[first + m + i])
    return merged_sparse_features(requested, result)


@undo.atomic
def parse_single_example(serialized, features, name=None, example_names=None):
    """Parses one serialized ``tf.train.Example`` (a scalar string): as :func:`parse_example`
    without the batch dimension.

    >>> import scopeflow as tf
    >>> ex = tf.train.Example(features=tf.train.Features(feature={
    ...     "n": tf.train.Feature(int64_list=tf.train.Int64List(value=[7, 8, 9]))}))
    >>> with tf.Graph().as_default():
    ...     parsed = tf.parse_single_example(ex.SerializeToString(),
    ...                                      {"n": tf.VarLenFeature(tf.int64)})
    ...     print(tf.Session().run(parsed["n"]).values)
    [7 8 9]
    """
    if features is None:
        raise ValueError("Invalid argument: features cannot be None.")
    if not features:
        raise ValueError("Invalid argument: features cannot be empty.")
    with name_scope(name, "ParseSingleExample", [serialized, example_names]):
        serialized = assert_scalar(convert_to_tensor(serialized, name="serialized"), "serialized")
        # a ragged feature of one record is its values, as TF's
        return parse_example_into(serialized, features, name, example_names, lambda v, s: v)


def assert_scalar(value, name: str):
    """``value`` when it is a scalar; of unknown rank, ``value`` checked when the graph runs
    (TF's ``SerializedIsScalar`` Assert, ``serializedDependencies``) and given the shape [].

    Raises:
        ValueError: ``value`` has a known rank other than 0.
    """
    rank = value.shape.ndims
    if rank == 0:
        return value
    if rank is not None:
        raise ValueError(f"Input {name} must be a scalar")
    graph = get_default_graph()
    is_scalar = apply_op(
        "Equal",
        [apply_op("Rank", [value], name="Rank"), constant(0, name="Equal/y")],
        {"incompatible_shape_error": True},
        name="Equal",
    )
    text = f"Input {name} must be a scalar"
    with name_scope(f"{name.capitalize()}IsScalar"):
        constant(text, name="Const")  # TF converts the message twice
        message = constant(text, name="Assert/data_0")
        check = graph.create_op(
            "Assert", [is_scalar, message], {"T": [dtypes.string], "summarize": 3}, name="Assert"
        )
    with control_dependencies([check]):
        result = apply_op("Identity", [value], name=f"{name}Dependencies")
    result.set_shape([])
    return result


__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "SparseFeature",
    "VarLenFeature",
    "parse_example",
    "parse_single_example",
]
