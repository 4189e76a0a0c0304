"""``tf.distributions``: TF1's probability distributions (``Normal``, ``Bernoulli``,
``Categorical``...), their base class, reparameterization types and KL divergences.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     d = tf.distributions.Bernoulli(probs=0.25)
...     print(tf.Session().run(d.mean()))
0.25
"""

from __future__ import annotations

from scopeflow.distributions.base import (
    FULLY_REPARAMETERIZED,
    NOT_REPARAMETERIZED,
    Distribution,
    ReparameterizationType,
)
from scopeflow.distributions.discrete import Bernoulli, Categorical
from scopeflow.distributions.gamma_family import Beta, Exponential, Gamma, StudentT
from scopeflow.distributions.kullback_leibler import RegisterKL, kl_divergence
from scopeflow.distributions.multivariate import Dirichlet, DirichletMultinomial, Multinomial
from scopeflow.distributions.normal import Laplace, Normal, Uniform

__all__ = [
    "FULLY_REPARAMETERIZED",
    "NOT_REPARAMETERIZED",
    "Bernoulli",
    "Beta",
    "Categorical",
    "Dirichlet",
    "DirichletMultinomial",
    "Distribution",
    "Exponential",
    "Gamma",
    "Laplace",
    "Multinomial",
    "Normal",
    "RegisterKL",
    "ReparameterizationType",
    "StudentT",
    "Uniform",
    "kl_divergence",
]
