"""The ``tf.strings`` functions whose results are ragged: ``unicode_decode`` (and
``_with_offsets``), ``unicode_split`` (and ``_with_offsets``), ``unicode_encode``,
``unicode_transcode``, ``bytes_split``, ``ngrams``, and TF1's ``tf.strings.split`` and
``tf.string_split`` with ``result_type="RaggedTensor"``. Inputs of any rank: their
dimensions become the outer (uniform) dimensions of the result, as in TF."""

from __future__ import annotations

from math import prod

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape, shape, stack
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math.reduction import reduce_prod
from scopeflow.ops.math.sequence import range as range_
from scopeflow.ops.strings import ngrams as _ngrams_op  # noqa: F401 - registers StringNGrams
from scopeflow.ops.strings.split import string_split as sparse_string_split
from scopeflow.ops.strings.split import strings_split as sparse_strings_split
from scopeflow.ops.strings.unicode import ENCODINGS, check_errors
from scopeflow.ragged.tensor import RaggedTensor

_REPLACEMENT = 0xFFFD


def _outer_dims(result, source, rank: int):
    """``result`` (one row per element of ``source``, of rank ``rank`` >= 1) with
    ``source``'s dimensions as its outer uniform dimensions (static where known)."""
    dims, static = shape(source, out_type=dtypes.int64), source.shape.as_list()
    if static[0] is not None:
        result.row_splits.set_shape([prod(static) + 1 if None not in static else None])
    for j in reversed(range(1, rank)):
        count = reduce_prod(dims[:j])
        splits = range_(count + 1) * dims[j]
        if None not in static[:j]:
            splits.set_shape([prod(static[:j]) + 1])
        result = RaggedTensor.from_row_splits(result, splits, validate=False)
        result = result._with_uniform_row_length(static[j])
    return result


def _flat_strings(value, name="input"):
    value = convert_to_tensor(value, dtype=dtypes.string, name=name)
    rank = value.shape.ndims
    if rank is None:
        raise ValueError(f"Rank of `{name}` must be statically known.")
    flat = value if rank == 1 else reshape(value, [-1])
    return value, flat, rank


