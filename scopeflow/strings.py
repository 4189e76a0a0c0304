"""``tf.strings``: string ops (TF1's names; ``split`` is TF1's, giving a ``SparseTensor`` or,
with ``result_type="RaggedTensor"``, a ``RaggedTensor``), the Unicode ops and ``ngrams``."""

from __future__ import annotations

from scopeflow.ops.control.printing import string_format as format  # noqa: A004
from scopeflow.ops.strings.convert import string_to_number as to_number
from scopeflow.ops.strings.segment_join import unsorted_segment_join
from scopeflow.ragged.strings import (
    bytes_split,
    ngrams,
    split,
    unicode_decode,
    unicode_decode_with_offsets,
    unicode_encode,
    unicode_split,
    unicode_split_with_offsets,
    unicode_transcode,
)
from scopeflow.ragged.strings_dispatch import (  # dense, or ragged as TF dispatches them
    as_string,
    join,
    length,
    lower,
    reduce_join,
    regex_full_match,
    regex_replace,
    strip,
    substr,
    to_hash_bucket,
    to_hash_bucket_fast,
    to_hash_bucket_strong,
    unicode_script,
    upper,
)

__all__ = [
    "as_string",
    "bytes_split",
    "format",
    "join",
    "length",
    "lower",
    "ngrams",
    "reduce_join",
    "regex_full_match",
    "regex_replace",
    "split",
    "strip",
    "substr",
    "to_hash_bucket",
    "to_hash_bucket_fast",
    "to_hash_bucket_strong",
    "to_number",
    "unsorted_segment_join",
    "unicode_decode",
    "unicode_decode_with_offsets",
    "unicode_encode",
    "unicode_script",
    "unicode_split",
    "unicode_split_with_offsets",
    "unicode_transcode",
    "upper",
]
