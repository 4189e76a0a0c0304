"""Tests for scopeflow/ops/nn/candidate_sampling.py and sampled.py: the candidate samplers,
``tf.nn.compute_accidental_hits``, ``tf.nn.nce_loss`` and ``tf.nn.sampled_softmax_loss``
build TF1's graphs, draw from the right distributions with TF's expected counts, compute
TF's values, give the weights IndexedSlices gradients, and train a word2vec-style model.

The expected graphs and errors are TensorFlow 2.21's own (``tensorflow.compat.v1``, graph
mode), recorded in ``tests/data/tf_reference/sampled.json`` by ``tools/tf_reference.py``
from ``tests/data/tf_reference/sampled.py``; where scopeflow differs, ``DIFFERENCES`` says
what it does instead and why. The samplers are random: their values are checked against
the distributions, not against TF's random stream.
"""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import added, built, check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case

REFERENCE = tf_reference("sampled")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
XENT = "softmax_cross_entropy_with_logits"


def _fused_xent(expr: str) -> dict:
    """TF's graph for a sampled softmax loss with the fused cross-entropy op's output in
    place of TF1's no-op Reshape plumbing around it (2-D logits; as tests/ops/nn/
    test_graphs.py records for tf.nn.softmax_cross_entropy_with_logits_v2)."""
    ops = [op for op in GROUPS["LOSSES"][expr]["ops"] if not op[0].startswith(XENT + "/")]
    return built(ops, op=XENT, name=f"{XENT}:0", input_dtypes=["float32", "float32"])


# Where scopeflow does something else than TF 2.21 (all deliberate): expression -> what it
# does instead.
DIFFERENCES = {
    expr: _fused_xent(expr) for expr in GROUPS["LOSSES"] if expr.startswith("tf.nn.sampled_")
}


@pytest.mark.parametrize("expr", [*GROUPS["SAMPLERS"], *GROUPS["LOSSES"]])
def test_builds_tf1s_graph(graph, env, expr):
    record = GROUPS["SAMPLERS"].get(expr) or GROUPS["LOSSES"][expr]
    check_against(graph, env, expr, expected(record, DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["ERRORS"][expr], None))


@pytest.mark.parametrize("expr", list(GROUPS["GRADIENTS"]))
def test_weights_get_indexed_slices_as_in_tf1(graph, env, expr):
    record = GROUPS["GRADIENTS"][expr]
    before = len(graph.get_operations())
    grads = eval(expr, env)
    ops = added(graph, before)
    if "nce_loss" in expr:  # the same ops (gradients.py sums the input's two paths in
        # another order, so its AddN's take other numbers)
        assert sorted(ops) == sorted(tuple(op) for op in record["ops"])
    w_grad, b_grad, x_grad = grads
    for grad, want in zip((w_grad, b_grad), record["outputs"], strict=False):
        assert isinstance(grad, tf.IndexedSlices)
        assert grad.values.name == want["name"]
        assert grad.dense_shape is not None
    assert isinstance(x_grad, tf.Tensor) and x_grad.shape.as_list() == [3, 4]


def test_learned_unigram_sampler_names_the_alternatives(graph):
    labels = tf.constant([[1]], tf.int64)
    with pytest.raises(NotImplementedError, match="fixed_unigram_candidate_sampler"):
        tf.nn.learned_unigram_candidate_sampler(labels, 1, 2, True, 5)
    with pytest.raises(NotImplementedError, match="unigrams="):
        tf.nn.fixed_unigram_candidate_sampler(labels, 1, 2, True, 5, vocab_file="counts.txt")


def test_samplers_are_in_tf_random_too():
    for name in ("log_uniform", "uniform", "fixed_unigram", "learned_unigram", "all"):
        sampler = f"{name}_candidate_sampler"
        assert getattr(tf.random, sampler) is getattr(tf.nn, sampler)


def test_bad_partition_strategy(graph):
    w, b, x = tf.zeros([10, 4]), tf.zeros([10]), tf.zeros([3, 4])
    with pytest.raises(ValueError, match="Unrecognized partition strategy: rows"):
        tf.nn.nce_loss(w, b, tf.zeros([3, 1], tf.int64), x, 2, 10, partition_strategy="rows")


