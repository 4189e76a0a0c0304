"""``tf.contrib.cluster_resolver``: finding the machines of a cluster, which scopeflow, running
in one process on a CPU, does not use; each resolver raises ``NotImplementedError`` where it is
made. TPU-era programs make one only when told to use a TPU (BERT's ``--use_tpu``)."""

from __future__ import annotations


class _Unsupported:
    _WHAT = "a cluster"

    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            f"tf.contrib.cluster_resolver.{type(self).__name__}: scopeflow runs in one process "
            f"and does not resolve {self._WHAT}; run without it (for TPU programs, "
            "use_tpu=False), or join processes with scopeflow.distribute.initialize()"
        )


class TPUClusterResolver(_Unsupported):
    _WHAT = "TPUs"


class TFConfigClusterResolver(_Unsupported):
    pass


class SimpleClusterResolver(_Unsupported):
    pass


class GCEClusterResolver(_Unsupported):
    _WHAT = "Compute Engine instances"


class SlurmClusterResolver(_Unsupported):
    _WHAT = "a Slurm allocation"


__all__ = [
    "GCEClusterResolver",
    "SimpleClusterResolver",
    "SlurmClusterResolver",
    "TFConfigClusterResolver",
    "TPUClusterResolver",
]
