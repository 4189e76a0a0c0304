"""``tf.distribute``'s strategies with one replica: the default strategy, ``OneDeviceStrategy``
and ``MirroredStrategy`` on a machine without GPUs (TF's own ``MirroredStrategy()`` then
mirrors over the one CPU), so TF 1.14/1.15 code written against the strategy API runs as
written: ``strategy.scope()``, ``run``, ``reduce``, ``experimental_distribute_dataset``,
``tf.distribute.get_replica_context().all_reduce(...)``, ``RunConfig(train_distribute=...)``.

With one replica every "per replica" value is the value itself, so ``run(fn)`` calls ``fn``
once in a replica context and ``reduce`` only folds ``axis``. A strategy over several
devices raises ``NotImplementedError`` where it is made (TF accepts missing GPUs and fails at
the first run): scopeflow spreads one graph over devices with
``scopeflow.distribute.data_parallel`` instead.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import threading

from scopeflow.data.dataset import Dataset
from scopeflow.framework import dtypes, nest
from scopeflow.framework.constant import constant, convert_to_tensor
from scopeflow.framework.device import DeviceSpec
from scopeflow.framework.graph_api import device as device_scope
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import identity
from scopeflow.ops.array.basic import shape as shape_of
from scopeflow.ops.array.cast import cast
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math.reduction import reduce_prod, reduce_sum

_CPU = "/replica:0/task:0/device:CPU:0"


class ReduceOp(enum.Enum):
    """How values of the replicas are combined."""

    SUM = "SUM"
    MEAN = "MEAN"

    @staticmethod
    def from_variable_aggregation(aggregation) -> ReduceOp:
        name = getattr(aggregation, "name", str(aggregation)).upper()
        if name not in ("SUM", "MEAN"):
            raise ValueError(f"Could not convert from `tf.VariableAggregation` {aggregation}")
        return ReduceOp[name]


class InputReplicationMode(enum.Enum):
    PER_WORKER = "PER_WORKER"
    PER_REPLICA = "PER_REPLICA"


class InputContext:
    """What an input function needs to know to shard its input: its pipeline's id and count,
    and the replicas in sync."""

    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self._pipelines = num_input_pipelines
        self._id = input_pipeline_id
        self._replicas = num_replicas_in_sync

    num_input_pipelines = property(lambda self: self._pipelines)
    input_pipeline_id = property(lambda self: self._id)
    num_replicas_in_sync = property(lambda self: self._replicas)

    def get_per_replica_batch_size(self, global_batch_size: int) -> int:
        """``global_batch_size`` over the replicas; ValueError if they do not divide it."""
        if global_batch_size % self._replicas:
            raise ValueError(
                f"The `global_batch_size` {global_batch_size} is not divisible by "
                f"`num_replicas_in_sync` {self._replicas}"
            )
        return global_batch_size // self._replicas


class CrossDeviceOps:
    """How values are reduced across devices; with one replica there is nothing to reduce,
    so the kinds below are accepted and change nothing."""

    def __init__(self, *args, **kwargs):
        self._args, self._kwargs = args, kwargs


class ReductionToOneDevice(CrossDeviceOps):
    pass


class HierarchicalCopyAllReduce(CrossDeviceOps):
    pass


class NcclAllReduce(CrossDeviceOps):
    pass


class _Stack(threading.local):
    def __init__(self):
        self.entries: list = []  # (strategy, replica context or None)


_stack = _Stack()


class ReplicaContext:
    """The context ``fn`` runs in under ``Strategy.run``: replica 0 of one."""

    def __init__(self, strategy: Strategy, replica_id_in_sync_group=0):
        self._strategy = strategy
        self._replica_id = replica_id_in_sync_group

    strategy = property(lambda self: self._strategy)
    num_replicas_in_sync = property(lambda self: 1)
    replica_id_in_sync_group = property(lambda self: self._replica_id)
    devices = property(lambda self: (_CPU,))

    def all_reduce(self, reduce_op, value, options=None):
        """``value`` combined over the replicas (itself, for one), as identities of its
        tensors in its structure."""
        _reduce_op(reduce_op)
        return _identities(value)

    def merge_call(self, merge_fn, args=(), kwargs=None):
        """``merge_fn(strategy, *args, **kwargs)`` in the cross-replica context."""
        _stack.entries.append((self._strategy, None))
        try:
            return merge_fn(self._strategy, *args, **(kwargs or {}))
        finally:
            _stack.entries.pop()


class StrategyExtended:
    """The strategy's lower-level API (devices, per-replica calls, updates)."""

    def __init__(self, strategy: Strategy, device: str):
        self._strategy = strategy
        self._device = device

    worker_devices = property(lambda self: (self._device,))
    parameter_devices = property(lambda self: (self._device,))
    experimental_require_static_shapes = property(lambda self: False)
    experimental_between_graph = property(lambda self: False)
    experimental_should_init = property(lambda self: True)
    should_checkpoint = property(lambda self: True)
    should_save_summary = property(lambda self: True)

    def non_slot_devices(self, var_list) -> tuple:
        return (self._device,)

    def call_for_each_replica(self, fn, args=(), kwargs=None):
        return self._strategy.run(fn, args, kwargs)

    def colocate_vars_with(self, colocate_with_variable):
        return contextlib.nullcontext()

    def reduce_to(self, reduce_op, value, destinations, options=None):
        _reduce_op(reduce_op)
        return _identities(value)

    def batch_reduce_to(self, reduce_op, value_destination_pairs, options=None):
        return [self.reduce_to(reduce_op, v, d) for v, d in value_destination_pairs]

    def broadcast_to(self, tensor, destinations):
        return tensor

    def update(self, var, fn, args=(), kwargs=None, group=True):
        """``fn(var, *args, **kwargs)``: the update of the one copy of ``var``."""
        return fn(var, *args, **(kwargs or {}))

    def update_non_slot(self, colocate_with, fn, args=(), kwargs=None, group=True):
        return fn(*args, **(kwargs or {}))

    def read_var(self, v):
        return identity(v)

    def value_container(self, value):
        return value

    def variable_created_in_scope(self, v) -> bool:
        return True