# -- kernels -------------------------------------------------------------------------------

Y = np.array([[1, 2], [3, 9], [0, 0]], np.int64)


def _log_uniform_p(k, range_max=10):
    return np.log((k + 2.0) / (k + 1.0)) / np.log(range_max + 1.0)


def _counts_fit(p, unique: bool, num_sampled: int):
    """A check that ``(sampled, true_count, sampled_count)`` has TF's expected counts for the
    class probabilities ``p``: ``p * num_sampled``, or with ``unique`` ``1 - (1 - p) ** n``
    for the number of draws ``n >= num_sampled`` it took."""

    def fits(sampled, true_count, sampled_count):
        if unique and len(set(sampled.tolist())) != num_sampled:
            return False
        counts = np.concatenate([true_count.ravel(), sampled_count])
        probs = np.concatenate([p(Y).ravel(), p(sampled)])
        if not unique or np.allclose(counts, probs * num_sampled, rtol=1e-6):
            return np.allclose(counts, probs * num_sampled, rtol=1e-6)
        tries = np.log1p(-counts[0]) / np.log1p(-probs[0])
        return tries >= num_sampled and np.allclose(
            counts, -np.expm1(np.round(tries) * np.log1p(-probs)), rtol=1e-5
        )

    return fits


def _unigram_p(k):
    weights = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]) ** 0.75
    return np.where(k < 10, weights[np.minimum(k, 9)] / weights.sum(), 0.0)


