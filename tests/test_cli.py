"""The ``scopeflow`` command: ``run``, ``inspect``, ``convert``, ``check`` and ``graph``, called
through ``main([...])`` (and once as a process)."""

from __future__ import annotations

import json
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.cli import checkpoints, main
from scopeflow.train.checkpoint_utils import load_checkpoint

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


SUBMODULE_SCRIPT = """
import tensorflow.contrib.framework as fw
from tensorflow.contrib import training
from tensorflow.contrib.training import HParams
import tensorflow.contrib.seq2seq
import scopeflow
assert fw is scopeflow.contrib.framework and training is scopeflow.contrib.training
assert HParams is scopeflow.contrib.training.HParams
assert tensorflow.contrib.seq2seq is scopeflow.contrib.seq2seq
print("same modules")
"""


def test_run_gives_tensorflow_submodules_as_scopeflow_s_own(tmp_path, capsys):
    script = tmp_path / "submodules.py"
    script.write_text(SUBMODULE_SCRIPT)
    assert main(["run", str(script)]) == 0
    assert capsys.readouterr().out == "same modules\n"
    assert not [name for name in sys.modules if name.startswith("tensorflow")]


def test_run_says_what_to_use_for_a_contrib_module_scopeflow_lacks(tmp_path, capsys):
    script = tmp_path / "forest.py"
    script.write_text("from tensorflow.contrib.tensor_forest.python import tensor_forest\n")
    with pytest.raises(ModuleNotFoundError, match="'tensorflow.contrib.tensor_forest'.*forest"):
        main(["run", str(script)])
    script.write_text("import tensorflow.contrib.nothing\n")
    with pytest.raises(ModuleNotFoundError, match="^No module named 'tensorflow.contrib.nothing'$"):
        main(["run", str(script)])


def test_run_finds_the_scripts_neighbour_modules_as_python_does(graph, tmp_path, capsys):
    # A training script importing its own model.py, run from another directory.
    (tmp_path / "my_model_lib.py").write_text("import tensorflow as tf\nSCALE = tf.constant(3)\n")
    script = tmp_path / "train.py"
    script.write_text("import my_model_lib\nprint(my_model_lib.SCALE.name)\n")
    path_before = list(sys.path)
    assert main(["run", str(script)]) == 0
    assert capsys.readouterr().out == "Const:0\n"
    assert sys.path == path_before
    sys.modules.pop("my_model_lib", None)


FRAMEWORK_SCRIPT = """
from tensorflow.python.framework import ops
from tensorflow.python.framework import dtypes, tensor_shape
import scopeflow
assert ops is scopeflow
assert dtypes is scopeflow.framework.dtypes and tensor_shape is scopeflow.framework.tensor_shape
with ops.Graph().as_default() as g:
    assert ops.get_default_graph() is g
    print(ops.convert_to_tensor(1.0).name, isinstance(ops.convert_to_tensor(1), ops.Tensor))
"""


def test_run_resolves_tensorflow_python_framework_ops(tmp_path, capsys):
    # DCGAN-tensorflow's ops.py: 'from tensorflow.python.framework import ops'.
    script = tmp_path / "framework.py"
    script.write_text(FRAMEWORK_SCRIPT)
    assert main(["run", str(script)]) == 0
    assert capsys.readouterr().out == "Const:0 True\n"
    assert not [name for name in sys.modules if name.startswith("tensorflow")]


PLATFORM_SCRIPT = """
from tensorflow.python.platform import flags
from tensorflow.python.platform import gfile
flags.DEFINE_integer("cli_n", 2, "n")
print(gfile.Exists(__file__), flags.FLAGS.cli_n)
"""


def test_run_and_check_resolve_tfs_platform_modules(tmp_path, capsys):
    script = tmp_path / "old_style.py"
    script.write_text(PLATFORM_SCRIPT)
    try:
        assert main(["run", str(script), "--cli_n=3"]) == 0
    finally:
        tf.flags.FLAGS.unparse_flags()
        delattr(tf.flags.FLAGS, "cli_n")
    assert capsys.readouterr().out == "True 3\n"
    assert main(["check", str(script)]) == 0
    assert capsys.readouterr().out == "all 7 TensorFlow uses are in scopeflow\n"


@pytest.fixture
def checkpoint(tmp_path):
    """A TF checkpoint of a small model: a dense layer and a global step."""
    with tf.Graph().as_default():
        with tf.variable_scope("dense"):
            tf.get_variable("kernel", [3, 4], initializer=tf.random_normal_initializer())
            tf.get_variable("bias", [4], initializer=tf.ones_initializer())
        tf.train.get_or_create_global_step()
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return saver.save(sess, str(tmp_path / "model.ckpt"))


