"""``tf.config``: the process's devices (one CPU, cut into logical CPUs if asked, before the
first session), the thread counts of sessions made without a ``config``
(``tf.config.threading``), and the settings of TF 2's context that TF1 programs set
(``tf.config.optimizer``, ``tf.config.experimental``). See ``scopeflow/session/devices.py``.

>>> import scopeflow as tf
>>> [d.name for d in tf.config.list_physical_devices("CPU")]
['/physical_device:CPU:0']
>>> tf.config.threading.get_intra_op_parallelism_threads()
0
"""

from __future__ import annotations

from scopeflow.config import experimental, optimizer
from scopeflow.eager_compat.function import (
    experimental_functions_run_eagerly,
    experimental_run_functions_eagerly,
    functions_run_eagerly,
    run_functions_eagerly,
)
from scopeflow.session import threading_config as threading
from scopeflow.session.devices import (
    LogicalDevice,
    LogicalDeviceConfiguration,
    PhysicalDevice,
    get_logical_device_configuration,
    get_soft_device_placement,
    get_visible_devices,
    list_logical_devices,
    list_physical_devices,
    set_logical_device_configuration,
    set_soft_device_placement,
    set_visible_devices,
)
from scopeflow.session.devices import connect_to_cluster as experimental_connect_to_cluster
from scopeflow.session.devices import connect_to_cluster as experimental_connect_to_host

__all__ = [
    "LogicalDevice",
    "LogicalDeviceConfiguration",
    "PhysicalDevice",
    "experimental",
    "experimental_connect_to_cluster",
    "experimental_connect_to_host",
    "experimental_functions_run_eagerly",
    "experimental_run_functions_eagerly",
    "functions_run_eagerly",
    "get_logical_device_configuration",
    "get_soft_device_placement",
    "get_visible_devices",
    "list_logical_devices",
    "list_physical_devices",
    "optimizer",
    "run_functions_eagerly",
    "set_logical_device_configuration",
    "set_soft_device_placement",
    "set_visible_devices",
    "threading",
]
