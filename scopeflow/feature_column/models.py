"""``tf.feature_column.input_layer`` and ``linear_model``: the columns' tensors concatenated,
or their weighted sums, with TF1's variable names (``input_layer/<column>_embedding/
embedding_weights``, ``linear_model/<column>/weights``, ``linear_model/bias_weights``)."""

from __future__ import annotations

from scopeflow.feature_column.builder import _LazyBuilder
from scopeflow.feature_column.columns import _CategoricalColumn, _DenseColumn, _FeatureColumn
from scopeflow.framework import dtypes, undo
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import get_collection, name_scope
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.math.elementwise import add_n
from scopeflow.ops.math.matmul import matmul
from scopeflow.ops.nn.basic import bias_add
from scopeflow.ops.sparse.safe_embedding import safe_embedding_lookup_sparse
from scopeflow.ops.sparse.structure import sparse_reshape
from scopeflow.variables.initializers import zeros_initializer
from scopeflow.variables.variable_scope import get_variable, get_variable_scope, variable_scope


def _normalize_feature_columns(feature_columns) -> list:
    if isinstance(feature_columns, _FeatureColumn):
        feature_columns = [feature_columns]
    if isinstance(feature_columns, dict):
        raise ValueError("Expected feature_columns to be iterable, found dict.")
    feature_columns = list(feature_columns)
    if not feature_columns:
        raise ValueError("feature_columns must not be empty.")
    for column in feature_columns:
        if not isinstance(column, _FeatureColumn):
            raise ValueError(f"Items of feature_columns must be a _FeatureColumn. Given: {column}")
    names = {}
    for column in feature_columns:
        if column.name in names:
            raise ValueError(
                f"Duplicate feature column name found for columns: {column} and "
                f"{names[column.name]}. This usually means that these columns refer to same "
                "base feature. Either one must be discarded or a duplicated but renamed item "
                "must be inserted in features dict."
            )
        names[column.name] = column
    return feature_columns


def _weight_collections(weight_collections) -> list:
    collections = list(weight_collections or [])
    for key in (GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES):
        if key not in collections:
            collections.append(key)
    return collections


def _flat(tensor, column):
    """``tensor`` as ``[batch, elements of the column's shape]``."""
    return reshape(tensor, shape=(shape(tensor)[0], column._variable_shape.num_elements()))


def _check_batch_sizes(tensors, columns) -> None:
    expected, first = None, None
    for tensor, column in zip(tensors, columns, strict=True):
        size = tensor.shape[0] if tensor.shape.ndims else None
        size = getattr(size, "value", size)
        if size is None:
            continue
        if expected is None:
            expected, first = size, column.name
        elif size != expected:
            raise ValueError(
                "Batch size (first dimension) of each feature must be same. Batch size of "
                f"columns ({first}, {column.name}): ({expected}, {size})"
            )


@undo.atomic
def input_layer(
    features,
    feature_columns,
    weight_collections=None,
    trainable=True,
    cols_to_vars=None,
    cols_to_output_tensors=None,
):
    """The dense tensors of ``feature_columns`` (sorted by name), each flattened to
    ``[batch, n]``, concatenated: a ``[batch, sum of n]`` float32 tensor.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     fc = tf.feature_column
    ...     color = fc.categorical_column_with_vocabulary_list("color", ["r", "g", "b"])
    ...     out = fc.input_layer({"color": [["g"], ["b"]]}, [fc.indicator_column(color)])
    ...     with tf.Session() as sess:
    ...         sess.run(tf.tables_initializer())
    ...         print(sess.run(out))
    [[0. 1. 0.]
     [0. 0. 1.]]
    """
    feature_columns = _normalize_feature_columns(feature_columns)
    for column in feature_columns:
        if not isinstance(column, _DenseColumn):
            raise ValueError(
                "Items of feature_columns must be a _DenseColumn. You can wrap a categorical "
                f"column with an embedding_column or indicator_column. Given: {column}"
            )
    collections = _weight_collections(weight_collections)
    with variable_scope(None, default_name="input_layer", values=list(features.values())):
        builder = _LazyBuilder(features)
        outputs, ordered = [], []
        for column in sorted(feature_columns, key=lambda c: c.name):
            ordered.append(column)
            with variable_scope(None, default_name=column._var_scope_name):
                dense = column._get_dense_tensor(
                    builder, weight_collections=collections, trainable=trainable
                )
                output = _flat(dense, column)
                outputs.append(output)
                if cols_to_vars is not None:
                    scope = get_variable_scope().name
                    cols_to_vars[column] = get_collection(GraphKeys.GLOBAL_VARIABLES, scope)
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[column] = output
        _check_batch_sizes(outputs, ordered)
        return concat(outputs, 1)