def _encoding(value: str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _decode(source, encoding, errors, replacement_char, controls, offsets: bool, name):
    op_type = "UnicodeDecodeWithOffsets" if offsets else "UnicodeDecode"
    with name_scope(name, op_type, [source]):
        source, flat, rank = _flat_strings(source)
        attrs = {
            "input_encoding": _encoding(encoding),
            "errors": check_errors(errors),
            "replacement_char": int(replacement_char),
            "replace_control_characters": bool(controls),
            "Tsplits": dtypes.int64,
        }
        splits, *values = apply_op(op_type, [flat], attrs, op_type)
        if rank == 0:
            return tuple(values) if offsets else values[0]
        results = [
            _outer_dims(RaggedTensor.from_row_splits(v, splits, validate=False), source, rank)
            for v in values
        ]
        return tuple(results) if offsets else results[0]


@undo.atomic
def unicode_decode(input, input_encoding, errors="replace", replacement_char=_REPLACEMENT,  # noqa: A002
                   replace_control_characters=False, name=None):  # fmt: skip
    """The code points of each string (int32): a ragged tensor with one more dimension.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     cps = tf.strings.unicode_decode(["hé", "x"], "UTF-8")
    ...     print(tf.Session().run(cps).to_list())
    [[104, 233], [120]]
    """
    return _decode(
        input, input_encoding, errors, replacement_char, replace_control_characters, False, name
    )


@undo.atomic
def unicode_decode_with_offsets(input, input_encoding, errors="replace",  # noqa: A002
                                replacement_char=_REPLACEMENT, replace_control_characters=False,
                                name=None):  # fmt: skip
    """``(code points, the byte offset where each starts)``, two ragged tensors."""
    return _decode(
        input, input_encoding, errors, replacement_char, replace_control_characters, True, name
    )


def _encode_each(codepoints, encoding: str):
    """Each code point of the ragged ``codepoints`` as its own string."""
    flat = codepoints.flat_values if isinstance(codepoints, RaggedTensor) else codepoints
    n = shape(flat, out_type=dtypes.int64)[0]
    attrs = {"output_encoding": encoding, "errors": "replace", "replacement_char": _REPLACEMENT}
    chars = apply_op("UnicodeEncode", [flat, range_(n + 1)], attrs, "UnicodeEncode")
    return codepoints.with_flat_values(chars) if isinstance(codepoints, RaggedTensor) else chars


def _split(source, encoding, errors, replacement_char, offsets: bool, name):
    encoding = _check_encoding(_encoding(encoding))
    scope = "UnicodeSplitWithOffsets" if offsets else "UnicodeSplit"
    with name_scope(name, scope, [source]):
        decoded = _decode(source, encoding, errors, replacement_char, False, offsets, None)
        if offsets:
            return _encode_each(decoded[0], encoding), decoded[1]
        return _encode_each(decoded, encoding)


@undo.atomic
def unicode_split(input, input_encoding, errors="replace", replacement_char=_REPLACEMENT,  # noqa: A002
                  name=None):  # fmt: skip
    """Each string cut into its characters (strings in ``input_encoding``)."""
    return _split(input, input_encoding, errors, replacement_char, False, name)


@undo.atomic
def unicode_split_with_offsets(input, input_encoding, errors="replace",  # noqa: A002
                               replacement_char=_REPLACEMENT, name=None):  # fmt: skip
    """``(characters, the byte offset where each starts)``, two ragged tensors."""
    return _split(input, input_encoding, errors, replacement_char, True, name)


def _check_encoding(encoding: str) -> str:
    if encoding not in ENCODINGS:
        raise ValueError(
            f"Attr 'output_encoding' of 'UnicodeEncode' Op passed string '{encoding}' not in: "
            '"UTF-8", "UTF-16-BE", "UTF-32-BE".'
        )
    return encoding


@undo.atomic
def unicode_encode(input, output_encoding, errors="replace", replacement_char=_REPLACEMENT,  # noqa: A002
                   name=None):  # fmt: skip
    """Rows of code points (the innermost dimension of ``input``, ragged or dense) written as
    strings in ``output_encoding``: one dimension fewer.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     text = tf.strings.unicode_encode(tf.ragged.constant([[104, 233], [120]]), "UTF-8")
    ...     print(tf.Session().run(text))
    [b'h\\xc3\\xa9' b'x']
    """
    encoding = _check_encoding(_encoding(output_encoding))
    attrs = {
        "output_encoding": encoding,
        "errors": check_errors(errors),
        "replacement_char": int(replacement_char),
    }
    with name_scope(name, "UnicodeEncode", [input]):
        return _encode(input, attrs)


def _encode(codepoints, attrs):
    if isinstance(codepoints, RaggedTensor):
        if isinstance(codepoints.values, RaggedTensor):
            return codepoints.with_values(_encode(codepoints.values, attrs))
        flat = cast(codepoints.values, dtypes.int32)
        if flat.shape.ndims != 1:
            return codepoints.with_values(_encode(flat, attrs))
        return apply_op("UnicodeEncode", [flat, codepoints.row_splits], attrs, "UnicodeEncode")
    codepoints = convert_to_tensor(codepoints, dtype=dtypes.int32, name="input")
    rank = codepoints.shape.ndims
    if rank is None or rank == 0:
        raise ValueError("unicode_encode needs an input of known rank of at least 1")
    dims = shape(codepoints, out_type=dtypes.int64)
    width = dims[-1]
    flat = reshape(codepoints, [-1])
    nrows = reduce_prod(dims[:-1])
    splits = range_(nrows + 1) * width
    with name_scope(None, "UnicodeEncode"):
        text = apply_op("UnicodeEncode", [flat, splits], attrs, "UnicodeEncode")
    return reshape(text, shape(codepoints)[:-1])


@undo.atomic
def unicode_transcode(input, input_encoding, output_encoding, errors="replace",  # noqa: A002
                      replacement_char=_REPLACEMENT, replace_control_characters=False,
                      name=None):  # fmt: skip
    """Each string re-encoded from ``input_encoding`` to ``output_encoding`` (same shape)."""
    attrs = {
        "input_encoding": _encoding(input_encoding),
        "output_encoding": _check_encoding(_encoding(output_encoding)),
        "errors": check_errors(errors),
        "replacement_char": int(replacement_char),
        "replace_control_characters": bool(replace_control_characters),
    }
    with name_scope(name, "UnicodeTranscode", [input]) as scope:
        source = convert_to_tensor(input, dtype=dtypes.string, name="input")
        return apply_op("UnicodeTranscode", [source], attrs, scope)


def _ragged_from_sparse_rows(sparse, scope: str):
    """The rows of a 2-D ``SparseTensor`` of pieces (packed left) as a ragged tensor, built in
    the split's own name scope as TF does."""
    with name_scope(scope):
        rows = sparse.indices[:, 0]
        return RaggedTensor.from_value_rowids(
            sparse.values, rows, nrows=sparse.dense_shape[0], validate=False
        )


def _split_rows(source, split_vector):
    """``split_vector(vector) -> SparseTensor`` applied to the strings of ``source``, as a
    ragged tensor with ``source``'s dimensions outside."""
    source, flat, rank = _flat_strings(source)
    if rank == 0:
        flat, rank = reshape(source, [1]), 1
        source = flat
    sparse = split_vector(flat)
    scope = sparse.values.op.name.rsplit("/", 1)[0] + "/"
    return _outer_dims(_ragged_from_sparse_rows(sparse, scope), source, rank)


def _result_type(result_type: str) -> None:
    if result_type not in ("RaggedTensor", "SparseTensor"):
        raise ValueError("result_type must be 'RaggedTensor' or 'SparseTensor'.")


@undo.atomic
def split(input=None, sep=None, maxsplit=-1, result_type="SparseTensor", source=None,  # noqa: A002
          name=None):  # fmt: skip
    """TF1's ``tf.strings.split``: the strings of ``input`` split on ``sep`` (default: runs of
    whitespace): a ragged tensor with one more dimension (``result_type="RaggedTensor"``),
    or that tensor as a ``SparseTensor``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     words = tf.strings.split(["a b", "c"], result_type="RaggedTensor")
    ...     print(tf.Session().run(words).to_list())
    [[b'a', b'b'], [b'c']]
    """
    _result_type(result_type)
    if input is not None and source is not None:
        raise ValueError("Cannot specify both 'input' and 'source'")
    given = source if input is None else input
    if result_type == "SparseTensor" and _rank(given) in (0, 1):
        return sparse_strings_split(given, sep, maxsplit, result_type, name=name)
    with name_scope(name, "StringSplit", [given]):
        rows = _split_rows(given, lambda v: sparse_strings_split(v, sep, maxsplit))
        return rows if result_type == "RaggedTensor" else rows.to_sparse()


def _rank(value) -> int | None:
    """The rank of a tensor or nested list of strings, without building anything."""
    if isinstance(value, Tensor):
        return value.shape.ndims
    if isinstance(value, (list, tuple)) and value and isinstance(value[0], (Tensor, list, tuple)):
        inner = _rank(value[0])  # a list of tensors packs as TF packs it: one more dimension
        return None if inner is None else inner + 1
    return np.ndim(np.array(value, dtype=object))


@undo.atomic
def string_split(source, sep=None, skip_empty=True, delimiter=None, result_type="SparseTensor",
                 name=None):  # fmt: skip
    """TF1's ``tf.string_split``: the strings of the vector ``source`` split on any byte of
    ``sep`` (TF1's ``delimiter``, default a space); a ragged tensor with
    ``result_type="RaggedTensor"``."""
    _result_type(result_type)
    if result_type == "SparseTensor":
        return sparse_string_split(source, sep, skip_empty, delimiter, result_type, name)
    with name_scope(name, "StringSplit", [source]):
        return _split_rows(source, lambda v: sparse_string_split(v, sep, skip_empty, delimiter))


@undo.atomic
def bytes_split(input, name=None):  # noqa: A002 - TF's name
    """Each string cut into its bytes: a ragged tensor with one more dimension (a vector of
    one-byte strings for a scalar).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     print(tf.Session().run(tf.strings.bytes_split(["ab", "c"])).to_list())
    [[b'a', b'b'], [b'c']]
    """
    with name_scope(name, "StringsByteSplit", [input]):
        source = convert_to_tensor(input, dtype=dtypes.string, name="input")
        if source.shape.ndims == 0:
            return sparse_string_split(reshape(source, [1]), "", skip_empty=False).values
        return _split_rows(source, lambda v: sparse_string_split(v, "", skip_empty=False))


def _pads(pad_values, padding_width) -> tuple:
    if pad_values is None:
        if padding_width is not None:
            raise ValueError("pad_values must be provided if padding_width is set.")
        return "", "", 0
    if isinstance(pad_values, (str, bytes)):
        left = right = pad_values
    elif (
        isinstance(pad_values, (tuple, list))
        and len(pad_values) == 2
        and all(isinstance(p, (str, bytes)) for p in pad_values)
    ):
        left, right = pad_values
    else:
        raise TypeError("pad_values must be a string, tuple of strings, or None.")
    if padding_width is not None and padding_width < 1:
        raise ValueError(f"padding_width must be greater than 0; got {padding_width}")
    return left, right, -1 if padding_width is None else int(padding_width)


@undo.atomic
def ngrams(data, ngram_width, separator=" ", pad_values=None, padding_width=None,
           preserve_short_sequences=False, name=None):  # fmt: skip
    """The n-grams of the innermost rows of ``data`` (strings), joined by ``separator``, for
    each width of ``ngram_width`` in turn; one ``StringNGrams`` op.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     grams = tf.strings.ngrams(tf.ragged.constant([["a", "b", "c"], ["d"]]), 2)
    ...     print(tf.Session().run(grams).to_list())
    [[b'a b', b'b c'], []]
    """
    widths = list(ngram_width) if isinstance(ngram_width, (list, tuple)) else [ngram_width]
    for w in widths:
        if w < 1:
            raise ValueError(f"All ngram_widths must be greater than 0. Got {ngram_width}")
    left, right, pad_width = _pads(pad_values, padding_width)
    attrs = {
        "separator": separator,
        "ngram_widths": [int(w) for w in widths],
        "left_pad": left,
        "right_pad": right,
        "pad_width": pad_width,
        "preserve_short_sequences": bool(preserve_short_sequences),
    }
    with name_scope(name, "StringNGrams", [data]):
        if isinstance(data, RaggedTensor):
            return _ngrams(data, attrs)
        data = convert_to_tensor(data, dtype=dtypes.string, name="data")
        rank = data.shape.ndims
        if rank == 0:
            raise ValueError("Data must have rank>0")
        if rank == 1:
            n = shape(data, out_type=dtypes.int64)[0]
            row = RaggedTensor.from_row_splits(data, stack([n * 0, n]), validate=False)
            return _ngrams(row, attrs).flat_values
        return _ngrams(RaggedTensor.from_tensor(data, ragged_rank=rank - 1), attrs)


def _ngrams(rt: RaggedTensor, attrs):
    if isinstance(rt.values, RaggedTensor):
        return rt.with_values(_ngrams(rt.values, attrs))
    values, splits = apply_op(
        "StringNGrams", [rt.values, rt.row_splits], {**attrs, "Tsplits": rt.row_splits.dtype},
        "StringNGrams",
    )  # fmt: skip
    return RaggedTensor.from_row_splits(values, splits, validate=False)
