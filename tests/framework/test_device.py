"""Tests for scopeflow/framework/device.py: ``tf.DeviceSpec`` (strings and parts as TF 2.21's
compat.v1 DeviceSpec gives them) and ``tf.device`` taking one."""

from __future__ import annotations

import pytest

import scopeflow as tf


@pytest.mark.parametrize(
    ("text", "canonical", "index", "task", "replica"),
    [
        ("/cpu:0", "/device:CPU:0", 0, None, None),
        ("/job:w/task:0/gpu:1", "/job:w/task:0/device:GPU:1", 1, 0, None),
        ("CPU:0", "/device:CPU:0", 0, None, None),
        ("/device:XLA_CPU:0", "/device:XLA_CPU:0", 0, None, None),
        ("/replica:2", "/replica:2", None, None, 2),
        ("", "", None, None, None),
        ("/job:w/device:GPU:*", "/job:w/device:GPU:*", None, None, None),
    ],
)
def test_from_string_reads_parts_and_writes_tf_canonical_string(
    text, canonical, index, task, replica
):
    spec = tf.DeviceSpec.from_string(text)
    assert spec.to_string() == canonical
    assert (spec.device_index, spec.task, spec.replica) == (index, task, replica)


@pytest.mark.parametrize("text", ["/foo:1", "/device:GPU:x", "/task:a"])
def test_bad_strings_raise_value_error(text):
    with pytest.raises(ValueError):
        tf.DeviceSpec.from_string(text)


def test_constructor_merge_replace_and_equality():
    spec = tf.DeviceSpec(job="worker", replica=0, task=1, device_type="GPU", device_index=0)
    assert spec.to_string() == "/job:worker/replica:0/task:1/device:GPU:0"
    assert repr(spec) == (
        "<DeviceSpec(job=worker, replica=0, task=1, device_type=GPU, device_index=0)>"
    )
    assert tf.DeviceSpec(device_type="gpu").to_string() == "/device:GPU:*"
    assert tf.DeviceSpec(job="w", task="3").task == 3
    other = tf.DeviceSpec.from_string("/job:ps/task:3/device:CPU:*")
    assert spec.make_merged_spec(other).to_string() == "/job:ps/replica:0/task:3/device:CPU:0"
    assert spec.replace(job="x").to_string() == "/job:x/replica:0/task:1/device:GPU:0"
    in_place = tf.DeviceSpec()
    in_place.parse_from_string("/cpu:0")
    in_place.merge_from(other)
    assert in_place.to_string() == "/job:ps/task:3/device:CPU:0"
    again = tf.DeviceSpec.from_string(spec.to_string())
    assert again == spec and hash(again) == hash(spec)
    assert spec != spec.to_string()


def test_tf_device_accepts_a_device_spec():
    with tf.Graph().as_default():
        with tf.device(tf.DeviceSpec(job="w", device_type="GPU", device_index=1)):
            c = tf.constant(1.0)
    assert c.device == "/job:w/device:GPU:1"
