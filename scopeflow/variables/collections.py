"""The variable collections of the default graph (``tf.global_variables()``...)."""

from __future__ import annotations

from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import get_collection


def global_variables(scope: str | None = None) -> list:
    """Variables in ``GLOBAL_VARIABLES`` (saved by a Saver), filtered by the ``scope`` regex."""
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


def trainable_variables(scope: str | None = None) -> list:
    """Variables in ``TRAINABLE_VARIABLES`` (updated by optimizers)."""
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope: str | None = None) -> list:
    """Variables in ``LOCAL_VARIABLES`` (per-process state such as metric counters)."""
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope: str | None = None) -> list:
    """Variables in ``MODEL_VARIABLES``."""
    return get_collection(GraphKeys.MODEL_VARIABLES, scope)
