"""``scopeflow run script.py`` runs a TF1 script with ``import tensorflow`` resolved."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
import tensorflow as tf
import tensorflow.compat.v1 as v1
assert v1 is tf
v1.disable_v2_behavior()
with tf.variable_scope("foo"):
    v = tf.get_variable("v", [1], initializer=tf.ones_initializer())
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print(v.name, float(sess.run(v)[0]), sys.argv[1:])
"""


def test_run_resolves_tensorflow_imports(tmp_path):
    script = tmp_path / "model.py"
    script.write_text(SCRIPT)
    out = subprocess.run(
        [sys.executable, "-m", "scopeflow", "run", str(script), "--steps", "3"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "foo/v:0 1.0 ['--steps', '3']"
