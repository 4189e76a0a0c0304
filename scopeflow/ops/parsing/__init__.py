"""Input records read into tensors, TF's op types each registered once with shape rule, NumPy
kernel and no gradient:

- ``example_wire.py``: serialized ``tf.train.Example``/``SequenceExample`` read by hand;
- ``example_ops.py``: ``ParseExampleV2`` (``tf.parse_example``, ``tf.parse_single_example``)
  and the feature configurations (``tf.FixedLenFeature``, ``tf.VarLenFeature``,
  ``tf.FixedLenSequenceFeature``);
- ``sequence_ops.py``: ``ParseSequenceExampleV2`` (``tf.parse_single_sequence_example``);
- ``decode.py``: ``DecodeRaw`` (``tf.decode_raw``), ``DecodeCSV`` (``tf.decode_csv``);
- ``tensor_proto.py``: ``SerializeTensor``/``ParseTensor`` (``tf.io.serialize_tensor``,
  ``tf.io.parse_tensor``), a ``TensorProto`` written and read by hand.
"""
