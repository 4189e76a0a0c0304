"""``tf.contrib.tpu`` (also ``tf.compat.v1.estimator.tpu``'s names): what TPU-era programs
build when they run on a CPU with ``use_tpu=False`` — ``RunConfig``, ``TPUConfig``,
``InputPipelineConfig``, ``TPUEstimator``, ``TPUEstimatorSpec``, ``CrossShardOptimizer``,
``bfloat16_scope``. The TPU-only functions (``rewrite``, ``shard``, ``initialize_system``...)
raise ``NotImplementedError`` naming ``use_tpu=False``."""

from __future__ import annotations

from scopeflow.estimator.tpu.config import InputPipelineConfig, RunConfig, TPUConfig
from scopeflow.estimator.tpu.tpu_estimator import (
    CrossShardOptimizer,
    TPUEstimator,
    TPUEstimatorSpec,
    bfloat16_scope,
)

_TPU_ONLY = frozenset(
    {
        "rewrite",
        "shard",
        "replicate",
        "batch_parallel",
        "outside_compilation",
        "initialize_system",
        "shutdown_system",
        "cross_replica_sum",
        "core",
        "infeed_dequeue",
        "outfeed_enqueue",
        "TPUDistributionStrategy",
        "keras_to_tpu_model",
    }
)


def __getattr__(name: str):
    if name in _TPU_ONLY:
        raise NotImplementedError(
            f"tf.contrib.tpu.{name} runs on a TPU, which scopeflow does not drive; run the "
            "model on the CPU (TPUEstimator(use_tpu=False), tf.Session)"
        )
    raise AttributeError(f"module 'tf.contrib.tpu' has no attribute {name!r}")


__all__ = [
    "CrossShardOptimizer",
    "InputPipelineConfig",
    "RunConfig",
    "TPUConfig",
    "TPUEstimator",
    "TPUEstimatorSpec",
    "bfloat16_scope",
]
