"""Values ``make_distributions_values.py`` records under TensorFlow and
tests/distributions/test_values.py compares scopeflow's with: the same function runs under
either library, given as ``tf``. Inputs are fixed float32 arrays; each entry is a list of
fetched values: the results (densities, statistics, KL divergences), then the gradients of
their weighted sum with respect to the parameters and values."""

import numpy as np
from nn_extras_model import record_values


def _inputs():
    rng = np.random.default_rng(7)
    return {
        "loc": rng.standard_normal((2, 3)).astype(np.float32),
        "loc2": rng.standard_normal((2, 3)).astype(np.float32),
        "scale": rng.uniform(0.5, 2.0, (2, 3)).astype(np.float32),
        "scale2": rng.uniform(0.5, 2.0, (2, 3)).astype(np.float32),
        "x": (2.0 * rng.standard_normal((2, 3))).astype(np.float32),
        "low": rng.uniform(-2.0, 0.0, (2, 3)).astype(np.float32),
        "high": rng.uniform(0.5, 2.0, (2, 3)).astype(np.float32),
        "inside": rng.uniform(0.0, 0.4, (2, 3)).astype(np.float32),
        "logits": rng.standard_normal((2, 3)).astype(np.float32),
        "logits2": rng.standard_normal((2, 3)).astype(np.float32),
        "probs": rng.uniform(0.05, 0.95, (2, 3)).astype(np.float32),
        "bits": np.int32([[0, 1, 1], [1, 0, 0]]),
        "classes": np.int32([2, 0]),
        "positive": rng.uniform(0.5, 3.0, (2, 3)).astype(np.float32),
        "positive2": rng.uniform(0.5, 3.0, (2, 3)).astype(np.float32),
        "unit": rng.uniform(0.05, 0.95, (2, 3)).astype(np.float32),
    }


def _stats(d):
    return [d.entropy(), d.mean(), d.stddev(), d.variance()]


