"""Tests for scopeflow/ragged/strings.py and its op types in scopeflow/ops/strings/unicode.py
and ngrams.py: kernel cases, and the values, shapes, names and messages of tf.strings'
Unicode functions, ngrams, bytes_split and split(result_type="RaggedTensor"), each as TF 2.21
(compat.v1, graph mode) gave them for the same input."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

KNOWN_RANK = ("full", "dims")  # TF too needs the rank of these inputs


def _strings(*items) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = [s.encode() if isinstance(s, str) else s for s in items]
    return out


def _parts(rt):
    return [rt.row_splits, rt.flat_values]


TEXT = _strings("héllo", b"a\xffb")
CASES = [
    Case(
        "decode",
        "UnicodeDecode",
        lambda s: _parts(tf.strings.unicode_decode(s, "UTF-8")),
        (TEXT,),
        [np.int64([0, 5, 8]), np.int32([104, 233, 108, 108, 111, 97, 65533, 98])],
        modes=KNOWN_RANK,
        exact_static=False,
    ),
    Case(
        "decode_strict",
        "UnicodeDecode",
        lambda s: _parts(tf.strings.unicode_decode(s, "UTF-8", errors="strict")),
        (TEXT,),
        Raises(tf.errors.InvalidArgumentError, "Invalid formatting on input string"),
        modes=KNOWN_RANK,
    ),
    Case(
        "decode_offsets",
        "UnicodeDecodeWithOffsets",
        lambda s: [
            *_parts(tf.strings.unicode_decode_with_offsets(s, "UTF-8")[0]),
            tf.strings.unicode_decode_with_offsets(s, "UTF-8")[1].flat_values,
        ],
        (_strings("héllo", b"\xe2\x82x"),),
        [np.int64([0, 5, 7]), np.int32([104, 233, 108, 108, 111, 65533, 120])]
        + [np.int64([0, 1, 3, 4, 5, 0, 2])],
        modes=KNOWN_RANK,
        exact_static=False,
    ),
    Case(
        "encode",
        "UnicodeEncode",
        lambda v, s: tf.strings.unicode_encode(
            tf.RaggedTensor.from_row_splits(v, s, validate=False), "UTF-8"
        ),
        (np.int32([104, 233, 128512]), np.int64([0, 2, 3, 3])),
        _strings(b"h\xc3\xa9", b"\xf0\x9f\x98\x80", b""),
        modes=KNOWN_RANK,
        exact_static=False,
    ),
    Case(
        "encode_strict",
        "UnicodeEncode",
        lambda v, s: tf.strings.unicode_encode(
            tf.RaggedTensor.from_row_splits(v, s, validate=False), "UTF-8", errors="strict"
        ),
        (np.int32([104, -1]), np.int64([0, 2])),
        Raises(
            tf.errors.InvalidArgumentError,
            "Code point is out of range for Unicode, or is a surrogate.",
        ),
        modes=KNOWN_RANK,
    ),
    Case(
        "transcode",
        "UnicodeTranscode",
        lambda s: tf.strings.unicode_transcode(s, "UTF-8", "UTF-16-BE"),
        (TEXT,),
        _strings(b"\x00h\x00\xe9\x00l\x00l\x00o", b"\x00a\xff\xfd\x00b"),
    ),
    Case(
        "script",
        "UnicodeScript",
        tf.strings.unicode_script,
        (np.int32([104, 1041, 0x4E00, 33, 0x0627, -1, 0x110000, 0x3042, 0x30A2, 0x0300]),),
        np.int32([25, 8, 17, 0, 2, -1, -1, 20, 22, 1]),
    ),
    Case(
        "ngrams_padded",
        "StringNGrams",
        lambda d, s: _parts(
            tf.strings.ngrams(
                tf.RaggedTensor.from_row_splits(d, s, validate=False),
                3,
                pad_values=("<s>", "</s>"),
            )
        ),
        (_strings("a", "b", "c", "d"), np.int64([0, 3, 4, 4])),
        [
            np.int64([0, 5, 8, 10]),
            _strings(
                *("<s> <s> a", "<s> a b", "a b c", "b c </s>", "c </s> </s>"),
                *("<s> <s> d", "<s> d </s>", "d </s> </s>", "<s> <s> </s>", "<s> </s> </s>"),
            ),
        ],
        modes=KNOWN_RANK,
        exact_static=False,
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)


RT = lambda: tf.ragged.constant([["a", "b", "c"], ["d"], []])  # noqa: E731
BAD = [b"a\xffb", b"\xe2\x82", b"\xe2\x82x\xc3\xa9", b"\xed\xa0\x80z", b"\xf0\x9f\x98\x80"]
BAD += [b"\xc0\xaf", b"ok\x01\x7f\xc2\x85"]
VALUES = {
    "decode": (
        lambda: tf.strings.unicode_decode(BAD, "UTF-8"),
        [[97, 65533, 98], [65533], [65533, 120, 233], [65533, 65533, 65533, 122], [128512]]
        + [[65533, 65533], [111, 107, 1, 127, 133]],
    ),
    "decode_replacement_char": (
        lambda: tf.strings.unicode_decode(BAD[:4], "UTF-8", replacement_char=99),
        [[97, 99, 98], [99], [99, 120, 233], [99, 99, 99, 122]],
    ),
    "decode_ignore": (
        lambda: tf.strings.unicode_decode(BAD, "UTF-8", errors="ignore"),
        [[97, 98], [], [120, 233], [122], [128512], [], [111, 107, 1, 127, 133]],
    ),
    "decode_controls": (
        lambda: tf.strings.unicode_decode(BAD[-1:], "UTF-8", replace_control_characters=True),
        [[111, 107, 65533, 127, 133]],
    ),
    "decode_matrix": (
        lambda: tf.strings.unicode_decode([["ab", "c"], ["", "d"]], "UTF-8"),
        [[[97, 98], [99]], [[], [100]]],
    ),
    "decode_scalar": (
        lambda: tf.strings.unicode_decode("héllo", "UTF-8"),
        [104, 233, 108, 108, 111],
    ),
    "decode_utf16": (
        lambda: tf.strings.unicode_decode(
            [b"\x00h\xd8\x3d\xde\x00", b"\xd8\x00", b"\x00"], "UTF-16-BE"
        ),
        [[104, 128512], [65533], [65533]],
    ),
    "decode_utf32": (
        lambda: tf.strings.unicode_decode(
            [b"\x00\x00\x00h\x00\x11\x00\x00", b"\x00\x00"], "UTF-32-BE"
        ),
        [[104, 65533], [65533]],
    ),
    "decode_latin1": (lambda: tf.strings.unicode_decode([b"\xe9\xff"], "ISO-8859-1"), [[233, 255]]),
    "decode_offsets_utf16": (
        lambda: tf.strings.unicode_decode_with_offsets([b"\x00h\xd8\x3d\xde\x00"], "UTF-16-BE"),
        ([[104, 128512]], [[0, 2]]),
    ),
    "unicode_split": (
        lambda: tf.strings.unicode_split(tf.constant(["héllo".encode(), b"a\xffb"]), "UTF-8"),
        [[b"h", b"\xc3\xa9", b"l", b"l", b"o"], [b"a", b"\xef\xbf\xbd", b"b"]],
    ),
    "unicode_split_offsets": (
        lambda: tf.strings.unicode_split_with_offsets(["héllo"], "UTF-8"),
        ([[b"h", b"\xc3\xa9", b"l", b"l", b"o"]], [[0, 1, 3, 4, 5]]),
    ),
    "unicode_split_utf16": (
        lambda: tf.strings.unicode_split([b"\x00h\xd8\x3d\xde\x00"], "UTF-16-BE"),
        [[b"\x00h", b"\xd8=\xde\x00"]],
    ),
    "encode_utf16": (
        lambda: tf.strings.unicode_encode(tf.ragged.constant([[104, 128512]]), "UTF-16-BE"),
        [b"\x00h\xd8=\xde\x00"],
    ),
    "encode_utf32": (
        lambda: tf.strings.unicode_encode(tf.ragged.constant([[104]]), "UTF-32-BE"),
        [b"\x00\x00\x00h"],
    ),
    "encode_invalid": (
        lambda: tf.strings.unicode_encode(
            tf.ragged.constant([[104, -1, 0xD800, 0x110000]]), "UTF-8"
        ),
        [b"h\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"],
    ),
    "encode_ignore": (
        lambda: tf.strings.unicode_encode(
            tf.ragged.constant([[104, -1, 0xD800, 0x110000]]), "UTF-8", errors="ignore"
        ),
        [b"h"],
    ),
    "encode_replacement_char": (
        lambda: tf.strings.unicode_encode(
            tf.ragged.constant([[104, -1]]), "UTF-8", replacement_char=63
        ),
        [b"h?"],
    ),
    "encode_dense": (
        lambda: tf.strings.unicode_encode([[104, 105], [233, 106]], "UTF-8"),
        [b"hi", b"\xc3\xa9j"],
    ),
    "encode_vector": (lambda: tf.strings.unicode_encode([104, 105], "UTF-8"), b"hi"),
    "encode_two_levels": (
        lambda: tf.strings.unicode_encode(tf.ragged.constant([[[104], [105, 106]], [[]]]), "UTF-8"),
        [[b"h", b"ij"], [b""]],
    ),
    "transcode_ignore": (
        lambda: tf.strings.unicode_transcode([b"a\xffb"], "UTF-8", "UTF-8", errors="ignore"),
        [b"ab"],
    ),
    "transcode_controls": (
        lambda: tf.strings.unicode_transcode(
            [b"a\x01b"], "UTF-8", "UTF-8", replace_control_characters=True
        ),
        [b"a\xef\xbf\xbdb"],
    ),
    "transcode_matrix": (
        lambda: tf.strings.unicode_transcode([["ab"], ["é"]], "UTF-8", "UTF-32-BE"),
        [[b"\x00\x00\x00a\x00\x00\x00b"], [b"\x00\x00\x00\xe9"]],
    ),
    "script_matrix": (lambda: tf.strings.unicode_script([[104], [945]]), [[25], [14]]),
    "bytes_split": (lambda: tf.strings.bytes_split(["ab", "", "c"]), [[b"a", b"b"], [], [b"c"]]),
    "bytes_split_scalar": (lambda: tf.strings.bytes_split("abc"), [b"a", b"b", b"c"]),
    "bytes_split_matrix": (
        lambda: tf.strings.bytes_split([["ab"], ["c"]]),
        [[[b"a", b"b"]], [[b"c"]]],
    ),
    "ngrams": (lambda: tf.strings.ngrams(RT(), 2), [[b"a b", b"b c"], [], []]),
    "ngrams_widths": (
        lambda: tf.strings.ngrams(RT(), (2, 3)),
        [[b"a b", b"b c", b"a b c"], [], []],
    ),
    "ngrams_separator": (
        lambda: tf.strings.ngrams(RT(), 2, separator="_"),
        [[b"a_b", b"b_c"], [], []],
    ),
    "ngrams_pad_width": (
        lambda: tf.strings.ngrams(RT(), 3, pad_values="#", padding_width=1),
        [[b"# a b", b"a b c", b"b c #"], [b"# d #"], []],
    ),
    "ngrams_short": (
        lambda: tf.strings.ngrams(RT(), 3, preserve_short_sequences=True),
        [[b"a b c"], [b"d"], []],
    ),
    "ngrams_short_padded": (
        lambda: tf.strings.ngrams(
            RT(), 4, pad_values="#", padding_width=1, preserve_short_sequences=True
        ),
        [[b"# a b c", b"a b c #"], [b"# d #"], []],
    ),
    "ngrams_wide_padding": (
        lambda: tf.strings.ngrams(RT(), 2, pad_values="#", padding_width=3),
        [[b"# a", b"a b", b"b c", b"c #"], [b"# d", b"d #"], [b"# #"]],
    ),
    "ngrams_vector": (lambda: tf.strings.ngrams(["a", "b", "c"], 2), [b"a b", b"b c"]),
    "ngrams_matrix": (
        lambda: tf.strings.ngrams([["a", "b", "c"], ["d", "e", "f"]], 2),
        [[b"a b", b"b c"], [b"d e", b"e f"]],
    ),
    "ngrams_two_levels": (
        lambda: tf.strings.ngrams(tf.ragged.constant([[["a", "b"], ["c"]], []]), 2),
        [[[b"a b"], []], []],
    ),
    "split": (
        lambda: tf.strings.split(["a b", "c  d e", ""], result_type="RaggedTensor"),
        [[b"a", b"b"], [b"c", b"d", b"e"], []],
    ),
    "split_sep": (
        lambda: tf.strings.split(["a,b", "c"], sep=",", result_type="RaggedTensor"),
        [[b"a", b"b"], [b"c"]],
    ),
    "split_maxsplit": (
        lambda: tf.strings.split(["a b c"], maxsplit=1, result_type="RaggedTensor"),
        [[b"a", b"b c"]],
    ),
    "split_matrix": (
        lambda: tf.strings.split([["a b", "c"], ["d", "e f"]], result_type="RaggedTensor"),
        [[[b"a", b"b"], [b"c"]], [[b"d"], [b"e", b"f"]]],
    ),
    "split_scalar": (lambda: tf.strings.split("a b", result_type="RaggedTensor"), [[b"a", b"b"]]),
    "string_split": (
        lambda: tf.string_split(["a b", "c"], result_type="RaggedTensor"),
        [[b"a", b"b"], [b"c"]],
    ),
    "string_split_delimiter": (
        lambda: tf.string_split(["a,b;c"], delimiter=",;", result_type="RaggedTensor"),
        [[b"a", b"b", b"c"]],
    ),
}


def _plain(value):
    if hasattr(value, "to_list"):
        return value.to_list()
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return np.asarray(value).tolist()


@pytest.mark.parametrize("name", sorted(VALUES))
def test_values_match_tensorflow(graph, run, name):
    build, expected = VALUES[name]
    assert _plain(run(build())) == expected


def test_run_errors_match_tensorflow(graph, run):
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid formatting on input"):
        run(tf.strings.unicode_transcode([b"a\xffb"], "UTF-8", "UTF-8", errors="strict"))
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="Could not create converter for input encoding: FOO-9"
    ):
        run(tf.strings.unicode_decode(["a"], "FOO-9"))


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (lambda: tf.strings.unicode_encode([104], "UTF-16-LE"), ValueError,
         "Attr 'output_encoding' of 'UnicodeEncode' Op passed string 'UTF-16-LE' not in: "
         '"UTF-8", "UTF-16-BE", "UTF-32-BE".'),
        (lambda: tf.strings.ngrams(RT(), 0), ValueError,
         "All ngram_widths must be greater than 0. Got 0"),
        (lambda: tf.strings.ngrams(RT(), 2, padding_width=1), ValueError,
         "pad_values must be provided if padding_width is set."),
        (lambda: tf.strings.ngrams(RT(), 2, pad_values=3), TypeError,
         "pad_values must be a string, tuple of strings, or None."),
        (lambda: tf.strings.ngrams("a", 2), ValueError, "Data must have rank>0"),
        (lambda: tf.strings.split(["a b"], result_type="Foo"), ValueError,
         "result_type must be 'RaggedTensor' or 'SparseTensor'."),
    ],
)  # fmt: skip
def test_build_errors_match_tensorflow(graph, build, error, message):
    with pytest.raises(error, match=__import__("re").escape(message)):
        build()


def test_names_and_shapes_match_tensorflow(graph):
    r = tf.strings.split(["a b", "c"], result_type="RaggedTensor", name="sp")
    assert (r.flat_values.name, r.row_splits.name) == (
        "sp/StringSplit/StringSplitV2:1",
        "sp/StringSplit/RaggedFromValueRowIds/RowPartitionFromValueRowIds/concat:0",
    )
    assert r.shape.as_list() == [2, None]
    r = tf.strings.ngrams(RT(), 2, name="ng")
    assert (r.flat_values.name, r.row_splits.name, r.shape.as_list()) == (
        "ng/StringNGrams:0",
        "ng/StringNGrams:1",
        [3, None],
    )
    r = tf.strings.unicode_decode(["ab"], "UTF-8", name="ud")
    assert (r.flat_values.name, r.row_splits.name, r.shape.as_list()) == (
        "ud/UnicodeDecode:1",
        "ud/UnicodeDecode:0",
        [1, None],
    )
    e = tf.strings.unicode_encode(tf.ragged.constant([[104]]), "UTF-8", name="ue")
    assert (e.name, e.shape.as_list()) == ("ue/UnicodeEncode:0", [1])
    assert tf.strings.unicode_transcode(["a"], "UTF-8", "UTF-8", name="ut").name == "ut:0"
    assert tf.strings.unicode_script([1], name="us").name == "us:0"


def test_split_of_a_matrix_as_a_sparse_tensor_matches_tensorflow(graph, run):
    sp = tf.strings.split([["a b", "c"], ["d", "e f"]])
    assert sp.indices.name == "StringSplit/RaggedToSparse/RaggedTensorToSparse:0"
    value = run(sp)
    assert value.indices.tolist() == [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [1, 1, 0]] + [
        [1, 1, 1]
    ]
    assert value.values.tolist() == [b"a", b"b", b"c", b"d", b"e", b"f"]
    assert value.dense_shape.tolist() == [2, 2, 2]
    with pytest.raises(ValueError, match="Shape must be rank 1 but is rank 2"):
        tf.string_split([["a b", "c"]])


def test_split_of_a_list_holding_a_tensor_packs_it_as_tensorflow(graph, run):
    line = tf.placeholder(tf.string, [])
    sp = tf.strings.split([line], "\t")  # a dataset map's parse of one line, as TF 2.21
    assert sp.values.name == "StringSplit/StringSplitV2:1"
    value = run(sp, {line: "1\tab c"})
    assert (value.indices.tolist(), value.values.tolist()) == ([[0, 0], [0, 1]], [b"1", b"ab c"])
    assert value.dense_shape.tolist() == [1, 2]