class Strategy:
    """A distribution strategy with one replica on ``device``: variables are ordinary
    variables, ``run`` calls ``fn`` once, ``reduce`` folds ``axis`` only."""

    def __init__(self, device: str = _CPU):
        self._extended = StrategyExtended(self, device)

    extended = property(lambda self: self._extended)
    num_replicas_in_sync = property(lambda self: 1)
    cluster_resolver = property(lambda self: None)

    @contextlib.contextmanager
    def scope(self):
        """Makes this the current strategy (``tf.distribute.get_strategy()``) in the block;
        RuntimeError inside another strategy's scope, as TF."""
        current = get_strategy()
        if has_strategy() and current is not self:
            raise RuntimeError(
                f"Mixing different tf.distribute.Strategy objects: {current} is not {self}"
            )
        _stack.entries.append((self, None))
        try:
            yield self
        finally:
            _stack.entries.pop()

    def run(self, fn, args=(), kwargs=None, options=None):
        """``fn(*args, **kwargs)`` in replica 0's context (``get_replica_context()``)."""
        with self.scope():
            with name_scope(None):
                replica_id = constant(0, dtypes.int32, name="replica_id_in_sync_group")
            _stack.entries.append((self, ReplicaContext(self, replica_id)))
            try:
                return fn(*args, **(kwargs or {}))
            finally:
                _stack.entries.pop()

    def experimental_run(self, fn, input_iterator=None):
        """``fn(input_iterator.get_next())`` (or ``fn()``) in replica 0's context."""
        if input_iterator is None:
            return self.run(fn)
        return self.run(fn, (input_iterator.get_next(),))

    def reduce(self, reduce_op, value, axis=None):
        """``value`` combined over the replicas and, with ``axis``, along that axis of each
        (``SUM``: a sum; ``MEAN``: the sum over the number of elements summed)."""
        op = _reduce_op(reduce_op)
        value = convert_to_tensor(value)
        if axis is None:
            return identity(value)
        total = reduce_sum(value, axis)
        if op is ReduceOp.SUM:
            return total
        count = value.shape.as_list()[axis] if value.shape.ndims else None
        if count is None:
            count = reduce_prod(shape_of(value)[axis])
        return total / cast(count, value.dtype)

    def experimental_local_results(self, value) -> tuple:
        """The values of this process's replicas: ``(value,)``."""
        return (value,)

    unwrap = experimental_local_results

    def group(self, value, name=None):
        return group(*nest.flatten(value), name=name)

    def experimental_distribute_dataset(self, dataset, options=None):
        """``dataset`` itself: one replica takes every batch whole."""
        return dataset

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """``dataset_fn(InputContext())``: one pipeline for one replica."""
        return dataset_fn(InputContext())

    experimental_distribute_datasets_from_function = distribute_datasets_from_function

    def make_dataset_iterator(self, dataset):
        """An initializable iterator over ``dataset`` (``initializer``, ``initialize()``,
        ``get_next()``)."""
        return _DatasetIterator(dataset.make_initializable_iterator())

    def make_input_fn_iterator(self, input_fn, replication_mode=InputReplicationMode.PER_WORKER):
        return self.make_dataset_iterator(input_fn(InputContext()))

    def experimental_make_numpy_dataset(self, numpy_input, session=None):
        return Dataset.from_tensor_slices(numpy_input)

    def colocate_vars_with(self, colocate_with_variable):
        return self._extended.colocate_vars_with(colocate_with_variable)

    def configure(self, session_config=None, cluster_spec=None, task_type=None, task_id=None):
        """Accepted: one replica in one process needs no session settings."""

    def update_config_proto(self, config_proto):
        return config_proto


