"""``tf.parse_single_sequence_example`` (``ParseSequenceExampleV2``): a serialized
``tf.train.SequenceExample`` read into its context features (``tf.FixedLenFeature``,
``tf.VarLenFeature``) and its feature lists (``tf.FixedLenSequenceFeature``: one row per
step; ``tf.VarLenFeature``: a ``SparseTensor`` of steps by values), with TF1's graph and TF's
run-time errors."""

from __future__ import annotations

import math

import numpy as np

from scopeflow.framework import dtypes, errors, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.parsing.example_ops import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    assert_scalar,
    checked_dtype,
    dense_default,
    feature_params,
    type_name,
)
from scopeflow.ops.parsing.example_wire import WireError, sequence_example_features
from scopeflow.ops.sparse.tensor import SparseTensor

TensorShape = tensor_shape.TensorShape
_KIND = {dtypes.float32: "float", dtypes.int64: "int64", dtypes.string: "bytes"}


def _sparse_specs(types, width: int) -> list:
    """Static ``(dtype, shape)`` of the indices, values and dense shapes of sparse outputs."""
    return [
        *((dtypes.int64, TensorShape([None, width])) for _ in types),
        *((t, TensorShape([None])) for t in types),
        *((dtypes.int64, TensorShape([width])) for _ in types),
    ]


def _sequence_infer(inputs, attrs):
    rank = inputs[0].shape.ndims
    if rank not in (None, 0, 1):
        raise ValueError(f"Shape must be at most rank 1 but is rank {rank}")
    batch = TensorShape(inputs[0].shape.as_list() if rank == 1 else [])  # [] or [batch]
    width = batch.ndims
    lists = zip(attrs["feature_list_dense_types"], attrs["feature_list_dense_shapes"], strict=True)
    return [
        *_sparse_specs(attrs["context_sparse_types"], 1 + width),
        *(
            (t, batch.concatenate(shape))
            for t, shape in zip(attrs["Tcontext_dense"], attrs["context_dense_shapes"], strict=True)
        ),
        *_sparse_specs(attrs["feature_list_sparse_types"], 2 + width),
        *((t, batch.concatenate([None]).concatenate(shape)) for t, shape in lists),
        *((dtypes.int64, batch) for _ in attrs["feature_list_dense_types"]),
    ]


def _key(key) -> str:
    return (key.item() if isinstance(key, np.ndarray) else key).decode()


class _Reader:
    """The features of one SequenceExample, read with TF's checks and messages."""

    def __init__(self, op, data: bytes, name: str):
        self.op, self.name = op, name
        try:
            self.context, self.lists = sequence_example_features(data)
        except WireError:
            raise self.error(f"Invalid protocol message input, example id: {name}") from None

    def error(self, message: str):
        return errors.InvalidArgumentError(None, self.op, message)

    def values(self, feature, dtype, where: str):
        """``feature``'s values as an array of ``dtype`` (empty when it holds no list)."""
        if feature is None or feature.kind is None:
            return np.empty(0, dtype.as_numpy_dtype)
        if feature.kind != _KIND[dtype]:
            raise self.error(
                f"Name: {self.name}, {where}.  Data types don't match. Expected type: "
                f"{type_name(dtype)}"
            )
        array = np.empty(len(feature.values), dtype=dtype.as_numpy_dtype)
        array[:] = feature.values
        return array

    def context_dense(self, key: str, dtype, shape, default):
        feature = self.context.get(key.encode())
        size = math.prod(shape.as_list())
        if (feature is None or feature.kind is None) and np.size(default):
            return np.reshape(default, shape.as_list())
        found = self.values(feature, dtype, f"Context feature: {key}")
        if found.size != size:
            raise self.error(
                f"Inconsistent max number of elements for feature {key}: expected {size}, but "
                f"found {found.size}"
            )
        return found.reshape(shape.as_list())

    def list_dense(self, key: str, dtype, shape, missing_ok: bool):
        steps = self.lists.get(key.encode())
        dims = shape.as_list()
        if steps is None:
            if not missing_ok:
                raise self.error(
                    f"Name: {self.name}, Feature list '{key}' is required but could not be "
                    "found.  Did you mean to include it in "
                    "feature_list_dense_missing_assumed_empty or feature_list_dense_defaults?"
                )
            steps = []
        out = np.empty([len(steps), *dims], dtype=dtype.as_numpy_dtype)
        rows = out.reshape(len(steps), math.prod(dims))
        for t, step in enumerate(steps):
            found = self.values(step, dtype, f"Feature list: {key}, Index: {t}")
            if found.size != rows.shape[1]:
                raise self.error(
                    f"Name: {self.name}, Key: {key}, Index: {t}.  Number of values != expected. "
                    f" values size: {found.size} but output shape: [{','.join(map(str, dims))}]"
                )
            rows[t] = found
        return out, np.int64(len(steps))


