"""Checkpoints moved both ways between scopeflow and TensorFlow itself, bit for bit.

Runs only when ``SCOPEFLOW_TF_PYTHON`` names a Python interpreter with TensorFlow installed
(``SCOPEFLOW_TF_PYTHON=/path/to/tf-venv/bin/python pytest tests/reference``); TensorFlow runs
in that interpreter, never in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.train.bundle import data_filename, index_filename, write_bundle

TF_PYTHON = os.environ.get("SCOPEFLOW_TF_PYTHON")
DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")

pytestmark = pytest.mark.skipif(
    not TF_PYTHON, reason="set SCOPEFLOW_TF_PYTHON to a Python with TensorFlow to compare"
)

PRELUDE = textwrap.dedent(
    f"""
    import json, os, sys
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    sys.path.insert(0, {DATA!r})
    import numpy as np
    import tensorflow.compat.v1 as tf
    from checkpoint_values import expected_values
    """
)


def _run_tf(script: str, *args: str):
    """Runs ``script`` under TensorFlow; returns the JSON it prints last."""
    done = subprocess.run(
        [TF_PYTHON, "-c", PRELUDE + textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _expected():
    from tests.data.checkpoint_values import expected_values

    pytest.importorskip("ml_dtypes")
    return expected_values()


def test_tensorflow_restores_what_scopeflow_saved(tmp_path):
    expected = _expected()
    with tf.Graph().as_default():
        variables = [
            tf.Variable(value if dtype != "string" else value.tolist(), dtype=dtype, name=name)
            for name, (dtype, value) in expected.items()
        ]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            tf.train.Saver(variables, max_to_keep=1).save(
                sess, str(tmp_path / "model"), global_step=1
            )
            tf.train.Saver(variables, max_to_keep=1).save(
                sess, str(tmp_path / "model"), global_step=3
            )
    result = _run_tf(
        """
        tf.disable_v2_behavior()
        directory = sys.argv[1]
        variables = {}
        for name, (dtype, value) in expected_values().items():
            variables[name] = tf.Variable(tf.zeros(value.shape, dtype=dtype), name=name)
        latest = tf.train.latest_checkpoint(directory)
        bad = []
        with tf.Session() as sess:
            tf.train.Saver().restore(sess, latest)
            for name, (dtype, value) in expected_values().items():
                got = sess.run(variables[name])
                same = (got.tolist() == value.tolist()) if dtype == "string" else (
                    got.dtype == value.dtype and got.tobytes() == value.tobytes())
                if not same:
                    bad.append(name)
        listed = tf.train.list_variables(directory)
        print(json.dumps({"latest": latest, "bad": bad, "listed": listed}))
        """,
        str(tmp_path),
    )
    assert result["latest"] == str(tmp_path / "model-3")
    assert result["bad"] == []
    assert result["listed"] == [[n, list(v.shape)] for n, (_, v) in sorted(expected.items())]


def test_scopeflow_restores_what_tensorflow_saved_and_writes_the_same_bytes(tmp_path):
    expected = _expected()
    _run_tf(
        """
        tf.disable_v2_behavior()
        variables = [
            tf.Variable(tf.constant(v.tolist() if d == "string" else v, dtype=d), name=n)
            for n, (d, v) in expected_values().items()
        ]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = tf.train.Saver().save(sess, os.path.join(sys.argv[1], "tf", "m"),
                                         global_step=5, write_meta_graph=False)
        print(json.dumps(path))
        """,
        str(tmp_path),
    )
    with tf.Graph().as_default():
        variables = {
            name: tf.Variable(
                np.zeros(value.shape, value.dtype) if dtype != "string" else [b""] * value.size,
                dtype=dtype,
                name=name,
            )
            for name, (dtype, value) in expected.items()
        }
        with tf.Session() as sess:
            saver = tf.train.Saver()
            saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path / "tf")))
            got = sess.run(variables)
            ours = saver.save(sess, str(tmp_path / "sf" / "m"), global_step=5)
    for name, (_, value) in expected.items():
        assert got[name].tolist() == value.tolist(), name
    theirs = str(tmp_path / "tf" / "m-5")
    for filename in (index_filename, data_filename):
        with open(filename(ours), "rb") as a, open(filename(theirs), "rb") as b:
            assert a.read() == b.read()


def test_index_of_many_tensors_spans_blocks_exactly_as_tensorflow_writes_it(tmp_path):
    names = [
        f"tower_{i // 100}/layer_{i % 100}/a_rather_long_variable_name_{i}" for i in range(6000)
    ]
    values = {name: np.full(2, i, np.float32) for i, name in enumerate(names)}
    write_bundle(str(tmp_path / "ours"), values)
    _run_tf(
        """
        import tensorflow as tf2
        names = sorted(f"tower_{i // 100}/layer_{i % 100}/a_rather_long_variable_name_{i}"
                       for i in range(6000))  # TF1's Saver hands SaveV2 its names sorted
        tensors = [tf2.fill([2], float(name.rsplit("_", 1)[1])) for name in names]
        tf2.raw_ops.SaveV2(prefix=os.path.join(sys.argv[1], "theirs"), tensor_names=names,
                           shape_and_slices=[""] * len(names), tensors=tensors)
        print(json.dumps(True))
        """,
        str(tmp_path),
    )
    with open(tmp_path / "ours.index", "rb") as a, open(tmp_path / "theirs.index", "rb") as b:
        ours, theirs = a.read(), b.read()
    assert len(theirs) > 256 * 1024  # several data blocks
    assert ours == theirs
    reader = tf.train.load_checkpoint(str(tmp_path / "theirs"))
    np.testing.assert_array_equal(reader.get_tensor(names[1234]), [1234, 1234])
