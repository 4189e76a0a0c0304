"""Kernel cases for the summary-writer ops of scopeflow/summary/writer_ops.py: each case makes
a writer, initializes it, writes one summary, flushes and closes it, and checks the event read
back (tags, steps and values as TF 2.21's kernels write them). The write ops have no outputs:
each case fetches an ``Identity`` that runs after them, and its ``Holds`` reads the file."""

from __future__ import annotations

import os
import tempfile

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case

cs = tf.contrib.summary
# Cases built outside the tests below (tests/ops/test_coverage.py runs every case) write here:
# a directory removed when the process ends.
_SCRATCH = tempfile.TemporaryDirectory(prefix="scopeflow-writer-cases-")
_LOGDIR = [_SCRATCH.name]  # set to the test's tmp_path before a case is built


@pytest.fixture(autouse=True)
def _logdir(tmp_path):
    _LOGDIR[0] = str(tmp_path)
    yield
    _LOGDIR[0] = _SCRATCH.name


def _written(write):
    def build(x):
        writer = cs.create_file_writer(_LOGDIR[0])
        with tf.control_dependencies([writer.init()]):
            with writer.as_default(), cs.always_record_summaries():
                done = write(x)
        with tf.control_dependencies([done, cs.flush(writer)]):
            closed = writer.close()
        with tf.control_dependencies([closed]):
            return tf.identity(done)

    return build


def _last(tag):
    found = []
    for name in sorted(os.listdir(_LOGDIR[0])):
        for event in tf.train.summary_iterator(os.path.join(_LOGDIR[0], name)):
            found += [(event.step, v) for v in event.summary.value if v.tag == tag]
    return found[-1]


def _holds(tag, check):
    return Holds(f"the {tag} event", lambda done: bool(done) and check(*_last(tag)))


CASES = [
    Case(
        "scalar",
        "Identity",
        _written(lambda x: cs.scalar("s", x, step=2)),
        (np.float32(0.5),),
        _holds("s", lambda step, v: (step, v.simple_value) == (2, 0.5)),
    ),
    Case(
        "histogram",
        "Identity",
        _written(lambda x: cs.histogram("h", x, step=3)),
        (np.array([1.0, 2.0, 3.0]),),
        _holds("h", lambda step, v: (step, v.histo.num, v.histo.sum_squares) == (3, 3, 14)),
    ),
    Case(
        "image",
        "Identity",
        _written(lambda x: cs.image("i", x, max_images=1, step=4)),
        (np.zeros([2, 2, 2, 3], np.float32),),
        _holds("i/image", lambda step, v: (step, v.image.height, v.image.colorspace) == (4, 2, 3)),
    ),
    Case(
        "audio",
        "Identity",
        _written(lambda x: cs.audio("a", x, 8000, max_outputs=1, step=4)),
        (np.zeros([1, 8], np.float32),),
        _holds("a/audio", lambda step, v: (step, v.audio.length_frames) == (4, 8)),
    ),
    Case(
        "generic",
        "Identity",
        _written(lambda x: cs.generic("g", x, step=5)),
        (np.array([1, 2], np.int32),),
        _holds("g", lambda step, v: v.tensor.tensor_content == b"\1\0\0\0\2\0\0\0"),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernels(run, case, mode):
    check_case(run, case, mode)


def test_a_write_before_init_is_not_found(run, tmp_path):
    writer = cs.create_file_writer(str(tmp_path))
    with writer.as_default(), cs.always_record_summaries():
        wrote = cs.scalar("s", 1.0, step=1)
    with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
        run([wrote], {})
    with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
        run([tf.identity(wrote)], {})