def _sparse(rows: list[np.ndarray], dtype, steps: bool):
    counts = [len(r) for r in rows]
    positions = np.concatenate([np.arange(n, dtype=np.int64) for n in counts] or [[]])
    values = np.concatenate(rows) if rows else np.empty(0, dtype.as_numpy_dtype)
    if not steps:
        return positions.astype(np.int64)[:, None], values, np.array([counts[0]], np.int64)
    index = np.stack([np.repeat(np.arange(len(rows), dtype=np.int64), counts), positions], 1)
    return index.astype(np.int64), values, np.array([len(rows), max(counts, default=0)], np.int64)


def _parse_one(op, data, name: str, inputs):
    """One SequenceExample's ``(context sparse, context dense, list sparse, list dense)``:
    sparse ones as ``(indices, values, dense_shape)``, dense lists as ``(values, steps)``."""
    attrs = op._attrs
    c_sparse, c_dense, _, l_sparse, l_dense, _, missing_ok, *defaults = inputs
    reader = _Reader(op, data.encode() if isinstance(data, str) else bytes(data), name)
    context = []
    for key, dtype in zip(c_sparse, attrs["context_sparse_types"], strict=True):
        feature = reader.context.get(_key(key).encode())
        found = reader.values(feature, dtype, f"Context feature: {_key(key)}")
        context.append(_sparse([found], dtype, steps=False))
    lists = []
    for key, dtype in zip(l_sparse, attrs["feature_list_sparse_types"], strict=True):
        steps = reader.lists.get(_key(key).encode(), [])
        where = f"Feature list: {_key(key)}, Index: "
        rows = [reader.values(step, dtype, where + str(t)) for t, step in enumerate(steps)]
        lists.append(_sparse(rows, dtype, steps=True))
    dense = [
        reader.context_dense(_key(key), dtype, shape, default)
        for key, dtype, shape, default in zip(
            c_dense, attrs["Tcontext_dense"], attrs["context_dense_shapes"], defaults, strict=True
        )
    ]
    list_dense = [
        reader.list_dense(_key(key), dtype, shape, bool(ok))
        for key, dtype, shape, ok in zip(
            l_dense,
            attrs["feature_list_dense_types"],
            attrs["feature_list_dense_shapes"],
            np.reshape(missing_ok, -1),
            strict=True,
        )
    ]
    return context, dense, lists, list_dense


def _batched_sparse(parts: list) -> tuple:
    """Each example's ``(indices, values, dense_shape)`` as one, the example's row first."""
    indices = [
        np.concatenate([np.full((len(ix), 1), b, np.int64), ix], 1)
        for b, (ix, _, _) in enumerate(parts)
    ]
    shape = np.max([p[2] for p in parts], axis=0) if parts else np.zeros(0, np.int64)
    return (
        np.concatenate(indices).astype(np.int64),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([[len(parts)], shape]).astype(np.int64),
    )


def _padded(parts: list) -> np.ndarray:
    """Each example's ``[steps] + shape`` values padded with zeros to the longest."""
    longest = max(len(p) for p in parts)
    out = np.zeros((len(parts), longest, *parts[0].shape[1:]), dtype=parts[0].dtype)
    if out.dtype == object:
        out[...] = b""
    for b, part in enumerate(parts):
        out[b, : len(part)] = part
    return out


def _empty_batch(attrs) -> tuple:
    """The outputs for a batch of no examples."""

    def sparse(types, width):
        return (
            *(np.zeros((0, width), np.int64) for _ in types),
            *(np.empty(0, t.as_numpy_dtype) for t in types),
            *(np.zeros(width, np.int64) for _ in types),
        )

    lists = zip(attrs["feature_list_dense_types"], attrs["feature_list_dense_shapes"], strict=True)
    return (
        *sparse(attrs["context_sparse_types"], 2),
        *(
            np.zeros([0, *shape.as_list()], t.as_numpy_dtype)
            for t, shape in zip(attrs["Tcontext_dense"], attrs["context_dense_shapes"], strict=True)
        ),
        *sparse(attrs["feature_list_sparse_types"], 3),
        *(np.zeros([0, 0, *shape.as_list()], t.as_numpy_dtype) for t, shape in lists),
        *(np.zeros(0, np.int64) for _ in attrs["feature_list_dense_types"]),
    )


