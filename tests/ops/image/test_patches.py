"""Tests for ``tf.extract_image_patches`` (scopeflow/ops/image/patches.py): TF1's ops and
names (TensorFlow 2.21's records, ``tests/data/tf_reference/image_patches.json``), the kernel
against a loop over windows and the gradient against finite differences."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf
from tests.ops.grad_check import GradCase, check_gradient_case, gradient_cases
from tests.ops.graph_checks import check_against, expected, setup_of, tf_reference
from tests.ops.kernel_table import Case, cases_by_mode, check_case

REFERENCE = tf_reference("image_patches")
SETUP = setup_of(REFERENCE)
GROUPS = REFERENCE["groups"]

DIFFERENCES: dict = {}


@pytest.mark.parametrize("expr", list(GROUPS["EXPRESSIONS"]))
def test_builds_tf1s_graph(graph, env, expr):
    want = expected(GROUPS["EXPRESSIONS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want)


@pytest.mark.parametrize("expr", list(GROUPS["ERRORS"]))
def test_build_errors(graph, env, expr):
    want = expected(GROUPS["ERRORS"][expr], DIFFERENCES.get(expr))
    check_against(graph, env, expr, want, left=None)


def _patches(x, k, s, r, padding):
    """One window at a time: out[b, i, j] = the taps x[b, i*s + a*r - top, j*s + c*r - left]."""
    b, h, w, c = x.shape
    eh, ew = (k[0] - 1) * r[0] + 1, (k[1] - 1) * r[1] + 1
    if padding == "VALID":
        oh, ow, top, left = (h - eh) // s[0] + 1, (w - ew) // s[1] + 1, 0, 0
    else:
        oh, ow = -(-h // s[0]), -(-w // s[1])
        top = max((oh - 1) * s[0] + eh - h, 0) // 2
        left = max((ow - 1) * s[1] + ew - w, 0) // 2
    out = np.zeros((b, oh, ow, k[0] * k[1] * c), x.dtype)
    for i in range(oh):
        for j in range(ow):
            taps = []
            for a in range(k[0]):
                for d in range(k[1]):
                    y, z = i * s[0] + a * r[0] - top, j * s[1] + d * r[1] - left
                    inside = 0 <= y < h and 0 <= z < w
                    taps.append(x[:, y, z] if inside else np.zeros((b, c), x.dtype))
            out[:, i, j] = np.concatenate(taps, axis=1)
    return out


RNG = np.random.default_rng(17)
X = RNG.standard_normal((2, 5, 6, 3))


def _case(name, k, s, r, padding, x=X):
    return Case(
        name,
        "ExtractImagePatches",
        lambda v: tf.extract_image_patches(v, [1, *k, 1], [1, *s, 1], [1, *r, 1], padding),
        (x,),
        lambda v: _patches(v, k, s, r, padding),
    )


CASES = [
    _case("same-dilated", [2, 3], [2, 1], [1, 2], "SAME"),
    _case("valid", [3, 3], [1, 1], [1, 1], "VALID"),
    _case("valid-strided-dilated", [2, 2], [2, 3], [2, 1], "VALID"),
    _case(
        "same-int",
        [2, 2],
        [1, 1],
        [1, 1],
        "SAME",
        np.arange(30, dtype=np.int32).reshape(1, 5, 6, 1),
    ),
]


@pytest.mark.parametrize(("case", "mode"), cases_by_mode(CASES))
def test_kernel_table(run, case, mode):
    check_case(run, case, mode)


GRADIENTS = [
    GradCase(
        "same-dilated",
        lambda x: tf.extract_image_patches(x, [1, 2, 3, 1], [1, 2, 1, 1], [1, 1, 2, 1], "SAME"),
        (X[:, :4, :5, :2],),
    ),
    GradCase(
        "valid",
        lambda x: tf.extract_image_patches(x, [1, 2, 2, 1], [1, 1, 2, 1], [1, 1, 1, 1], "VALID"),
        (X[:1],),
    ),
]


@pytest.mark.parametrize("case", gradient_cases(GRADIENTS))
def test_gradients(case):
    check_gradient_case(case)
