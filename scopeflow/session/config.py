"""``tf.ConfigProto``, ``tf.GPUOptions``, ``tf.RunOptions``, ``tf.RunMetadata``: the fields TF1
programs pass, accepted and kept, integer fields checked as protocol buffers check them.
scopeflow's NumPy executor runs on the CPU and reads only ``intra_op_parallelism_threads``:
the threads each kernel may use (0: the machine's cores, at most 8; 1: none but the
caller's)."""

from __future__ import annotations

import operator


class _Message:
    """A small stand-in for a protocol buffer message: known fields only."""

    _FIELDS: dict = {}
    _INT64_FIELDS: frozenset = frozenset()  # int fields not int32

    def __init__(self, **kwargs):
        for name, default in self._FIELDS.items():
            setattr(self, name, default() if callable(default) else default)
        for name, value in kwargs.items():
            if name not in self._FIELDS:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{name}" field.')
            if value is not None:  # as protobuf: None in the constructor keeps the default
                setattr(self, name, value)

    def __setattr__(self, name: str, value) -> None:
        if type(self._FIELDS.get(name)) is int:  # an integer field, checked as protobuf does
            field = f"{type(self).__name__}.{name}"
            if isinstance(value, bool):
                raise TypeError(f"Field tensorflow.{field}: Expected an int, got a boolean.")
            value = operator.index(value)  # TypeError "'float' object cannot be interpreted..."
            bits = 64 if name in self._INT64_FIELDS else 32
            if not -(2 ** (bits - 1)) <= value < 2 ** (bits - 1):
                raise ValueError(f"Value out of range: {value} (field {field})")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={getattr(self, k)!r}" for k in self._FIELDS)
        return f"{type(self).__name__}({fields})"


class GPUOptions(_Message):
    _INT64_FIELDS = frozenset({"deferred_deletion_bytes"})
    _FIELDS = {
        "allow_growth": False,
        "per_process_gpu_memory_fraction": 0.0,
        "visible_device_list": "",
        "allocator_type": "",
        "deferred_deletion_bytes": 0,
        "polling_active_delay_usecs": 0,
        "polling_inactive_delay_msecs": 0,
        "force_gpu_compatible": False,
    }


class OptimizerOptions(_Message):
    """TF1's graph optimizer settings (``GraphOptions.optimizer_options``), with its enum
    values: ``opt_level`` ``L1``/``L0``, ``global_jit_level`` ``DEFAULT``/``OFF``/``ON_1``/
    ``ON_2`` (scopeflow's compiler is ``Session(executor="jax")``; these are kept, read by
    nothing).

    >>> import scopeflow as tf
    >>> config = tf.ConfigProto()
    >>> config.graph_options.optimizer_options.global_jit_level = tf.OptimizerOptions.ON_1
    >>> config.graph_options.optimizer_options.global_jit_level
    1
    """

    L1, L0 = 0, -1
    DEFAULT, OFF, ON_1, ON_2 = 0, -1, 1, 2
    _INT64_FIELDS = frozenset({"max_folded_constant_in_bytes"})
    _FIELDS = {
        "do_common_subexpression_elimination": False,
        "do_constant_folding": False,
        "max_folded_constant_in_bytes": 0,
        "do_function_inlining": False,
        "opt_level": 0,
        "global_jit_level": 0,
        "cpu_global_jit": False,
    }


class GraphOptions(_Message):
    _INT64_FIELDS = frozenset({"build_cost_model", "build_cost_model_after"})
    _FIELDS = {
        "enable_recv_scheduling": False,
        "optimizer_options": OptimizerOptions,
        "build_cost_model": 0,
        "build_cost_model_after": 0,
        "infer_shapes": False,
        "place_pruned_graph": False,
        "enable_bfloat16_sendrecv": False,
        "timeline_step": 0,
    }


class ConfigProto(_Message):
    _INT64_FIELDS = frozenset({"operation_timeout_in_ms"})
    _FIELDS = {
        "allow_soft_placement": False,
        "log_device_placement": False,
        "intra_op_parallelism_threads": 0,
        "inter_op_parallelism_threads": 0,
        "use_per_session_threads": False,
        "device_count": dict,
        "gpu_options": GPUOptions,
        "graph_options": GraphOptions,
        "operation_timeout_in_ms": 0,
        "isolate_session_state": False,
        # Cluster fields of TF1's between-graph scripts: accepted, read by nothing here.
        "placement_period": 0,
        "device_filters": list,
        "cluster_def": None,
        "share_cluster_devices_in_session": False,
    }


class RunOptions(_Message):
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    _INT64_FIELDS = frozenset({"timeout_in_ms"})
    _FIELDS = {
        "trace_level": 0,
        "timeout_in_ms": 0,
        "output_partition_graphs": False,
        "report_tensor_allocations_upon_oom": False,
    }


class RunMetadata(_Message):
    _FIELDS = {"step_stats": None, "partition_graphs": list, "cost_graph": None}