def _parse_sequence_kernel(ctx, op, serialized, debug_name, *inputs):
    serialized = np.asarray(serialized, dtype=object)
    names = [_key(n) for n in np.reshape(debug_name, -1)]
    if serialized.ndim == 0:
        context, dense, lists, list_dense = _parse_one(
            op, serialized.item(), names[0] if names else "<unknown>", inputs
        )
    elif serialized.size == 0:
        return _empty_batch(op._attrs)
    else:
        parsed = [
            _parse_one(op, data, names[b] if names else "<unknown>", inputs)
            for b, data in enumerate(serialized)
        ]
        context, dense, lists, list_dense = ([p[i] for p in parsed] for i in range(4))
        context = [_batched_sparse(list(parts)) for parts in zip(*context, strict=True)]
        dense = [np.stack(parts) for parts in zip(*dense, strict=True)]
        lists = [_batched_sparse(list(parts)) for parts in zip(*lists, strict=True)]
        list_dense = [
            (_padded([p[0] for p in parts]), np.array([p[1] for p in parts], np.int64))
            for parts in zip(*list_dense, strict=True)
        ]
    outputs = (
        *(s[0] for s in context),
        *(s[1] for s in context),
        *(s[2] for s in context),
        *dense,
        *(s[0] for s in lists),
        *(s[1] for s in lists),
        *(s[2] for s in lists),
        *(d[0] for d in list_dense),
        *(d[1] for d in list_dense),
    )
    return outputs if len(outputs) > 1 else outputs[0]


