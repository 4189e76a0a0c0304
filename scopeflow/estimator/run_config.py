"""``tf.estimator.RunConfig``: where an ``Estimator`` keeps its model and how often it saves
checkpoints and summaries and logs, with TF1's defaults and checks. One process only: a
``TF_CONFIG`` naming a cluster raises ``NotImplementedError``."""

from __future__ import annotations

import copy
import inspect
import json
import logging
import os

from scopeflow.session.config import ConfigProto
from scopeflow.train.server_lib import ClusterSpec

_log = logging.getLogger("tensorflow")
_USE_DEFAULT = object()
_REPLACEABLE = [
    "model_dir",
    "tf_random_seed",
    "save_summary_steps",
    "save_checkpoints_steps",
    "save_checkpoints_secs",
    "session_config",
    "keep_checkpoint_max",
    "keep_checkpoint_every_n_hours",
    "log_step_count_steps",
    "train_distribute",
    "device_fn",
    "protocol",
    "eval_distribute",
    "experimental_distribute",
    "experimental_max_worker_delay_secs",
    "session_creation_timeout_secs",
    "checkpoint_save_graph_def",
]
_SAVE_CKPT_ERR = "`save_checkpoints_steps` and `save_checkpoints_secs` cannot be both set."
# (property, check, message) of TF1's _validate_properties, in its order.
_CHECKS = [
    ("model_dir", lambda v: v, "model_dir should be non-empty"),
    ("save_summary_steps", lambda v: v >= 0, "save_summary_steps should be >= 0"),
    ("save_checkpoints_steps", lambda v: v >= 0, "save_checkpoints_steps should be >= 0"),
    ("save_checkpoints_secs", lambda v: v >= 0, "save_checkpoints_secs should be >= 0"),
    (
        "session_config",
        lambda v: isinstance(v, ConfigProto),
        "session_config must be instance of ConfigProto",
    ),
    ("keep_checkpoint_max", lambda v: v >= 0, "keep_checkpoint_max should be >= 0"),
    (
        "keep_checkpoint_every_n_hours",
        lambda v: v > 0,
        "keep_checkpoint_every_n_hours should be > 0",
    ),
    ("log_step_count_steps", lambda v: v > 0, "log_step_count_steps should be > 0"),
    ("tf_random_seed", lambda v: isinstance(v, int), "tf_random_seed must be integer."),
    (
        "session_creation_timeout_secs",
        lambda v: v > 0,
        "session_creation_timeout_secs should be > 0",
    ),
    (
        "device_fn",
        lambda v: callable(v) and _arg_names(v) == ["op"],
        'device_fn must be callable with exactly one argument "op".',
    ),
    (
        "protocol",
        lambda v: v in (None, "grpc", "grpc+verbs"),
        "protocol should be grpc or grpc+verbs",
    ),
]


def _arg_names(fn) -> list:
    return list(inspect.signature(fn).parameters)


def get_default_session_config() -> ConfigProto:
    """The session config an ``Estimator`` uses when its ``RunConfig`` gives none."""
    return ConfigProto(allow_soft_placement=True)


class TaskType:
    MASTER = "master"
    PS = "ps"
    WORKER = "worker"
    CHIEF = "chief"
    EVALUATOR = "evaluator"


