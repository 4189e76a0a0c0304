"""Values ``make_parsing_values.py`` records under TensorFlow and tests/ops/parsing/ and
tests/train/test_example.py compare scopeflow's with: the same functions run under either
library, given as ``tf``.

- :func:`protos`: ``tf.train.Example``/``SequenceExample`` messages built from the message
  classes, serialized (map entries sorted by key: ``deterministic=True``), as hex;
- :func:`values`: what ``tf.parse_example``, ``tf.parse_single_example``, ``tf.decode_raw``
  and ``tf.decode_csv`` return for fed records, or the run-time error they raise (its type and
  first line).
"""

import numpy as np


def _feature(tf, value):
    if value is None:
        return tf.train.Feature()
    if not value:
        return tf.train.Feature(int64_list=tf.train.Int64List())
    if isinstance(value[0], float):
        return tf.train.Feature(float_list=tf.train.FloatList(value=value))
    if isinstance(value[0], int):
        return tf.train.Feature(int64_list=tf.train.Int64List(value=value))
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=value))


def example(tf, **features):
    """A ``tf.train.Example`` with a list feature per keyword (floats, ints or bytes; ``None``:
    a feature with no list; ``[]``: an empty int64 list)."""
    feature = {key: _feature(tf, value) for key, value in features.items()}
    return tf.train.Example(features=tf.train.Features(feature=feature))


def _serialized(tf, **features) -> bytes:
    return example(tf, **features).SerializeToString(deterministic=True)


def _sequence_example(tf):
    context = tf.train.Features(feature={"id": _feature(tf, [7]), "name": _feature(tf, [b"s"])})
    tokens = tf.train.FeatureList(feature=[_feature(tf, [1, 2]), _feature(tf, [3])])
    scores = tf.train.FeatureList(feature=[_feature(tf, [0.5])])
    lists = tf.train.FeatureLists(feature_list={"tokens": tokens, "scores": scores})
    return tf.train.SequenceExample(context=context, feature_lists=lists)


def sequence_example(tf, context: dict, lists: dict) -> bytes:
    """A serialized ``tf.train.SequenceExample``: ``context`` features as :func:`example`'s,
    ``lists`` mapping each key to its steps' values."""
    feature_lists = {
        key: tf.train.FeatureList(feature=[_feature(tf, step) for step in steps])
        for key, steps in lists.items()
    }
    message = tf.train.SequenceExample(
        context=tf.train.Features(feature={k: _feature(tf, v) for k, v in context.items()}),
        feature_lists=tf.train.FeatureLists(feature_list=feature_lists),
    )
    return message.SerializeToString(deterministic=True)


def protos(tf) -> dict:
    """``{name: hex}`` of serialized messages."""
    messages = {
        "empty": tf.train.Example(),
        "one-int": example(tf, n=[1, 300, -1]),
        "floats": example(tf, f=[1.5, -0.0, float("inf"), 3.4e38, 1e-45]),
        "bytes": example(tf, text=[b"ab", b"", b"\xff\x00", "é".encode()]),
        "mixed": example(tf, z=[2**63 - 1, -(2**63)], a=[0.25], m=[b"x"], e=None, l=[]),
        "sequence": _sequence_example(tf),
        "empty-sequence": tf.train.SequenceExample(),
        "feature-only": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0])),
        "lists": tf.train.FeatureLists(),
    }
    return {name: m.SerializeToString(deterministic=True).hex() for name, m in messages.items()}


def _records(tf) -> dict:
    return {
        "two": [
            _serialized(tf, a=[1.0, 2.0], v=[3, 4, 5], s=[b"first"]),
            _serialized(tf, a=[-1.5, 0.5], v=[], w=[b"x", b"y"]),
        ],
        "missing": [_serialized(tf, v=[1])],
        "wrong-type": [_serialized(tf, a=[1, 2])],
        "wrong-count": [_serialized(tf, a=[1.0, 2.0, 3.0])],
        "sparse-type": [_serialized(tf, v=[1.5])],
        "no-list": [_serialized(tf, a=None, v=None)],
        "sequence": [_serialized(tf, q=[1.0, 2.0, 3.0, 4.0]), _serialized(tf, v=[1])],
        "sequence-bad": [_serialized(tf, q=[1.0, 2.0, 3.0])],
        "strings": [_serialized(tf, t=[b"a", b"b", b"c"]), _serialized(tf, t=[b"d"])],
        "garbage": [b"\x0a\x03\x0a\x01"],
        "empty-record": [b""],
    }


