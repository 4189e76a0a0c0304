"""``tf.distributions.kl_divergence`` and the registry of KL functions by pair of types
(``RegisterKL``); ``cross_entropy`` as entropy plus KL.

The function for a pair is the registered one nearest to the pair's own types along their
method resolution orders (the sum of the two distances), as TF1 looks it up, so a function
registered for ``(Gamma, Gamma)`` serves two ``Exponential`` distributions.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     kl = tf.distributions.kl_divergence(
...         tf.distributions.Normal(0.0, 1.0), tf.distributions.Normal(1.0, 1.0))
...     print(tf.Session().run(kl))
0.5
"""

from __future__ import annotations

from collections.abc import Callable

from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.ops.array.basic import identity
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.math.elementwise import is_nan, logical_not
from scopeflow.ops.math.reduction import reduce_any

KLFn = Callable  # (distribution_a, distribution_b, name=None) -> Tensor

_DIVERGENCES: dict[tuple[type, type], KLFn] = {}


def _registered_kl(type_a: type, type_b: type) -> KLFn | None:
    """The function registered for the nearest pair of ancestors of the two types."""
    best, best_distance = None, None
    for distance_a, parent_a in enumerate(type_a.__mro__):
        for distance_b, parent_b in enumerate(type_b.__mro__):
            candidate = _DIVERGENCES.get((parent_a, parent_b))
            distance = distance_a + distance_b
            if candidate is not None and (best is None or distance < best_distance):
                best, best_distance = candidate, distance
    return best


def kl_divergence(distribution_a, distribution_b, allow_nan_stats=True, name=None):
    """``KL[distribution_a || distribution_b]``, batched, by the function registered for the
    pair's types; with ``allow_nan_stats=False``, running it fails on a NaN result.

    Raises:
        NotImplementedError: no KL function is registered for the two types.
    """
    kl_fn = _registered_kl(type(distribution_a), type(distribution_b))
    if kl_fn is None:
        raise NotImplementedError(
            "No KL(distribution_a || distribution_b) registered for distribution_a type "
            f"{type(distribution_a).__name__} and distribution_b type "
            f"{type(distribution_b).__name__}"
        )
    with name_scope("KullbackLeibler"):
        kl_t = kl_fn(distribution_a, distribution_b, name=name)
        if allow_nan_stats:
            return kl_t
        kl_t = identity(kl_t, name="kl")
        message = (
            f"KL calculation between {distribution_a.name} and {distribution_b.name} returned "
            "NaN values (and was called with allow_nan_stats=False). Values:"
        )
        check = Assert(logical_not(reduce_any(is_nan(kl_t))), [message, kl_t])
        with control_dependencies([check]):
            return identity(kl_t, name="checked_kl")


def cross_entropy(ref, other, allow_nan_stats=True, name=None):
    """``H[ref, other] = H[ref] + KL[ref || other]``."""
    with name_scope(name, "cross_entropy"):
        return ref.entropy() + kl_divergence(ref, other, allow_nan_stats=allow_nan_stats)


class RegisterKL:
    """A decorator registering the KL function of a pair of distribution types.

    >>> import scopeflow as tf
    >>> class Point(tf.distributions.Normal):
    ...     pass
    >>> @tf.distributions.RegisterKL(Point, Point)
    ... def _kl_point_point(a, b, name=None):
    ...     return tf.zeros_like(a.loc)
    """

    def __init__(self, dist_cls_a: type, dist_cls_b: type):
        self._key = (dist_cls_a, dist_cls_b)

    def __call__(self, kl_fn: KLFn) -> KLFn:
        if not callable(kl_fn):
            raise TypeError(f"kl_fn must be callable, received: {kl_fn}")
        if self._key in _DIVERGENCES:
            a, b = self._key
            raise ValueError(
                f"KL({a.__name__} || {b.__name__}) has already been registered to: "
                f"{_DIVERGENCES[self._key]}"
            )
        _DIVERGENCES[self._key] = kl_fn
        return kl_fn