class _DatasetIterator:
    def __init__(self, iterator):
        self._iterator = iterator

    initializer = property(lambda self: self._iterator.initializer)

    def initialize(self) -> list:
        return [self._iterator.initializer]

    def get_next(self, name=None):
        return self._iterator.get_next(name=name)

    output_types = property(lambda self: self._iterator.output_types)
    output_shapes = property(lambda self: self._iterator.output_shapes)
    output_classes = property(lambda self: self._iterator.output_classes)


class OneDeviceStrategy(Strategy):
    """A strategy that places its variables and computation on one ``device``."""

    def __init__(self, device: str):
        spec = DeviceSpec.from_string(device)
        if spec.device_type not in (None, "CPU"):
            raise NotImplementedError(
                f"OneDeviceStrategy({device!r}): scopeflow runs graphs on the CPU (tf.config "
                "lists no GPU); use OneDeviceStrategy('/cpu:0')"
            )
        super().__init__()
        self._device = device

    @contextlib.contextmanager
    def scope(self):
        with super().scope(), device_scope(self._device):
            yield self


class MirroredStrategy(Strategy):
    """Synchronous replicas on the given devices; with no devices given, those the machine
    has: on a machine without GPUs, as here, one replica on the CPU (TF's choice too)."""

    def __init__(self, devices=None, cross_device_ops=None):
        devices = list(devices or [])
        kinds = {DeviceSpec.from_string(d).device_type for d in devices}
        if len(devices) > 1 or kinds - {None, "CPU"}:
            raise NotImplementedError(
                f"MirroredStrategy({devices!r}): scopeflow runs a tf.distribute strategy as one "
                "replica on the CPU; to spread one graph over many devices use "
                "scopeflow.distribute.data_parallel(session) with Session(executor='jax')"
            )
        super().__init__()


class _DefaultStrategy(Strategy):
    """The strategy outside every ``scope()``: one replica, ordinary variables."""


_DEFAULT = _DefaultStrategy()


def get_strategy() -> Strategy:
    """The strategy of the innermost ``scope()``, or the default strategy."""
    return _stack.entries[-1][0] if _stack.entries else _DEFAULT


def has_strategy() -> bool:
    """Whether a strategy's ``scope()`` (not the default strategy) is open."""
    return bool(_stack.entries)


def in_cross_replica_context() -> bool:
    """Whether code runs in a strategy's scope outside ``run`` (``False`` outside scopes)."""
    return bool(_stack.entries) and _stack.entries[-1][1] is None


def get_replica_context() -> ReplicaContext | None:
    """The replica context inside ``run``; ``None`` in a cross-replica context; outside
    every scope, the default strategy's replica context."""
    if not _stack.entries:
        return ReplicaContext(_DEFAULT)
    return _stack.entries[-1][1]


def get_loss_reduction() -> ReduceOp:
    """``ReduceOp.SUM``: TF1's losses are summed over replicas (each already a mean)."""
    return ReduceOp.SUM


def experimental_set_strategy(strategy) -> None:
    """Sets (or, with None, clears) the strategy outside scopes of this thread."""
    _stack.entries.clear()
    if strategy is not None:
        _stack.entries.append((strategy, None))


def _reduce_op(reduce_op) -> ReduceOp:
    if isinstance(reduce_op, str):
        try:
            return ReduceOp[reduce_op.upper()]
        except KeyError:
            raise ValueError(f"reduce_op must be 'SUM' or 'MEAN', got {reduce_op!r}") from None
    if not isinstance(reduce_op, ReduceOp):
        raise ValueError(f"reduce_op must be a tf.distribute.ReduceOp, got {reduce_op!r}")
    return reduce_op


def _identities(value):
    """``value`` (a nest of tensors) as identities of its tensors: one replica's all-reduce."""
    return nest.map_structure(lambda t: identity(convert_to_tensor(t)), value)


class CentralStorageStrategy(MirroredStrategy):
    """Variables on one device, computation mirrored over the others: on this machine, as
    ``MirroredStrategy``, one replica on the CPU."""

    def __init__(self, compute_devices=None, parameter_device=None):
        super().__init__(compute_devices)


class MultiWorkerMirroredStrategy(MirroredStrategy):
    """Synchronous replicas over the workers of ``TF_CONFIG``'s cluster; without a cluster
    (TF's single-worker case), one replica on the CPU."""

    def __init__(self, communication=None, cluster_resolver=None, communication_options=None):
        if cluster_resolver is not None or _tf_config_cluster():
            raise NotImplementedError(
                "MultiWorkerMirroredStrategy over a cluster: scopeflow joins processes with "
                "scopeflow.distribute.initialize() and runs one graph over all their devices "
                "with scopeflow.distribute.data_parallel(session)"
            )
        super().__init__()


def _tf_config_cluster() -> bool:
    return bool(json.loads(os.environ.get("TF_CONFIG", "{}") or "{}").get("cluster"))
