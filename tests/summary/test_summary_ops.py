"""Tests for scopeflow/summary/summary_ops.py and deprecated.py: the summary ops build TF1's
graphs (ops, names, tags) and their kernels return the bytes TensorFlow's kernels return.

Graphs and build errors are TensorFlow 2.21's (``tests/data/tf_reference/summary.json``, made
by ``tools/tf_reference.py``); kernel outputs and run-time errors are those TensorFlow's
kernels gave for the same inputs (``tests/data/summary/reference.json``, made by
``tests/data/summary/make_reference.py``), byte for byte, PNG images included.
"""

from __future__ import annotations

import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.summary import wire
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

REFERENCE = tf_reference("summary")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]
DIFFERENCES: dict = {}  # scopeflow builds what TF builds, and fails where it fails

KERNELS = json.loads(
    (
        pathlib.Path(__file__).resolve().parents[1] / "data" / "summary" / "reference.json"
    ).read_text()
)["cases"]


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_summary_builds_tf1s_graph(graph, env, expr):
    check_against(graph, env, expr, expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr)))


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


# -- kernels against TensorFlow's ------------------------------------------------------------


def _strings(value) -> np.ndarray:
    array = np.array(value, dtype=object)
    flat = [s.encode() for s in array.reshape(-1)]
    return np.array(flat, dtype=object).reshape(array.shape)


def _kernel_case(case_id: str, case: dict) -> Case:
    names = list(case["inputs"])
    arrays = tuple(
        _strings(v) if d == "string" else np.array(v, dtype=d) for d, v in case["inputs"].values()
    )
    source = case["build"]

    def build(*holders):  # the inputs take the names TF's placeholders had (tags follow)
        named = [tf.identity(h, name=n) for n, h in zip(names, holders, strict=True)]
        return eval(source, {"tf": tf, **dict(zip(names, named, strict=True))})

    op_type = {
        "scalar": "ScalarSummary",
        "histogram": "HistogramSummary",
        "image": "ImageSummary",
        "audio": "AudioSummaryV2",
        "text": "TensorSummaryV2",
        "tensor": "TensorSummaryV2",
        "merge": "MergeSummary",
    }[case_id.split("_")[0]]
    if "error" in case:
        message = case["message"].split("\n\t [[")[0]
        reference = Raises(getattr(tf.errors, case["error"]), message)
    else:
        reference = np.array(bytes.fromhex(case["bytes"]), dtype=object)
    return Case(case_id, op_type, build, arrays, reference)


KERNEL_CASES = [_kernel_case(k, c) for k, c in KERNELS.items()]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(KERNEL_CASES))
def test_kernel_returns_tensorflows_summary(run, case, mode):
    check_case(run, case, mode)


# -- collections, scopes, tags ----------------------------------------------------------------


def test_summaries_go_to_their_collections_and_merge_all_takes_them(graph, run):
    x = tf.constant(2.0)
    with tf.name_scope("train"):
        a = tf.summary.scalar("loss", x)
        b = tf.summary.scalar("loss", x, family="fam")
    c = tf.summary.scalar("other", x, collections=["mine"])
    assert graph.get_collection(tf.GraphKeys.SUMMARIES) == [a, b]
    assert graph.get_collection("mine") == [c]
    merged = tf.summary.merge_all()
    assert graph.get_collection(tf.GraphKeys.SUMMARIES) == [a, b]  # merge adds to none
    tags = [tag for tag, _ in wire.summary_values(run(merged))]
    assert tags == [b"train/loss", b"fam/train/fam/loss"]  # TF1 repeats the family
    assert tf.summary.merge_all("empty") is None
    assert tf.summary.merge_all(scope="train/fam").op.inputs[0] is b


def test_summary_metadata_proto_is_used_and_given_fields_set(graph, run):
    pytest.importorskip("tensorboard")
    meta = tf.SummaryMetadata(display_name="old")
    t = tf.summary.tensor_summary(
        "t", tf.constant([1.0]), summary_metadata=meta, display_name="new"
    )
    assert meta.display_name == "new"  # TF1 sets it on the proto given
    value = tf.Summary.FromString(run(t)).value[0]
    assert value.metadata.display_name == "new"


def test_a_scalar_summary_of_a_vector_fails_when_run(graph, run):
    s = tf.summary.scalar("loss", tf.placeholder(tf.float32, [None], name="v"))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"not the same shape: \[\] != \[2\]"):
        run(s, {"v:0": [1.0, 2.0]})


# -- TF 0.12's names ----------------------------------------------------------------------------

# (expression, ops added, result) as TF 2.21's tensorflow/python/ops/logging_ops.py builds them.
OLD_FORMS = [
    (
        "tf.scalar_summary('loss', s)",
        [("ScalarSummary/tags", "Const"), ("ScalarSummary", "ScalarSummary")],
        "ScalarSummary:0",
    ),
    (
        "tf.scalar_summary('loss', s, name='mine')",
        [("mine/tags", "Const"), ("mine", "ScalarSummary")],
        "mine:0",
    ),
    (
        "tf.histogram_summary('w', v)",
        [("HistogramSummary/tag", "Const"), ("HistogramSummary", "HistogramSummary")],
        "HistogramSummary:0",
    ),
    (
        "tf.image_summary('pic', img, max_images=1)",
        [("ImageSummary/tag", "Const"), ("ImageSummary", "ImageSummary")],
        "ImageSummary:0",
    ),
    (
        "tf.audio_summary('snd', snd, 8000)",
        [
            ("AudioSummary/sample_rate", "Const"),
            ("AudioSummary/tag", "Const"),
            ("AudioSummary", "AudioSummaryV2"),
        ],
        "AudioSummary:0",
    ),
    (
        "tf.merge_summary([tf.summary.scalar('q', s)])",
        [
            ("q/tags", "Const"),
            ("q", "ScalarSummary"),
            ("MergeSummary/MergeSummary", "MergeSummary"),
        ],
        "MergeSummary/MergeSummary:0",
    ),
]


@pytest.mark.parametrize(("expr", "ops", "name"), OLD_FORMS)
def test_tf012_forms_build_as_tensorflow(graph, expr, ops, name):
    env = {
        "tf": tf,
        "s": tf.placeholder(tf.float32, [], name="s"),
        "v": tf.placeholder(tf.float32, [3], name="v"),
        "img": tf.placeholder(tf.float32, [1, 2, 2, 1], name="img"),
        "snd": tf.placeholder(tf.float32, [1, 10], name="snd"),
    }
    before = len(graph.get_operations())
    result = eval(expr, env)
    assert [(op.name, op.type) for op in graph.get_operations()[before:]] == ops
    assert result.name == name


def test_tf012_scalar_summary_takes_a_tag_per_value(graph, run):
    v = tf.constant([1.0, 2.0])
    s = tf.scalar_summary(["a", "b"], v)
    assert run(s) == b"\n\x08\n\x01a\x15\x00\x00\x80?\n\x08\n\x01b\x15\x00\x00\x00@"  # TF's
    assert tf.merge_all_summaries().name == "MergeSummary/MergeSummary:0"
    assert tf.train.SummaryWriter.__mro__[1] is tf.summary.FileWriter
