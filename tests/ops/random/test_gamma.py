"""Tests for scopeflow/ops/random/gamma.py: ``tf.random_gamma`` and ``tf.random_poisson``
build TF1's ops, names, static shapes and seeds and raise its errors (TensorFlow 2.21's
records, ``tests/data/tf_reference/special.json``); their kernels draw the right
distributions (moments), deterministically for a seed; the gamma sample's gradient is TF's
implicit reparameterization, checked against the derivative of the inverse CDF.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special as sp

import scopeflow as tf
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case

REFERENCE = tf_reference("special")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
SAMPLERS = ("tf.random", "tf.gradients(tf.random")
GRAPHS = {e: r for e, r in GROUPS["EXPRESSIONS"].items() if e.startswith(SAMPLERS)}
ERRORS = {e: r for e, r in GROUPS["ERRORS"].items() if e.startswith(SAMPLERS)}


@pytest.mark.parametrize("expr", list(GRAPHS))
def test_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GRAPHS[expr], None))


@pytest.mark.parametrize("expr", list(ERRORS))
def test_errors(graph, env, expr):
    check_against(graph, env, expr, expected(ERRORS[expr], None), left=None)


def test_seeds_come_from_the_graph_and_op_seeds(graph):
    tf.set_random_seed(5)
    tf.random_gamma([2], 1.0)
    tf.random_poisson(1.0, [2], seed=9)
    seeds = [
        (op.type, op.get_attr("seed"), op.get_attr("seed2"))
        for op in graph.get_operations()
        if op.type in ("RandomGamma", "RandomPoissonV2")
    ]
    assert seeds == [("RandomGamma", 5, 0), ("RandomPoissonV2", 5, 9)]


# -- kernels --------------------------------------------------------------------------------

N = 20000


def _raw(op_type, shape, param, **attrs):
    shape_t = tf.constant(np.asarray(shape, np.int32))
    attrs = {"seed": 1, "seed2": 2, **attrs}
    return tf.get_default_graph().create_op(op_type, [shape_t, param], attrs).outputs[0]


def _moments(mean, var, rtol=0.05):
    def predicate(x):
        x = x.astype(np.float64)
        return np.allclose(x.mean(0), mean, rtol=rtol) and np.allclose(x.var(0), var, rtol=3 * rtol)

    return predicate


ALPHA = np.array([0.3, 1.0, 4.5])
LAM = np.array([0.5, 3.0, 40.0])
KERNEL_CASES = [
    *(
        Case(f"gamma-{np.dtype(dt).name}", "RandomGamma", lambda a: _raw("RandomGamma", [N], a),
             (ALPHA.astype(dt),), Holds("mean and variance alpha", _moments(ALPHA, ALPHA)))
        for dt in (np.float16, np.float32, np.float64)
    ),
    Case("gamma-matrix", "RandomGamma", lambda a: _raw("RandomGamma", [N, 1], a),
         (np.array([[2.0], [8.0]]),),
         Holds("shape + alpha's shape", lambda x: x.shape == (N, 1, 2, 1)
               and np.allclose(x.mean(0).ravel(), [2.0, 8.0], rtol=0.03))),
    Case("gamma-no-samples", "RandomGamma", lambda a: _raw("RandomGamma", [0], a),
         (ALPHA,), np.zeros((0, 3))),
    *(
        Case(f"poisson-{np.dtype(dt).name}", "RandomPoissonV2",
             lambda lam, dt=dt: _raw("RandomPoissonV2", [N], lam, dtype=tf.as_dtype(dt)),
             (LAM.astype(np.float32),), Holds("mean and variance lam", _moments(LAM, LAM)))
        for dt in (np.float16, np.float32, np.float64, np.int32, np.int64)
    ),
    Case("poisson-int-rate", "RandomPoissonV2",
         lambda lam: _raw("RandomPoissonV2", [N], lam, dtype=tf.int64),
         (np.array([2, 7], np.int32),), Holds("mean and variance lam", _moments([2, 7], [2, 7]))),
    Case("poisson-edges", "RandomPoissonV2",
         lambda lam: _raw("RandomPoissonV2", [2], lam, dtype=tf.float32),
         (np.array([0.0, -1.0, np.inf, np.nan]),),
         np.array([[0.0, 0.0, np.inf, np.nan]] * 2, np.float32)),
    Case("poisson-edges-int", "RandomPoissonV2",
         lambda lam: _raw("RandomPoissonV2", [2], lam, dtype=tf.int32),
         (np.array([0.0, -1.0, np.inf, np.nan]),), np.zeros((2, 4), np.int32)),
    # TensorFlow 2.21's values (RandomGammaGrad run on its CPU).
    Case("gamma-grad-tf-values", "RandomGammaGrad",
         lambda a, x: tf.get_default_graph().create_op("RandomGammaGrad", [a, x]).outputs[0],
         (np.array([-1.0, 0.0, 0.5, 1.0, 2.0, 5.0, np.nan, 3.0, 1.0]),
          np.array([1.0, 1.0, 0.0, -1.0, 2.0, 4.0, 1.0, np.inf, np.nan])),
         np.array([np.nan, np.nan, 0.0, np.nan, 1.0862085766363292, 0.9227261342680146,
                   np.nan, 0.0, np.nan]), 1e-9),
]  # fmt: skip


# RandomGammaGrad over the bulk and the tails of Gamma(alpha): TensorFlow 2.21's values.
GRID_A = [0.0001, 0.001, 0.05, 0.3, 0.5, 1.0, 1.5, 3.0, 10.0, 50.0, 200.0, 1000.0, 0.01, 0.9]
GRID_X = [0.001, 1.0, 5.0, 0.1, 10.0, 2.0, 100.0, 5.0, 10.0, 30.0, 100.0, 500.0, 500.0, 500.0]
TF_GRID = [
    63.38037882649236, 597.2229774959419, 19.110263957072394, 0.789404403118272,
    4.162989887060221, 1.6316914623496996, 4.601410827501257, 1.349881068559514,
    1.0168234904310758, 0.7687741525252436, 0.6937158832991063, 0.6932608932124334,
    106.5669026868955, 6.970139416061464,
]  # fmt: skip
KERNEL_CASES.append(
    Case(
        "gamma-grad-tf-grid",
        "RandomGammaGrad",
        lambda a, x: tf.get_default_graph().create_op("RandomGammaGrad", [a, x]).outputs[0],
        (np.array(GRID_A), np.array(GRID_X)),
        np.array(TF_GRID),
        1e-8,
    )
)


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(KERNEL_CASES))
def test_kernel(run, case, mode):
    check_case(run, case, mode)


def test_gamma_edges_are_tfs(run):
    # TF 2.21: alpha 0 -> tiny (0 before the maximum), < 0 or nan -> nan, inf -> inf.
    tiny = np.finfo(np.float32).tiny
    got = run(tf.random_gamma([2], [0.0, -1.0, np.nan, np.inf, 1e-3], seed=1))
    assert np.array_equal(got[:, :4], [[tiny, np.nan, np.nan, np.inf]] * 2, equal_nan=True)
    assert (got[:, 4] >= tiny).all()


def test_beta_is_a_rate(run):
    g = run(tf.random_gamma([N], [3.0], beta=[[1.0], [4.0]], seed=2))
    assert g.shape == (N, 2, 1)
    np.testing.assert_allclose(g.mean(0).ravel(), [3.0, 0.75], rtol=0.03)


def test_a_seeded_op_repeats_across_sessions_and_draws_anew_each_run(graph):
    g = tf.random_gamma([4], [1.0, 2.0], seed=3)
    p = tf.random_poisson([1.0, 2.0], [4], seed=3)
    with tf.Session() as one, tf.Session() as two:
        first = one.run([g, p])
        assert all(np.array_equal(a, b) for a, b in zip(first, two.run([g, p]), strict=True))
        assert not np.array_equal(one.run(g), first[0])


# -- the gamma sample's gradient ------------------------------------------------------------


def _inverse_cdf_derivative(alpha, x, h=1e-4):
    """``d x / d alpha`` holding the CDF ``u = P(alpha, x)`` fixed: the derivative of the
    inverse CDF ``x = P^-1(alpha, u)``, by central differences of SciPy's gammaincinv."""
    u = sp.gammainc(alpha, x)
    return (sp.gammaincinv(alpha + h, u) - sp.gammaincinv(alpha - h, u)) / (2 * h)


