"""``tf.contrib.slim.learning``: slim's training loop is not provided; ``create_train_op``
and ``train`` raise ``NotImplementedError`` naming what to use."""

from __future__ import annotations

_FIX = (
    "build train_op = optimizer.minimize(total_loss) (inside "
    "tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) for batch norm) and "
    "run it in tf.train.MonitoredTrainingSession(checkpoint_dir=logdir, hooks=[...])"
)


def create_train_op(*args, **kwargs):
    """Not provided: raises ``NotImplementedError`` naming what to use."""
    raise NotImplementedError(
        f"slim.learning.create_train_op is not provided by scopeflow: {_FIX}."
    )


def train(*args, **kwargs):
    """Not provided: raises ``NotImplementedError`` naming what to use."""
    raise NotImplementedError(f"slim.learning.train is not provided by scopeflow: {_FIX}.")


__all__ = ["create_train_op", "train"]
