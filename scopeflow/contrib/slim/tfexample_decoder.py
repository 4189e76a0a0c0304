"""``tf.contrib.slim.tfexample_decoder``: ``TFExampleDecoder`` parses a serialized
``tf.train.Example`` with ``keys_to_features`` and turns the features into items through
item handlers: ``Tensor`` (reshaped, densified), ``LookupTensor``, ``Image`` (raw, JPEG or
any format ``decode_image`` reads), ``SparseTensor``, ``BoundingBox``, ``BackupHandler`` and
``ItemHandlerCallback``. The sequence handlers and ``TFSequenceExampleDecoder`` raise
``NotImplementedError``."""

from __future__ import annotations

import abc

from scopeflow.contrib.slim.data_decoder import DataDecoder
from scopeflow.framework import dtypes
from scopeflow.ops.array.basic import reshape, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import expand_dims
from scopeflow.ops.array.slicing import slice as slice_
from scopeflow.ops.array.transpose import transpose
from scopeflow.ops.control.case import case
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.functional import map_fn
from scopeflow.ops.image.codecs import decode_image, decode_jpeg
from scopeflow.ops.image.codecs_extra import is_jpeg
from scopeflow.ops.math.elementwise import equal, logical_or
from scopeflow.ops.math.reduction import reduce_prod
from scopeflow.ops.parsing.decode import decode_raw
from scopeflow.ops.parsing.example_ops import FixedLenFeature, parse_single_example
from scopeflow.ops.sparse.dense import sparse_tensor_to_dense
from scopeflow.ops.sparse.structure import sparse_reshape
from scopeflow.ops.sparse.tensor import SparseTensor as _SparseTensor

__all__ = [
    "BackupHandler",
    "BoundingBox",
    "Image",
    "ItemHandler",
    "ItemHandlerCallback",
    "LookupTensor",
    "SparseTensor",
    "TFExampleDecoder",
    "Tensor",
]


class ItemHandler(abc.ABC):
    """Turns the parsed features named by ``keys`` into one item."""

    def __init__(self, keys):
        self._keys = keys if isinstance(keys, (tuple, list)) else [keys]

    @property
    def keys(self):
        return self._keys

    @abc.abstractmethod
    def tensors_to_item(self, keys_to_tensors):
        """The item made from ``keys_to_tensors`` (feature name to tensor)."""


class ItemHandlerCallback(ItemHandler):
    """An item made by ``func(keys_to_tensors)``."""

    def __init__(self, keys, func):
        super().__init__(keys)
        self._func = func

    def tensors_to_item(self, keys_to_tensors):
        return self._func(keys_to_tensors)


class BoundingBox(ItemHandler):
    """``[num_boxes, 4]`` boxes from four coordinate features (``ymin``, ``xmin``, ``ymax``,
    ``xmax`` after ``prefix``).

    Raises:
        ValueError: ``keys`` not four names.
    """

    def __init__(self, keys=None, prefix=""):
        if keys is None:
            keys = ["ymin", "xmin", "ymax", "xmax"]
        elif len(keys) != 4:
            raise ValueError(f"BoundingBox expects 4 keys but got {len(keys)}")
        self._prefix = prefix
        self._full_keys = [prefix + k for k in keys]
        super().__init__(self._full_keys)

    def tensors_to_item(self, keys_to_tensors):
        sides = []
        for key in self._full_keys:
            side = keys_to_tensors[key]
            if isinstance(side, _SparseTensor):
                side = side.values
            sides.append(expand_dims(side, 0))
        return transpose(concat(sides, 0))


class Tensor(ItemHandler):
    """A feature as it is, reshaped to ``shape`` or to the values of ``shape_keys``
    features; a sparse one made dense with ``default_value``.

    Raises:
        ValueError: both ``shape_keys`` and ``shape`` given.
    """

    def __init__(self, tensor_key, shape_keys=None, shape=None, default_value=0):
        if shape_keys and shape is not None:
            raise ValueError("Cannot specify both shape_keys and shape parameters.")
        if shape_keys and not isinstance(shape_keys, list):
            shape_keys = [shape_keys]
        self._tensor_key = tensor_key
        self._shape_keys = shape_keys
        self._shape = shape
        self._default_value = default_value
        super().__init__([tensor_key, *(shape_keys or [])])

    def tensors_to_item(self, keys_to_tensors):
        tensor = keys_to_tensors[self._tensor_key]
        target = self._shape
        if self._shape_keys:
            dims = []
            for key in self._shape_keys:
                dim = keys_to_tensors[key]
                if isinstance(dim, _SparseTensor):
                    dim = sparse_tensor_to_dense(dim)
                dims.append(dim)
            target = reshape(stack(dims), [-1])
        if isinstance(tensor, _SparseTensor):
            if target is not None:
                tensor = sparse_reshape(tensor, target)
            return sparse_tensor_to_dense(tensor, self._default_value)
        return tensor if target is None else reshape(tensor, target)


class LookupTensor(Tensor):
    """A :class:`Tensor` item mapped through ``table`` (``table.lookup``)."""

    def __init__(self, tensor_key, table, shape_keys=None, shape=None, default_value=""):
        self._table = table
        super().__init__(tensor_key, shape_keys, shape, default_value)

    def tensors_to_item(self, keys_to_tensors):
        return self._table.lookup(super().tensors_to_item(keys_to_tensors))


