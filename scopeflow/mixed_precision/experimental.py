"""``tf.mixed_precision.experimental``: the loss scale classes."""

from __future__ import annotations

from scopeflow.mixed_precision.loss_scale import DynamicLossScale, FixedLossScale, LossScale

__all__ = ["DynamicLossScale", "FixedLossScale", "LossScale"]
