"""``tf.io``: ``tf.io.gfile``, TF1's file API with TF2's lowercase names; TFRecord files;
parsing ``tf.train.Example`` records; whole files and image codecs."""

from __future__ import annotations

from scopeflow.data.tfrecord import TFRecordWriter, tf_record_iterator
from scopeflow.graph_io import write_graph
from scopeflow.ops.data_flow.queues import (
    PaddingFIFOQueue,
    PriorityQueue,
    QueueBase,
    RandomShuffleQueue,
)
from scopeflow.ops.image.codecs import (
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
)
from scopeflow.ops.image.codecs_extra import (
    decode_and_crop_jpeg,
    decode_bmp,
    decode_gif,
    decode_jxl,
    decode_webp,
    extract_jpeg_shape,
    is_jpeg,
)
from scopeflow.ops.image.files import matching_files, read_file, write_file
from scopeflow.ops.parsing.compressed import decode_compressed
from scopeflow.ops.parsing.decode import decode_csv, decode_raw
from scopeflow.ops.parsing.example_ops import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    RaggedFeature,
    SparseFeature,
    VarLenFeature,
    parse_single_example,
)
from scopeflow.ops.parsing.sequence_ops import (
    parse_sequence_example,
    parse_single_sequence_example,
)
from scopeflow.ops.parsing.sparse_serialize import (
    deserialize_many_sparse,
    serialize_many_sparse,
    serialize_sparse,
)
from scopeflow.ops.parsing.tensor_proto import parse_tensor, serialize_tensor
from scopeflow.ops.strings.convert import decode_base64, encode_base64
from scopeflow.platform import file_io as gfile
from scopeflow.ragged.parsing import parse_example  # RaggedFeature's RaggedTensors
from scopeflow.summary.record_options import TFRecordCompressionType, TFRecordOptions
from scopeflow.train.example_json import decode_json_example
from scopeflow.train.input import match_filenames_once

__all__ = [
    "FixedLenFeature",
    "FixedLenSequenceFeature",
    "PaddingFIFOQueue",
    "PriorityQueue",
    "QueueBase",
    "RaggedFeature",
    "RandomShuffleQueue",
    "SparseFeature",
    "TFRecordCompressionType",
    "TFRecordOptions",
    "TFRecordWriter",
    "VarLenFeature",
    "decode_and_crop_jpeg",
    "decode_base64",
    "decode_bmp",
    "decode_compressed",
    "decode_csv",
    "decode_gif",
    "decode_image",
    "decode_jpeg",
    "decode_json_example",
    "decode_jxl",
    "decode_png",
    "decode_raw",
    "decode_webp",
    "deserialize_many_sparse",
    "encode_base64",
    "encode_jpeg",
    "encode_png",
    "extract_jpeg_shape",
    "gfile",
    "is_jpeg",
    "match_filenames_once",
    "matching_files",
    "parse_example",
    "parse_sequence_example",
    "parse_single_example",
    "parse_single_sequence_example",
    "parse_tensor",
    "read_file",
    "serialize_many_sparse",
    "serialize_sparse",
    "serialize_tensor",
    "tf_record_iterator",
    "write_file",
    "write_graph",
]
