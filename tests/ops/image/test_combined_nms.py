"""Tests for ``tf.image.combined_non_max_suppression`` (scopeflow/ops/image/combined_nms.py)
and the C++ library's heap and sort orders it uses (scopeflow/ops/kernels/std_order.py):
the expected values below came from TensorFlow 2.21 on the same inputs."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Raises, cases_by_mode, check_case

_rng = np.random.RandomState(0)
BOXES = _rng.uniform(-0.2, 1.2, (2, 6, 1, 4)).astype(np.float32)
BOXES[..., 2:] = BOXES[..., :2] + _rng.uniform(0.1, 0.6, (2, 6, 1, 2))
SCORES = _rng.uniform(0, 1, (2, 6, 3)).astype(np.float32).round(1)
CLASS_BOXES = _rng.uniform(0, 1, (2, 6, 3, 4)).astype(np.float32).round(2)
F32 = np.float32


def _expected(boxes, picks, scores, classes, valid, rows, clip=True):
    """The four outputs for ``picks`` (per image: the input box row of each detection)."""
    out = np.zeros((2, rows, 4), F32)
    for b, row in enumerate(picks):
        for r, i in enumerate(row):
            box = boxes[b, i, 0 if boxes.shape[2] == 1 else classes[b][r]]
            out[b, r] = np.clip(box, 0, 1) if clip else box
    pad = [[0] * (rows - len(row)) for row in picks]
    return [
        out,
        F32([s + p for s, p in zip(scores, pad, strict=True)]),
        F32([c + p for c, p in zip(classes, pad, strict=True)]),
        np.int32(valid),
    ]


def _case(name, boxes, args, kwargs, want, modes=("full", "dims")):
    def build(b, s):
        return list(tf.image.combined_non_max_suppression(b, s, *args, **kwargs))

    return Case(name, "CombinedNonMaxSuppression", build, (boxes, SCORES), want, modes=modes)


TOP = [[1, 0.9, 0.7, 0.6, 0.6, 0.6], [1, 0.8, 0.7, 0.7, 0.7, 0.6]]
CASES = [
    _case(
        "defaults",
        BOXES,
        (2, 5),
        {},
        _expected(
            BOXES,
            [[0, 5, 0, 4, 0], [4, 2, 1, 4, 0]],
            [TOP[0][:5], TOP[1][:5]],
            [[0, 2, 2, 0, 1], [1, 2, 0, 0, 1]],
            [5, 5],
            5,
        ),
    ),
    _case(
        "pad-per-class",
        BOXES,
        (2, 50),
        {"pad_per_class": True},
        _expected(
            BOXES,
            [[0, 5, 0, 4, 0, 5], [4, 2, 1, 4, 0, 5]],
            TOP,
            [[0, 2, 2, 0, 1, 1], [1, 2, 0, 0, 1, 2]],
            [6, 6],
            6,
        ),
    ),
    _case(
        "thresholds-no-clip",
        BOXES,
        (3, 4, 0.3, 0.35),
        {"clip_boxes": False},
        _expected(
            BOXES,
            [[0, 5, 0, 3], [4, 2, 1, 0]],
            [[1, 0.9, 0.7, 0.7], [1, 0.8, 0.7, 0.7]],
            [[0, 2, 2, 2], [1, 2, 0, 1]],
            [4, 4],
            4,
            clip=False,
        ),
    ),
    _case(
        "score-threshold-padding",
        BOXES,
        (3, 8),
        {"score_threshold": 0.65},
        _expected(
            BOXES,
            [[0, 5, 3, 0], [4, 2, 1, 4, 3, 0]],
            [[1, 0.9, 0.7, 0.7], [1, 0.8, 0.7, 0.7, 0.7, 0.7]],
            [[0, 2, 2, 2], [1, 2, 0, 0, 1, 1]],
            [4, 6],
            8,
        ),
    ),
    _case(
        "a-box-per-class",  # equal scores: TF's heap takes box 3 before box 0 here
        CLASS_BOXES,
        (2, 6, 0.5, 0.2),
        {},
        _expected(
            CLASS_BOXES,
            [[0, 5, 3, 4, 0, 5], [4, 2, 1, 4, 3, 5]],
            TOP,
            [[0, 2, 2, 0, 1, 1], [1, 2, 0, 0, 1, 2]],
            [6, 6],
            6,
        ),
    ),
    _case(
        "iou-out-of-range",
        BOXES,
        (2, 5, 1.5),
        {},
        Raises(tf.errors.InvalidArgumentError, "iou_threshold must be in [0, 1]"),
    ),
    _case(
        "boxes-per-class-mismatch",
        CLASS_BOXES[:, :, :2],
        (2, 5),
        {},
        Raises(tf.errors.InvalidArgumentError, "third dimension of boxes must be either 1"),
        modes=("dims",),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_equal_scores_come_out_in_tfs_order(run):
    """Ties among more than 16 picks: the order of TF's heap and introsort (from TF)."""
    boxes = np.float32([[[[0, 2 * i, 1, 2 * i + 1]] for i in range(12)]])
    scores = np.random.RandomState(1).choice([0.5, 0.6], (1, 12, 4)).astype(np.float32)
    out = tf.image.combined_non_max_suppression(boxes, scores, 12, 48, clip_boxes=False)
    nmsed_boxes, _, classes, valid = run(out)
    assert int(valid[0]) == 48
    assert (nmsed_boxes[0, :, 1] / 2).astype(int).tolist() == [
        2, 10, 8, 11, 2, 1, 8, 10, 3, 1, 3, 8, 4, 1, 10, 5, 0, 11, 8, 10, 11, 6, 0, 7,
        9, 1, 0, 0, 6, 4, 5, 7, 3, 9, 4, 9, 7, 5, 11, 6, 2, 5, 9, 7, 2, 6, 4, 3,
    ]  # fmt: skip
    assert classes[0].astype(int).tolist() == [
        0, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
        0, 0, 2, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2, 0, 1, 1, 1, 1, 0, 0,
    ]  # fmt: skip