CASES = [
    Case(
        f"log-uniform-{unique}",
        "LogUniformCandidateSampler",
        lambda y, u=unique: list(tf.nn.log_uniform_candidate_sampler(y, 2, 5, u, 10)),
        (Y,),
        Holds("TF's expected counts", _counts_fit(_log_uniform_p, unique, 5)),
    )
    for unique in (True, False)
] + [
    Case(
        "uniform",
        "UniformCandidateSampler",
        lambda y: list(tf.nn.uniform_candidate_sampler(y, 2, 8, True, 10)),
        (Y,),
        Holds("TF's expected counts", _counts_fit(lambda k: np.full(k.shape, 0.1), True, 8)),
    ),
    Case(
        "fixed-unigram",
        "FixedUnigramCandidateSampler",
        lambda y: list(
            tf.nn.fixed_unigram_candidate_sampler(
                y, 2, 4, False, 10, distortion=0.75, num_reserved_ids=1, unigrams=range(1, 10)
            )
        ),
        (Y,),
        Holds("TF's expected counts, never a reserved id", _counts_fit(_unigram_p, False, 4)),
    ),
    Case(
        "all",
        "AllCandidateSampler",
        lambda y: list(tf.nn.all_candidate_sampler(y, 2, 4, True)),
        (np.minimum(Y, 3),),  # true classes in [0, num_sampled), as TF's kernel wants
        [np.arange(4), np.ones((3, 2), np.float32), np.ones(4, np.float32)],
    ),
    Case(
        "accidental-hits",
        "ComputeAccidentalHits",
        lambda y, s: list(tf.nn.compute_accidental_hits(y, s, 2)),
        (Y, np.array([2, 1, 2, 0, 5], np.int64)),
        # TF 2.21's values: a class sampled twice is hit at its last position
        [
            np.int32([0, 0, 2, 2]),
            np.int64([1, 2, 3, 3]),
            np.full(4, -np.finfo(np.float32).max, np.float32),
        ],
        exact_static=False,
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_samplers_draw_from_their_distributions(graph):
    labels = tf.constant([[0]], tf.int64)
    log_uniform = tf.nn.log_uniform_candidate_sampler(labels, 1, 4000, False, 10, seed=1)
    unigram = tf.nn.fixed_unigram_candidate_sampler(
        labels, 1, 4000, False, 4, unigrams=[0.0, 1.0, 2.0, 5.0], seed=1
    )
    unique = tf.nn.log_uniform_candidate_sampler(labels, 1, 10, True, 10, seed=1)
    with tf.Session() as sess:
        drawn, counted, all_classes = sess.run(
            [log_uniform.sampled_candidates, unigram.sampled_candidates, unique[0]]
        )
    assert np.allclose(
        np.bincount(drawn, minlength=10) / 4000, _log_uniform_p(np.arange(10)), atol=0.03
    )
    assert np.allclose(np.bincount(counted, minlength=4) / 4000, [0, 0.125, 0.25, 0.625], atol=0.03)
    assert sorted(all_classes) == list(range(10))


def test_seeded_samplers_draw_tensorflows_classes_run_after_run(graph):
    tf.set_random_seed(1)
    labels = tf.constant([[1], [2], [3]], tf.int64)
    log_unique = tf.nn.log_uniform_candidate_sampler(labels, 1, 6, True, 20, seed=2)
    uniform = tf.nn.uniform_candidate_sampler(labels, 1, 6, True, 20, seed=2)
    log_any = tf.nn.log_uniform_candidate_sampler(labels, 1, 6, False, 20, seed=2)
    unigram = tf.nn.fixed_unigram_candidate_sampler(
        labels, 1, 6, False, 20, seed=2, unigrams=list(range(1, 21))
    )
    fetches = [s.sampled_candidates for s in (log_unique, uniform, log_any, unigram)]
    with tf.Session() as sess:
        first, second = sess.run(fetches), sess.run(fetches)
        counts = sess.run(log_unique.true_expected_count)
    # TF 2.21 draws these (Philox words through SimplePhilox, 2048 words reserved a class)
    assert [c.tolist() for c in first] == [
        [1, 2, 17, 11, 4, 5],
        [19, 6, 7, 1, 13, 18],
        [1, 2, 1, 1, 17, 11],
        [15, 9, 6, 17, 14, 19],
    ]
    assert [c.tolist() for c in second] == [
        [7, 0, 10, 1, 17, 2],
        [7, 10, 2, 16, 8, 13],
        [7, 0, 10, 1, 17, 0],
        [11, 7, 19, 14, 13, 8],
    ]
    assert counts.ravel() == pytest.approx([0.63228828, 0.50083160, 0.41305739], rel=1e-6)


def test_unique_sampling_too_many_classes_fails_at_run_time(graph):
    s = tf.nn.uniform_candidate_sampler(tf.constant([[0]], tf.int64), 1, 6, True, 5)
    with tf.Session() as sess, pytest.raises(tf.errors.InvalidArgumentError, match="range"):
        sess.run(s)


# -- values of the losses ------------------------------------------------------------------

RNG = np.random.default_rng(0)
W = RNG.normal(size=(10, 4))
B = RNG.normal(size=10)
X = RNG.normal(size=(3, 4))
LABELS = np.array([[1, 4], [2, 7], [0, 2]], np.int64)
SAMPLED = np.array([7, 3, 2, 8, 5], np.int64)
TRUE_COUNT = np.array([[0.5, 0.2], [0.4, 0.1], [0.9, 0.4]])
SAMPLED_COUNT = np.array([0.1, 0.3, 0.4, 0.05, 0.2])


def _logits(w, b, x, remove_hits: bool):
    """The true and sampled logits, log-q corrected, in NumPy."""
    true = np.einsum("bd,btd->bt", x, w[LABELS]) + b[LABELS] - np.log(TRUE_COUNT)
    sampled = x @ w[SAMPLED].T + b[SAMPLED] - np.log(SAMPLED_COUNT)
    if remove_hits:
        hits = (LABELS[:, :, None] == SAMPLED[None, None, :]).any(axis=1)
        sampled = sampled + np.where(hits, -np.finfo(np.float32).max, 0.0)
    return np.concatenate([true, sampled], 1)


def _nce_reference(w, b, x, remove_hits=False):
    logits = _logits(w, b, x, remove_hits)
    labels = np.concatenate([np.full((3, 2), 0.5), np.zeros((3, 5))], 1)
    losses = np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))
    return losses.sum(1)


def _softmax_reference(w, b, x, remove_hits=True):
    logits = _logits(w, b, x, remove_hits)
    labels = np.concatenate([np.full((3, 2), 0.5), np.zeros((3, 5))], 1)
    shifted = logits - logits.max(1, keepdims=True)
    return -(labels * (shifted - np.log(np.exp(shifted).sum(1, keepdims=True)))).sum(1)


