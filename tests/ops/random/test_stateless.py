"""Tests for scopeflow/ops/random/stateless.py: the stateless ops' values equal TensorFlow's
(recorded in ``tests/data/tf_random_values.json`` by ``tools/tf_random_values.py``), the
public functions build TF1.15's ops and names, and a seed gives the same values every run.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.random.stateless import key_and_counter
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case
from tests.ops.random.test_philox import DATA, matches

RECORDS = [case for case in json.loads(DATA.read_text())["cases"] if "value" in case]


def _build(record):
    def build():
        g = tf.get_default_graph()
        inputs = [tf.constant(record["shape"], tf.int32)]
        inputs.append(tf.constant(record["seed"], tf.as_dtype(record["seed_dtype"])))
        dtype = tf.as_dtype(record["dtype"])
        if record["bounds"] is None:
            return g.create_op(record["op"], inputs, attrs={"dtype": dtype}).outputs[0]
        inputs += [tf.constant(b, dtype) for b in record["bounds"]]
        return g.create_op(record["op"], inputs).outputs[0]

    return build


def _reference(record):
    value = record["value"]
    if "sha256" in value:
        return Holds("TensorFlow's values (their SHA-256)", lambda got: matches(got, value))
    width = np.dtype(record["dtype"]).itemsize
    bits = np.array(value["bits"], f"u{width}")
    return bits.view(record["dtype"]).reshape(record["shape"])


CASES = [
    Case(
        f"{r['op']}-{r['dtype']}-{'x'.join(map(str, r['shape']))}-{r['seed_dtype']}",
        r["op"],
        _build(r),
        (),
        _reference(r),
        modes=("full",),
    )
    for r in RECORDS
]

LOGITS = np.log([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]).astype(np.float32)
# TensorFlow 2.21's values for these calls.
CASES += [
    Case("multinomial", "StatelessMultinomial",
         lambda lg: tf.random.stateless_multinomial(lg, 7, seed=[1, 2]), (LOGITS,),
         np.array([[2, 2, 1, 2, 2, 2, 2], [0, 2, 2, 1, 0, 0, 0]], np.int64)),
    Case("categorical-int32", "StatelessMultinomial",
         lambda lg: tf.random.stateless_categorical(lg, 4, seed=[-5, 6], dtype=tf.int32),
         (np.zeros([3, 40], np.float64),),
         Holds("int32 classes of [0, 40)", lambda got: got.dtype == np.int32 and got.max() < 40)),
]  # fmt: skip


def test_stateless_categorical_equals_tensorflows():
    with tf.Graph().as_default():
        seed = tf.constant([-5, 6])
        c = tf.random.stateless_categorical(np.zeros([3, 40]), 9, seed=seed, dtype=tf.int32)
        with tf.Session() as sess:
            got = sess.run(c)
    assert got.tolist() == [
        [16, 24, 39, 1, 17, 27, 18, 1, 19],
        [25, 29, 35, 39, 33, 18, 34, 16, 21],
        [14, 29, 18, 17, 13, 36, 13, 22, 37],
    ]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_key_and_counter_take_int32_seeds_sign_extended():
    assert key_and_counter(np.array([-1, 3], np.int32)) == key_and_counter(
        np.array([2**64 - 1, 3], np.uint64)
    )


# The ops tf.compat.v1 builds in TF 2.21 (tf.contrib.stateless: TF 1's V1 ops).
NAMES = [
    (
        "tf.random.stateless_uniform([2], seed=[1, 2])",
        ["stateless_random_uniform/shape", "stateless_random_uniform/min",
         "stateless_random_uniform/max",
         "stateless_random_uniform/StatelessRandomGetKeyCounter/seed",
         "stateless_random_uniform/StatelessRandomGetKeyCounter",
         "stateless_random_uniform/StatelessRandomUniformV2/alg",
         "stateless_random_uniform/StatelessRandomUniformV2", "stateless_random_uniform/sub",
         "stateless_random_uniform/mul", "stateless_random_uniform"],
    ),
    (
        "tf.random.stateless_uniform([2], seed=[1, 2], maxval=5, dtype=tf.int64)",
        ["stateless_random_uniform/shape", "stateless_random_uniform/min",
         "stateless_random_uniform/max",
         "stateless_random_uniform/StatelessRandomGetKeyCounter/seed",
         "stateless_random_uniform/StatelessRandomGetKeyCounter", "stateless_random_uniform/alg",
         "stateless_random_uniform"],
    ),
    (
        "tf.random.stateless_normal([2], seed=[1, 2])",
        ["stateless_random_normal/shape", "stateless_random_normal/mean",
         "stateless_random_normal/stddev",
         "stateless_random_normal/StatelessRandomGetKeyCounter/seed",
         "stateless_random_normal/StatelessRandomGetKeyCounter",
         "stateless_random_normal/StatelessRandomNormalV2/alg",
         "stateless_random_normal/StatelessRandomNormalV2", "stateless_random_normal/mul",
         "stateless_random_normal"],
    ),
    (
        "tf.contrib.stateless.stateless_truncated_normal([2], seed=[1, 2])",
        ["stateless_truncated_normal/shape", "stateless_truncated_normal/mean",
         "stateless_truncated_normal/stddev",
         "stateless_truncated_normal/StatelessTruncatedNormal/seed",
         "stateless_truncated_normal/StatelessTruncatedNormal", "stateless_truncated_normal/mul",
         "stateless_truncated_normal"],
    ),
    (
        "tf.random.stateless_multinomial([[0.0, 1.0]], 2, seed=[1, 2])",
        ["stateless_multinomial/logits",
         "stateless_multinomial/StatelessMultinomial/num_samples",
         "stateless_multinomial/StatelessMultinomial/seed",
         "stateless_multinomial/StatelessMultinomial"],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("expr", "names"), NAMES)
def test_public_functions_build_tf1_ops(graph, expr, names):
    eval(expr, {"tf": tf})
    assert [op.name for op in graph.get_operations()] == names


def test_same_seed_same_values_in_every_run_and_session():
    with tf.Graph().as_default():
        u = tf.random.stateless_uniform([3], seed=[4, 5], minval=-1.0, maxval=2.0)
        n = tf.random.stateless_normal([3], seed=tf.constant([4, 5]), mean=1.0, stddev=2.0)
        with tf.Session() as sess:
            first = sess.run([u, n])
            assert all(np.array_equal(a, b) for a, b in zip(first, sess.run([u, n]), strict=True))
        with tf.Session() as sess:
            assert all(np.array_equal(a, b) for a, b in zip(first, sess.run([u, n]), strict=True))
    # TensorFlow 2.21's values for these two calls (their bit patterns)
    assert first[0].view(np.uint32).tolist() == [1071567360, 1008529536, 3188942256]
    assert first[1].view(np.uint32).tolist() == [1071457376, 1057974306, 3206438894]


def test_seed_of_wrong_shape_fails(graph):
    with pytest.raises(ValueError, match="Dimension must be 2 but is"):
        tf.random.stateless_normal([2], seed=[1, 2, 3])


def test_integer_dtype_needs_maxval(graph):
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype"):
        tf.random.stateless_uniform([2], seed=[1, 2], dtype=tf.int32)


def test_v2_ops_give_tf_2_21s_values_for_every_alg_name(graph):
    # TF 2.21: stateless_normal([3], seed=[1, 2]) and, with alg="philox", the same values.
    normal = [tf.random.stateless_normal([3], seed=[1, 2], alg=alg) for alg in (None, "philox")]
    ints = tf.random.stateless_uniform([3], seed=[1, 2], minval=0, maxval=100, dtype=tf.int32)
    with tf.Session() as sess:
        auto, philox, got_ints = sess.run([*normal, ints])
    np.testing.assert_array_equal(auto, np.float32([0.5441101, 0.20738031, 0.07356432]))
    np.testing.assert_array_equal(philox, auto)
    assert got_ints.tolist() == [40, 49, 94]
