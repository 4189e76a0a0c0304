"""``tf.train``: optimizers, learning-rate schedules, the global step, and checkpoints."""

from __future__ import annotations

from scopeflow.graph_io import write_graph
from scopeflow.summary.deprecated import SummaryWriter
from scopeflow.summary.records import summary_iterator
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
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from scopeflow.train.checkpoint_utils import CheckpointReader as NewCheckpointReader
from scopeflow.train.coordinator import Coordinator, LooperThread
from scopeflow.train.device_setter import replica_device_setter
from scopeflow.train.learning_rate_decay import (
    cosine_decay,
    exponential_decay,
    inverse_time_decay,
    piecewise_constant,
    polynomial_decay,
)
from scopeflow.train.monitored_session import (
    MonitoredSession,
    MonitoredTrainingSession,
    SingularMonitoredSession,
    Supervisor,
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
from scopeflow.train.safetensors_io import load_safetensors, save_safetensors
from scopeflow.train.saver import Saver, SaverDef, export_meta_graph, import_meta_graph
from scopeflow.train.scaffold import (
    ChiefSessionCreator,
    Scaffold,
    SessionCreator,
    WorkerSessionCreator,
)
from scopeflow.train.server_lib import ClusterSpec, Server
from scopeflow.train.session_manager import SessionManager
from scopeflow.train.session_run_hook import (
    SessionRunArgs,
    SessionRunContext,
    SessionRunHook,
    SessionRunValues,
)
from scopeflow.train.summary_hooks import StepCounterHook, SummarySaverHook
from scopeflow.train.sync_replicas import SyncReplicasOptimizer
from scopeflow.train.timers import SecondOrStepTimer
from scopeflow.train.training_util import (
    assert_global_step,
    create_global_step,
    get_global_step,
    get_or_create_global_step,
    global_step,
)