_FEATURES = {
    "dense": lambda tf: {"a": tf.FixedLenFeature([2], tf.float32)},
    "dense-default": lambda tf: {
        "a": tf.FixedLenFeature([1, 2], tf.float32, default_value=[[9.0, 8.0]]),
        "s": tf.FixedLenFeature([], tf.string, default_value="none"),
    },
    "mixed": lambda tf: {
        "a": tf.FixedLenFeature([2], tf.float32),
        "v": tf.VarLenFeature(tf.int64),
        "w": tf.VarLenFeature(tf.string),
        "s": tf.FixedLenFeature([], tf.string, default_value=""),
    },
    "sparse": lambda tf: {"v": tf.VarLenFeature(tf.int64)},
    "sequence": lambda tf: {
        "q": tf.FixedLenSequenceFeature([2], tf.float32, allow_missing=True, default_value=-1.0)
    },
    "sequence-strings": lambda tf: {
        "t": tf.FixedLenSequenceFeature([], tf.string, allow_missing=True)
    },
    "optional": lambda tf: {
        "a": tf.FixedLenFeature([1], tf.float32, default_value=[5.0]),
        "v": tf.VarLenFeature(tf.int64),
    },
}

# name: (records, features, single): single parses each record alone (parse_single_example).
_PARSES = {
    "batch-mixed": ("two", "mixed", False),
    "batch-defaults": ("two", "dense-default", False),
    "batch-missing": ("missing", "dense", False),
    "batch-wrong-type": ("wrong-type", "dense", False),
    "batch-wrong-count": ("wrong-count", "dense", False),
    "batch-sparse-type": ("sparse-type", "sparse", False),
    "batch-no-list": ("no-list", "optional", False),
    "batch-sequence": ("sequence", "sequence", False),
    "batch-sequence-bad": ("sequence-bad", "sequence", False),
    "batch-sequence-strings": ("strings", "sequence-strings", False),
    "batch-garbage": ("garbage", "dense", False),
    "batch-empty-record": ("empty-record", "optional", False),
    "single-mixed": ("two", "mixed", True),
    "single-missing": ("missing", "dense", True),
    "single-wrong-type": ("wrong-type", "dense", True),
    "single-wrong-count": ("wrong-count", "dense", True),
    "single-sparse-type": ("sparse-type", "sparse", True),
    "single-sequence": ("sequence", "sequence", True),
    "single-sequence-bad": ("sequence-bad", "sequence", True),
    "single-garbage": ("garbage", "dense", True),
}

_DECODES = {
    "raw-int16": (
        lambda tf, p: tf.decode_raw(p, tf.int16),
        [b"\x01\x02\x03\x04", b"\xff\xff\x00\x80"],
    ),
    "raw-big-endian": (
        lambda tf, p: tf.decode_raw(p, tf.int32, little_endian=False),
        [b"\x00\x00\x01\x02"],
    ),
    "raw-float": (
        lambda tf, p: tf.decode_raw(p, tf.float32),
        [[b"\x00\x00\x80?", b"\x00\x00\x00\xc0"]],
    ),
    "raw-uint8": (lambda tf, p: tf.decode_raw(p, tf.uint8), [b"abc"]),
    "raw-length": (lambda tf, p: tf.decode_raw(p, tf.int16), [b"\x01\x02\x03"]),
    "raw-sizes": (lambda tf, p: tf.decode_raw(p, tf.int16), [b"\x01\x02", b"\x01\x02\x03\x04"]),
    "csv": (
        lambda tf, p: tf.decode_csv(p, [[1], [2.0], ["a"], [np.int64(5)], [np.float64(1.5)]]),
        ["1,2.5,x,7,", ",,,,3", '3,4,"q,""z""",8,1e3', " 4 , -1e-3 ,y,-9,0.1"],
    ),
    "csv-2d": (lambda tf, p: tf.decode_csv(p, [[1], [1.0]]), [["1,2", "3,4"], ["5,6", "7,8"]]),
    "csv-delim-na": (
        lambda tf, p: tf.decode_csv(p, [[1], ["s"]], field_delim="\t", na_value="NA"),
        ["NA\tNA", "2\tab c"],
    ),
    "csv-no-quotes": (
        lambda tf, p: tf.decode_csv(p, [["a"], ["s"]], use_quote_delim=False),
        ['"a",b'],
    ),
    "csv-select": (lambda tf, p: tf.decode_csv(p, [["a"], [1]], select_cols=[0, 2]), ["a,b,3"]),
    "csv-few": (lambda tf, p: tf.decode_csv(p, [[1], [2.0]]), ["1"]),
    "csv-many": (lambda tf, p: tf.decode_csv(p, [[1], [2.0]]), ["1,2,3"]),
    "csv-required": (lambda tf, p: tf.decode_csv(p, [tf.constant([], tf.int32), [2.0]]), [",2"]),
    "csv-bad-int": (lambda tf, p: tf.decode_csv(p, [[1], [2.0]]), ["x,2"]),
    "csv-big-int": (lambda tf, p: tf.decode_csv(p, [[1]]), ["99999999999"]),
    "csv-bad-float": (lambda tf, p: tf.decode_csv(p, [[1], [2.0]]), ["1,y"]),
    "csv-bad-double": (lambda tf, p: tf.decode_csv(p, [[np.float64(1)]]), ["z"]),
    "csv-bad-quote": (lambda tf, p: tf.decode_csv(p, [["a"], ["s"]]), ['"a"x,b']),
}


