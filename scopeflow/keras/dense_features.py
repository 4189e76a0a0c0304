"""``tf.keras.layers.DenseFeatures``: ``tf.feature_column.input_layer`` as a Keras layer,
its variables under the layer's name (``dense_features/<column>_embedding/
embedding_weights``), made on the first call and shared by the next ones.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     fc = tf.feature_column
...     color = fc.categorical_column_with_vocabulary_list("color", ["r", "g", "b"])
...     layer = tf.keras.layers.DenseFeatures([fc.indicator_column(color)])
...     out = layer({"color": tf.constant([["g"], ["b"]])})
...     with tf.Session() as sess:
...         sess.run(tf.tables_initializer())
...         print(out.name, sess.run(out).tolist())
dense_features/concat/concat:0 [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
"""

from __future__ import annotations

from scopeflow.feature_column.builder import _LazyBuilder
from scopeflow.feature_column.columns import _DenseColumn
from scopeflow.feature_column.models import (
    _check_batch_sizes,
    _flat,
    _normalize_feature_columns,
)
from scopeflow.feature_column.sequence import _all_equal
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import get_collection
from scopeflow.keras.engine import Layer
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.join import concat
from scopeflow.variables.variable_scope import variable_scope


class DenseFeatures(Layer):
    """The dense tensors of ``feature_columns`` (sorted by name) for a dict of features,
    each flattened to ``[batch, n]`` and concatenated.

    Raises:
        ValueError: a column that is not dense (wrap categorical columns in
            ``embedding_column`` or ``indicator_column``), or no columns.
    """

    def __init__(self, feature_columns, trainable=True, name=None, partitioner=None, **kwargs):
        if partitioner is not None:
            raise NotImplementedError(
                "DenseFeatures(partitioner=...) is not supported; use "
                "tf.feature_column.input_layer inside a tf.variable_scope with a partitioner."
            )
        columns = _normalize_feature_columns(feature_columns)
        for column in columns:
            if not isinstance(column, _DenseColumn):
                raise ValueError(
                    "Items of feature_columns must be a DenseColumn. You can wrap a categorical "
                    f"column with an embedding_column or indicator_column. Given: {column}"
                )
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._feature_columns = sorted(columns, key=lambda c: c.name)
        self._made_variables = False
        self.built = True

    def _check_inputs(self, inputs) -> None:
        if not isinstance(inputs, dict):
            raise ValueError(f"We expected a dictionary here. Instead we got: {inputs}")

    def call(self, features, cols_to_output_tensors=None, training=None):
        if not isinstance(features, dict):
            raise ValueError(f"We expected a dictionary here. Instead we got: {features}")
        before = set(get_collection(GraphKeys.GLOBAL_VARIABLES))
        builder = _LazyBuilder(features)
        outputs = []
        reuse = True if self._made_variables else None
        with variable_scope(self._name, reuse=reuse, auxiliary_name_scope=False):
            for column in self._feature_columns:
                with variable_scope(column._var_scope_name):
                    dense = column._get_dense_tensor(builder, trainable=self.trainable)
                    output = _flat(dense, column)
                outputs.append(output)
                if cols_to_output_tensors is not None:
                    cols_to_output_tensors[column] = output
        _check_batch_sizes(outputs, self._feature_columns)
        if not self._made_variables:
            trainable = set(get_collection(GraphKeys.TRAINABLE_VARIABLES))
            for variable in get_collection(GraphKeys.GLOBAL_VARIABLES):
                if variable not in before:
                    own = self._trainable_weights if variable in trainable else None
                    (own if own is not None else self._non_trainable_weights).append(variable)
            self._made_variables = True
        return concat(outputs, 1)

    def compute_output_shape(self, input_shape):
        total = sum(column._variable_shape.num_elements() for column in self._feature_columns)
        return (None, total)

    def get_config(self) -> dict:
        raise NotImplementedError(
            "DenseFeatures' config (its feature columns serialized) is not supported; build "
            "the layer in code and load its weights."
        )


class SequenceFeatures(Layer):
    """``tf.keras.experimental.SequenceFeatures``: the sequence columns' dense tensors
    (sorted by name) concatenated on the last axis, ``[batch, time, n]``, and the examples'
    sequence lengths (checked equal across columns), as ``sequence_input_layer`` builds
    them, its variables under the layer's name (``sequence_features/<column>/...``).

    Raises:
        ValueError: a column that is not a sequence dense column.
    """

    def __init__(self, feature_columns, trainable=True, name=None, **kwargs):
        columns = _normalize_feature_columns(feature_columns)
        for column in columns:
            if not hasattr(column, "_get_sequence_dense_tensor"):
                raise ValueError(
                    "All feature_columns must be of type SequenceDenseColumn. You can wrap a "
                    "sequence_categorical_column with an embedding_column or indicator_column. "
                    f"Given (type {type(column)}): {column}"
                )
        super().__init__(trainable=trainable, name=name, **kwargs)
        self._feature_columns = sorted(columns, key=lambda c: c.name)
        self._made_variables = False
        self.built = True

    def _check_inputs(self, inputs) -> None:
        if not isinstance(inputs, dict):
            raise ValueError(f"We expected a dictionary here. Instead we got: {inputs}")

    def call(self, features, training=None):
        before = set(get_collection(GraphKeys.GLOBAL_VARIABLES))
        builder = _LazyBuilder(features)
        outputs, lengths = [], []
        reuse = True if self._made_variables else None
        with variable_scope(self._name, reuse=reuse, auxiliary_name_scope=False):
            for column in self._feature_columns:
                with variable_scope(column._var_scope_name):
                    dense, length = column._get_sequence_dense_tensor(
                        builder, trainable=self.trainable
                    )
                    dims = array_ops.shape(dense)
                    width = column._variable_shape.num_elements()
                    outputs.append(array_ops.reshape(dense, [dims[0], dims[1], width]))
                    lengths.append(length)
        _check_batch_sizes(outputs, self._feature_columns)
        _check_batch_sizes(lengths, self._feature_columns)
        if not self._made_variables:
            self._track_new_variables(before)
        return concat(outputs, -1), _all_equal(lengths)

    def _track_new_variables(self, before: set) -> None:
        trainable = set(get_collection(GraphKeys.TRAINABLE_VARIABLES))
        for variable in get_collection(GraphKeys.GLOBAL_VARIABLES):
            if variable not in before:
                own = self._trainable_weights if variable in trainable else None
                (own if own is not None else self._non_trainable_weights).append(variable)
        self._made_variables = True

    def get_config(self) -> dict:
        raise NotImplementedError(
            "SequenceFeatures' config (its feature columns serialized) is not supported; "
            "build the layer in code and load its weights."
        )


__all__ = ["DenseFeatures", "SequenceFeatures"]
