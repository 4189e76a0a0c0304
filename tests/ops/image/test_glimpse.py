"""Tests for ``tf.image.extract_glimpse`` and the ops ``ExtractGlimpse``/``ExtractGlimpseV2``
(scopeflow/ops/image/glimpse.py). The glimpses' corners below are where TensorFlow 2.21 put
them (read from its outputs with ``noise="zero"`` on an image whose pixels name their row and
column); the noise is checked by its range, as TF draws it unseeded."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.kernel_table import Case, Holds, cases_by_mode, check_case

H, W = 6, 8
IMAGE = (np.arange(H)[:, None] * 100 + np.arange(W)[None, :]).astype(np.float32)
IMAGE = np.stack([IMAGE, IMAGE + 1000])[..., None]
OFFSETS = [[[0.0, 0.0], [0.3, -0.5]], [[1.0, 1.0], [-1.0, -1.0]], [[2.0, 3.0], [0.25, 0.74]]]

# (op type, centered, normalized, size): per offsets row above, each image's top-left corner
# (None: the glimpse misses the image).
CORNERS = {
    ("ExtractGlimpse", True, True, (3, 3)): [[(1, 2), (2, 0)], [(4, 6), (-1, -1)], [None, (2, 5)]],
    ("ExtractGlimpseV2", True, True, (3, 3)): [
        [(1, 2), (2, 0)], [(4, 6), (-1, -1)], [None, (2, 5)]
    ],
    ("ExtractGlimpse", True, False, (3, 3)): [[(1, 2), (1, 2)], [(2, 3), (1, 2)], [(2, 4), (1, 2)]],
    ("ExtractGlimpseV2", True, False, (3, 3)): [
        [(3, 4), (3, 3)], [(4, 5), (2, 3)], [(5, 7), (3, 4)]
    ],
    ("ExtractGlimpse", False, True, (3, 3)): [[(-1, -1), None], [(4, 6), None], [None, (0, 4)]],
    ("ExtractGlimpseV2", False, True, (3, 3)): [[(0, 0), None], [None, None], [None, (1, 5)]],
    ("ExtractGlimpse", False, False, (3, 3)): [
        [(-1, -1), (-1, -2)], [(0, 0), (-2, -2)], [(0, 1), (-1, 0)]
    ],
    ("ExtractGlimpseV2", False, False, (3, 3)): [
        [(0, 0), (0, 0)], [(1, 1), (-1, -1)], [(2, 3), (0, 0)]
    ],
    ("ExtractGlimpse", True, True, (2, 4)): [[(2, 2), (2, 0)], [(5, 6), (-1, -2)], [None, (2, 4)]],
    ("ExtractGlimpse", True, False, (2, 4)): [[(2, 2), (2, 1)], [(2, 2), (1, 1)], [(3, 3), (2, 2)]],
    ("ExtractGlimpse", False, True, (2, 4)): [[(-1, -2), None], [(5, 6), None], [None, (0, 3)]],
    ("ExtractGlimpse", False, False, (2, 4)): [
        [(-1, -2), (0, -2)], [(0, -1), None], [(1, 1), (0, -1)]
    ],
    ("ExtractGlimpseV2", True, False, (2, 4)): [
        [(3, 4), (3, 3)], [(4, 5), (2, 3)], [(5, 7), (3, 4)]
    ],
}  # fmt: skip


def _glimpses(corners, size) -> np.ndarray:
    out = np.zeros((2, *size, 1), np.float32)
    for b, corner in enumerate(corners):
        if corner is None:
            continue
        for i in range(size[0]):
            for j in range(size[1]):
                y, x = corner[0] + i, corner[1] + j
                if 0 <= y < H and 0 <= x < W:
                    out[b, i, j, 0] = IMAGE[b, y, x, 0]
    return out


def _cases():
    cases = []
    for (op_type, centered, normalized, size), rows in CORNERS.items():
        for k, (offsets, corners) in enumerate(zip(OFFSETS, rows, strict=True)):

            def build(image, offsets, op_type=op_type, c=centered, n=normalized, size=size):
                raw = getattr(tf.raw_ops, op_type)
                return raw(
                    input=image, size=size, offsets=offsets, centered=c, normalized=n,
                    uniform_noise=False, noise="zero",
                )  # fmt: skip

            name = f"{op_type}-c{int(centered)}-n{int(normalized)}-{size[0]}x{size[1]}-{k}"
            arrays = (IMAGE, np.float32(offsets))
            want = _glimpses(corners, size)
            cases.append(Case(name, op_type, build, arrays, want, modes=("full",)))
    return cases


def _in_range(low, high):
    return Holds(f"noise in [{low}, {high}]", lambda v: (v >= low).all() and (v <= high).all())


NOISE_CASES = [
    Case(
        "v1-uniform-noise",
        "ExtractGlimpse",
        lambda image: tf.image.extract_glimpse(image, [5, 12], [[0.0, 0.0], [0.0, 0.0]]),
        (IMAGE,),
        Holds(
            "each image's own pixels inside, uniform noise between its extremes around them",
            lambda v: (
                (v[0, :, 2:10, 0] == IMAGE[0, 0:5, :, 0]).all()
                and (v[0, :, :2] >= 0).all()
                and (v[0, :, :2] <= 507).all()
                and (v[1, :, 10:] >= 1000).all()
                and (v[1, :, 10:] <= 1507).all()
                and np.unique(v[1, :, 10:]).size > 1
            ),
        ),
        modes=("full", "rank"),
    ),
    Case(
        "v1-gaussian-noise",
        "ExtractGlimpse",
        lambda image: tf.image.extract_glimpse(
            image, [3, 3], [[20.0, 20.0], [20.0, 20.0]], False, False, uniform_noise=False
        ),
        (IMAGE,),
        Holds(
            "Gaussian noise clipped to the channel's range",
            lambda v: (v[0] >= 0).all() and (v[0] <= 507).all() and (v[1] >= 1000).all(),
        ),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(_cases() + NOISE_CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


def test_graph_as_tf1_builds_it(graph):
    x = tf.placeholder(tf.float32, [2, 6, 8, 3])
    glimpse = tf.image.extract_glimpse(x, [3, 4], tf.zeros([2, 2]))
    assert glimpse.name == "ExtractGlimpse:0"
    assert glimpse.shape.as_list() == [2, 3, 4, 3]
    assert glimpse.op.inputs[1].op.name == "ExtractGlimpse/size"
    attrs = glimpse.op._attrs
    assert (attrs["centered"], attrs["normalized"], attrs["uniform_noise"]) == (True, True, True)
    assert attrs["noise"] == "uniform"
    named = tf.image.extract_glimpse(x, tf.placeholder(tf.int32, [2]), tf.zeros([2, 2]), name="g")
    assert named.name == "g:0" and named.shape.as_list() == [2, None, None, 3]
    assert tf.gradients(glimpse, x) == [None]  # not differentiable, as in TF


@pytest.mark.parametrize(
    ("image", "size", "offsets", "error", "match"),
    [
        ([6, 8, 3], [3, 3], [2, 2], ValueError, "Shape must be rank 4 but is rank 3"),
        ([2, 6, 8, 3], [3, 3, 3], [2, 2], ValueError, "Dimension must be 2 but is 3"),
        ([2, 6, 8, 3], [3, 3], [3, 2], ValueError, "Dimensions must be equal, but are 2 and 3"),
        ([2, 6, 8, 3], [3.0, 3.0], [2, 2], TypeError, "Expected int32"),
    ],
)
def test_build_errors(graph, image, size, offsets, error, match):
    with pytest.raises(error, match=match):
        tf.image.extract_glimpse(tf.placeholder(tf.float32, image), size, tf.zeros(offsets))


def test_float64_images_are_a_type_error(graph):
    with pytest.raises(TypeError, match="has type float64 that does not match"):
        tf.image.extract_glimpse(tf.placeholder(tf.float64, [1, 4, 4, 1]), [2, 2], [[0.0, 0.0]])


def test_noise_attrs_checked(run):
    with pytest.raises(ValueError, match="uniform_noise should not be True"):
        tf.raw_ops.ExtractGlimpse(
            input=IMAGE, size=[2, 2], offsets=np.zeros([2, 2], np.float32), noise="gaussian"
        )
    bad = tf.raw_ops.ExtractGlimpseV2(
        input=IMAGE, size=[2, 2], offsets=np.zeros([2, 2], np.float32), uniform_noise=False,
        noise="foo",
    )  # fmt: skip
    with pytest.raises(tf.errors.InvalidArgumentError, match="uniform, gaussian, or zero"):
        run(bad)


def test_negative_size_fails_at_run(run):
    size = tf.placeholder(tf.int32, [2])
    glimpse = tf.image.extract_glimpse(IMAGE, size, np.zeros([2, 2], np.float32))
    assert run(glimpse, {size: [0, 3]}).shape == (2, 0, 3, 1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Expected a non-negative size"):
        run(glimpse, {size: [-1, 3]})


def test_v2_has_no_gradient_as_in_tf(graph):
    x = tf.placeholder(tf.float32, [1, 4, 4, 1])
    glimpse = tf.raw_ops.ExtractGlimpseV2(input=x, size=[2, 2], offsets=[[0.0, 0.0]])
    with pytest.raises(LookupError, match="No gradient defined for operation"):
        tf.gradients(glimpse, x)
