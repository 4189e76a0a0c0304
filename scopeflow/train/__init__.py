"""``tf.train``: optimizers, learning-rate schedules, the global step, checkpoints, and the
queue-based input pipelines (``QueueRunner``, input producers, ``batch``)."""

from __future__ import annotations

from scopeflow.graph_io import write_graph
from scopeflow.summary.deprecated import SummaryWriter
from scopeflow.summary.records import summary_iterator
from scopeflow.train import example, queue_runner
from scopeflow.train.basic_loops import basic_train_loop, checkpoints_iterator
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
from scopeflow.train.checkpoint_manager import CheckpointManager
from scopeflow.train.checkpoint_object import Checkpoint, CheckpointOptions
from scopeflow.train.checkpoint_state import (
    checkpoint_exists,
    generate_checkpoint_state_proto,
    get_checkpoint_mtimes,
    get_checkpoint_state,
    latest_checkpoint,
    remove_checkpoint,
    update_checkpoint_state,
)
from scopeflow.train.checkpoint_utils import (
    CheckpointReader,
    NewCheckpointReader,
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from scopeflow.train.coordinator import Coordinator, LooperThread
from scopeflow.train.device_setter import replica_device_setter
from scopeflow.train.input import (
    batch,
    batch_join,
    input_producer,
    limit_epochs,
    match_filenames_once,
    maybe_batch,
    maybe_batch_join,
    maybe_shuffle_batch,
    maybe_shuffle_batch_join,
    range_input_producer,
    shuffle_batch,
    shuffle_batch_join,
    slice_input_producer,
    string_input_producer,
)
from scopeflow.train.learning_rate_decay import (
    cosine_decay,
    cosine_decay_restarts,
    exponential_decay,
    inverse_time_decay,
    linear_cosine_decay,
    natural_exp_decay,
    noisy_linear_cosine_decay,
    piecewise_constant,
    polynomial_decay,
)
from scopeflow.train.learning_rate_decay import piecewise_constant as piecewise_constant_decay
from scopeflow.train.monitored_session import (
    MonitoredSession,
    MonitoredTrainingSession,
    SingularMonitoredSession,
)
from scopeflow.train.moving_averages import ExponentialMovingAverage
from scopeflow.train.npz import load_npz, save_npz
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.optimizers import (
    AdadeltaOptimizer,
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    RMSPropOptimizer,
)
from scopeflow.train.optimizers_proximal import (
    AdagradDAOptimizer,
    FtrlOptimizer,
    ProximalAdagradOptimizer,
    ProximalGradientDescentOptimizer,
)
from scopeflow.train.queue_runner import QueueRunner, add_queue_runner, start_queue_runners
from scopeflow.train.safetensors_io import load_safetensors, save_safetensors
from scopeflow.train.saver import Saver, SaverDef, export_meta_graph, import_meta_graph
from scopeflow.train.scaffold import (
    ChiefSessionCreator,
    Scaffold,
    SessionCreator,
    WorkerSessionCreator,
)
from scopeflow.train.server_lib import ClusterSpec, Server
from scopeflow.train.server_protos import ClusterDef, JobDef, ServerDef
from scopeflow.train.session_manager import SessionManager
from scopeflow.train.session_run_hook import (
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
)
from scopeflow.train.summary_hooks import StepCounterHook, SummarySaverHook
from scopeflow.train.supervisor import Supervisor
from scopeflow.train.sync_replicas import SyncReplicasOptimizer
from scopeflow.train.timers import SecondOrStepTimer
from scopeflow.train.training_util import (
    assert_global_step,
    create_global_step,
    get_global_step,
    get_or_create_global_step,
    global_step,
)
from scopeflow.train.warm_starting_util import VocabInfo, warm_start


def __getattr__(name: str):
    """``tf.train.Example`` and the messages it holds, built on first use (``example.py``)."""
    if name in example.NAMES:
        return example.message_classes()[name]
    raise AttributeError(f"module 'scopeflow.train' has no attribute '{name}'")
