"""The process's devices as ``tf.config`` describes them: one physical CPU, which may be cut
into several logical CPUs before the first session, the visible devices, and the settings
TF 2's context keeps (soft placement, the graph optimizer's options, the eager device
policy).

A ``tf.Session`` runs its ops on the CPU whatever GPUs the machine has (as
``tf.test.is_gpu_available()`` answers), so ``list_physical_devices("GPU")`` is empty and
the usual ``for gpu in gpus: set_memory_growth(gpu, True)`` does nothing, as on a CPU-only
TensorFlow. GPUs that ``Session(executor="jax")`` uses are JAX's and are not listed here.

As in TF, the devices are fixed once the runtime starts: by the first ``Session`` or
``list_logical_devices``. Changing the visible devices or the logical CPUs after that raises
``RuntimeError``. Settings that only change TF's eager runtime or its graph rewriter (which
scopeflow does not have) are kept and read back as TF does.

>>> import scopeflow as tf
>>> tf.config.list_physical_devices()
[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]
>>> tf.config.experimental.list_physical_devices("GPU")
[]
"""

from __future__ import annotations

import re
import threading
from typing import NamedTuple

from scopeflow.framework import errors


class PhysicalDevice(NamedTuple):
    """A device of the machine: ``name`` (``/physical_device:CPU:0``) and ``device_type``."""

    name: str
    device_type: str


class LogicalDevice(NamedTuple):
    """A device ops can be placed on: ``name`` (``/device:CPU:0``) and ``device_type``."""

    name: str
    device_type: str


class LogicalDeviceConfiguration(NamedTuple):
    """One logical device to make from a physical one (``set_logical_device_configuration``).
    ``memory_limit`` (MB) applies to GPUs only."""

    memory_limit: int | None = None
    experimental_priority: int | None = None
    experimental_device_ordinal: int | None = None


CPU = PhysicalDevice("/physical_device:CPU:0", "CPU")
_DEVICE_POLICIES = (None, "silent", "silent_for_int32", "warn", "explicit")
# The graph rewriter's options in the order TF reports them; "toggle"s are shown once set.
_REWRITER = (
    *("layout_optimizer", "constant_folding", "shape_optimization", "remapping"),
    *("arithmetic_optimization", "dependency_optimization", "loop_optimization"),
    *("function_optimization", "debug_stripper", "disable_model_pruning"),
    *("scoped_allocator_optimization", "pin_to_host_optimization", "implementation_selector"),
    *("auto_mixed_precision", "use_plugin_optimizers", "disable_meta_optimizer"),
    *("auto_mixed_precision_onednn_bfloat16", "auto_mixed_precision_mkl"),
)
_ALWAYS_SHOWN = ("disable_model_pruning", "disable_meta_optimizer")

_LOCK = threading.Lock()
_STATE: dict = {
    "started": False,  # the first Session or list_logical_devices fixes the devices
    "visible": [CPU],
    "logical": None,  # None, or the LogicalDeviceConfigurations of the CPU
    "soft_placement": False,  # TF1 graph mode's default
    "jit": False,
    "rewriter": {},
    "tf32": True,
    "device_policy": None,
    "synchronous": True,
}


def _known(device) -> PhysicalDevice:
    if device != CPU:
        raise ValueError(f"Unrecognized device: {device!r}")
    return CPU


def list_physical_devices(device_type: str | None = None) -> list:
    """The machine's devices of ``device_type`` (``"CPU"``, ``"GPU"``...; all when None)."""
    return [CPU] if device_type in (None, "CPU") else []


def get_visible_devices(device_type: str | None = None) -> list:
    """The physical devices the runtime uses (all by default)."""
    with _LOCK:
        return [d for d in _STATE["visible"] if device_type in (None, d.device_type)]


def set_visible_devices(devices, device_type: str | None = None) -> None:
    """Makes only ``devices`` (one or a list of ``PhysicalDevice``) of ``device_type`` (of
    every type when None) visible; before the first session only."""
    if isinstance(devices, PhysicalDevice) or not isinstance(devices, list | tuple):
        devices = [devices]
    for device in devices:
        if _known(device).device_type != (device_type or device.device_type):
            raise ValueError(f"Unrecognized device: {device!r}")
    with _LOCK:
        kept = [d for d in _STATE["visible"] if device_type not in (None, d.device_type)]
        visible = [d for d in (CPU,) if d in kept or d in devices]
        if visible != _STATE["visible"]:
            if _STATE["started"]:
                raise RuntimeError("Visible devices cannot be modified after being initialized")
            _STATE["visible"] = visible


def get_logical_device_configuration(device) -> list | None:
    """The ``LogicalDeviceConfiguration``s ``device`` was cut into, or None."""
    _known(device)
    with _LOCK:
        logical = _STATE["logical"]
        return None if logical is None else list(logical)


def set_logical_device_configuration(device, logical_devices) -> None:
    """Cuts the physical ``device`` into one logical device per ``LogicalDeviceConfiguration``
    of ``logical_devices`` (``/device:CPU:0``, ``/device:CPU:1``...), before the first
    session. ``tf.device("/cpu:1")`` then names one of them; every op still runs on the
    process's kernel threads."""
    _known(device)
    logical = list(logical_devices)
    for config in logical:
        if config.memory_limit is not None:
            raise ValueError(
                "Setting memory limit on CPU virtual devices is currently not supported"
            )
    with _LOCK:
        if logical != _STATE["logical"]:
            if _STATE["started"]:
                raise RuntimeError("Virtual devices cannot be modified after being initialized")
            _STATE["logical"] = logical


