"""``tf.train.CheckpointManager`` in graph mode: numbering, deletion past ``max_to_keep``,
the state file, taking over a directory, ``checkpoint_interval``; every path and message as
TF 2.21's ``tf.compat.v1`` gives them for the same calls."""

from __future__ import annotations

import os

import pytest

import scopeflow as tf


@pytest.fixture
def setup(graph):
    v = tf.Variable(1.0, name="v")
    step = tf.train.get_or_create_global_step()
    ckpt = tf.train.Checkpoint(v=v)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        yield ckpt, step, sess


def test_saves_are_numbered_and_the_oldest_deleted(setup, tmp_path):
    ckpt, step, _ = setup
    d = str(tmp_path)
    manager = tf.train.CheckpointManager(ckpt, d, max_to_keep=2)
    assert (manager.latest_checkpoint, manager.checkpoints) == (None, [])
    assert [manager.save() for _ in range(3)] == [f"{d}/ckpt-{i}" for i in (1, 2, 3)]
    assert manager.checkpoints == [f"{d}/ckpt-2", f"{d}/ckpt-3"]
    assert sorted(os.listdir(d)) == [
        "checkpoint",
        "ckpt-2.data-00000-of-00001",
        "ckpt-2.index",
        "ckpt-3.data-00000-of-00001",
        "ckpt-3.index",
    ]
    assert manager.save(checkpoint_number=step) == f"{d}/ckpt-0"
    assert manager.save(checkpoint_number=7) == f"{d}/ckpt-7"
    state = (tmp_path / "checkpoint").read_text().splitlines()
    assert [line for line in state if "timestamp" not in line] == [
        'model_checkpoint_path: "ckpt-7"',
        'all_model_checkpoint_paths: "ckpt-0"',
        'all_model_checkpoint_paths: "ckpt-7"',
    ]
    assert len(state) == 6  # two checkpoint timestamps and last_preserved_timestamp
    assert tf.train.latest_checkpoint(d) == f"{d}/ckpt-7"

    again = tf.train.CheckpointManager(ckpt, d, max_to_keep=None, checkpoint_name="other")
    assert (again.checkpoints, again.latest_checkpoint) == (
        [f"{d}/ckpt-0", f"{d}/ckpt-7"],
        f"{d}/ckpt-7",
    )
    assert again.save() == f"{d}/other-6"
    assert again.checkpoints == [f"{d}/ckpt-0", f"{d}/ckpt-7", f"{d}/other-6"]


def test_checkpoint_interval_follows_the_step_counter(setup, tmp_path):
    ckpt, step, sess = setup
    d = str(tmp_path)
    manager = tf.train.CheckpointManager(
        ckpt, d, max_to_keep=3, step_counter=step, checkpoint_interval=2
    )
    increment = step.assign_add(1)
    saved = []
    for _ in range(5):
        saved.append(manager.save())
        sess.run(increment)
    assert saved == [f"{d}/ckpt-1", None, f"{d}/ckpt-2", None, f"{d}/ckpt-3"]
    assert manager.save(check_interval=False) == f"{d}/ckpt-4"
    assert manager.save(check_interval=False) is None  # the step has not moved
    assert manager.restore_or_initialize() == f"{d}/ckpt-4"


def test_restore_or_initialize_without_checkpoints_calls_init_fn(setup, tmp_path):
    ckpt, _, _ = setup
    calls = []
    manager = tf.train.CheckpointManager(
        ckpt, str(tmp_path), max_to_keep=1, init_fn=lambda: calls.append(1)
    )
    assert manager.restore_or_initialize() is None and calls == [1]


def test_bad_arguments(setup, tmp_path):
    ckpt, _, _ = setup
    with pytest.raises(ValueError, match="positive integer or `None` for `max_to_keep`, got 0"):
        tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=0)
    with pytest.raises(ValueError, match="`step_counter` should be passed"):
        tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=1, checkpoint_interval=3)
