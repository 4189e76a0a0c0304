"""``tf.config.experimental``: device listing and memory settings under their TF 1.14-era
names (``list_physical_devices``, ``set_memory_growth``, ``VirtualDeviceConfiguration``...).

>>> import scopeflow as tf
>>> gpus = tf.config.experimental.list_physical_devices("GPU")
>>> for gpu in gpus:  # none: sessions run on the CPU
...     tf.config.experimental.set_memory_growth(gpu, True)
>>> gpus
[]
"""

from __future__ import annotations

from scopeflow.session.devices import LogicalDeviceConfiguration as VirtualDeviceConfiguration
from scopeflow.session.devices import (
    enable_tensor_float_32_execution,
    get_device_details,
    get_device_policy,
    get_memory_growth,
    get_memory_info,
    get_memory_usage,
    get_synchronous_execution,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    reset_memory_stats,
    set_device_policy,
    set_memory_growth,
    set_synchronous_execution,
    set_visible_devices,
    tensor_float_32_execution_enabled,
)
from scopeflow.session.devices import (
    get_logical_device_configuration as get_virtual_device_configuration,
)
from scopeflow.session.devices import (
    set_logical_device_configuration as set_virtual_device_configuration,
)

__all__ = [
    "VirtualDeviceConfiguration",
    "enable_tensor_float_32_execution",
    "get_device_details",
    "get_device_policy",
    "get_memory_growth",
    "get_memory_info",
    "get_memory_usage",
    "get_synchronous_execution",
    "get_virtual_device_configuration",
    "get_visible_devices",
    "list_logical_devices",
    "list_physical_devices",
    "reset_memory_stats",
    "set_device_policy",
    "set_memory_growth",
    "set_synchronous_execution",
    "set_virtual_device_configuration",
    "set_visible_devices",
    "tensor_float_32_execution_enabled",
]
