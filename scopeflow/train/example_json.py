"""``tf.io.decode_json_example`` (``DecodeJSONExample``): ``tf.train.Example`` records written
as JSON (protobuf's JSON mapping, as ``MessageToJson`` writes them) turned into their binary
form, which ``tf.io.parse_example`` reads."""

from __future__ import annotations

import numpy as np

from scopeflow.framework import dtypes, errors
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.ops.core.infer import apply_op
from scopeflow.train.example import message_classes


def _decode_json_example_infer(inputs, attrs):
    return [(dtypes.string, inputs[0].shape)]


def _decode_json_example_kernel(ctx, op, json_examples):
    from google.protobuf import json_format

    example = message_classes()["Example"]
    data = np.asarray(json_examples, dtype=object)
    out = np.empty(data.size, dtype=object)
    for i, text in enumerate(data.reshape(-1)):
        message = example()
        try:
            json_format.Parse(text, message)
        except json_format.ParseError as e:
            raise errors.InvalidArgumentError(None, op, f"Error while parsing JSON: {e}") from None
        out[i] = message.SerializeToString()
    return out.reshape(data.shape)


register_op(
    "DecodeJSONExample",
    _decode_json_example_infer,
    kernel=_decode_json_example_kernel,
    grad=NOT_DIFFERENTIABLE,
    host_only=True,
)


def decode_json_example(json_examples, name=None):
    """The binary ``tf.train.Example`` of each JSON-written one in ``json_examples``.

    >>> import scopeflow as tf
    >>> text = '{"features": {"feature": {"a": {"int64List": {"value": ["7"]}}}}}'
    >>> with tf.Graph().as_default():
    ...     example = tf.io.decode_json_example(text)
    ...     parsed = tf.io.parse_single_example(example, {"a": tf.io.FixedLenFeature([], tf.int64)})
    ...     tf.Session().run(parsed)
    {'a': np.int64(7)}
    """
    with name_scope(name, "DecodeJSONExample") as scope:
        text = convert_to_tensor(json_examples, dtypes.string, name="json_examples")
        return apply_op("DecodeJSONExample", [text], {}, name=scope)
