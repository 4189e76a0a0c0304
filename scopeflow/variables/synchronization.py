"""``tf.VariableSynchronization`` and ``tf.VariableAggregation``: how a variable would be
synchronized and its updates aggregated across replicas. scopeflow runs one replica, so they
are kept on the variable (``v.synchronization``, ``v.aggregation``) for code that reads them,
and ``ON_READ`` makes a variable non-trainable by default, as in TF1.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     v = tf.Variable(0.0, synchronization=tf.VariableSynchronization.ON_READ)
>>> v.trainable, v.aggregation
(False, <VariableAggregation.NONE: 0>)
"""

from __future__ import annotations

import enum


class VariableSynchronization(enum.Enum):
    """When a distributed variable would be synchronized."""

    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation(enum.Enum):
    """How updates from several replicas would be combined (TF1's names)."""

    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3
    ONLY_FIRST_TOWER = 3  # TF1's alias of ONLY_FIRST_REPLICA


def on_read(synchronization) -> bool:
    """Whether ``synchronization`` (a member or its value) is ``ON_READ``."""
    return synchronization in (
        VariableSynchronization.ON_READ,
        VariableSynchronization.ON_READ.value,
    )


def validate(synchronization, aggregation, trainable, name):
    """``(synchronization, aggregation, trainable)`` as TF's variables complete them: enum
    members from their values, ``trainable`` ``False`` by default for ``ON_READ``."""
    if aggregation is None:
        aggregation = VariableAggregation.NONE
    elif not isinstance(aggregation, VariableAggregation):
        try:
            aggregation = VariableAggregation(aggregation)
        except ValueError:
            raise ValueError(
                f"Invalid variable aggregation mode: {aggregation} for variable: {name}"
            ) from None
    if synchronization is None:
        synchronization = VariableSynchronization.AUTO
    elif not isinstance(synchronization, VariableSynchronization):
        try:
            synchronization = VariableSynchronization(synchronization)
        except ValueError:
            raise ValueError(
                f"Invalid variable synchronization mode: {synchronization} for variable: {name}"
            ) from None
    if trainable is None:
        trainable = synchronization != VariableSynchronization.ON_READ
    return synchronization, aggregation, trainable
