"""Tests for scopeflow/ops/random/sampling.py: random ops build TF1's ops, names, dtypes,
static shapes and attributes, and derive the ``seed``/``seed2`` attributes from the graph and
op seeds as TF does; their kernels: distributions, dtypes, shapes and TF1's seed semantics.

The expressions' expected values are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/random.json`` by ``tools/tf_reference.py`` from
``tests/data/tf_reference/random.py``; where scopeflow differs, ``DIFFERENCES`` says what it
does instead and why. The seeds were read from TensorFlow 2.21 too.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.random.sampling import DEFAULT_GRAPH_SEED, get_seed
from tests.ops.graph_checks import check_against, expected, raised, setup_of, tf_reference
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case

REFERENCE = tf_reference("random")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

# Where scopeflow does something else than TF 2.21: expression -> what it does instead.
DIFFERENCES = {
    # deliberate: TF fails converting the mean ("Expected int32, but got 0.0")
    "tf.random_normal([2], dtype=tf.int32)": raised(
        TypeError, "tf.random_normal needs a floating point dtype"
    ),
    "tf.truncated_normal([2], dtype=tf.int32)": raised(
        TypeError, "tf.truncated_normal needs a floating point dtype"
    ),
}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_expression_builds_tf1_ops(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


def test_shape_constants_keep_int64_when_given_int64(graph):
    t = tf.random_normal(np.array([2, 3], np.int64))
    assert t.op.inputs[0].op.inputs[0].op.inputs[0].dtype == tf.int64
    assert tf.random_normal([]).op.inputs[0].op.inputs[0].op.inputs[0].dtype == tf.int32


# -- seeds ----------------------------------------------------------------------------------


def _random(graph):
    kinds = ("RandomStandardNormal", "TruncatedNormal", "RandomUniform", "RandomUniformInt")
    return [
        (op.name, op.get_attr("seed"), op.get_attr("seed2"))
        for op in graph.get_operations()
        if op.type in kinds
    ]


def _four_ops(seed=None):
    tf.random_normal([2], seed=seed)
    tf.random_uniform([2], seed=None if seed is None else seed + 1)
    tf.constant(1)  # other ops do not count
    tf.truncated_normal([2], seed=None if seed is None else seed + 2)
    tf.random_uniform([2], maxval=3, dtype=tf.int32, seed=None if seed is None else seed + 3)


FOUR_NAMES = [
    "random_normal/RandomStandardNormal",
    "random_uniform/RandomUniform",
    "truncated_normal/TruncatedNormal",
    "random_uniform_1",
]


@pytest.mark.parametrize(
    ("graph_seed", "op_seed", "expected"),
    [
        (None, None, [(0, 0)] * 4),  # fresh entropy every run
        (
            None,
            5,
            [
                (DEFAULT_GRAPH_SEED, 5),
                (DEFAULT_GRAPH_SEED, 6),
                (DEFAULT_GRAPH_SEED, 7),
                (DEFAULT_GRAPH_SEED, 8),
            ],
        ),
        # the graph seed alone: op seeds count the seeded random ops (TF 2's rule; TF 1.x
        # used the graph's op count)
        (42, None, [(42, 0), (42, 1), (42, 2), (42, 3)]),
        (42, 5, [(42, 5), (42, 6), (42, 7), (42, 8)]),
    ],
)
def test_seed_attrs(graph, graph_seed, op_seed, expected):
    tf.set_random_seed(graph_seed)
    _four_ops(op_seed)
    assert _random(graph) == [(n, *seeds) for n, seeds in zip(FOUR_NAMES, expected, strict=True)]


@pytest.mark.parametrize(
    ("graph_seed", "op_seed", "expected"),
    [
        (0, 0, (0, 2**31 - 1)),  # (0, 0) would mean "nondeterministic"
        (0, None, (0, 2**31 - 1)),
        (None, 0, (DEFAULT_GRAPH_SEED, 0)),
        (7, None, (7, 0)),
        (None, 2**40, (DEFAULT_GRAPH_SEED, 512)),  # seeds are taken modulo 2**31 - 1
        (None, -1, (DEFAULT_GRAPH_SEED, 2**31 - 2)),
        (2**40, None, (512, 0)),
    ],
)
def test_seed_edge_cases(graph, graph_seed, op_seed, expected):
    tf.set_random_seed(graph_seed)
    tf.random_normal([2], seed=op_seed)
    assert _random(graph) == [("random_normal/RandomStandardNormal", *expected)]


def test_seed_counter_is_per_graph_and_counts_only_graph_seeded_ops(graph):
    tf.random_normal([2])
    tf.set_random_seed(5)
    tf.random_normal([2], seed=3)
    tf.random_normal([2])
    with tf.name_scope("x"):
        tf.random_normal([2])
    assert [s[1:] for s in _random(graph)] == [(0, 0), (5, 3), (5, 0), (5, 1)]
    assert graph.seed == 5
    other = tf.Graph()
    with other.as_default():
        tf.set_random_seed(5)
        tf.random_normal([2])
    assert [s[1:] for s in _random(other)] == [(5, 0)]


def test_unsetting_the_graph_seed(graph):
    tf.set_random_seed(3)
    tf.set_random_seed(None)
    tf.random_normal([2])
    assert _random(graph)[0][1:] == (0, 0)


def test_get_seed_and_the_tf_random_aliases(graph):
    assert get_seed(None) == (None, None)
    tf.random.set_random_seed(9)
    assert (get_seed(None), get_seed(None), get_seed(4)) == ((9, 0), (9, 1), (9, 4))
    tf.random.set_seed(10)
    assert get_seed(None) == (10, 2)


def test_failed_random_op_does_not_use_up_a_seed(graph):
    tf.set_random_seed(1)
    with pytest.raises(ValueError):
        tf.random_uniform([2], 0, [1.0, 2.0, 3.0])  # the scaling cannot broadcast
    tf.random_normal([2])
    assert _random(graph) == [("random_normal/RandomStandardNormal", 1, 0)]


# -- what TF1 rejects -----------------------------------------------------------------------


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def test_every_difference_is_a_recorded_expression():
    recorded = {expr for records in GROUPS.values() for expr in records}
    assert set(DIFFERENCES) - recorded == set()


# -- kernels -------------------------------------------------------------------------------

N = 20000


def _raw(op_type, shape, dtype=tf.float32, seed=(1, 2)):
    graph = tf.get_default_graph()
    shape_t = tf.constant(np.asarray(shape, np.int32))
    attrs = {"dtype": dtype, "seed": seed[0], "seed2": seed[1]}
    return graph.create_op(op_type, [shape_t], attrs).outputs[0]


def _normal(dtype):
    def holds(a):
        assert a.dtype == dtype.as_numpy_dtype and a.shape == (N,)
        return abs(float(a.mean())) < 0.05 and abs(float(a.std()) - 1.0) < 0.05

    return holds


def _truncated(dtype):
    def holds(b):  # 0.8796: the stddev of a unit normal cut at +-2
        assert b.dtype == dtype.as_numpy_dtype and b.shape == (N,)
        return float(np.abs(b).max()) <= 2.0 and abs(float(b.std()) - 0.8796) < 0.03

    return holds


def _uniform(u):
    assert u.shape == (N, 2) and u.dtype == np.float32
    return 0.0 <= u.min() and u.max() < 1.0 and abs(float(u.mean()) - 0.5) < 0.02


def _uniform_int(i):
    return i.dtype == np.int64 and set(np.unique(i)) == set(range(-3, 4))


def _shuffled(s):
    return s.shape == (6, 2) and sorted(map(tuple, s)) == sorted(map(tuple, ROWS))


def _multinomial(got):
    assert got.shape == (2, 4000) and got.dtype == np.int64
    return abs(float((got[0] == 1).mean()) - 0.9) < 0.03 and (got[1] == 0).all()


def _categorical(small):
    return small.dtype == np.int32 and small.shape == (2, 3) and (small[1] == 0).all()


ROWS = np.arange(12, dtype=np.int32).reshape(6, 2)
LOGITS = np.log([[0.1, 0.9], [1.0, 1e-9]]).astype(np.float32)

# The kernel table checks each op's dtype and static shape; the values have a property.
# fmt: off
CASES = [
    Case(f"normal-{dtype.name}", "RandomStandardNormal",
         lambda dtype=dtype: _raw("RandomStandardNormal", [N], dtype), (),
         Holds("mean 0, stddev 1", _normal(dtype)), modes=("full",))
    for dtype in (tf.float16, tf.float32, tf.float64)
] + [
    Case(f"truncated-{dtype.name}", "TruncatedNormal",
         lambda dtype=dtype: _raw("TruncatedNormal", [N], dtype), (),
         Holds("within +-2, stddev 0.8796", _truncated(dtype)), modes=("full",))
    for dtype in (tf.float16, tf.float32, tf.float64)
] + [
    Case("uniform", "RandomUniform", lambda: _raw("RandomUniform", [N, 2]), (),
         Holds("in [0, 1), mean 0.5", _uniform), modes=("full",)),
    Case("uniform-int", "RandomUniformInt",
         lambda: tf.random_uniform([N], minval=-3, maxval=4, dtype=tf.int64, seed=5), (),
         Holds("int64, every value of [-3, 4)", _uniform_int),
         modes=("full",)),
    Case("shuffle", "RandomShuffle", lambda x: tf.random_shuffle(x, seed=1), (ROWS,),
         Holds("the rows permuted", _shuffled)),
    Case("multinomial", "Multinomial", lambda lg: tf.multinomial(lg, 4000, seed=2), (LOGITS,),
         Holds("follows the logits", _multinomial)),
    Case("categorical-int32", "Multinomial",
         lambda lg: tf.random.categorical(lg, 3, dtype=tf.int32), (LOGITS,),
         Holds("int32, follows the logits", _categorical)),
]
# fmt: on


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_uniform_int_needs_minval_below_maxval(run):
    bad = tf.random_uniform([3], minval=5, maxval=5, dtype=tf.int32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Need minval < maxval"):
        run(bad)


def test_public_functions_scale_and_shift(run):
    tf.set_random_seed(3)
    n = tf.random_normal([N], mean=5.0, stddev=2.0)
    t = tf.truncated_normal([N], mean=-1.0, stddev=0.5)
    u = tf.random_uniform([N], minval=2.0, maxval=3.0)
    vn, vt, vu = run([n, t, u])
    assert abs(float(vn.mean()) - 5.0) < 0.1 and abs(float(vn.std()) - 2.0) < 0.1
    assert float(vt.min()) >= -2.0 and float(vt.max()) <= 0.0
    assert 2.0 <= float(vu.min()) and float(vu.max()) < 3.0


def test_graph_seed_makes_sessions_repeat_and_runs_advance():
    with tf.Graph().as_default():
        tf.set_random_seed(11)
        a = tf.random_uniform([4])
        with tf.Session() as s1:
            first, second = s1.run(a), s1.run(a)
        with tf.Session() as s2:
            again = s2.run(a)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, second)