def test_inspect_prints_the_table_when_piped(checkpoint, capsys):
    assert main(["inspect", checkpoint]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "variable      shape   dtype    parameters  bytes",
        "dense/bias    (4,)    float32           4     16",
        "dense/kernel  (3, 4)  float32          12     48",
        "global_step   ()      int64             1      8",
        "",
        "scope  parameters",
        "dense          16",
        "total          17",
    ]


def test_inspect_json_of_a_checkpoint_directory(checkpoint, capsys):
    assert main(["inspect", "--json", os.path.dirname(checkpoint)]) == 0  # its latest
    report = json.loads(capsys.readouterr().out)
    assert report["variables"][1] == {
        "name": "dense/kernel",
        "shape": [3, 4],
        "dtype": "float32",
        "parameters": 12,
        "bytes": 48,
    }
    assert report["scopes"] == {"dense": 16}
    assert (report["total_parameters"], report["total_bytes"]) == (17, 72)


def test_inspect_draws_a_rich_table_on_a_terminal(checkpoint, capsys, monkeypatch):
    pytest.importorskip("rich")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert main(["inspect", checkpoint]) == 0
    out = re.sub(r"\x1b\[[0-9;]*m", "", capsys.readouterr().out)  # without the styles
    assert "┃ variable " in out and "│ dense/kernel │ (3, 4) │" in out and "per scope" in out


def test_inspect_errors_are_one_line(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "nothing")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("scopeflow inspect: error: ")
    assert "Failed to find any matching files" in err
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    assert main(["inspect", str(tmp_path / "bad.npz")]) == 2
    assert "is corrupted" in capsys.readouterr().err


