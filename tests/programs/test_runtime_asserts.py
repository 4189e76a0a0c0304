"""The run-time checks of TF1 programs: assert_positive/non_negative/less/equal/rank/type,
verify_tensor_all_finite, check_numerics, assert_near, assert_integer, tf.Assert with
summarize and assert_shapes, run on good and bad feeds (the error types and the first line
that carries their message), and the statically failing assert_rank and assert_equal.

The expected names and numbers were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled).
"""

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf, workdir):
    out = {}
    g = tf.Graph()
    with g.as_default():
        x = tf.placeholder(tf.float32, [None])
        checks = {
            "positive": tf.assert_positive(x, message="need positive"),
            "non_negative": tf.assert_non_negative(x),
            "less": tf.assert_less(x, 5.0),
            "equal": tf.assert_equal(tf.size(x), 3, message="three"),
            "rank": tf.assert_rank(x, 1),
            "type": tf.assert_type(x, tf.float32),
            "finite": tf.verify_tensor_all_finite(x, "finite please"),
            "numerics": tf.check_numerics(x, "numerics please"),
            "near": tf.debugging.assert_near(x, tf.ones_like(x), atol=0.5),
            "integer": tf.debugging.assert_integer(tf.cast(x, tf.int32)),
            "assert": tf.Assert(tf.reduce_all(x < 4.0), [x], summarize=2),
            "shapes": tf.debugging.assert_shapes([(x, ("N",))]),
        }
        with tf.Session() as sess:
            for good_or_bad, value in (("good", [1.0, 1.2, 0.9]), ("bad", [-1.0, np.inf, 7.0])):
                res = {}
                for name, op in sorted(checks.items()):
                    try:
                        sess.run(op, {x: value})
                        res[name] = "ok"
                    except tf.errors.OpError as e:
                        # TF 2.21 puts "Graph execution error:" and the node first
                        lines = [
                            ln
                            for ln in e.message.splitlines()
                            if "assertion failed" in ln or "Tensor had" in ln
                        ]
                        res[name] = [type(e).__name__, lines[0][:60]]
                out[good_or_bad] = res
        try:
            tf.assert_rank(tf.zeros([2, 2]), 1)
        except ValueError as e:
            out["static_rank"] = str(e)[:80]
        try:
            tf.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]))
        except tf.errors.InvalidArgumentError as e:
            out["static_equal"] = ["InvalidArgumentError", e.message.splitlines()[0][:60]]
        except ValueError as e:
            out["static_equal"] = ["ValueError", str(e)[:60]]
        out["names"] = [op.name for _, op in sorted(checks.items()) if op is not None]
    return out


EXPECTED = {
    "good": {
        "assert": "ok",
        "equal": "ok",
        "finite": "ok",
        "integer": "ok",
        "less": "ok",
        "near": "ok",
        "non_negative": "ok",
        "numerics": "ok",
        "positive": "ok",
        "rank": "ok",
        "shapes": "ok",
        "type": "ok",
    },
    "bad": {
        "assert": ["InvalidArgumentError", "assertion failed: [-1 inf...]"],
        "equal": "ok",
        "finite": ["InvalidArgumentError", "finite please : Tensor had Inf values"],
        "integer": "ok",
        "less": [
            "InvalidArgumentError",
            "assertion failed: [Condition x < y did not hold element-wise",
        ],
        "near": [
            "InvalidArgumentError",
            "assertion failed: [] [x and y not equal to tolerance rtol = ",
        ],
        "non_negative": [
            "InvalidArgumentError",
            "assertion failed: [] [Condition x >= 0 did not hold element-",
        ],
        "numerics": ["InvalidArgumentError", "numerics please : Tensor had Inf values"],
        "positive": [
            "InvalidArgumentError",
            "assertion failed: [need positive.  ] [Condition x > 0 did no",
        ],
        "rank": "ok",
        "shapes": "ok",
        "type": "ok",
    },
    "static_rank": "Tensor zeros:0 must have rank 1.  Received rank 2, shape (2, 2)",
    "static_equal": ["InvalidArgumentError", "Condition x == y did not hold element-wise:"],
    "names": [
        "Assert/AssertGuard/Merge",
        "assert_equal_1/Assert/Assert",
        "VerifyFinite/control_dependency:0",
        "assert_integer/statically_determined_was_integer",
        "assert_less/Assert/AssertGuard/Merge",
        "assert_near/Assert/AssertGuard/Merge",
        "assert_non_negative/assert_less_equal/Assert/AssertGuard/Merge",
        "CheckNumerics:0",
        "assert_positive/assert_less/Assert/AssertGuard/Merge",
        "assert_rank/static_checks_determined_all_ok",
        "group_deps",
        "assert_type/statically_determined_correct_type",
    ],
}


def test_runtime_asserts_matches_tensorflow(tmp_path):
    close(program(tf, tmp_path), EXPECTED)