class BackupHandler(ItemHandler):
    """``handler``'s item, or ``backup``'s when that item is empty.

    Raises:
        ValueError: either is not an ``ItemHandler``.
    """

    def __init__(self, handler, backup):
        if not isinstance(handler, ItemHandler):
            raise ValueError(f"Primary handler is of type {type(handler)} instead of ItemHandler")
        if not isinstance(backup, ItemHandler):
            raise ValueError(f"Backup handler is of type {type(backup)} instead of ItemHandler")
        self._handler = handler
        self._backup = backup
        super().__init__(handler.keys + backup.keys)

    def tensors_to_item(self, keys_to_tensors):
        item = self._handler.tensors_to_item(keys_to_tensors)
        return cond(
            pred=equal(reduce_prod(shape(item)), 0),
            true_fn=lambda: self._backup.tensors_to_item(keys_to_tensors),
            false_fn=lambda: item,
        )


class SparseTensor(ItemHandler):
    """A ``SparseTensor`` whose last index column is the ``indices`` feature's values and
    whose values are the ``values`` feature's (made dense with ``densify``)."""

    def __init__(
        self,
        indices_key=None,
        values_key=None,
        shape_key=None,
        shape=None,
        densify=False,
        default_value=0,
    ):
        indices_key = indices_key or "indices"
        values_key = values_key or "values"
        self._indices_key = indices_key
        self._values_key = values_key
        self._shape_key = shape_key
        self._shape = shape
        self._densify = densify
        self._default_value = default_value
        super().__init__([indices_key, values_key, *([shape_key] if shape_key else [])])

    def tensors_to_item(self, keys_to_tensors):
        indices = keys_to_tensors[self._indices_key]
        values = keys_to_tensors[self._values_key]
        if self._shape_key:
            dense_shape = keys_to_tensors[self._shape_key]
            if isinstance(dense_shape, _SparseTensor):
                dense_shape = sparse_tensor_to_dense(dense_shape)
        elif self._shape:
            dense_shape = self._shape
        else:
            dense_shape = indices.dense_shape
        rank = shape(indices.indices)[1]
        ids = cast(indices.values, dtypes.int64)
        kept_columns = slice_(indices.indices, [0, 0], stack([-1, rank - 1]))
        new_indices = concat([kept_columns, reshape(ids, [-1, 1])], 1)
        tensor = _SparseTensor(new_indices, values.values, dense_shape)
        if self._densify:
            tensor = sparse_tensor_to_dense(tensor, self._default_value)
        return tensor


class Image(ItemHandler):
    """An image decoded from ``image_key`` by the ``format_key`` feature: raw bytes
    (``decode_raw``), JPEG (``decode_jpeg`` with ``dct_method``) or another format
    (``decode_image``), cast to ``dtype``; ``repeated`` decodes each of several images."""

    def __init__(
        self,
        image_key=None,
        format_key=None,
        shape=None,
        channels=3,
        dtype=dtypes.uint8,
        repeated=False,
        dct_method="",
    ):
        image_key = image_key or "image/encoded"
        format_key = format_key or "image/format"
        super().__init__([image_key, format_key])
        self._image_key = image_key
        self._format_key = format_key
        self._shape = shape
        self._channels = channels
        self._dtype = dtype
        self._repeated = repeated
        self._dct_method = dct_method

    def tensors_to_item(self, keys_to_tensors):
        image_buffer = keys_to_tensors[self._image_key]
        image_format = keys_to_tensors[self._format_key]
        if self._repeated:
            return map_fn(lambda x: self._decode(x, image_format), image_buffer, dtype=self._dtype)
        return self._decode(image_buffer, image_format)

    def _decode(self, image_buffer, image_format):
        def any_format():
            return cast(decode_image(image_buffer, channels=self._channels), self._dtype)

        def jpeg():
            decoded = decode_jpeg(
                image_buffer, channels=self._channels, dct_method=self._dct_method
            )
            return cast(decoded, self._dtype)

        def check_jpeg():
            return cond(is_jpeg(image_buffer), jpeg, any_format, name="cond_jpeg")

        def raw():
            return decode_raw(image_buffer, out_type=self._dtype)

        is_raw = logical_or(equal(image_format, "raw"), equal(image_format, "RAW"))
        image = case([(is_raw, raw)], default=check_jpeg, exclusive=True)
        image.set_shape([None, None, self._channels])
        if self._shape is not None:
            image = reshape(image, self._shape)
        return image


class TFExampleDecoder(DataDecoder):
    """Decodes serialized ``tf.train.Example`` protos: ``keys_to_features`` for
    ``parse_single_example``, ``items_to_handlers`` for the items."""

    def __init__(self, keys_to_features, items_to_handlers):
        self._keys_to_features = keys_to_features
        self._items_to_handlers = items_to_handlers

    def list_items(self):
        return list(self._items_to_handlers.keys())

    def decode(self, serialized_example, items=None):
        """The tensors of ``items`` (all by default) of one serialized example."""
        example = parse_single_example(serialized_example, self._keys_to_features)
        for key in sorted(self._keys_to_features):
            feature = self._keys_to_features[key]
            if isinstance(feature, FixedLenFeature):
                example[key] = reshape(example[key], feature.shape)
        outputs = []
        for item in items or self._items_to_handlers.keys():
            handler = self._items_to_handlers[item]
            outputs.append(handler.tensors_to_item({key: example[key] for key in handler.keys}))
        return outputs


def _sequence_only(name: str):
    class NotProvided:
        def __init__(self, *args, **kwargs):
            raise NotImplementedError(
                f"tfexample_decoder.{name} is not provided by scopeflow: decode sequence "
                "examples with tf.parse_single_sequence_example and plain ops instead."
            )

    NotProvided.__name__ = NotProvided.__qualname__ = name
    return NotProvided


BoundingBoxSequence = _sequence_only("BoundingBoxSequence")
NumBoxesSequence = _sequence_only("NumBoxesSequence")
KeypointsSequence = _sequence_only("KeypointsSequence")
TFSequenceExampleDecoder = _sequence_only("TFSequenceExampleDecoder")
