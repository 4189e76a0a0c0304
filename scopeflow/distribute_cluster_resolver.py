"""``tf.distribute.cluster_resolver`` (and ``tf.contrib.cluster_resolver``): the resolvers of
``scopeflow/train/cluster_resolver.py`` and ``scopeflow/train/slurm_resolver.py``."""

from __future__ import annotations

from scopeflow.train.cluster_resolver import (
    ClusterResolver,
    SimpleClusterResolver,
    TFConfigClusterResolver,
    UnionResolver,
)
from scopeflow.train.slurm_resolver import (
    GCEClusterResolver,
    KubernetesClusterResolver,
    KubernetesExecutableLocation,
    SlurmClusterResolver,
    TPUClusterResolver,
)

__all__ = [
    "ClusterResolver",
    "GCEClusterResolver",
    "KubernetesClusterResolver",
    "KubernetesExecutableLocation",
    "SimpleClusterResolver",
    "SlurmClusterResolver",
    "TFConfigClusterResolver",
    "TPUClusterResolver",
    "UnionResolver",
]