def _sampled_values(dtype=tf.float64):
    return (
        tf.constant(SAMPLED),
        tf.constant(TRUE_COUNT, dtype),
        tf.constant(SAMPLED_COUNT, dtype),
    )


@pytest.mark.parametrize("remove_hits", [False, True])
@pytest.mark.parametrize("loss", ["nce", "softmax"])
def test_loss_values(graph, loss, remove_hits):
    if loss == "nce":
        fn, reference = tf.nn.nce_loss, _nce_reference
    else:
        fn, reference = tf.nn.sampled_softmax_loss, _softmax_reference
    out = fn(
        W,
        B,
        LABELS,
        X,
        5,
        10,
        num_true=2,
        sampled_values=_sampled_values(),
        remove_accidental_hits=remove_hits,
    )
    shards = fn(
        [W[:5], W[5:]],
        [B[:5], B[5:]],
        LABELS,
        X,
        5,
        10,
        num_true=2,
        sampled_values=_sampled_values(),
        remove_accidental_hits=remove_hits,
        partition_strategy="div",
    )
    with tf.Session() as sess:
        value, sharded = sess.run([out, shards])
    np.testing.assert_allclose(value, reference(W, B, X, remove_hits), rtol=1e-10)
    np.testing.assert_allclose(sharded, value, rtol=1e-12)


def _nce(w, b, x):
    return tf.nn.nce_loss(w, b, LABELS, x, 5, 10, num_true=2, sampled_values=_sampled_values())


def _softmax(w, b, x):
    return tf.nn.sampled_softmax_loss(
        w, b, LABELS, x, 5, 10, num_true=2, sampled_values=_sampled_values()
    )


GRAD_CASES = [
    GradCase("nce-loss", _nce, (W, B, X)),
    GradCase("sampled-softmax-loss", _softmax, (W, B, X)),
]


@pytest.mark.parametrize("case", gradient_cases(GRAD_CASES))
def test_gradients_match_finite_differences(case):
    check_gradient_case(case)


# -- training ------------------------------------------------------------------------------


def test_word2vec_trains_with_sparse_updates(graph):
    """word2vec_basic's model: embeddings looked up by center word, NCE against the context
    word; loss decreases, and a step changes only the rows it looked up."""
    tf.set_random_seed(0)
    vocabulary, size, batch = 50, 8, 16
    inputs = tf.placeholder(tf.int32, [batch])
    labels = tf.placeholder(tf.int32, [batch, 1])
    embeddings = tf.Variable(tf.random_uniform([vocabulary, size], -1.0, 1.0))
    nce_weights = tf.Variable(tf.truncated_normal([vocabulary, size], stddev=1.0 / size**0.5))
    nce_biases = tf.Variable(tf.zeros([vocabulary]))
    embed = tf.nn.embedding_lookup(embeddings, inputs)
    loss = tf.reduce_mean(
        tf.nn.nce_loss(
            nce_weights, nce_biases, labels, embed, num_sampled=5, num_classes=vocabulary
        )
    )
    optimizer = tf.train.GradientDescentOptimizer(1.0)
    grads = optimizer.compute_gradients(loss)
    assert all(isinstance(g, tf.IndexedSlices) for g, _ in grads)
    train = optimizer.apply_gradients(grads)
    assert {op.type for op in graph.get_operations()} >= {"ScatterSub"}
    rng = np.random.default_rng(0)
    centers = rng.integers(0, vocabulary, batch)
    feed = {inputs: centers, labels: ((centers + 1) % vocabulary)[:, None]}  # a fixed context
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        before = sess.run(embeddings)
        first = sess.run(loss, feed)
        sess.run(train, feed)
        changed = np.flatnonzero((sess.run(embeddings) != before).any(axis=1))
        for _ in range(100):
            sess.run(train, feed)
        last = np.mean([sess.run(loss, feed) for _ in range(5)])
    assert set(changed) <= set(centers)
    assert last < 0.5 * first
