"""``tf.train.experimental``: loss scaling for mixed precision training (TF1's names)."""

from __future__ import annotations

from scopeflow.mixed_precision.loss_scale import DynamicLossScale, FixedLossScale, LossScale
from scopeflow.mixed_precision.optimizer import (
    MixedPrecisionLossScaleOptimizer,
    disable_mixed_precision_graph_rewrite,
    enable_mixed_precision_graph_rewrite,
)

__all__ = [
    "DynamicLossScale",
    "FixedLossScale",
    "LossScale",
    "MixedPrecisionLossScaleOptimizer",
    "disable_mixed_precision_graph_rewrite",
    "enable_mixed_precision_graph_rewrite",
]
