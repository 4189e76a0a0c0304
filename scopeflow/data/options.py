"""``tf.data.Options`` and the option groups under it (``ThreadingOptions``,
``tf.data.experimental.OptimizationOptions``, ``AutotuneOptions``, ``DistributeOptions``,
``ServiceOptions``), as ``Dataset.with_options`` takes them and ``Dataset.options()`` gives
them back: TF's names, types, defaults, type checks and merge rules.

Every option is kept and merged as TF does, and none changes what a pipeline yields, which
TF's semantics allow: scopeflow's pipelines run on the host in one thread, in order, so
``deterministic=False`` (which lets TF reorder elements, not requires it), the thread-pool
sizes, the static optimizations (each preserves the elements) and autotuning, slack, warm
start and symbolic checkpoints (performance) have nothing to change; sharding and the
tf.data service belong to ``tf.distribute`` and the data service, which scopeflow lacks.

>>> import scopeflow as tf
>>> options = tf.data.Options()
>>> options.threading.private_threadpool_size = 4
>>> options.deterministic = False
>>> with tf.Graph().as_default():
...     ds = tf.data.Dataset.range(3).with_options(options)
...     (ds.options().deterministic, ds.options().threading.private_threadpool_size)
(False, 4)
"""

from __future__ import annotations

import copy
import enum
import logging

from scopeflow.data import function
from scopeflow.framework import dtypes

_log = logging.getLogger("tensorflow")


class AutotuneAlgorithm(enum.Enum):
    """How tf.data's autotuner searches (TF's values)."""

    DEFAULT = 0
    HILL_CLIMB = 1
    GRADIENT_DESCENT = 2
    MAX_PARALLELISM = 3
    STAGE_BASED = 4