def test_graph_names_and_static_shapes(graph):
    out = tf.image.combined_non_max_suppression(
        tf.placeholder(tf.float32, [2, 5, 1, 4]), tf.placeholder(tf.float32, [2, 5, 3]), 3, 40,
        pad_per_class=True,
    )  # fmt: skip
    assert type(out).__name__ == "CombinedNonMaxSuppression"
    assert out.nmsed_boxes.name == "combined_non_max_suppression/CombinedNonMaxSuppression:0"
    assert [t.shape.as_list() for t in out] == [[2, 9, 4], [2, 9], [2, 9], [2]]
    assert [op.name for op in graph.get_operations()][2:] == [
        "combined_non_max_suppression/iou_threshold",
        "combined_non_max_suppression/score_threshold",
        "combined_non_max_suppression/Const",
        "combined_non_max_suppression/CombinedNonMaxSuppression/max_output_size_per_class",
        "combined_non_max_suppression/CombinedNonMaxSuppression",
    ]
    op = out.nmsed_boxes.op
    assert [t.op.name.split("/")[-1] for t in op.inputs][2:] == [
        "max_output_size_per_class", "Const", "iou_threshold", "score_threshold"
    ]  # fmt: skip
    fed = tf.image.combined_non_max_suppression(
        tf.placeholder(tf.float32), tf.placeholder(tf.float32), tf.placeholder(tf.int32), 4
    )
    assert [t.shape.as_list() for t in fed] == [[None, 4, 4], [None, 4], [None, 4], [None]]


@pytest.mark.parametrize(
    ("boxes", "scores", "sizes", "error", "match"),
    [
        ([2, 5, 2, 4], [2, 5, 3], (3, 4), ValueError, "either 1 or equal to the third"),
        ([2, 5, 1, 3], [2, 5, 3], (3, 4), ValueError, "Dimension must be 4 but is 3"),
        ([2, 5, 4], [2, 5, 3], (3, 4), ValueError, "Shape must be rank 4 but is rank 3"),
        ([2, 6, 1, 4], [2, 5, 3], (3, 4), ValueError, "Dimensions must be equal"),
        ([2, 5, 1, 4], [2, 5, 3], (-1, 4), ValueError, "scalar input 2, must be non-negative"),
    ],
)
def test_build_errors(graph, boxes, scores, sizes, error, match):
    b, s = tf.placeholder(tf.float32, boxes), tf.placeholder(tf.float32, scores)
    with pytest.raises(error, match=match):
        tf.image.combined_non_max_suppression(b, s, *sizes)


def test_float64_boxes_are_a_type_error(graph):
    b, s = tf.placeholder(tf.float64, [1, 2, 1, 4]), tf.placeholder(tf.float64, [1, 2, 1])
    with pytest.raises(TypeError, match="has type float64 that does not match"):
        tf.image.combined_non_max_suppression(b, s, 1, 1)


@pytest.mark.parametrize(
    ("sizes", "match"),
    [((0, 3), "max_size_per_class must be positive"), ((2, 0), "max_total_size must be > 0")],
)
def test_run_time_size_errors(run, sizes, match):
    k, t = tf.placeholder(tf.int32), tf.placeholder(tf.int32)
    out = tf.image.combined_non_max_suppression(BOXES, SCORES, k, t)
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        run(out, {k: sizes[0], t: sizes[1]})