def test_inspect_and_convert_refuse_a_corrupted_checkpoint(checkpoint, tmp_path, capsys):
    index = checkpoint + ".index"
    with open(index, "rb") as f:
        data = f.read()
    with open(index, "wb") as f:
        f.write(data[: len(data) // 2])  # truncated
    assert main(["inspect", checkpoint]) == 2
    assert "is corrupted" in capsys.readouterr().err
    assert main(["convert", checkpoint, str(tmp_path / "out.npz")]) == 2
    assert "is corrupted" in capsys.readouterr().err
    assert not (tmp_path / "out.npz").exists()


def test_convert_of_a_corrupted_tensor_writes_nothing(checkpoint, tmp_path, capsys):
    data = checkpoint + ".data-00000-of-00001"
    with open(data, "r+b") as f:
        f.seek(-1, 2)
        last = f.read(1)
        f.seek(-1, 2)
        f.write(bytes([last[0] ^ 0xFF]))  # the checksum of the last tensor no longer holds
    assert main(["convert", checkpoint, str(tmp_path / "out.npz")]) == 2
    assert "checksum mismatch" in capsys.readouterr().err
    assert not (tmp_path / "out.npz").exists()


def _meta_file(path) -> str | None:
    """Writes a ``.meta`` file of a graph with one variable ``w`` [2, 5] at ``path``; returns
    None, or (an empty file written instead) why scopeflow cannot write or read one yet."""
    try:
        with tf.Graph().as_default():
            tf.get_variable("w", [2, 5])
            tf.train.export_meta_graph(str(path))
        with tf.Graph().as_default():
            tf.train.import_meta_graph(str(path))
    except NotImplementedError as e:
        path.write_bytes(b"")
        return str(e)
    return None


def test_inspect_meta(tmp_path, capsys):
    meta = tmp_path / "model.meta"
    unsupported = _meta_file(meta)
    status = main(["inspect", str(meta)])
    out, err = capsys.readouterr()
    if unsupported:
        assert status == 2 and err.startswith("scopeflow inspect: error: ")  # one line
    else:
        assert status == 0 and "w         (2, 5)  float32" in out


def test_graph_dot_of_a_meta_file(tmp_path, capsys):
    meta = tmp_path / "model.meta"
    unsupported = _meta_file(meta)
    status = main(["graph", str(meta), "--dot"])
    out, err = capsys.readouterr()
    if unsupported:
        assert status == 2 and err.startswith("scopeflow graph: error: ")
    else:
        assert status == 0 and '  subgraph "cluster_w" {' in out


@pytest.mark.parametrize("first", ["npz", "safetensors"])
def test_convert_round_trips_through_npz_and_safetensors(checkpoint, tmp_path, capsys, first):
    if first == "safetensors":
        pytest.importorskip("safetensors")
    middle = str(tmp_path / f"model.{first}")
    back = str(tmp_path / "back" / "model.ckpt")
    assert main(["convert", checkpoint, middle]) == 0
    assert capsys.readouterr().out == f"wrote 3 tensors to {middle}\n"
    if first == "npz":
        with np.load(middle) as archive:
            assert sorted(archive.files) == ["dense/bias", "dense/kernel", "global_step"]
    assert main(["convert", middle, back]) == 0
    original, copy = load_checkpoint(checkpoint), load_checkpoint(back)
    assert copy.get_variable_to_shape_map() == original.get_variable_to_shape_map()
    assert copy.get_variable_to_dtype_map() == original.get_variable_to_dtype_map()
    for name in original.get_variable_to_shape_map():
        np.testing.assert_array_equal(copy.get_tensor(name), original.get_tensor(name))


def test_convert_shows_progress_on_large_files(checkpoint, tmp_path, capsys, monkeypatch):
    pytest.importorskip("tqdm")
    monkeypatch.setattr(checkpoints, "PROGRESS_BYTES", 0)
    assert main(["convert", checkpoint, str(tmp_path / "m.npz")]) == 0
    assert "m.npz: 100%" in capsys.readouterr().err


def test_convert_refuses_what_a_format_cannot_hold(tmp_path, capsys):
    with tf.Graph().as_default():
        tf.Variable(["a", "b"], name="words")
        saver = tf.train.Saver()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            prefix = saver.save(sess, str(tmp_path / "text.ckpt"))
    assert main(["convert", prefix, str(tmp_path / "text.npz")]) == 2
    assert "cannot be saved as npz" in capsys.readouterr().err


CHECKED = """\
import os
import tensorflow as tf
import tensorflow.compat.v1 as v1
from tensorflow import layers as L
from tensorflow.contrib import graph_editor as ge
from tensorflow.compat import v1 as tf1
import tensorflow

FLAGS = tf.flags.FLAGS
y = v1.nn.relu(tf.constant(1.0) * FLAGS.scale, name=tf.GraphKeys.NOPE)
z = L.dense(y, 3) + ge.conv2d(y, 3, 3)
q = tf1.lite.TFLiteConverter(model_fn=None) and tensorflow.compat.v1.placeholder(tf.float32)
os.path.join(tf.Session().run(y).name)
"""


def test_check_lists_missing_apis_with_file_and_line(tmp_path, capsys):
    script = tmp_path / "train.py"
    script.write_text(CHECKED)
    assert main(["check", str(script)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{script}:5: tf.contrib.graph_editor: scopeflow has no tf.contrib.graph_editor",
        f"{script}:10: tf.GraphKeys.NOPE: scopeflow has no tf.GraphKeys.NOPE",
        f"{script}:11: tf.contrib.graph_editor.conv2d: scopeflow has no tf.contrib.graph_editor",
        f"{script}:12: tf.lite.TFLiteConverter: scopeflow has no tf.lite",
        "4 of 15 TensorFlow uses need 3 missing names",
    ]


def test_check_passes_on_what_scopeflow_says_to_use_instead(tmp_path, capsys):
    script = tmp_path / "tpu.py"
    script.write_text("import tensorflow as tf\nout = tf.contrib.tpu.rewrite(None)\n")
    assert main(["check", str(script)]) == 1
    line = capsys.readouterr().out.splitlines()[0]
    assert line.startswith(f"{script}:2: tf.contrib.tpu.rewrite: ")
    # contrib.tpu's NotImplementedError, naming what runs instead
    assert "scopeflow has no tf.contrib.tpu.rewrite (" in line and "use_tpu=False" in line


def test_check_reads_scopeflow_imports_and_submodules(tmp_path, capsys):
    script = tmp_path / "ported.py"
    script.write_text(
        "import scopeflow as tf\n"
        "from scopeflow.tools.variable_table import format_variable_table\n"
        "from scopeflow.tools import nothing_here\n"
        "tf.platform.gfile.Exists(tf.no_such_name)\n"
    )
    assert main(["check", str(script)]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{script}:3: tf.tools.nothing_here: scopeflow has no tf.tools.nothing_here",
        f"{script}:4: tf.no_such_name: scopeflow has no tf.no_such_name",
        "2 of 6 TensorFlow uses need 2 missing names",
    ]


def test_check_a_script_scopeflow_covers(tmp_path, capsys):
    script = tmp_path / "ok.py"
    script.write_text(SCRIPT)
    assert main(["check", str(script)]) == 0
    assert capsys.readouterr().out == "all 6 TensorFlow uses are in scopeflow\n"
    (tmp_path / "broken.py").write_text("import tensorflow as tf\ndef (:\n")
    assert main(["check", str(tmp_path / "broken.py")]) == 2
    assert "invalid syntax" in capsys.readouterr().err


MODEL = """
import tensorflow as tf
FLAGS = tf.flags.FLAGS
tf.flags.DEFINE_integer("units", 4, "Units.")

def main(argv):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    with tf.variable_scope("layer"):
        w = tf.get_variable("w", [3, FLAGS.units])
        y = tf.nn.relu(tf.matmul(x, w))
    with tf.control_dependencies([y]):
        tf.no_op(name="done")

if __name__ == "__main__":
    tf.app.run()
"""


@pytest.fixture
def model_script(tmp_path):
    script = tmp_path / "model.py"
    script.write_text(MODEL)
    yield script
    tf.flags.FLAGS.unparse_flags()
    delattr(tf.flags.FLAGS, "units")
    tf.reset_default_graph()


def test_graph_dot_of_a_script(model_script, capsys):
    assert main(["graph", str(model_script), "--dot", "--units=5"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith("digraph G {")
    assert '  subgraph "cluster_layer" {' in dot
    assert '    subgraph "cluster_layer/w" {' in dot  # the variable and its read/Assign ops
    assert '      "layer/w" [label="w\\nVariableV2"];' in dot
    assert '  "x" -> "layer/MatMul" [label="(?, 3)"];' in dot
    assert '  "layer/w/read" -> "layer/MatMul" [label="(3, 5)"];' in dot
    assert '  "layer/Relu" -> "done" [style=dashed];' in dot
    assert sys.modules.get("tensorflow") is not tf  # the aliases are gone again
    assert sys.argv[1:] != ["--units=5"]


def test_graph_writes_a_file_and_refuses_bad_models(model_script, tmp_path, capsys):
    out = tmp_path / "model.dot"
    assert main(["graph", str(model_script), "--dot", "-o", str(out)]) == 0
    assert out.read_text().startswith("digraph G {")
    assert f"to {out}; render: dot -Tsvg {out}" in capsys.readouterr().out
    empty = tmp_path / "empty.py"
    empty.write_text("import tensorflow as tf\n")
    assert main(["graph", str(empty), "--dot"]) == 2
    assert "built no ops" in capsys.readouterr().err


GRAPH_IO_DATA = pathlib.Path(__file__).parent / "data" / "graph_io"


def test_graph_dot_of_graph_defs_tensorflow_wrote(tmp_path, capsys):
    assert main(["graph", str(GRAPH_IO_DATA / "frozen.pb"), "--dot"]) == 0
    dot = capsys.readouterr().out
    assert '  "x" [label="x\\nPlaceholder"];' in dot and '  "MatMul" -> ' in dot
    assert main(["graph", str(GRAPH_IO_DATA / "forward_graph.pbtxt"), "--dot"]) == 0
    assert capsys.readouterr().out.startswith("digraph G {")
    truncated = tmp_path / "truncated.pb"
    truncated.write_bytes((GRAPH_IO_DATA / "frozen.pb").read_bytes()[:100])
    assert main(["graph", str(truncated), "--dot"]) == 2
    assert f"'{truncated}' is not a GraphDef" in capsys.readouterr().err


def test_graph_tensorboard(model_script, tmp_path, capsys):
    logdir = tmp_path / "logs"
    status = main(["graph", str(model_script), "--tensorboard", str(logdir)])
    out, err = capsys.readouterr()
    if getattr(getattr(tf, "summary", None), "FileWriter", None) is None:
        assert status == 2 and "--tensorboard is not supported yet" in err
    else:
        assert status == 0 and f"tensorboard --logdir {logdir}" in out
        assert any(p.name.startswith("events.out.tfevents") for p in logdir.iterdir())


def test_run_reads_the_scripts_flags_even_after_an_earlier_parse(tmp_path, capsys):
    # FLAGS parsed already (an earlier script or test in this process): a script run as by
    # `python old_style.py --cli_n=3` still reads its own arguments, as in a fresh process.
    tf.flags.FLAGS(["earlier"])
    script = tmp_path / "old_style.py"
    script.write_text(PLATFORM_SCRIPT)
    try:
        assert main(["run", str(script), "--cli_n=3"]) == 0
    finally:
        tf.flags.FLAGS.unparse_flags()
        delattr(tf.flags.FLAGS, "cli_n")
    assert capsys.readouterr().out == "True 3\n"
