"""Tests for scopeflow/distributions/ beyond TF's records (tests/distributions/test_names.py,
test_values.py): run-time checks of ``validate_args`` and ``allow_nan_stats``, sample moments
and seeds, gradients through reparameterized samples, the KL registry, the base class."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf

ds = tf.distributions


def test_namespace_has_tf1s_names():
    assert set(ds.__all__) == {
        *("Bernoulli", "Beta", "Categorical", "Dirichlet", "DirichletMultinomial"),
        *("Distribution", "Exponential"),
        *("FULLY_REPARAMETERIZED", "Gamma", "Laplace", "Multinomial", "NOT_REPARAMETERIZED"),
        *("Normal", "RegisterKL", "ReparameterizationType", "StudentT", "Uniform"),
        "kl_divergence",
    }
    assert all(hasattr(ds, name) for name in ds.__all__)
    assert tf.compat.v1.distributions is ds


# -- run-time checks ---------------------------------------------------------------------------


def test_validate_args_checks_the_scale_when_run(graph, run):
    scale = tf.placeholder(tf.float32, [2])
    d = ds.Normal(0.0, scale, validate_args=True)
    lp = d.log_prob(0.0)
    np.testing.assert_allclose(run(lp, {scale: [1.0, 2.0]}), [-0.9189385, -1.6120857], rtol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Condition x > 0 did not hold"):
        run(lp, {scale: [1.0, -2.0]})


def test_without_validate_args_a_bad_scale_gives_nan(graph, run):
    scale = tf.placeholder(tf.float32, [])
    assert np.isnan(run(ds.Normal(0.0, scale).log_prob(0.0), {scale: -1.0}))


def test_validate_args_checks_uniform_bounds_and_bernoulli_events(graph, run):
    low = tf.placeholder(tf.float32, [])
    u = ds.Uniform(low, 1.0, validate_args=True)
    with pytest.raises(
        tf.errors.InvalidArgumentError, match="uniform not defined when low >= high"
    ):
        run(u.mean(), {low: 2.0})
    b = ds.Bernoulli(probs=0.5, validate_args=True)
    event = tf.placeholder(tf.int32, [])
    assert run(b.prob(event), {event: 1}) == pytest.approx(0.5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Elements must be non-negative"):
        run(b.prob(event), {event: -1})
    c = ds.Categorical(logits=[0.0, 0.0], validate_args=True)
    k = tf.placeholder(tf.float32, [])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Elements must be int32-equivalent"):
        run(c.log_prob(k), {k: 0.5})


def test_validate_args_checks_probabilities(graph, run):
    p = tf.placeholder(tf.float32, [3])
    c = ds.Categorical(probs=p, validate_args=True)
    assert run(c.prob(0), {p: [0.5, 0.25, 0.25]}) == pytest.approx(0.5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="probs does not sum to 1"):
        run(c.prob(0), {p: [0.5, 0.5, 0.5]})


def test_kl_with_allow_nan_stats_false_fails_on_nan(graph, run):
    loc = tf.placeholder(tf.float32, [])
    a, b = ds.Normal(loc, 1.0), ds.Normal(0.0, 1.0)
    kl = ds.kl_divergence(a, b, allow_nan_stats=False)
    assert kl.op.name == "KullbackLeibler/checked_kl"
    assert run(kl, {loc: 0.0}) == 0.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="returned NaN values"):
        run(kl, {loc: np.nan})
    assert np.isnan(run(ds.kl_divergence(a, b), {loc: np.nan}))


@pytest.mark.parametrize(
    ("make", "fetch", "message"),
    [
        (lambda p: ds.Gamma(p, 1.0, allow_nan_stats=False), "mode", "mode not defined"),
        (lambda p: ds.Beta(p, 3.0, allow_nan_stats=False), "mode", "concentration1 <= 1"),
        (lambda p: ds.StudentT(p, 0.0, 1.0, allow_nan_stats=False), "mean", "df <= 1"),
        (lambda p: ds.StudentT(p, 0.0, 1.0, allow_nan_stats=False), "variance", "df <= 1"),
    ],
)
def test_undefined_statistics_fail_when_run_without_allow_nan_stats(graph, run, make, fetch,
                                                                      message):  # fmt: skip
    p = tf.placeholder(tf.float32, [])
    stat = getattr(make(p), fetch)()
    assert np.isfinite(run(stat, {p: 3.0}))
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        run(stat, {p: 0.5})
    nan_stat = getattr(make(p).copy(allow_nan_stats=True), fetch)()
    assert np.isnan(run(nan_stat, {p: 0.5}))


def test_dirichlet_mode_of_a_batch_picks_rows_as_tf1(graph, run):
    # TF 2.21's where_v2 fails here (a [2] condition against [2, 3] modes); TF 1.x's where
    # picks each distribution's row.
    mode = run(ds.Dirichlet([[2.0, 3.0, 5.0], [0.5, 2.0, 2.0]]).mode())
    np.testing.assert_allclose(mode[0], [1 / 7, 2 / 7, 4 / 7], rtol=1e-6)
    assert np.isnan(mode[1]).all()


def test_multinomial_checks_counts_when_run(graph, run):
    d = ds.Multinomial(2.5, probs=[0.5, 0.5], validate_args=True)
    with pytest.raises(tf.errors.InvalidArgumentError, match="cannot contain fractional"):
        run(d.mean())
    counts = tf.placeholder(tf.float32, [2])
    lp = ds.Multinomial(3.0, probs=[0.5, 0.5], validate_args=True).log_prob(counts)
    assert run(lp, {counts: [1.0, 2.0]}) == pytest.approx(np.log(3 / 8))
    with pytest.raises(tf.errors.InvalidArgumentError, match="counts must sum to"):
        run(lp, {counts: [1.0, 1.0]})


# -- samples -----------------------------------------------------------------------------------

N = 20000


@pytest.mark.parametrize(
    ("make", "mean", "var"),
    [
        (lambda: ds.Normal([1.0, -2.0], [0.5, 2.0]), [1.0, -2.0], [0.25, 4.0]),
        (lambda: ds.Laplace([1.0, -2.0], [0.5, 2.0]), [1.0, -2.0], [0.5, 8.0]),
        (lambda: ds.Uniform([0.0, -1.0], [1.0, 3.0]), [0.5, 1.0], [1 / 12, 16 / 12]),
        (lambda: ds.Bernoulli(probs=[0.2, 0.9]), [0.2, 0.9], [0.16, 0.09]),
        (lambda: ds.Gamma([0.5, 4.0], [1.0, 2.0]), [0.5, 2.0], [0.5, 1.0]),
        (lambda: ds.Exponential([0.5, 4.0]), [2.0, 0.25], [4.0, 1 / 16]),
        (lambda: ds.Beta([0.5, 2.0], [0.5, 6.0]), [0.5, 0.25], [0.125, 3 / 144]),
        (lambda: ds.StudentT([5.0, 10.0], [1.0, -1.0], [1.0, 2.0]), [1.0, -1.0], [5 / 3, 5.0]),
    ],
)
def test_sample_moments(graph, run, make, mean, var):
    d = make()
    s = run(d.sample(N, seed=3))
    assert s.shape == (N, 2) and s.dtype == d.dtype.as_numpy_dtype
    np.testing.assert_allclose(s.mean(0), mean, atol=5 * np.sqrt(np.max(var) / N))
    np.testing.assert_allclose(s.var(0), var, rtol=0.1)


def test_categorical_sample_frequencies_and_shape(graph, run):
    d = ds.Categorical(probs=[[0.1, 0.6, 0.3], [0.5, 0.0, 0.5]])
    s = run(d.sample([N, 1], seed=1))
    assert s.shape == (N, 1, 2) and s.dtype == np.int32
    np.testing.assert_allclose(np.bincount(s[:, 0, 0], minlength=3) / N, [0.1, 0.6, 0.3], atol=0.02)
    assert set(np.unique(s[:, 0, 1])) <= {0, 2}


def test_dirichlet_and_multinomial_sample_moments(graph, run):
    alpha = np.float32([1.0, 2.0, 5.0])
    d = run(ds.Dirichlet(alpha).sample(N, seed=7))
    assert d.shape == (N, 3)
    np.testing.assert_allclose(d.sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(d.mean(0), alpha / 8, atol=0.01)
    m = run(ds.Multinomial([3.0, 10.0], probs=[0.2, 0.3, 0.5]).sample(N // 10, seed=8))
    assert m.shape == (N // 10, 2, 3) and m.dtype == np.float32
    np.testing.assert_array_equal(m.sum(-1), np.broadcast_to([3.0, 10.0], (N // 10, 2)))
    np.testing.assert_allclose(m[:, 1].mean(0), [2.0, 3.0, 5.0], rtol=0.05)
    dm = ds.DirichletMultinomial(5.0, [[1.0, 2.0, 3.0], [2.0, 2.0, 2.0]])
    x, mean, var = run([dm.sample(N // 5, seed=2), dm.mean(), dm.variance()])
    assert x.shape == (N // 5, 2, 3)
    np.testing.assert_array_equal(x.sum(-1), 5.0)
    np.testing.assert_allclose(x.mean(0), mean, rtol=0.05)
    np.testing.assert_allclose(x.var(0), var, rtol=0.1)


def test_bernoulli_samples_are_zeros_and_ones_of_its_dtype(graph, run):
    s = run(ds.Bernoulli(probs=0.5, dtype=tf.bool).sample([4, 5], seed=2))
    assert s.shape == (4, 5) and s.dtype == np.bool_


def test_a_seed_repeats_the_samples_in_a_new_graph():
    def draw():
        with tf.Graph().as_default():
            tf.set_random_seed(5)
            s = ds.Normal(0.0, 1.0).sample(6, seed=1)
            with tf.Session() as sess:
                return sess.run(s), sess.run(s)

    (a, b), (c, _) = draw(), draw()
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, b)  # a second run draws anew


def test_sample_shape_as_a_tensor(graph, run):
    n = tf.placeholder(tf.int32, [2])
    s = ds.Normal(tf.zeros([3]), 1.0).sample(n, seed=1)
    assert s.shape.as_list() == [None, None, 3]
    assert run(s, {n: [2, 4]}).shape == (2, 4, 3)


# -- gradients ---------------------------------------------------------------------------------


def test_normal_samples_are_reparameterized(graph, run):
    loc, scale = tf.constant([1.0, 2.0]), tf.constant([0.5, 3.0])
    d = ds.Normal(loc, scale)
    assert d.reparameterization_type == ds.FULLY_REPARAMETERIZED
    s = d.sample(5, seed=4)
    g_loc, g_scale = tf.gradients(tf.reduce_sum(s), [loc, scale])
    sv, gl, gs = run([s, g_loc, g_scale])
    np.testing.assert_allclose(gl, [5.0, 5.0])  # d(loc + scale * eps) / dloc
    np.testing.assert_allclose(gs, ((sv - [1.0, 2.0]) / [0.5, 3.0]).sum(0), rtol=1e-5)  # eps


def test_uniform_and_laplace_samples_carry_gradients(graph, run):
    a, b = tf.constant(0.5), tf.constant(2.0)
    s = ds.Uniform(a, b).sample(7, seed=2)  # low + (high - low) * u
    sv, ga, gb = run([s, *tf.gradients(tf.reduce_sum(s), [a, b])])
    u = (sv - 0.5) / 1.5
    np.testing.assert_allclose([ga, gb], [7 - u.sum(), u.sum()], rtol=1e-4)
    t = ds.Laplace(a, b).sample(7, seed=2)  # loc - scale * sign(u) * log1p(-|u|)
    tv, ga, gb = run([t, *tf.gradients(tf.reduce_sum(t), [a, b])])
    np.testing.assert_allclose([ga, gb], [7.0, ((tv - 0.5) / 2.0).sum()], rtol=1e-4)


def test_gamma_samples_are_reparameterized(graph, run):
    concentration, rate = tf.constant([0.5, 3.0]), tf.constant([2.0, 0.5])
    s = ds.Gamma(concentration, rate).sample(6, seed=3)
    sv, g_rate = run([s, tf.gradients(tf.reduce_sum(s), rate)[0]])
    np.testing.assert_allclose(g_rate, (-sv / [2.0, 0.5]).sum(0), rtol=1e-4)  # x = g / rate
    (g_conc,) = tf.gradients(tf.reduce_sum(s), concentration)
    assert np.all(run(g_conc) > 0)  # larger shapes, larger samples


def test_discrete_samples_have_no_gradient(graph):
    logits = tf.constant([0.0, 1.0])
    d = ds.Categorical(logits=logits)
    assert d.reparameterization_type == ds.NOT_REPARAMETERIZED
    assert tf.gradients(tf.reduce_sum(tf.cast(d.sample(3), tf.float32)), logits) == [None]


def test_log_prob_gradient_against_finite_differences(graph, run):
    loc = tf.placeholder(tf.float64, [])
    lp = ds.Normal(loc, np.float64(1.5)).log_prob(np.float64(0.7))
    (g,) = tf.gradients(lp, loc)
    eps = 1e-6
    numeric = (run(lp, {loc: 0.2 + eps}) - run(lp, {loc: 0.2 - eps})) / (2 * eps)
    assert run(g, {loc: 0.2}) == pytest.approx(numeric, rel=1e-6)
    assert run(g, {loc: 0.2}) == pytest.approx((0.7 - 0.2) / 1.5**2)


# -- the base class and the KL registry --------------------------------------------------------


def test_properties_parameters_and_copy(graph):
    d = ds.Normal([0.0, 1.0], 2.0, validate_args=True, allow_nan_stats=False, name="enc")
    assert (d.name, d.dtype, d.validate_args, d.allow_nan_stats) == (
        "enc/",
        tf.float32,
        True,
        False,
    )
    assert d.parameters == {
        "loc": [0.0, 1.0], "scale": 2.0, "validate_args": True, "allow_nan_stats": False,
        "name": "enc",
    }  # fmt: skip
    assert d.batch_shape.as_list() == [2] and d.event_shape.as_list() == []
    e = d.copy(scale=3.0)
    assert (e.name, e.parameters["scale"], e.validate_args) == ("enc_1/", 3.0, True)
    assert isinstance(d, ds.Distribution)


def test_kl_of_subclasses_uses_the_nearest_registered_pair(graph, run):
    class Wide(ds.Normal):
        pass

    kl = ds.kl_divergence(Wide(0.0, 1.0), ds.Normal(1.0, 1.0))
    assert run(kl) == pytest.approx(0.5)

    class Narrow(ds.Normal):
        pass

    @ds.RegisterKL(Narrow, ds.Normal)
    def _kl_narrow(a, b, name=None):
        return tf.constant(7.0)

    assert run(ds.kl_divergence(Narrow(0.0, 1.0), ds.Normal(1.0, 1.0))) == 7.0
    assert run(ds.kl_divergence(Narrow(0.0, 1.0), Narrow(1.0, 1.0))) == 7.0


def test_a_subclass_implements_only_what_it_needs(graph, run):
    class Point(ds.Distribution):
        def __init__(self, where):
            self._where = tf.convert_to_tensor(where)
            super().__init__(tf.float32, ds.NOT_REPARAMETERIZED, False, True, name="Point")

        def _prob(self, x):
            return tf.cast(tf.equal(x, self._where), tf.float32)

        def _variance(self):
            return tf.zeros_like(self._where)

    p = Point(2.0)
    assert run([p.prob(2.0), p.stddev()]) == [1.0, 0.0]
    assert p.log_prob(3.0).op.type == "Log"  # log(_prob)
    with pytest.raises(NotImplementedError, match="cdf is not implemented: Point"):
        p.cdf(1.0)
    with pytest.raises(NotImplementedError, match="sample_n is not implemented: Point"):
        p.sample()
    assert str(p) == 'tfp.distributions.Point("Point/", dtype=float32)'