def _sparse_shape(sp):
    """``tf.shape`` of a SparseTensor: its dense shape as int32, under ``Shape``."""
    with name_scope(None, "Shape"):
        return cast(sp.dense_shape, dtypes.int32)


def _weights(shape_, collections, trainable):
    """A column's weights, made before its features are read, as TF's layer builds them."""
    return get_variable(
        name="weights",
        shape=shape_,
        initializer=zeros_initializer(),
        trainable=trainable,
        collections=collections,
    )


def _categorical_weighted_sum(column, builder, units, combiner, collections, trainable):
    variable = _weights((column._num_buckets, units), collections, trainable)
    pair = column._get_sparse_tensors(builder, collections, trainable)
    ids = sparse_reshape(pair.id_tensor, [_sparse_shape(pair.id_tensor)[0], -1])
    weights = pair.weight_tensor
    if weights is not None:
        weights = sparse_reshape(weights, [_sparse_shape(weights)[0], -1])
    return safe_embedding_lookup_sparse(
        variable, ids, sparse_weights=weights, combiner=combiner, name="weighted_sum"
    )


def _dense_weighted_sum(column, builder, units, collections, trainable):
    variable = _weights([column._variable_shape.num_elements(), units], collections, trainable)
    tensor = _flat(column._get_dense_tensor(builder, collections, trainable), column)
    return matmul(tensor, variable, name="weighted_sum")


@undo.atomic
def linear_model(
    features,
    feature_columns,
    units=1,
    sparse_combiner="sum",
    weight_collections=None,
    trainable=True,
    cols_to_vars=None,
):
    """A linear model of ``feature_columns``: for each column (sorted by name) its values
    times ``<scope>/<column>/weights`` (categorical columns: the sum of the rows of their
    ids), summed, plus ``<scope>/bias_weights``: a ``[batch, units]`` tensor.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     price = tf.feature_column.numeric_column("price")
    ...     out = tf.feature_column.linear_model({"price": [[2.0]]}, [price])
    ...     [v.name for v in tf.global_variables()]
    ['linear_model/price/weights:0', 'linear_model/bias_weights:0']
    """
    feature_columns = _normalize_feature_columns(feature_columns)
    for column in feature_columns:
        if not isinstance(column, (_DenseColumn, _CategoricalColumn)):
            raise ValueError(
                "Items of feature_columns must be either a _DenseColumn or "
                f"_CategoricalColumn. Given: {column}"
            )
    collections = _weight_collections(weight_collections)
    # Scope names relative to the enclosing variable scope (a canned estimator's ``linear``).
    outer = len(get_variable_scope().name + "/") if get_variable_scope().name else 0
    with variable_scope(None, default_name="linear_model") as vs:
        model_name = vs.name[outer:]
    layers = []
    for column in sorted(feature_columns, key=lambda c: c.name):
        with variable_scope(None, default_name=column._var_scope_name) as vs:
            layers.append((vs.name[outer:], column))
    builder = _LazyBuilder(features)
    # TF's model is a Layer called under its own name scope (``linear_model_1``), which
    # re-enters the variable scope ``linear_model``.
    with name_scope(model_name), variable_scope(model_name):
        sums, ordered = [], []
        for layer_name, column in sorted(layers):
            ordered.append(column)
            with variable_scope(layer_name):
                if isinstance(column, _CategoricalColumn):
                    weighted = _categorical_weighted_sum(
                        column, builder, units, sparse_combiner, collections, trainable
                    )
                else:
                    weighted = _dense_weighted_sum(column, builder, units, collections, trainable)
                sums.append(weighted)
                if cols_to_vars is not None:
                    scope = get_variable_scope().name
                    cols_to_vars[column] = get_collection(GraphKeys.GLOBAL_VARIABLES, scope)
        _check_batch_sizes(sums, ordered)
        no_bias = add_n(sums, name="weighted_sum_no_bias")
        bias = get_variable(
            "bias_weights",
            shape=[units],
            initializer=zeros_initializer(),
            trainable=trainable,
            collections=collections,
        )
        if cols_to_vars is not None:
            cols_to_vars["bias"] = [bias]
        return bias_add(no_bias, bias, name="weighted_sum")