def encode(value):
    """A fetched value as JSON: ``{"dtype", "shape", "values"}`` (strings as latin-1 text), a
    ``SparseTensorValue`` as a list of its three arrays, a list as a list."""
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    array = np.asarray(value)
    if array.dtype == object or array.dtype.kind == "S":
        flat = [bytes(x).decode("latin-1") for x in array.reshape(-1)]
        return {"dtype": "string", "shape": list(array.shape), "values": flat}
    if array.dtype.kind == "c":
        flat = [[repr(float(x.real)), repr(float(x.imag))] for x in array.reshape(-1)]
    else:
        flat = [repr(float(x)) if array.dtype.kind == "f" else int(x) for x in array.reshape(-1)]
    return {"dtype": array.dtype.name, "shape": list(array.shape), "values": flat}


def _outcome(tf, build, records) -> object:
    records = np.array(records, dtype=object)
    with tf.Graph().as_default():
        p = tf.placeholder(tf.string, records.shape)
        result = build(p)
        if isinstance(result, dict):
            result = {
                k: [v.indices, v.values, v.dense_shape] if hasattr(v, "dense_shape") else v
                for k, v in result.items()
            }
            keys = sorted(result)
            fetches = [result[k] for k in keys]
        else:
            fetches = result
        try:
            with tf.Session() as sess:
                return encode(sess.run(fetches, {p: records}))
        except tf.errors.OpError as e:
            return {"error": type(e).__name__, "message": first_line(e.message)}


def first_line(message: str) -> str:
    """The line of an error message that says what went wrong (TF's graph execution errors
    start with a traceback of where the op was made)."""
    skip = ("Graph execution error:", "Detected at node", "Node:", " ", "\t")
    lines = [line for line in message.split("\n") if line.strip()]
    return next((line for line in lines if not line.startswith(skip)), lines[0])


# TensorProtos TF reads but never writes itself: typed value fields, short of the shape.
_PROTOS = {
    "float_val-filled": ("0801120412020803" + "2a040000e040", "float32"),  # [7.0] for [3]
    "int_val-negative": ("0803120412020802" + "3a0b" + "ffffffffffffffffff01" + "05", "int32"),
    "no-values": ("0809120412020802", "int64"),
    "garbage": ("ff", "float32"),
    "wrong-type": ("0803120412020801" + "3a0101", "float32"),
}
_TENSORS = {
    "floats": lambda tf: tf.constant([[1.5, -2.0]]),
    "scalar": lambda tf: tf.constant(3.0),
    "empty": lambda tf: tf.zeros([2, 0], tf.int64),
    "strings": lambda tf: tf.constant([b"ab", b"", b"\xff"]),
    "bool": lambda tf: tf.constant([True, False]),
    "int8": lambda tf: tf.constant([-1, 2], tf.int8),
    "uint16": lambda tf: tf.constant([65535], tf.uint16),
    "complex64": lambda tf: tf.constant([1 + 2j], tf.complex64),
    "float16": lambda tf: tf.constant([1.5], tf.float16),
    "int64": lambda tf: tf.constant([-(2**40)], tf.int64),
}


