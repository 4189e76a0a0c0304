"""Tests for ``tf.config`` (scopeflow/session/devices.py, scopeflow/config/): the devices,
their errors and the settings read back, each as TF 2.21's compat.v1 answers in graph mode
(checked there: /tmp/cfgprobe*.py in the session that wrote this)."""

from __future__ import annotations

import pytest

import scopeflow as tf
from scopeflow.session import devices

CPU = tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")


@pytest.fixture(autouse=True)
def fresh_runtime(monkeypatch):
    """A runtime not yet started (no session made), with TF's defaults."""
    state = {**devices._STATE, "started": False, "visible": [devices.CPU], "logical": None}
    monkeypatch.setattr(devices, "_STATE", {**state, "rewriter": {}})


def test_the_machine_is_one_cpu():
    assert tf.config.list_physical_devices() == [CPU]
    assert tf.config.experimental.list_physical_devices("CPU") == [CPU]
    for kind in ("GPU", "TPU", "cpu", "bogus"):  # device types are matched exactly
        assert tf.config.list_physical_devices(kind) == []
    assert repr(CPU) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    assert tf.config.get_visible_devices() == [CPU]
    assert tf.config.get_visible_devices("GPU") == []
    assert tf.config.list_logical_devices() == [tf.config.LogicalDevice("/device:CPU:0", "CPU")]
    assert tf.config.experimental.get_device_details(CPU) == {}


def test_the_memory_growth_loop_of_tf1_programs_does_nothing():
    for gpu in tf.config.experimental.list_physical_devices("GPU"):
        tf.config.experimental.set_memory_growth(gpu, True)
    with pytest.raises(ValueError, match="Cannot set memory growth on non-GPU"):
        tf.config.experimental.set_memory_growth(CPU, True)
    with pytest.raises(KeyError):
        tf.config.experimental.get_memory_growth(CPU)
    with pytest.raises(ValueError, match="Unrecognized device: 'x'"):
        tf.config.experimental.set_memory_growth("x", True)


def test_logical_cpus_are_made_before_the_first_session():
    config = tf.config.LogicalDeviceConfiguration
    assert config() == (None, None, None)
    assert config(100).memory_limit == 100
    assert tf.config.experimental.VirtualDeviceConfiguration is config
    assert tf.config.get_logical_device_configuration(CPU) is None
    with pytest.raises(ValueError, match="memory limit on CPU virtual devices"):
        tf.config.set_logical_device_configuration(CPU, [config(memory_limit=5)])
    tf.config.set_logical_device_configuration(CPU, [config(), config()])
    assert tf.config.experimental.get_virtual_device_configuration(CPU) == [config(), config()]
    with tf.Graph().as_default():
        with tf.device("/cpu:1"):
            x = tf.constant(1.0) + 1
        with tf.Session() as sess:
            names = [d.name for d in sess.list_devices()]
            assert sess.run(x) == 2.0
    assert names == [f"/job:localhost/replica:0/task:0/device:CPU:{i}" for i in (0, 1)]
    assert [d.name for d in tf.config.list_logical_devices("CPU")] == [
        "/device:CPU:0",
        "/device:CPU:1",
    ]
    with pytest.raises(RuntimeError, match="Virtual devices cannot be modified after being"):
        tf.config.set_logical_device_configuration(CPU, [config()])
    tf.config.set_logical_device_configuration(CPU, [config(), config()])  # no change: fine


def test_visible_devices():
    with pytest.raises(ValueError, match="Unrecognized device: 'x'"):
        tf.config.set_visible_devices("x")
    with pytest.raises(ValueError, match="Unrecognized device"):
        tf.config.set_visible_devices([CPU], "GPU")
    tf.config.set_visible_devices(CPU)
    tf.config.set_visible_devices([], "GPU")
    tf.config.list_logical_devices()  # starts the runtime
    tf.config.set_visible_devices([CPU])  # no change: fine
    with pytest.raises(RuntimeError, match="Visible devices cannot be modified after being"):
        tf.config.set_visible_devices([], "CPU")


def test_a_hidden_cpu_fails_the_first_session_as_in_tf():
    tf.config.set_visible_devices([], "CPU")
    assert tf.config.get_visible_devices() == []
    with tf.Graph().as_default():
        with pytest.raises(tf.errors.NotFoundError, match="No CPU devices are available"):
            tf.Session()


