"""``tf.estimator``: ``Estimator`` (train, evaluate, predict with a ``model_fn``, checkpoints
in ``model_dir``), ``EstimatorSpec``, ``ModeKeys``, ``RunConfig``, ``TrainSpec``/``EvalSpec``
with ``train_and_evaluate``, ``WarmStartSettings`` and ``tf.estimator.inputs``, ``add_metrics``
(``numpy_input_fn``, ``pandas_input_fn``). The session-run hooks are ``tf.train``'s, also
reachable here as TF1 exports them."""

from __future__ import annotations

from scopeflow.estimator import experimental, export, inputs, tpu
from scopeflow.estimator.canned import (
    BaselineClassifier,
    BaselineRegressor,
    DNNClassifier,
    DNNLinearCombinedClassifier,
    DNNLinearCombinedRegressor,
    DNNRegressor,
    LinearClassifier,
    LinearRegressor,
)
from scopeflow.estimator.estimator import Estimator
from scopeflow.estimator.exporters import BestExporter, Exporter, FinalExporter, LatestExporter
from scopeflow.estimator.extenders import add_metrics
from scopeflow.estimator.model_fn import EstimatorSpec, ModeKeys
from scopeflow.estimator.run_config import RunConfig
from scopeflow.estimator.training import EvalSpec, TrainSpec, train_and_evaluate
from scopeflow.estimator.warm_start import WarmStartSettings
from scopeflow.train.basic_session_run_hooks import (
    CheckpointSaverHook,
    CheckpointSaverListener,
    FeedFnHook,
    FinalOpsHook,
    GlobalStepWaiterHook,
    LoggingTensorHook,
    NanLossDuringTrainingError,
    NanTensorHook,
    ProfilerHook,
    StopAtStepHook,
)
from scopeflow.train.session_run_hook import (
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
)
from scopeflow.train.summary_hooks import StepCounterHook, SummarySaverHook
from scopeflow.train.timers import SecondOrStepTimer
from scopeflow.train.warm_starting_util import VocabInfo

__all__ = [
    "BaselineClassifier",
    "BaselineRegressor",
    "BestExporter",
    "Exporter",
    "FinalExporter",
    "LatestExporter",
    "LinearClassifier",
    "LinearRegressor",
    "CheckpointSaverHook",
    "CheckpointSaverListener",
    "DNNClassifier",
    "DNNLinearCombinedClassifier",
    "DNNLinearCombinedRegressor",
    "DNNRegressor",
    "Estimator",
    "EstimatorSpec",
    "EvalSpec",
    "FeedFnHook",
    "FinalOpsHook",
    "GlobalStepWaiterHook",
    "LoggingTensorHook",
    "ModeKeys",
    "NanLossDuringTrainingError",
    "NanTensorHook",
    "ProfilerHook",
    "SecondOrStepTimer",
    "RunConfig",
    "VocabInfo",
    "SessionRunArgs",
    "SessionRunContext",
    "SessionRunHook",
    "SessionRunValues",
    "StepCounterHook",
    "StopAtStepHook",
    "SummarySaverHook",
    "TrainSpec",
    "WarmStartSettings",
    "add_metrics",
    "experimental",
    "export",
    "inputs",
    "tpu",
    "train_and_evaluate",
]
