"""String-op values ``make_parsing_values.py`` records under TensorFlow (in
``parsing_values.json``, as ``strings``) and tests/ops/strings/test_values.py compares
scopeflow's with: each entry builds its op from constants under either library, given as
``tf``; the value fetched is recorded, or the run-time error raised (its type and first line).
"""

from parsing_model import encode, first_line

_S = ["a b  c", " x", "", "a,b,,c", "tab\there"]
_GRID = [["a", "b"], ["c", "d"]]
_CUBE = [[["a", "b"], ["c", "d"]], [["e", "f"], ["g", "h"]]]

CASES = {
    "string_split": lambda tf: tf.string_split(_S),
    "string_split-comma": lambda tf: tf.string_split(_S, ","),
    "string_split-keep-empty": lambda tf: tf.string_split(_S, ", ", skip_empty=False),
    "string_split-bytes": lambda tf: tf.string_split(["ab", "c", ""], ""),
    "string_split-delimiter": lambda tf: tf.string_split(["a-b_c"], delimiter="-_"),
    "strings.split": lambda tf: tf.strings.split(_S),
    "strings.split-sep": lambda tf: tf.strings.split(_S, sep=","),
    "strings.split-maxsplit": lambda tf: tf.strings.split(_S + ["a b"], maxsplit=1),
    "strings.split-maxsplit-2": lambda tf: tf.strings.split(["a b", "a b c d"], maxsplit=2),
    "strings.split-sep-maxsplit": lambda tf: tf.strings.split(_S, sep=",", maxsplit=1),
    "strings.split-long-sep": lambda tf: tf.strings.split(["a<>b<>", "<>"], sep="<>"),
    "strings.split-scalar": lambda tf: tf.strings.split("a b"),
    "join": lambda tf: tf.strings.join([_S, "!", _S], separator="|"),
    "join-scalars": lambda tf: tf.string_join(["a", "b"]),
    "join-2d": lambda tf: tf.strings.join([_GRID, _GRID], separator=":"),
    "reduce_join": lambda tf: tf.reduce_join(_GRID),
    "reduce_join-01": lambda tf: tf.reduce_join(_GRID, [0, 1]),
    "reduce_join-10": lambda tf: tf.reduce_join(_GRID, [1, 0]),
    "reduce_join-0": lambda tf: tf.reduce_join(_GRID, 0, separator="-"),
    "reduce_join-keep": lambda tf: tf.reduce_join(_GRID, -1, keep_dims=True),
    "reduce_join-20": lambda tf: tf.reduce_join(_CUBE, [2, 0]),
    "reduce_join-02": lambda tf: tf.strings.reduce_join(_CUBE, [0, 2], separator="."),
    "reduce_join-none": lambda tf: tf.reduce_join(_CUBE, []),
    "reduce_join-duplicate": lambda tf: tf.reduce_join(_GRID, [0, 0]),
    "length": lambda tf: tf.strings.length(["abc", "é", ""]),
    "length-utf8": lambda tf: tf.strings.length(["abc", "é", "日本"], unit="UTF8_CHAR"),
    "substr": lambda tf: tf.substr(["hello", "abc"], 1, 3),
    "substr-negative": lambda tf: tf.substr(["hello", "abc"], -2, 5),
    "substr-vectors": lambda tf: tf.strings.substr(["hello", "abc"], [0, 1], [2, 1]),
    "substr-end": lambda tf: tf.substr(["abc"], 3, 1),
    "substr-out-of-range": lambda tf: tf.substr(["hello", "abc"], 4, 1),
    "substr-utf8": lambda tf: tf.strings.substr(["héllo"], 1, 2, unit="UTF8_CHAR"),
    "regex_replace": lambda tf: tf.regex_replace(["aab", "xyz", "a.a"], "a+", "<\\0>"),
    "regex_replace-first": lambda tf: tf.regex_replace(["aab a"], "a", "z", replace_global=False),
    "regex_replace-groups": lambda tf: tf.strings.regex_replace(
        ["john smith"], r"(\w+) (\w+)", r"\2 \1"
    ),
    "regex_replace-tensor": lambda tf: tf.strings.regex_replace(["abc"], tf.constant("b"), "X"),
    "regex_replace-classes": lambda tf: tf.regex_replace(["a1 b22\tc"], r"[0-9]+|\s", ""),
    "to_number": lambda tf: tf.string_to_number(["1.5", " 2", "-3e2", "inf", "0x10", "+7"]),
    "to_number-int32": lambda tf: tf.strings.to_number(["12", "-3", " 4 ", "+5"], tf.int32),
    "to_number-int64": lambda tf: tf.strings.to_number(["9223372036854775807"], tf.int64),
    "to_number-float64": lambda tf: tf.strings.to_number(["0.1"], tf.float64),
    "to_number-bad": lambda tf: tf.string_to_number(["abc"]),
    "to_number-bad-int": lambda tf: tf.strings.to_number(["1.5"], tf.int32),
    "to_number-overflow": lambda tf: tf.strings.to_number(["3000000000"], tf.int32),
    "as_string": lambda tf: tf.as_string([1.5, -0.25, 1e10, float("inf"), 0.0]),
    "as_string-precision": lambda tf: tf.as_string([1.5, 2.0, 1 / 3], precision=2),
    "as_string-scientific": lambda tf: tf.as_string([1234.5, 0.0], scientific=True),
    "as_string-shortest": lambda tf: tf.as_string([1234.5, 0.0001, 1e20, 0.1], shortest=True),
    "as_string-int": lambda tf: tf.as_string([1, -20]),
    "as_string-width": lambda tf: tf.as_string([1, -20], width=5),
    "as_string-fill": lambda tf: tf.as_string([7, -7], width=4, fill="0"),
    "as_string-bool": lambda tf: tf.as_string([True, False]),
    "as_string-float64": lambda tf: tf.as_string(tf.constant([0.1, 2.5e-7], tf.float64)),
    "as_string-int64": lambda tf: tf.as_string(tf.constant([2**40], tf.int64)),
    "as_string-both": lambda tf: tf.as_string([1.0], scientific=True, shortest=True),
    "as_string-long-fill": lambda tf: tf.as_string([1], fill="ab"),
    "as_string-int-precision": lambda tf: tf.as_string([1], precision=2),
    "lower": lambda tf: tf.strings.lower(["AbC", "ÉA"]),
    "upper": lambda tf: tf.strings.upper(["abc", "éa"]),
    "lower-utf8": lambda tf: tf.strings.lower(["ÉA"], encoding="utf-8"),
    "upper-utf8": lambda tf: tf.strings.upper(["éa"], encoding="utf-8"),
    "strip": lambda tf: tf.strings.strip([" a b \t\n", "x", "\n"]),
    "string_strip": lambda tf: tf.string_strip([["  y "]]),
    "regex_full_match": lambda tf: tf.strings.regex_full_match(["abc", "ab", "xabc"], "a.c"),
    "regex_full_match-tensor": lambda tf: tf.strings.regex_full_match(["ab"], tf.constant("a.*")),
    "encode_base64": lambda tf: tf.encode_base64([b"hello?>", b"", b"\xff\xfe"]),
    "encode_base64-pad": lambda tf: tf.io.encode_base64([b"hello?>", b"a"], pad=True),
    "decode_base64": lambda tf: tf.decode_base64(["aGVsbG8_Pg", "YQ==", "YQ", ""]),
    "decode_base64-length": lambda tf: tf.io.decode_base64(["a"]),
    "decode_base64-character": lambda tf: tf.io.decode_base64(["a!bc"]),
    "to_hash_bucket_fast": lambda tf: tf.string_to_hash_bucket_fast(
        ["", "a", "hello world", "x" * 17, "y" * 40, "z" * 65, "w" * 200, "é日本"], 1000003
    ),
    "to_hash_bucket_fast-2d": lambda tf: tf.strings.to_hash_bucket_fast([["a", "b"]], 2),
    "decode_base64-standard": lambda tf: tf.io.decode_base64(["aGVsbG8/Pg"]),
}


def values(tf) -> dict:
    """``{name: encoded value or {"error", "message"}}`` for each of ``CASES`` (a
    ``SparseTensor`` as its three arrays)."""
    out = {}
    for name, build in CASES.items():
        with tf.Graph().as_default():
            result = build(tf)
            if hasattr(result, "dense_shape"):
                result = [result.indices, result.values, result.dense_shape]
            try:
                with tf.Session() as sess:
                    out[name] = encode(sess.run(result))
            except tf.errors.OpError as e:
                out[name] = {"error": type(e).__name__, "message": first_line(e.message)}
    return out
