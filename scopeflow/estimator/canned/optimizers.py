"""The optimizer a canned estimator trains with: an ``Optimizer``, a callable returning one,
or one of TF1's names (``'Adagrad'``, ``'Adam'``, ``'Ftrl'``, ``'RMSProp'``, ``'SGD'``) made
with the estimator's default learning rate."""

from __future__ import annotations

from scopeflow.train.optimizer import Optimizer
from scopeflow.train.optimizers import (
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    RMSPropOptimizer,
)
from scopeflow.train.optimizers_proximal import FtrlOptimizer

_OPTIMIZER_CLS_NAMES = {
    "Adagrad": AdagradOptimizer,
    "Adam": AdamOptimizer,
    "Ftrl": FtrlOptimizer,
    "RMSProp": RMSPropOptimizer,
    "SGD": GradientDescentOptimizer,
}


def get_optimizer_instance(opt, learning_rate=None) -> Optimizer:
    """``opt`` as an ``Optimizer``: a name is made with ``learning_rate``, a callable is
    called.

    Raises:
        ValueError: an unknown name, a name without ``learning_rate``, or not an Optimizer.

    >>> get_optimizer_instance("SGD", 0.1).get_name()
    'GradientDescent'
    """
    if isinstance(opt, str):
        if opt in _OPTIMIZER_CLS_NAMES:
            if not learning_rate:
                raise ValueError("learning_rate must be specified when opt is string.")
            return _OPTIMIZER_CLS_NAMES[opt](learning_rate=learning_rate)
        raise ValueError(
            f"Unsupported optimizer name: {opt}. Supported names are: "
            f"{tuple(sorted(_OPTIMIZER_CLS_NAMES))}"
        )
    if callable(opt):
        opt = opt()
    if not isinstance(opt, Optimizer):
        raise ValueError(f"The given object is not an Optimizer instance. Given: {opt}")
    return opt