def start() -> list:
    """Fixes the devices (the runtime starts: a ``Session`` is made) and returns the logical
    CPU names; ``NotFoundError`` when the CPU was hidden, as TF's runtime fails then."""
    with _LOCK:
        if CPU not in _STATE["visible"]:
            raise errors.NotFoundError(None, None, "No CPU devices are available in this process")
        _STATE["started"] = True
        return [f"/device:CPU:{i}" for i in range(len(_STATE["logical"] or [None]))]


def list_logical_devices(device_type: str | None = None) -> list:
    """The devices ops can be placed on (this fixes the devices, as in TF)."""
    names = start()
    return [LogicalDevice(n, "CPU") for n in names if device_type in (None, "CPU")]


def set_memory_growth(device, enable: bool) -> None:
    """GPUs only: the CPU has no memory to grow (``ValueError``, as TF)."""
    _known(device)
    raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")


def get_memory_growth(device) -> bool:
    """Whether memory growth was set for a GPU; the CPU has none (``KeyError``, as TF)."""
    raise KeyError(_known(device))


def get_device_details(device) -> dict:
    """Details of a physical device (a GPU's name and compute capability): ``{}`` for a CPU."""
    _known(device)
    return {}


def _allocator_device(device: str) -> str:
    match = re.fullmatch(r"(?:/device:)?([A-Za-z_]+):(\d+)", device)
    if not match:
        raise ValueError(
            f"Failed parsing device name: '{device}'. Note a valid device string should at "
            'least contain a device type and a device index, like "GPU:0".'
        )
    names = start()
    if match[1].upper() != "CPU" or int(match[2]) >= len(names):
        raise ValueError(f"No matching devices found for '{device}'")
    return device


def get_memory_info(device: str) -> dict:
    """A GPU's allocator statistics; the CPU keeps none (``ValueError``, as TF)."""
    raise ValueError(f"Allocator stats not available for device '{_allocator_device(device)}'")


def get_memory_usage(device: str) -> int:
    """Deprecated form of ``get_memory_info(device)["current"]``: ``ValueError`` on the CPU."""
    return get_memory_info(device)["current"]


def reset_memory_stats(device: str) -> None:
    """Resets a GPU's peak-memory statistic; the CPU keeps none (``ValueError``, as TF)."""
    raise ValueError(f"Cannot reset memory stats for device '{_allocator_device(device)}'")


def _setting(key: str):
    with _LOCK:
        return _STATE[key]


def _set(key: str, value) -> None:
    with _LOCK:
        _STATE[key] = value


def get_soft_device_placement() -> bool:
    """TF 2's eager soft placement (False in TF1 graph mode); sessions take theirs from
    ``ConfigProto.allow_soft_placement``."""
    return _setting("soft_placement")


def set_soft_device_placement(enabled) -> None:
    """Sets what ``get_soft_device_placement`` reads."""
    _set("soft_placement", bool(enabled))


def get_jit() -> str:
    """``"autoclustering"`` once ``set_jit(True)``, else ``""``: TF's XLA auto-clustering,
    which scopeflow has instead as ``Session(executor="jax")``."""
    return "autoclustering" if _setting("jit") else ""


def set_jit(enabled) -> None:
    """Sets what ``get_jit`` reads: True or ``"autoclustering"`` on, anything else off."""
    _set("jit", enabled is True or enabled == "autoclustering")


def get_experimental_options() -> dict:
    """The graph rewriter's options set so far, with its two always-reported flags."""
    options = _setting("rewriter")
    shown = {
        key: bool(options.get(key, False))
        for key in _REWRITER
        if key in _ALWAYS_SHOWN or options.get(key) is not None
    }
    if options.get("min_graph_nodes"):
        shown["min_graph_nodes"] = options["min_graph_nodes"]
    return shown


def set_experimental_options(options: dict) -> None:
    """Merges ``options`` (TF's rewriter option names; others are ignored, a None value
    resets one) into what ``get_experimental_options`` reports."""
    with _LOCK:
        merged = dict(_STATE["rewriter"])
        for key, value in options.items():
            if key in _REWRITER or key == "min_graph_nodes":
                merged[key] = value
        _STATE["rewriter"] = merged


def tensor_float_32_execution_enabled() -> bool:
    """Whether TensorFloat-32 may be used (an Ampere GPU setting; True by default)."""
    return _setting("tf32")


def enable_tensor_float_32_execution(enabled) -> None:
    """Sets what ``tensor_float_32_execution_enabled`` reads (no CPU op uses TF32)."""
    _set("tf32", bool(enabled))


def get_device_policy() -> str:
    """TF 2's eager device policy (``"silent"`` by default)."""
    return _setting("device_policy") or "silent"


def set_device_policy(device_policy) -> None:
    """Sets what ``get_device_policy`` reads: None, ``"silent"``, ``"silent_for_int32"``,
    ``"warn"`` or ``"explicit"``."""
    if device_policy not in _DEVICE_POLICIES:
        raise ValueError(
            f"Invalid argument `device_policy`: {device_policy!r}. Please refer to "
            "https://www.tensorflow.org/api_docs/python/tf/config/experimental/"
            "set_device_policy for valid `device_policy` arguments."
        )
    _set("device_policy", device_policy)


def get_synchronous_execution() -> bool:
    """TF 2's eager synchronous execution (True by default)."""
    return _setting("synchronous")


def set_synchronous_execution(enable) -> None:
    """Sets what ``get_synchronous_execution`` reads."""
    _set("synchronous", bool(enable))


def connect_to_cluster(*args, **kwargs) -> None:
    """TF's remote eager devices: ``ValueError`` in graph mode, as TF1 raises."""
    raise ValueError(
        "`tf.config.experimental_connect_to_cluster` can only be called in eager mode."
    )
