"""Records TensorFlow's values of seeded random ops, as data the random-op tests compare with.

For each case below, TensorFlow (``tensorflow.compat.v1``, graph mode, CPU) builds the op
with explicit ``seed``/``seed2`` attributes and runs it twice in one session (the second run
shows how far the op's generator moved); a stateless op (``StatelessRandom*``, the seed a
``[2]`` input of the given dtype) runs once. ``tests/data/tf_random_values.json`` keeps, per
run, the values' bit patterns (unsigned integers as wide as the dtype) for small outputs
and the SHA-256 of the array's bytes for large ones. Regenerate with::

    .venv/bin/python tools/tf_random_values.py --tf-python /tmp/tfref/bin/python
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pathlib
import sys

from compare_names import emit_under, import_tensorflow

OUT = pathlib.Path(__file__).resolve().parents[1] / "tests" / "data" / "tf_random_values.json"
FLOATS = ["float16", "float32", "float64"]
SEEDS = [(1, 2), (87654321, 7), (5, 0), (0, 2147483646), (123456, 99)]
SHAPES = [[1], [2, 3], [7], [5, 1, 3], [1001], [4099]]  # 4099: the compiled loops
# (op, dtype, shape, seed, seed2, extra): one seed pair per shape keeps the table small.
CASES = [
    (op, dtype, shape, *SEEDS[i % len(SEEDS)], None)
    for op in ["RandomUniform", "RandomStandardNormal", "TruncatedNormal"]
    for dtype in FLOATS
    for i, shape in enumerate(SHAPES)
] + [
    ("RandomUniformInt", dtype, shape, *SEEDS[i % len(SEEDS)], bounds)
    for dtype, bounds in [
        ("int32", [-5, 17]),
        ("int32", [-(2**31), 2**31 - 1]),
        ("int64", [-3, 10**12]),
        ("int64", [-(2**63), 2**63 - 1]),
    ]
    for i, shape in enumerate(SHAPES)
]
# (op, input, input dtype, num_samples or None, output dtype, seed, seed2): a shuffle's input
# is arange(rows) reshaped; a multinomial's, its logits.
SAMPLERS = [
    ("RandomShuffle", [10], "int32", None, "int32", 3, 0),
    ("RandomShuffle", [7, 3], "float32", None, "float32", 4, 9),
    ("RandomShuffle", [1000], "int64", None, "int64", 5, 1),
    ("RandomShuffle", [1], "int32", None, "int32", 5, 1),
    ("Multinomial", [[-2.3, -1.6, -0.4], [-0.7, -1.4, -1.4]], "float32", 7, "int64", 6, 0),
    ("Multinomial", [[1.0, float("-inf"), 2.0, 0.5]] * 3, "float64", 5, "int32", 7, 2),
    ("Multinomial", [[0.0] * 50], "float16", 33, "int64", 8, 0),
    ("Multinomial", [[0.5, 0.1]], "float32", 1, "int64", 9, 4),
]
STATELESS = [
    (op, dtype, shape, seed, seed_dtype, None)
    for op in ["StatelessRandomUniform", "StatelessRandomNormal", "StatelessTruncatedNormal"]
    for dtype in FLOATS
    for shape, seed, seed_dtype in [([5], [1, 2], "int64"), ([2, 3], [-7, 2**40], "int64"),
                                    ([33], [0, -1], "int32")]
] + [
    ("StatelessRandomUniformInt", dtype, [6], [3, 4], "int32", bounds)
    for dtype, bounds in [("int32", [-5, 17]), ("int64", [-(2**63), 2**63 - 1])]
]  # fmt: skip
SMALL = 16  # outputs up to this size are kept value by value


def encode(array) -> dict:
    """An array as its values' bit patterns, or as a digest when large."""
    import numpy as np

    array = np.ascontiguousarray(array)
    if array.size > SMALL:
        return {"sha256": hashlib.sha256(array.tobytes()).hexdigest()}
    bits = array.view(f"u{array.dtype.itemsize}").reshape(-1)
    return {"bits": [int(b) for b in bits]}


def tensorflow_values() -> list:
    import numpy as np

    tf = import_tensorflow()
    records = []
    for op, dtype, shape, seed, seed2, bounds in CASES:
        with tf.Graph().as_default():
            kw = {"shape": shape, "seed": seed, "seed2": seed2}
            if bounds is None:
                out = getattr(tf.raw_ops, op)(dtype=dtype, **kw)
            else:
                low, high = (tf.constant(b, dtype) for b in bounds)
                out = tf.raw_ops.RandomUniformInt(minval=low, maxval=high, **kw)
            with tf.Session() as sess:
                runs = [encode(sess.run(out)) for _ in range(2)]
        records.append({
            "op": op, "dtype": dtype, "shape": shape, "seed": seed, "seed2": seed2,
            "bounds": bounds, "runs": runs,
        })  # fmt: skip
    for op, value, in_dtype, samples, dtype, seed, seed2 in SAMPLERS:
        with tf.Graph().as_default():
            if op == "RandomShuffle":
                rows = tf.reshape(tf.range(np.prod(value), dtype=in_dtype), value)
                out = tf.raw_ops.RandomShuffle(value=rows, seed=seed, seed2=seed2)
            else:
                logits = tf.constant(value, in_dtype)
                out = tf.raw_ops.Multinomial(
                    logits=logits, num_samples=samples, seed=seed, seed2=seed2, output_dtype=dtype
                )
            with tf.Session() as sess:
                runs = [encode(sess.run(out)) for _ in range(2)]
        records.append({
            "op": op, "input": value, "input_dtype": in_dtype, "samples": samples,
            "dtype": dtype, "seed": seed, "seed2": seed2, "runs": runs,
        })  # fmt: skip
    for op, dtype, shape, seed, seed_dtype, bounds in STATELESS:
        with tf.Graph().as_default():
            kw = {"shape": shape, "seed": tf.constant(seed, seed_dtype)}
            if bounds is None:
                out = getattr(tf.raw_ops, op)(dtype=dtype, **kw)
            else:
                low, high = (tf.constant(b, dtype) for b in bounds)
                out = tf.raw_ops.StatelessRandomUniformInt(minval=low, maxval=high, **kw)
            with tf.Session() as sess:
                value = sess.run(out)
        records.append({
            "op": op, "dtype": dtype, "shape": shape, "seed": seed, "seed_dtype": seed_dtype,
            "bounds": bounds, "value": encode(value),
        })  # fmt: skip
    return records


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tf-python", default="/tmp/tfref/bin/python")
    parser.add_argument("--emit", choices=["tensorflow"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.emit:
        print(json.dumps(tensorflow_values()))
        return
    records = emit_under(args.tf_python, __file__, [])
    lines = ",\n".join(json.dumps(record) for record in records)
    OUT.write_text('{"cases": [\n' + lines + "\n]}\n")
    print(f"wrote {len(records)} cases to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