class AutoShardPolicy(enum.IntEnum):
    """How a distributed dataset is split between workers (TF's values)."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.Enum):
    """What serializing a dataset does about state outside it (TF's values)."""

    WARN = 0
    IGNORE = 1
    FAIL = 2


def _option(name: str, kind: type, doc: str, default=lambda: None) -> property:
    """A typed option: read as its default until set (TF's ``create_option``)."""

    def get(self):
        if name not in self._options:
            self._options[name] = default()
        return self._options[name]

    def set_(self, value):
        if not isinstance(value, kind):
            raise TypeError(
                f'Property "{name}" must be of type {kind}, got: {value} (type: {type(value)})'
            )
        self._options[name] = value

    return property(get, set_, None, doc)


class OptionsBase:
    """Options compared by value; setting an unknown name raises ``AttributeError``."""

    def __init__(self):
        object.__setattr__(self, "_options", {})
        object.__setattr__(self, "_mutable", True)

    def __eq__(self, other):
        if not isinstance(other, type(self)):
            return NotImplemented
        names = set(self._options) | set(other._options)
        return all(getattr(self, n) == getattr(other, n) for n in names)

    def __ne__(self, other):
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None

    def __setattr__(self, name, value):
        if not self._mutable:
            raise ValueError(
                "Mutating `tf.data.Options()` returned by `tf.data.Dataset.options()` has no "
                "effect. Use `tf.data.Dataset.with_options(options)` to set or update dataset "
                "options."
            )
        if not hasattr(self, name):
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        object.__setattr__(self, name, value)

    def _set_mutable(self, mutable: bool) -> None:
        object.__setattr__(self, "_mutable", mutable)
        for value in self._options.values():
            if isinstance(value, OptionsBase):
                value._set_mutable(mutable)


def merge_options(*options_list):
    """The options of ``options_list`` merged, later ones winning (TF's ``merge_options``)."""
    if not options_list:
        raise ValueError("At least one options should be provided")
    kind = type(options_list[0])
    for options in options_list:
        if not isinstance(options, kind):
            raise TypeError(
                f"Could not merge incompatible options of type {type(options)} and {kind}."
            )
    defaults, result = kind(), kind()
    for options in options_list:
        for name in options._options:
            this, that = getattr(result, name), getattr(options, name)
            default = getattr(defaults, name)
            if that == default:
                continue
            if this == default:
                setattr(result, name, that)
            elif isinstance(this, OptionsBase):
                setattr(result, name, merge_options(this, that))
            elif name == "framework_type":
                setattr(result, name, this + that)
            elif this != that:
                _log.warning("Changing the value of option %s from %r to %r.", name, this, that)
                setattr(result, name, that)
    return result


class AutotuneOptions(OptionsBase):
    """Autotuning: whether on, its CPU and RAM budgets, its algorithm (no effect here)."""

    enabled = _option("enabled", bool, "Whether to autotune.")
    cpu_budget = _option("cpu_budget", int, "CPU cores autotuning may use.")
    ram_budget = _option("ram_budget", int, "Bytes of RAM autotuning may use.")
    autotune_algorithm = _option("autotune_algorithm", AutotuneAlgorithm, "The search.")
    initial_parallelism = _option("initial_parallelism", int, "Starting parallelism.")
    min_parallelism = _option("min_parallelism", int, "Least parallelism.")


class DistributeOptions(OptionsBase):
    """How a dataset is sharded between workers (``tf.distribute``)."""

    auto_shard_policy = _option(
        "auto_shard_policy", AutoShardPolicy, "The sharding.", lambda: AutoShardPolicy.AUTO
    )
    num_devices = _option("num_devices", int, "Devices the dataset feeds.")


class OptimizationOptions(OptionsBase):
    """tf.data's static optimizations (each keeps the elements as they are)."""

    apply_default_optimizations = _option("apply_default_optimizations", bool, "Defaults.")
    filter_fusion = _option("filter_fusion", bool, "Fuse filters.")
    filter_parallelization = _option("filter_parallelization", bool, "Parallel filters.")
    inject_prefetch = _option("inject_prefetch", bool, "Prefetch after the last stage.")
    seq_interleave_prefetch = _option("seq_interleave_prefetch", bool, "Interleave prefetch.")
    map_and_batch_fusion = _option("map_and_batch_fusion", bool, "Fuse map and batch.")
    map_and_filter_fusion = _option("map_and_filter_fusion", bool, "Fuse map and filter.")
    map_fusion = _option("map_fusion", bool, "Fuse maps.")
    map_parallelization = _option("map_parallelization", bool, "Parallel maps.")
    noop_elimination = _option("noop_elimination", bool, "Drop no-op stages.")
    parallel_batch = _option("parallel_batch", bool, "Parallel batching.")
    shuffle_and_repeat_fusion = _option("shuffle_and_repeat_fusion", bool, "Fuse them.")


class ServiceOptions(OptionsBase):
    """The tf.data service's options."""

    pinned = _option("pinned", bool, "Pinned buffers.")


class ThreadingOptions(OptionsBase):
    """The threads a pipeline may use (scopeflow's run in one)."""

    max_intra_op_parallelism = _option("max_intra_op_parallelism", int, "Threads per op.")
    private_threadpool_size = _option("private_threadpool_size", int, "Pool size.")


_RENAMED = {"experimental_threading": "threading", "experimental_deterministic": "deterministic"}


class Options(OptionsBase):
    """A dataset's options (``Dataset.with_options``); see the module's docstring for what
    each does here."""

    autotune = _option("autotune", AutotuneOptions, "Autotuning.", AutotuneOptions)
    deterministic = _option("deterministic", bool, "Whether elements keep their order.")
    experimental_deterministic = _option(
        "experimental_deterministic", bool, "DEPRECATED. Use `deterministic` instead."
    )
    experimental_distribute = _option(
        "experimental_distribute", DistributeOptions, "Sharding.", DistributeOptions
    )
    experimental_external_state_policy = _option(
        "experimental_external_state_policy", ExternalStatePolicy, "External state."
    )
    experimental_optimization = _option(
        "experimental_optimization", OptimizationOptions, "Optimizations.", OptimizationOptions
    )
    experimental_slack = _option("experimental_slack", bool, "Slack in prefetching.")
    experimental_symbolic_checkpoint = _option(
        "experimental_symbolic_checkpoint", bool, "Symbolic checkpoints."
    )
    experimental_service = _option(
        "experimental_service", ServiceOptions, "The tf.data service.", ServiceOptions
    )
    experimental_threading = _option(
        "experimental_threading", ThreadingOptions, "DEPRECATED. Use `threading` instead."
    )
    experimental_warm_start = _option("experimental_warm_start", bool, "Warm start.")
    dataset_name = _option("dataset_name", str, "A name for the dataset.")
    framework_type = _option("framework_type", list, "The frameworks using the dataset.")
    threading = _option("threading", ThreadingOptions, "Threading.", ThreadingOptions)

    def __getattribute__(self, name):
        return super().__getattribute__(_RENAMED.get(name, name))

    def __setattr__(self, name, value):
        super().__setattr__(_RENAMED.get(name, name), value)

    def merge(self, options) -> Options:
        """These options merged with ``options`` (``options``' values win)."""
        return merge_options(self, options)


def keep_options(graph, options: Options) -> str:
    """Keeps a copy of ``options`` in ``graph`` for an ``OptionsDataset``; its token."""
    if not isinstance(options, Options):
        raise TypeError(f"options must be a tf.data.Options, got {type(options).__name__}")
    return function.register(graph, copy.deepcopy(options))


def dataset_options(variant_tensor) -> Options:
    """The options of the dataset ``variant_tensor``: those of the datasets it reads merged
    first, then its own (``Dataset.options()``); read-only."""
    merged = Options()
    done = set()

    def visit(op):
        nonlocal merged
        if op in done:
            return
        done.add(op)
        for t in op.inputs:
            if t.dtype.base_dtype == dtypes.variant:
                visit(t.op)
        if op.type == "OptionsDataset":
            merged = merged.merge(function.lookup(op.graph, op._attrs["serialized_options"]))

    visit(variant_tensor.op)
    merged._set_mutable(False)
    return merged