def _graphs(tf, c):
    """{name: (results, the tensors to differentiate them with respect to)}."""
    ds = tf.distributions
    normal = ds.Normal(c["loc"], c["scale"])
    normal2 = ds.Normal(c["loc2"], c["scale2"])
    laplace = ds.Laplace(c["loc"], c["scale"])
    uniform = ds.Uniform(c["low"], c["high"])
    bern = ds.Bernoulli(logits=c["logits"])
    bern_p = ds.Bernoulli(probs=c["probs"])
    cat = ds.Categorical(logits=c["logits"])
    cat2 = ds.Categorical(logits=c["logits2"])
    cat_p = ds.Categorical(probs=c["probs"] / tf.reduce_sum(c["probs"], -1, keepdims=True))
    x, loc, scale = c["x"], c["loc"], c["scale"]
    pos, pos2, unit = c["positive"], c["positive2"], c["unit"]
    gamma = ds.Gamma(pos, pos2)
    expo = ds.Exponential(pos)
    beta = ds.Beta(pos, pos2)
    student = ds.StudentT(pos + 2.0, loc, scale)
    student_low = ds.StudentT(pos, loc, scale)
    dirichlet = ds.Dirichlet(pos)
    simplex = unit / tf.reduce_sum(unit, -1, keepdims=True)
    counts = tf.constant([[1.0, 0.0, 3.0], [2.0, 2.0, 1.0]])
    multinomial = ds.Multinomial([4.0, 5.0], logits=c["logits"])
    dirichlet_multinomial = ds.DirichletMultinomial(5.0, pos)
    return {
        "normal-cdf": (
            [
                normal.cdf(x),
                normal.log_cdf(x),
                normal.survival_function(x),
                normal.log_survival_function(x),
                normal.log_cdf(-40.0 * tf.abs(x)),
                normal.quantile(unit),
            ],
            [loc, scale, x],
        ),
        "gamma": (
            [
                gamma.log_prob(pos2),
                gamma.prob(pos2),
                gamma.cdf(pos2),
                gamma.mode(),
                *_stats(gamma),
            ],
            [pos, pos2],
        ),
        "gamma-kl": ([ds.kl_divergence(gamma, ds.Gamma(pos2, pos))], [pos, pos2]),
        "exponential": (
            [
                expo.log_prob(pos2),
                expo.cdf(pos2),
                expo.log_survival_function(pos2),
                *_stats(expo),
                ds.kl_divergence(expo, ds.Exponential(pos2)),
            ],
            [pos, pos2],
        ),
        "beta": (
            [
                beta.log_prob(unit),
                beta.prob(unit),
                beta.cdf(unit),
                beta.log_cdf(unit),
                beta.mode(),
                beta.entropy(),
                beta.mean(),
                beta.variance(),
                ds.kl_divergence(beta, ds.Beta(pos2, pos)),
            ],
            [pos, pos2, unit],
        ),
        "student-t": (
            [
                student.log_prob(x),
                student.prob(x),
                student.cdf(x),
                student.mode(),
                *_stats(student),
                student_low.mean(),
                student_low.variance(),
            ],
            [pos, loc, scale, x],
        ),
        "dirichlet": (
            [
                dirichlet.log_prob(simplex),
                dirichlet.prob(simplex),
                dirichlet.entropy(),
                dirichlet.mean(),
                dirichlet.variance(),
                dirichlet.covariance(),
                ds.kl_divergence(dirichlet, ds.Dirichlet(pos2)),
            ],
            [pos, pos2, unit],
        ),
        "multinomial": (
            [
                multinomial.log_prob(counts),
                multinomial.prob(counts),
                multinomial.mean(),
                multinomial.variance(),
                multinomial.covariance(),
            ],
            [c["logits"]],
        ),
        "dirichlet-multinomial": (
            [
                dirichlet_multinomial.log_prob(counts),
                dirichlet_multinomial.prob(counts),
                dirichlet_multinomial.mean(),
                dirichlet_multinomial.variance(),
                dirichlet_multinomial.covariance(),
            ],
            [pos],
        ),
        "normal": (
            [normal.log_prob(x), normal.prob(x), normal.mode(), *_stats(normal)],
            [loc, scale, x],
        ),
        "normal-kl": (
            [ds.kl_divergence(normal, normal2), normal.cross_entropy(normal2)],
            [loc, scale, c["loc2"], c["scale2"]],
        ),
        "laplace": (
            [
                laplace.log_prob(x),
                laplace.prob(x),
                laplace.cdf(x),
                laplace.log_cdf(x),
                laplace.survival_function(x),
                laplace.log_survival_function(x),
                laplace.mode(),
                *_stats(laplace),
            ],
            [loc, scale, x],
        ),
        "uniform": (
            [
                uniform.prob(c["inside"]),
                uniform.log_prob(c["inside"]),
                uniform.cdf(c["inside"]),
                uniform.cdf(x),
                uniform.prob(x),
                *_stats(uniform),
            ],
            [c["low"], c["high"]],
        ),
        "bernoulli": (
            [
                bern.log_prob(c["bits"]),
                bern.prob(c["bits"]),
                bern.probs,
                tf.cast(bern.mode(), tf.float32),
                *_stats(bern),
            ],
            [c["logits"]],
        ),
        "bernoulli-probs": (
            [bern_p.log_prob(c["bits"]), bern_p.logits, bern_p.entropy(), bern_p.variance()],
            [c["probs"]],
        ),
        "bernoulli-kl": ([ds.kl_divergence(bern, bern_p)], [c["logits"], c["probs"]]),
        "categorical": (
            [
                cat.log_prob(c["classes"]),
                cat.prob(c["classes"]),
                cat.cdf(c["classes"]),
                cat.log_prob(1),
                cat.probs,
                cat.entropy(),
                tf.cast(cat.mode(), tf.float32),
            ],
            [c["logits"]],
        ),
        "categorical-probs": (
            [cat_p.log_prob(c["classes"]), cat_p.logits, cat_p.entropy()],
            [c["probs"]],
        ),
        "categorical-kl": (
            [ds.kl_divergence(cat, cat2), cat.cross_entropy(cat2)],
            [c["logits"], c["logits2"]],
        ),
    }


def values(tf, names=None) -> dict:
    """``{name: [value, ...]}``: each graph's results, then the gradients of their weighted
    sum with respect to its inputs."""
    return record_values(tf, _inputs(), _graphs, names)
