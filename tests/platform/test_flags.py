"""tf.flags / tf.app.flags / tf.app.run: absl's flags with TF1's lazy parse and old keyword
names; each value below was read from TensorFlow 2.21's compat.v1 for the same argv."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

import scopeflow as tf

ARGV = ["prog", "--lr=0.5", "--name", "x", "--nodebug", "--layers=1,2,3", "--act=tanh",
        "--m=a", "--m=b", "--mi=1", "--mi=2"]  # fmt: skip
NAMES = ("lr", "name", "debug", "layers", "act", "m", "mi")


@pytest.fixture
def defined(monkeypatch):
    """TF1-style definitions on the process-wide FLAGS, removed afterwards."""
    monkeypatch.setattr(sys, "argv", ARGV)
    tf.flags.DEFINE_float("lr", 0.1, "Learning rate.")
    tf.app.flags.DEFINE_string(flag_name="name", default_value="d", docstring="A name.")
    tf.flags.DEFINE_boolean("debug", True, "Debug.")
    tf.flags.DEFINE_list("layers", [], "Layer sizes.")
    tf.flags.DEFINE_enum("act", "relu", ["relu", "tanh"], "Activation.")
    tf.flags.DEFINE_multi_string("m", [], "Many strings.")
    tf.flags.DEFINE_multi_integer("mi", [], "Many integers.")
    yield tf.flags.FLAGS
    tf.flags.FLAGS.unparse_flags()
    for name in NAMES:
        delattr(tf.flags.FLAGS, name)


def test_reading_a_flag_parses_sys_argv_as_tf1(defined):
    flags = defined
    assert not flags.is_parsed()  # FlagValues' own methods do not parse
    assert (flags.lr, flags.name, flags.debug) == (0.5, "x", False)
    assert (flags.layers, flags.act, flags.m, flags.mi) == (["1", "2", "3"], "tanh",
                                                             ["a", "b"], [1, 2])  # fmt: skip
    assert flags.is_parsed()
    assert flags["lr"].value == 0.5 and flags.flag_values_dict()["lr"] == 0.5
    assert "lr" in flags and "nope" not in flags


def test_explicit_parse_returns_the_rest(defined):
    rest = defined(["prog", "--lr=2", "positional"])
    assert rest == ["prog", "positional"]
    assert defined.lr == 2.0
    defined.lr = 3.0
    assert defined.lr == 3.0


def test_old_keyword_names_warn(monkeypatch, caplog):
    with caplog.at_level(logging.WARNING):
        tf.flags.DEFINE_integer(flag_name="old_steps", default_value=4, docstring="Steps.")
    try:
        assert "deprecated, please use (name, default, help)" in caplog.text
        assert tf.flags.FLAGS["old_steps"].default == 4
    finally:
        delattr(tf.flags.FLAGS, "old_steps")


def test_absl_errors(defined):
    from absl import flags as absl_flags

    with pytest.raises(absl_flags.DuplicateFlagError, match="'lr' is defined twice"):
        tf.flags.DEFINE_float("lr", 0.2, "again")
    with pytest.raises(absl_flags.IllegalFlagValueError, match="should be one of <relu|tanh>"):
        defined(["p", "--act=sigmoid"])
    assert tf.flags.FlagValues is absl_flags.FlagValues
    assert tf.app.flags is tf.flags
    with pytest.raises(AttributeError, match="has no attribute 'DEFINE_nothing'"):
        tf.flags.DEFINE_nothing  # noqa: B018
    assert {"DEFINE_list", "DEFINE_multi_float", "FLAGS", "DEFINE_bool"} <= set(dir(tf.flags))


SCRIPT = """
import scopeflow as tf
tf.flags.DEFINE_float("lr", 0.1, "Learning rate.")
FLAGS = tf.flags.FLAGS
def main(argv):
    print("main", argv[1:], FLAGS.lr)
    return 3
if __name__ == "__main__":
    tf.app.run()
"""


def test_app_run_parses_known_flags_and_exits_with_mains_result(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    result = subprocess.run(
        [sys.executable, str(script), "--lr=0.7", "extra", "--unknown=1"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 3, result.stderr
    assert result.stdout.strip() == "main ['extra', '--unknown=1'] 0.7"
    helped = subprocess.run(
        [sys.executable, str(script), "--helpfull"], capture_output=True, text=True
    )
    assert "Learning rate." in helped.stdout


def test_import_does_not_load_absl():
    code = "import sys, scopeflow as tf; tf.flags.FLAGS; print('absl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "False"