register_op(
    "ParseSequenceExampleV2",
    _sequence_infer,
    kernel=_parse_sequence_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def _types(types, parameter: str) -> list:
    return [checked_dtype(t, parameter) for t in types]


def _keys(keys, name: str):
    return convert_to_tensor(list(keys), dtype=dtypes.string, name=name)


def _sequence_op(serialized, example_name, context, lists, name):
    """The ``ParseSequenceExampleV2`` op (in a ``ParseSequenceExample`` scope) and its
    ``(context dict, feature list dict, feature list lengths dict)``."""
    (c_sparse, c_dense), (l_sparse, l_dense) = context, lists
    with name_scope(name, "ParseSequenceExample", [serialized]):
        for key, _, _, default, *_ in l_dense:
            if default is not None:
                raise ValueError(f"Value feature_list.dense_defaults[{key}] must be None")
        serialized = convert_to_tensor(serialized, name="serialized")
        defaults = [dense_default(*entry) for entry in c_dense]
        with name_scope(name or "ParseSequenceExampleV2") as scope:
            names = [] if example_name is None else example_name
            inputs = [
                serialized,
                convert_to_tensor(names, dtype=dtypes.string, name="debug_name"),
                _keys([k for k, _ in c_sparse], "context_sparse_keys"),
                _keys([e[0] for e in c_dense], "context_dense_keys"),
                _keys([], "context_ragged_keys"),
                _keys([k for k, _ in l_sparse], "feature_list_sparse_keys"),
                _keys([e[0] for e in l_dense], "feature_list_dense_keys"),
                _keys([], "feature_list_ragged_keys"),
                convert_to_tensor(
                    [e[5] for e in l_dense],
                    dtype=dtypes.bool,
                    name="feature_list_dense_missing_assumed_empty",
                ),
                *defaults,
            ]
            attrs = {
                "Ncontext_sparse": len(c_sparse),
                "Tcontext_dense": _types([e[1] for e in c_dense], "context_dense_defaults"),
                "context_sparse_types": _types([t for _, t in c_sparse], "context_sparse_types"),
                "context_ragged_value_types": [],
                "context_ragged_split_types": [],
                "context_dense_shapes": [e[2] for e in c_dense],
                "Nfeature_list_sparse": len(l_sparse),
                "Nfeature_list_dense": len(l_dense),
                "feature_list_dense_types": _types([e[1] for e in l_dense], "feature_list_dense"),
                "feature_list_sparse_types": _types(
                    [t for _, t in l_sparse], "feature_list_sparse"
                ),
                "feature_list_ragged_value_types": [],
                "feature_list_ragged_split_types": [],
                "feature_list_dense_shapes": [e[2] for e in l_dense],
            }
            op = get_default_graph().create_op("ParseSequenceExampleV2", inputs, attrs, scope)
    out = iter(op.outputs)
    sparse = [(k, next(out)) for k, _ in c_sparse]
    sparse = [(k, i, next(out)) for k, i in sparse]
    context_out = {k: SparseTensor(i, v, next(out)) for k, i, v in sparse}
    context_out.update({e[0]: next(out) for e in c_dense})
    sparse = [(k, next(out)) for k, _ in l_sparse]
    sparse = [(k, i, next(out)) for k, i in sparse]
    lists_out = {k: SparseTensor(i, v, next(out)) for k, i, v in sparse}
    lists_out.update({e[0]: next(out) for e in l_dense})
    return context_out, lists_out, {e[0]: next(out) for e in l_dense}


@undo.atomic
def parse_single_sequence_example(
    serialized, context_features=None, sequence_features=None, example_name=None, name=None
):
    """Parses one serialized ``tf.train.SequenceExample`` (a scalar string) into
    ``(context, feature_lists)`` dicts: ``FixedLenFeature``/``VarLenFeature`` of the context,
    ``FixedLenSequenceFeature`` (``[steps] + shape``)/``VarLenFeature`` of the feature lists.

    >>> import scopeflow as tf
    >>> tokens = tf.train.FeatureList(feature=[
    ...     tf.train.Feature(int64_list=tf.train.Int64List(value=[t])) for t in (4, 5)])
    >>> ex = tf.train.SequenceExample(
    ...     feature_lists=tf.train.FeatureLists(feature_list={"tok": tokens}))
    >>> with tf.Graph().as_default():
    ...     _, lists = tf.parse_single_sequence_example(
    ...         ex.SerializeToString(),
    ...         sequence_features={"tok": tf.FixedLenSequenceFeature([], tf.int64)})
    ...     print(tf.Session().run(lists["tok"]))
    [4 5]
    """
    if not (context_features or sequence_features):
        raise ValueError(
            "Both context_features and sequence_features are None, but at least one should "
            "have values."
        )
    context, lists = _feature_params(context_features, sequence_features)
    with name_scope(name, "ParseSingleSequenceExample", [serialized, example_name]):
        with name_scope(name, "ParseSingleExample", [serialized, example_name]):
            serialized = convert_to_tensor(serialized, name="serialized")
            serialized = assert_scalar(serialized, "serialized")
        return _sequence_op(serialized, example_name, context, lists, name)[:2]


def _feature_params(context_features, sequence_features) -> tuple:
    if not (context_features or sequence_features):
        raise ValueError(
            "Both `context_features` and `sequence_features` argument are None, but at least "
            "one should have values."
        )
    context = feature_params(
        context_features or {}, (VarLenFeature, FixedLenFeature), padded_sequences=False
    )
    sparse, dense = feature_params(
        sequence_features or {},
        (VarLenFeature, FixedLenSequenceFeature),
        padded_sequences=False,
    )
    features = sequence_features or {}
    return context, (sparse, [(*e, features[e[0]].allow_missing) for e in dense])


@undo.atomic
def parse_sequence_example(
    serialized, context_features=None, sequence_features=None, example_names=None, name=None
):
    """Parses a batch of serialized ``tf.train.SequenceExample``s (a vector of strings) into
    ``(context, feature_lists, feature_list_lengths)`` dicts: context features with a batch
    dimension, feature lists ``[batch, steps] + shape`` (padded with zeros to the longest;
    ``VarLenFeature``: ``[batch, steps, values]`` sparse), and each dense list's steps.

    >>> import scopeflow as tf
    >>> def seq(*tokens):
    ...     steps = [tf.train.Feature(int64_list=tf.train.Int64List(value=[t])) for t in tokens]
    ...     lists = tf.train.FeatureLists(feature_list={"tok": tf.train.FeatureList(feature=steps)})
    ...     return tf.train.SequenceExample(feature_lists=lists).SerializeToString()
    >>> with tf.Graph().as_default():
    ...     _, lists, lengths = tf.io.parse_sequence_example(
    ...         [seq(4, 5), seq(6)], sequence_features={"tok": tf.io.FixedLenSequenceFeature(
    ...             [], tf.int64)})
    ...     tokens, steps = tf.Session().run([lists["tok"], lengths["tok"]])
    >>> tokens, steps
    (array([[4, 5],
           [6, 0]]), array([2, 1]))
    """
    context, lists = _feature_params(context_features, sequence_features)
    with name_scope(name, "ParseSequenceExample", [serialized, example_names]):
        return _sequence_op(serialized, example_names, context, lists, name)


__all__ = ["parse_single_sequence_example"]  # tf.io.parse_sequence_example: not at the root