class RunConfig:
    """An ``Estimator``'s settings: ``model_dir``; checkpoints every
    ``save_checkpoints_steps`` steps or ``save_checkpoints_secs`` seconds (600 s by default;
    not both), keeping ``keep_checkpoint_max``; summaries every ``save_summary_steps``;
    ``loss``/``global_step/sec`` logged every ``log_step_count_steps``; the graph seed
    ``tf_random_seed``; the ``session_config`` (a ``tf.ConfigProto``).

    >>> import scopeflow as tf
    >>> config = tf.estimator.RunConfig(save_checkpoints_steps=50)
    >>> config.save_checkpoints_steps, config.save_checkpoints_secs, config.keep_checkpoint_max
    (50, None, 5)
    >>> config.replace(save_checkpoints_secs=30).save_checkpoints_steps is None
    True
    """

    def __init__(
        self,
        model_dir=None,
        tf_random_seed=None,
        save_summary_steps=100,
        save_checkpoints_steps=_USE_DEFAULT,
        save_checkpoints_secs=_USE_DEFAULT,
        session_config=None,
        keep_checkpoint_max=5,
        keep_checkpoint_every_n_hours=10000,
        log_step_count_steps=100,
        train_distribute=None,
        device_fn=None,
        protocol=None,
        eval_distribute=None,
        experimental_distribute=None,
        experimental_max_worker_delay_secs=None,
        session_creation_timeout_secs=7200,
        checkpoint_save_graph_def=True,
    ):
        if save_checkpoints_steps is _USE_DEFAULT and save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_steps, save_checkpoints_secs = None, 600
        elif save_checkpoints_secs is _USE_DEFAULT:
            save_checkpoints_secs = None
        elif save_checkpoints_steps is _USE_DEFAULT:
            save_checkpoints_steps = None
        elif save_checkpoints_steps is not None and save_checkpoints_secs is not None:
            raise ValueError(_SAVE_CKPT_ERR)
        for name, value in (
            ("train_distribute", train_distribute),
            ("eval_distribute", eval_distribute),
            ("experimental_distribute", experimental_distribute),
        ):
            if value is not None and getattr(value, "num_replicas_in_sync", None) != 1:
                raise NotImplementedError(
                    f"RunConfig({name}=...) with several replicas is not supported: "
                    "scopeflow's Estimator trains one replica in one process (a "
                    "tf.distribute.MirroredStrategy() of this machine's one CPU is accepted); "
                    "scopeflow.distribute.data_parallel covers many devices outside it."
                )
        tf_config = json.loads(os.environ.get("TF_CONFIG", "{}"))
        if tf_config:
            _log.info("TF_CONFIG environment variable: %s", tf_config)
        if tf_config.get("cluster"):
            raise NotImplementedError(
                "A TF_CONFIG with a cluster is not supported: scopeflow's Estimator trains in "
                "one process. Unset TF_CONFIG's cluster and task."
            )
        RunConfig._replace(
            self,
            model_dir=_get_model_dir(tf_config, _path_to_str(model_dir)),
            tf_random_seed=tf_random_seed,
            save_summary_steps=save_summary_steps,
            save_checkpoints_steps=save_checkpoints_steps,
            save_checkpoints_secs=save_checkpoints_secs,
            session_config=session_config,
            keep_checkpoint_max=keep_checkpoint_max,
            keep_checkpoint_every_n_hours=keep_checkpoint_every_n_hours,
            log_step_count_steps=log_step_count_steps,
            train_distribute=train_distribute,
            device_fn=device_fn,
            protocol=protocol,
            eval_distribute=eval_distribute,
            experimental_distribute=experimental_distribute,
            experimental_max_worker_delay_secs=experimental_max_worker_delay_secs,
            session_creation_timeout_secs=session_creation_timeout_secs,
            checkpoint_save_graph_def=checkpoint_save_graph_def,
        )
        self._service = None
        self._cluster_spec = ClusterSpec({})
        self._task_type = TaskType.WORKER
        self._task_id = 0
        self._global_id_in_cluster = 0
        self._master = tf_config.get("session_master", "")
        self._evaluation_master = tf_config.get("eval_session_master", "")
        self._is_chief = True
        self._num_ps_replicas = 0
        self._num_worker_replicas = 1

    def replace(self, **kwargs) -> RunConfig:
        """A copy with these properties replaced (setting one of ``save_checkpoints_steps``
        and ``save_checkpoints_secs`` clears the other).

        Raises:
            ValueError: a property that cannot be replaced ("Replacing ... is not
                supported"), or an invalid value.
        """
        return RunConfig._replace(copy.deepcopy(self), **kwargs)

    @staticmethod
    def _replace(config, **kwargs):
        for key, value in kwargs.items():
            if key not in _REPLACEABLE:
                raise ValueError(
                    f"Replacing {key} is not supported. Allowed properties are {_REPLACEABLE}."
                )
            setattr(config, "_" + key, value)
        if "save_checkpoints_steps" in kwargs and "save_checkpoints_secs" in kwargs:
            if (
                config._save_checkpoints_steps is not None
                and config._save_checkpoints_secs is not None
            ):
                raise ValueError(_SAVE_CKPT_ERR)
        elif "save_checkpoints_steps" in kwargs and config._save_checkpoints_steps is not None:
            config._save_checkpoints_secs = None
        elif "save_checkpoints_secs" in kwargs and config._save_checkpoints_secs is not None:
            config._save_checkpoints_steps = None
        for name, check, message in _CHECKS:
            value = getattr(config, "_" + name)
            if value is not None and not check(value):
                raise ValueError(message)
        return config

    cluster_spec = property(lambda self: self._cluster_spec)
    device_fn = property(lambda self: self._device_fn)
    evaluation_master = property(lambda self: self._evaluation_master)
    is_chief = property(lambda self: self._is_chief)
    master = property(lambda self: self._master)
    num_ps_replicas = property(lambda self: self._num_ps_replicas)
    num_worker_replicas = property(lambda self: self._num_worker_replicas)
    task_id = property(lambda self: self._task_id)
    task_type = property(lambda self: self._task_type)
    global_id_in_cluster = property(lambda self: self._global_id_in_cluster)
    experimental_max_worker_delay_secs = property(
        lambda self: self._experimental_max_worker_delay_secs
    )
    tf_random_seed = property(lambda self: self._tf_random_seed)
    save_summary_steps = property(lambda self: self._save_summary_steps)
    save_checkpoints_secs = property(lambda self: self._save_checkpoints_secs)
    save_checkpoints_steps = property(lambda self: self._save_checkpoints_steps)
    session_config = property(lambda self: self._session_config)
    checkpoint_save_graph_def = property(lambda self: self._checkpoint_save_graph_def)
    keep_checkpoint_max = property(lambda self: self._keep_checkpoint_max)
    keep_checkpoint_every_n_hours = property(lambda self: self._keep_checkpoint_every_n_hours)
    session_creation_timeout_secs = property(lambda self: self._session_creation_timeout_secs)
    log_step_count_steps = property(lambda self: self._log_step_count_steps)
    model_dir = property(lambda self: self._model_dir)
    service = property(lambda self: self._service)
    train_distribute = property(lambda self: self._train_distribute)
    eval_distribute = property(lambda self: self._eval_distribute)
    protocol = property(lambda self: self._protocol)


def _path_to_str(path):
    return os.fspath(path) if hasattr(path, "__fspath__") else path


def _get_model_dir(tf_config: dict, model_dir):
    if model_dir == "":
        raise ValueError("model_dir should be non-empty.")
    in_tf_config = tf_config.get("model_dir")
    if in_tf_config == "":
        raise ValueError("model_dir in TF_CONFIG should be non-empty.")
    if in_tf_config:
        if model_dir and in_tf_config != model_dir:
            raise ValueError(
                "`model_dir` provided in RunConfig construct, if set, must have the same value "
                f"as the model_dir in TF_CONFIG. model_dir: {model_dir}\n"
                f'TF_CONFIG["model_dir"]: {in_tf_config}.\n'
            )
        _log.info("Using model_dir in TF_CONFIG: %s", in_tf_config)
    return model_dir or in_tf_config
