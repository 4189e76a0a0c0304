"""Saves that cannot complete: a file where the checkpoint's folder should be, a folder where
one of its files should be, a disk that fills up. TF 2.21 answers with a ValueError naming the
parent, or its file system's errors ("<path>; Is a directory": FailedPreconditionError); the
types and words below are TF 2.21's for the same saves. scopeflow leaves no temporary file
behind and, on a failed write, the checkpoint that was there before."""

from __future__ import annotations

import errno
import os
import threading

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.train import files


@pytest.fixture
def saving(graph):
    v = tf.Variable([1.0, 2.0], name="v")
    saver = tf.train.Saver()
    with tf.Session() as sess:
        sess.run(v.initializer)
        yield v, saver, sess


def test_a_file_in_place_of_the_folder_is_tfs_value_error(saving, tmp_path):
    v, saver, sess = saving
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ValueError, match="Parent directory of .*afile/model doesn't exist, can't"):
        saver.save(sess, str(tmp_path / "afile" / "model"))  # a FileExistsError before
    assert os.listdir(tmp_path) == ["afile"]


@pytest.mark.parametrize(
    "part", ["model.index", "model.data-00000-of-00001", "checkpoint", "model.meta"]
)
def test_a_folder_in_place_of_a_file_is_failed_precondition_leaving_no_temporary(
    saving, tmp_path, part
):
    v, saver, sess = saving
    (tmp_path / part).mkdir()
    with pytest.raises(tf.errors.FailedPreconditionError, match=f"{part}; Is a directory"):
        saver.save(sess, str(tmp_path / "model"))  # an IsADirectoryError before
    left = sorted(os.listdir(tmp_path))
    assert not [name for name in left if ".tmp" in name or ".tempstate" in name]
    if part.startswith("model.") and part != "model.meta":  # the bundle: nothing written
        assert left == [part]
    latest = tf.train.latest_checkpoint(str(tmp_path))  # as TF 2.21: the meta file comes last
    assert latest == (str(tmp_path / "model") if part == "model.meta" else None)


def test_a_disk_filling_up_keeps_the_checkpoint_there_before(saving, tmp_path, monkeypatch):
    v, saver, sess = saving
    prefix = saver.save(sess, str(tmp_path / "model"), write_meta_graph=False)
    before = sorted(os.listdir(tmp_path))
    sess.run(v.assign([5.0, 6.0]))

    def full(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files._PendingFile, "write", full)
    with pytest.raises(tf.errors.ResourceExhaustedError, match="No space left on device"):
        saver.save(sess, prefix, write_meta_graph=False)
    monkeypatch.undo()
    assert sorted(os.listdir(tmp_path)) == before
    saver.restore(sess, prefix)
    np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_a_rename_refused_is_permission_denied_leaving_no_temporary(saving, tmp_path, monkeypatch):
    v, saver, sess = saving

    def refuse(source, target):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), target)

    monkeypatch.setattr(files.os, "replace", refuse)
    with pytest.raises(tf.errors.PermissionDeniedError, match="Permission denied"):
        saver.save(sess, str(tmp_path / "model"))
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_a_folder_that_refuses_new_files_is_not_found(saving):
    v, saver, sess = saving
    with pytest.raises(tf.errors.NotFoundError, match="No such file or directory"):
        saver.save(sess, "/proc/self/model")  # as TF 2.21


def test_restores_while_another_thread_saves_read_whole_checkpoints(graph, tmp_path):
    a = tf.Variable(np.zeros(500, np.float32), name="a")
    b = tf.Variable(np.zeros(500, np.float32), name="b")
    k = tf.placeholder(tf.float32, [])
    set_both = tf.group(a.assign(tf.fill([500], k)), b.assign(tf.fill([500], k)))
    saver = tf.train.Saver()
    prefix = str(tmp_path / "model")
    with tf.Session() as writer, tf.Session() as reader:
        writer.run(tf.global_variables_initializer())
        saver.save(writer, prefix, write_meta_graph=False)

        def save_many():
            for step in range(1, 31):
                writer.run(set_both, {k: step})
                saver.save(writer, prefix, write_meta_graph=False)

        thread = threading.Thread(target=save_many)
        thread.start()
        seen = set()
        while thread.is_alive():
            # TF 2.21 fails here now and then with DataLossError (an index and data files of
            # two saves); scopeflow reads the newer checkpoint again
            saver.restore(reader, prefix)
            got_a, got_b = reader.run([a, b])
            assert (got_a == got_a[0]).all() and (got_b == got_a[0]).all()
            seen.add(float(got_a[0]))
        thread.join()
    assert len(seen) > 1
