"""``tf.train.Saver(sharded=True)``: one data file per device the variables sit on, numbered
in the order of the devices' names, the index listing each tensor's shard; the files are the
bytes TF 2.21's sharded Saver wrote for the same variables (in a three-task in-process
cluster), and each Saver restores the other's."""

from __future__ import annotations

import binascii
import os

import numpy as np

import scopeflow as tf
from scopeflow.train.bundle import BundleReader

# TF 2.21's model.ckpt-7.index for _four_devices and _partitioned below.
TF_INDEX = {
    "devices": (
        "00000608041a02080100010f610801120412020802280835593ce53500010d62080312001801280435633f"
        "7f2800011563080112081202080112020801180328043597d088fb00010d64080112001802280435800584"
        "41000000000100000000faa3c4b1000000000100000000c0f2a1b000010265005f000000000100000000a3"
        "cee93d6408710e000000000000000000000000000000000000000000000000000000000000000000000000"
        "57fb808b247547db"
    ),
    "partitioned": (
        "00000608021a020801000a1300700001010280838082080112081202080312020802281835f67f4ef20604"
        "1583828082080112081202080212020802180128103506bcc5d7000122700801120812020805120208023a"
        "080a0210030a0210023a0a0a04080310020a0210020001117108011204120208032018280c35796e802100"
        "0000000100000000054f06b2000000000100000000c0f2a1b000010372008801000000000100000000fdfc"
        "1c3d8d01089a010f0000000000000000000000000000000000000000000000000000000000000000000057"
        "fb808b247547db"
    ),
}


def _four_devices():
    with tf.device("/cpu:0"):
        tf.Variable([1.0, 2.0], name="a")
    with tf.device("/job:ps/task:0"):
        tf.Variable(3, name="b")
    with tf.device("/job:ps/task:1"):
        tf.Variable([[4.0]], name="c")
    with tf.device("/job:ps/task:0/device:CPU:0"):
        tf.Variable(5.0, name="d")


def _partitioned():
    with tf.device(tf.train.replica_device_setter(ps_tasks=2)):
        tf.get_variable(
            "p",
            [5, 2],
            initializer=tf.constant_initializer(3.0),
            partitioner=tf.fixed_size_partitioner(2),
        )
        tf.get_variable("q", [3], initializer=tf.ones_initializer())


def _save(build, tmp_path, sharded=True) -> str:
    with tf.Graph().as_default():
        build()
        saver = tf.train.Saver(sharded=sharded)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return saver.save(sess, str(tmp_path / "model.ckpt"), global_step=7)


def test_one_data_file_per_device_in_tf_s_order_and_bytes(tmp_path):
    path = _save(_four_devices, tmp_path)
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint",
        "model.ckpt-7.data-00000-of-00004",  # /device:CPU:0
        "model.ckpt-7.data-00001-of-00004",  # /job:ps/task:0
        "model.ckpt-7.data-00002-of-00004",  # /job:ps/task:0/device:CPU:0
        "model.ckpt-7.data-00003-of-00004",  # /job:ps/task:1
        "model.ckpt-7.index",
        "model.ckpt-7.meta",
    ]
    reader = BundleReader(path)
    assert {n: reader.entry(n).shard for n in "abcd"} == {"a": 0, "b": 1, "c": 3, "d": 2}
    index = binascii.hexlify(open(path + ".index", "rb").read()).decode()
    assert index == TF_INDEX["devices"]
    data = [open(f"{path}.data-0000{k}-of-00004", "rb").read() for k in range(4)]
    assert data == [
        np.float32([1, 2]).tobytes(),
        np.int32(3).tobytes(),
        np.float32(5).tobytes(),
        np.float32(4).tobytes(),
    ]


def test_parts_of_a_partitioned_variable_go_to_their_devices(tmp_path):
    path = _save(_partitioned, tmp_path)
    assert (
        binascii.hexlify(open(path + ".index", "rb").read()).decode() == (TF_INDEX["partitioned"])
    )
    sizes = [os.path.getsize(f"{path}.data-0000{k}-of-00002") for k in range(2)]
    assert sizes == [36, 16]  # p/part_0 (3x2) and q on ps 0; p/part_1 (2x2) on ps 1
    with tf.Graph().as_default():
        p = tf.get_variable("p", [5, 2])  # restored whole, from both shards
        q = tf.get_variable("q", [3])
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, path)
            np.testing.assert_array_equal(sess.run(p), np.full([5, 2], 3.0))
            np.testing.assert_array_equal(sess.run(q), [1.0, 1.0, 1.0])


def test_restores_and_one_device_is_one_shard(tmp_path):
    path = _save(_four_devices, tmp_path / "s")
    with tf.Graph().as_default():
        _four_devices()
        with tf.Session() as sess:
            sess.run([v.initializer for v in tf.global_variables()])
            sess.run([v.assign(v * 0) for v in tf.global_variables()])
            tf.train.Saver(sharded=True).restore(sess, path)
            assert [sess.run(v).tolist() for v in tf.global_variables()] == [
                [1.0, 2.0],
                3,
                [[4.0]],
                5.0,
            ]
    _save(_four_devices, tmp_path / "u", sharded=False)
    _save(lambda: tf.Variable(1.0, name="x"), tmp_path / "one")
    assert [f for f in os.listdir(tmp_path / "u") if ".data" in f] == [
        "model.ckpt-7.data-00000-of-00001"
    ]
    assert [f for f in os.listdir(tmp_path / "one") if ".data" in f] == [
        "model.ckpt-7.data-00000-of-00001"
    ]