def test_gradient_is_the_inverse_cdf_derivative_at_each_sample(run):
    # TF's implicit reparameterization: each sample moves with alpha along the inverse CDF.
    # (A stateful sampler draws anew each run, so a finite difference of runs cannot check it.)
    alpha = tf.constant([0.7, 2.0, 9.0], tf.float64)
    samples = tf.random_gamma([50], alpha, dtype=tf.float64, seed=4)
    per_sample = [tf.gradients(samples[i], alpha)[0] for i in range(3)]
    x, *grads = run([samples, *per_sample])
    for i, grad in enumerate(grads):
        want = _inverse_cdf_derivative(np.array([0.7, 2.0, 9.0]), x[i])
        np.testing.assert_allclose(grad, want, rtol=1e-6)


def test_gradient_of_the_mean_is_one_over_beta(run):
    alpha = tf.constant([0.5, 3.0])
    means = tf.reduce_mean(tf.random_gamma([N], alpha, beta=2.0, seed=5), 0)
    (grad,) = tf.gradients(means, alpha)  # d E[x] / d alpha = 1 / beta
    np.testing.assert_allclose(run(grad), [0.5, 0.5], rtol=0.05)


def test_poisson_and_the_gamma_gradient_have_no_gradient_of_their_own(graph):
    lam = tf.constant([1.0, 2.0])
    assert tf.gradients(tf.random_poisson(lam, [3]), lam) == [None]
    alpha = tf.constant([1.0, 2.0])
    (g,) = tf.gradients(tf.random_gamma([3], alpha), alpha)
    assert tf.gradients(g, alpha) == [None]


def test_stateful_samples_are_tfs_over_runs():
    """TF 2.21's values: graph seed 7, each op's second run drawing the next outputs."""
    with tf.Graph().as_default():
        tf.set_random_seed(7)
        g = tf.random_gamma([3], [1.5, 0.5], seed=1)
        g64 = tf.random_gamma([2], 3.0, beta=2.0, seed=2, dtype=tf.float64)
        p = tf.random_poisson([1.0, 30.0], [3], seed=3)
        pi = tf.random.poisson(4.0, [4], seed=4, dtype=tf.int64)
        with tf.Session() as sess:
            got = [sess.run(t).tolist() for t in (g, g, g64, p, p, pi)]
    assert got[0] == [[1.254262089729309, 0.3923157751560211],
                      [0.34912919998168945, 0.57468581199646],
                      [0.8340654969215393, 0.008981543593108654]]  # fmt: skip
    assert got[1][0] == [1.7002590894699097, 0.10886877030134201]
    np.testing.assert_allclose(got[2], [1.6007227048782122, 3.1992116346114607], rtol=1e-15)
    assert got[3] == [[1.0, 23.0], [2.0, 35.0], [0.0, 23.0]]
    assert got[4] == [[0.0, 30.0], [0.0, 30.0], [2.0, 27.0]]
    assert got[5] == [4, 8, 3, 6]
