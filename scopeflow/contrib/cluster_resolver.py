"""``tf.contrib.cluster_resolver``: TF 1.15's cluster resolvers, the same classes as
``tf.distribute.cluster_resolver`` (``scopeflow/train/cluster_resolver.py``): given clusters,
``TF_CONFIG`` and Slurm steps are resolved; the resolvers that ask a cloud service (TPU,
Compute Engine, Kubernetes) raise ``NotImplementedError`` where they are made (TPU-era
programs make one only when told to use a TPU, as BERT's ``--use_tpu``)."""

from __future__ import annotations

from scopeflow.distribute_cluster_resolver import *  # noqa: F403
from scopeflow.distribute_cluster_resolver import __all__  # noqa: F401