@pytest.mark.parametrize(
    ("function", "device", "message"),
    [
        ("get_memory_info", "CPU:0", "Allocator stats not available for device 'CPU:0'"),
        ("get_memory_info", "/device:CPU:0", "not available for device '/device:CPU:0'"),
        ("get_memory_info", "GPU:0", "No matching devices found for 'GPU:0'"),
        ("get_memory_info", "CPU:3", "No matching devices found for 'CPU:3'"),
        ("get_memory_info", "bogus", "Failed parsing device name: 'bogus'"),
        ("get_memory_usage", "CPU:0", "Allocator stats not available for device 'CPU:0'"),
        ("reset_memory_stats", "CPU:0", "Cannot reset memory stats for device 'CPU:0'"),
    ],
)
def test_the_cpu_keeps_no_allocator_statistics(function, device, message):
    with pytest.raises(ValueError, match=message):
        getattr(tf.config.experimental, function)(device)


def test_settings_read_back_as_tf():
    optimizer, experimental = tf.config.optimizer, tf.config.experimental
    assert optimizer.get_jit() == ""
    for value, read in ((True, "autoclustering"), ("bogus", ""), ("autoclustering", "x")):
        optimizer.set_jit(value)
        assert optimizer.get_jit() == (read if read != "x" else "autoclustering")
    assert optimizer.get_experimental_options() == {
        "disable_model_pruning": False,
        "disable_meta_optimizer": False,
    }
    optimizer.set_experimental_options(
        {"layout_optimizer": False, "min_graph_nodes": 3, "auto_mixed_precision": True}
    )
    optimizer.set_experimental_options({"constant_folding": True, "bogus": 1})
    optimizer.set_experimental_options({"layout_optimizer": None})
    options = optimizer.get_experimental_options()
    assert list(options) == [
        *("constant_folding", "disable_model_pruning", "auto_mixed_precision"),
        *("disable_meta_optimizer", "min_graph_nodes"),
    ]
    assert options["constant_folding"] and options["min_graph_nodes"] == 3
    assert tf.config.get_soft_device_placement() is False  # TF1 graph mode's default
    tf.config.set_soft_device_placement(1)
    assert tf.config.get_soft_device_placement() is True
    assert experimental.tensor_float_32_execution_enabled()
    experimental.enable_tensor_float_32_execution(False)
    assert not experimental.tensor_float_32_execution_enabled()
    assert experimental.get_device_policy() == "silent"
    experimental.set_device_policy("warn")
    assert experimental.get_device_policy() == "warn"
    experimental.set_device_policy(None)
    assert experimental.get_device_policy() == "silent"
    with pytest.raises(ValueError, match="Invalid argument `device_policy`: 'bogus'"):
        experimental.set_device_policy("bogus")
    assert experimental.get_synchronous_execution()
    experimental.set_synchronous_execution(False)
    assert not experimental.get_synchronous_execution()
    with pytest.raises(ValueError, match="can only be called in eager mode"):
        tf.config.experimental_connect_to_cluster("grpc://localhost:1")


def test_graph_options_carry_tf1s_optimizer_options():
    config = tf.ConfigProto()
    options = config.graph_options.optimizer_options
    assert (options.opt_level, options.global_jit_level, options.do_function_inlining) == (0, 0, 0)
    options.global_jit_level = tf.OptimizerOptions.ON_1
    options.opt_level = tf.OptimizerOptions.L0
    assert (config.graph_options.optimizer_options.global_jit_level, options.opt_level) == (1, -1)
    assert (tf.OptimizerOptions.OFF, tf.OptimizerOptions.ON_2, tf.OptimizerOptions.L1) == (-1, 2, 0)
    config.gpu_options.force_gpu_compatible = True
    config.graph_options.place_pruned_graph = True
    with pytest.raises(TypeError, match="Expected an int, got a boolean"):
        options.global_jit_level = True
    with pytest.raises(ValueError, match='has no "nope" field'):
        tf.OptimizerOptions(nope=1)
    with tf.Graph().as_default(), tf.Session(config=config) as sess:
        assert sess.run(tf.constant(2.0)) == 2.0


@pytest.mark.parametrize("name", ["enable_eager_execution", "enable_v2_behavior"])
def test_eager_mode_is_refused_with_the_way_out(name):
    with pytest.raises(NotImplementedError, match="tf.Session|disable_v2_behavior"):
        getattr(tf, name)()