def tensors(tf) -> dict:
    """``{name: encoded}``: each of ``_TENSORS`` serialized (``tf.io.serialize_tensor``) and
    parsed back, and each of ``_PROTOS`` parsed (``tf.io.parse_tensor``), or its error."""
    out = {}
    for name, build in _TENSORS.items():
        with tf.Graph().as_default():
            value = build(tf)
            data = tf.io.serialize_tensor(value)
            back = tf.io.parse_tensor(data, value.dtype)
            with tf.Session() as sess:
                out["serialize-" + name] = encode(sess.run([data, back]))
    for name, (hex_data, dtype) in _PROTOS.items():
        out["parse-" + name] = _outcome(
            tf, lambda p, d=dtype: tf.io.parse_tensor(p, getattr(tf, d)), bytes.fromhex(hex_data)
        )
    return out


def _sequence_cases(tf) -> dict:
    """name: (serialized, context features, sequence features)."""
    context = {"id": tf.FixedLenFeature([], tf.int64), "v": tf.VarLenFeature(tf.string)}
    lists = {"tok": tf.FixedLenSequenceFeature([], tf.int64), "sc": tf.VarLenFeature(tf.float32)}
    optional = {
        "tok": tf.FixedLenSequenceFeature([2], tf.int64, allow_missing=True),
        "sc": tf.VarLenFeature(tf.float32),
    }
    full = {"tok": [[1], [2], [3]], "sc": [[0.5], [2.5, 3.5], [1.0, 2.0]]}
    return {
        "all": (sequence_example(tf, {"id": [7], "v": [b"a", b"b"]}, full), context, lists),
        "context-missing": (sequence_example(tf, {}, {"tok": [[1]]}), context, lists),
        "context-type": (sequence_example(tf, {"id": [7.0]}, {"tok": [[1]]}), context, lists),
        "context-count": (sequence_example(tf, {"id": [7, 8]}, {"tok": [[1]]}), context, lists),
        "context-default": (
            sequence_example(tf, {}, {}),
            {"d": tf.FixedLenFeature([2], tf.float32, default_value=[1.0, 2.0])},
            None,
        ),
        "list-missing": (sequence_example(tf, {"id": [7]}, {}), context, lists),
        "list-missing-allowed": (sequence_example(tf, {"id": [7]}, {}), context, optional),
        "list-count": (sequence_example(tf, {"id": [7]}, {"tok": [[1, 2]]}), context, lists),
        "list-type": (sequence_example(tf, {"id": [7]}, {"tok": [[1.0]]}), context, lists),
        "list-sparse-type": (
            sequence_example(tf, {"id": [7]}, {"tok": [[1]], "sc": [[1]]}),
            context,
            lists,
        ),
        "list-no-list": (sequence_example(tf, {"id": [7]}, {"tok": [None]}), context, lists),
        "list-2d": (
            sequence_example(tf, {}, {"m": [[1, 2, 3, 4], [5, 6, 7, 8]]}),
            None,
            {"m": tf.FixedLenSequenceFeature([2, 2], tf.int64)},
        ),
        "list-strings": (
            sequence_example(tf, {}, {"w": [[b"x"], [b"y"]]}),
            None,
            {"w": tf.FixedLenSequenceFeature([], tf.string)},
        ),
        "garbage": (b"\xff", context, lists),
    }


def sequences(tf) -> dict:
    """``{name: encoded (context, then feature lists, each by sorted key) or error}`` of
    ``tf.parse_single_sequence_example`` on each of ``_sequence_cases``."""

    def parse(p, context, lists):
        parsed = tf.parse_single_sequence_example(p, context, lists)
        return {f"{i}-{k}": v for i, d in enumerate(parsed) for k, v in d.items()}

    return {
        name: _outcome(tf, lambda p, c=c, s=s: parse(p, c, s), data)
        for name, (data, c, s) in _sequence_cases(tf).items()
    }


def values(tf) -> dict:
    """``{name: encoded values or {"error", "message"}}`` (a parse's outputs by sorted key,
    each sparse one as its three arrays)."""
    records = _records(tf)
    out = {}
    for name, (records_name, features_name, single) in _PARSES.items():
        features = _FEATURES[features_name](tf)
        batch = records[records_name]
        if single:
            parsed = [
                _outcome(tf, lambda p, f=features: tf.parse_single_example(p, f), record)
                for record in batch
            ]
            out[name] = parsed
        else:
            out[name] = _outcome(tf, lambda p, f=features: tf.parse_example(p, f), batch)
    for name, (build, data) in _DECODES.items():
        out[name] = _outcome(tf, lambda p, b=build: b(tf, p), data)
    return out
