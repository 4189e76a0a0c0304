"""``tf.contrib.tpu``'s configuration: ``TPUConfig``, ``InputPipelineConfig`` and the
``RunConfig`` that carries them, as TPU-era programs (BERT's ``run_classifier.py``) build
them even when they train on a CPU with ``use_tpu=False``."""

from __future__ import annotations

import collections

from scopeflow.estimator.run_config import RunConfig as _EstimatorRunConfig


class InputPipelineConfig:
    """How a TPU job's input is fed (numbered as TF's); kept for the configuration only."""

    PER_SHARD_V1 = 1
    PER_HOST_V1 = 2
    PER_HOST_V2 = 3
    BROADCAST = 4
    SLICED = 5


_TPU_FIELDS = (
    "iterations_per_loop",
    "num_shards",
    "num_cores_per_replica",
    "per_host_input_for_training",
    "tpu_job_name",
    "initial_infeed_sleep_secs",
    "input_partition_dims",
    "eval_training_input_configuration",
    "experimental_host_call_every_n_steps",
)


def _check_positive_integer(value, name: str) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be int, got {type(value)}")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")


class TPUConfig(collections.namedtuple("TPUConfig", _TPU_FIELDS)):
    """A TPU job's settings, validated as TF validates them (they change nothing on a CPU)."""

    def __new__(
        cls,
        iterations_per_loop=2,
        num_shards=None,
        num_cores_per_replica=None,
        per_host_input_for_training=True,
        tpu_job_name=None,
        initial_infeed_sleep_secs=None,
        input_partition_dims=None,
        eval_training_input_configuration=InputPipelineConfig.PER_HOST_V1,
        experimental_host_call_every_n_steps=1,
    ):
        if not isinstance(iterations_per_loop, str):
            _check_positive_integer(iterations_per_loop, "TPUConfig iterations_per_loop")
        if num_shards is not None:
            _check_positive_integer(num_shards, "TPUConfig num_shards")
        if num_cores_per_replica is not None and num_cores_per_replica not in (
            1,
            2,
            4,
            8,
            16,
            32,
            64,
            128,
        ):
            raise ValueError(
                "num_cores_per_replica must be 1, 2, 4, 8, 16, 32, 64, 128; got "
                f"{num_cores_per_replica}"
            )
        if eval_training_input_configuration not in (
            InputPipelineConfig.PER_HOST_V1,
            InputPipelineConfig.SLICED,
        ):
            raise ValueError(
                "eval_training_input_configuration must be PER_HOST_V1 or SLICED; got "
                f"{eval_training_input_configuration}"
            )
        if per_host_input_for_training is False:
            per_host_input_for_training = InputPipelineConfig.PER_SHARD_V1
        elif per_host_input_for_training is True:
            per_host_input_for_training = InputPipelineConfig.PER_HOST_V1
        if initial_infeed_sleep_secs:
            _check_positive_integer(
                initial_infeed_sleep_secs, "TPUConfig initial_infeed_sleep_secs"
            )
        return super().__new__(
            cls,
            iterations_per_loop,
            num_shards,
            num_cores_per_replica,
            per_host_input_for_training,
            tpu_job_name,
            initial_infeed_sleep_secs,
            input_partition_dims,
            eval_training_input_configuration,
            experimental_host_call_every_n_steps,
        )


class RunConfig(_EstimatorRunConfig):
    """``tf.estimator.RunConfig`` plus ``tpu_config``, ``master``, ``evaluation_master`` and
    ``cluster`` (a cluster resolver; ``None`` on a CPU)."""

    def __init__(
        self, tpu_config=None, evaluation_master=None, master=None, cluster=None, **kwargs
    ):
        super().__init__(**kwargs)
        self._tpu_config = tpu_config or TPUConfig()
        self._cluster = cluster
        if cluster is not None:
            raise NotImplementedError(
                "tf.contrib.tpu.RunConfig(cluster=...): scopeflow runs no TPU jobs; pass "
                "cluster=None and TPUEstimator(use_tpu=False)"
            )
        self._master = master or ""
        self._evaluation_master = self._master if evaluation_master is None else evaluation_master

    tpu_config = property(lambda self: self._tpu_config)
    cluster = property(lambda self: self._cluster)
    master = property(lambda self: self._master)
    evaluation_master = property(lambda self: self._evaluation_master)

    def replace(self, **kwargs) -> RunConfig:
        """A copy with these properties replaced (``tpu_config`` among them)."""
        tpu_config = kwargs.pop("tpu_config", None)
        out = super().replace(**kwargs)
        if tpu_config is not None:
            out._tpu_config = tpu_config
        return out
