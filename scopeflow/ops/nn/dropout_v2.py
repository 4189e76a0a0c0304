"""``tf.nn.experimental.stateless_dropout`` and ``general_dropout``: TF's dropout graph (scale
the kept values by ``1 / (1 - rate)``, zero the others) with the noise drawn by
``tf.random.stateless_uniform`` from a ``[2]`` seed, or by any sampler given."""

from __future__ import annotations

from scopeflow.framework import undo
from scopeflow.ops.nn.composite import dropout_with
from scopeflow.ops.random.stateless_v2 import stateless_random_uniform

__all__ = ["general_dropout", "stateless_dropout"]


@undo.atomic
def stateless_dropout(x, rate, seed, rng_alg=None, noise_shape=None, name=None):
    """Dropout whose noise is fixed by ``seed`` (two integers) and ``rng_alg``: the same
    values in every run and session.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     y = tf.nn.experimental.stateless_dropout(tf.ones([4]), 0.5, seed=[1, 2])
    ...     print(tf.Session().run(y))
    [2. 0. 2. 0.]
    """
    alg = "auto_select" if rng_alg is None else rng_alg

    def sampler(shape, dtype):
        return stateless_random_uniform(shape, seed=seed, dtype=dtype, alg=alg)

    return dropout_with(x, rate, noise_shape, sampler, name, "stateless_dropout")


@undo.atomic
def general_dropout(x, rate, uniform_sampler, noise_shape=None, name=None):
    """Dropout whose noise comes from ``uniform_sampler(shape=..., dtype=...)``, a tensor
    uniform in ``[0, 1)`` (``tf.random.stateless_uniform`` with a seed bound, a
    ``tf.random.Generator``'s ``uniform``...)."""

    def sampler(shape, dtype):
        return uniform_sampler(shape=shape, dtype=dtype)

    return dropout_with(x, rate, noise_shape, sampler, name, "general_dropout")
