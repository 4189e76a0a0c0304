"""A TF1 op test module, as repositories wrote their unit tests: a tf.test.TestCase subclass run
by unittest, using cached_session/session, self.evaluate on a dict, assertAllClose,
assertAllEqual, assertShapeEqual, assertAllInRange, assertAllGreaterEqual,
tf.test.compute_gradient(_error) at given points, assertRaisesOpError and
assertRaisesWithPredicateMatch on a failing tf.debugging.assert_positive, assertNear,
assertArrayNear, assertAllCloseAccordingToType, assertProtoEquals on a GraphDef node,
TensorShape.as_proto, get_temp_dir.

The expected results were printed by the same program under TensorFlow 2.21
(``tensorflow.compat.v1`` with v2 behaviour disabled): all tests pass, ``test_session`` is
collected and skipped, and the values seen.
"""

import io
import unittest

import numpy as np

import scopeflow as tf
from tests.programs.compare import close


def program(tf):
    seen = {}

    class SoftplusOpTest(tf.test.TestCase):
        def testValues(self):
            with self.cached_session() as sess:
                x = tf.constant([-2.0, 0.0, 3.0])
                y = tf.nn.softplus(x)
                got = sess.run(y)
                self.assertAllClose(np.log1p(np.exp([-2.0, 0.0, 3.0])), got, rtol=1e-6)
                self.assertShapeEqual(got, y)
                self.assertEqual(y.dtype, tf.float32)
                seen["values"] = got.tolist()

        def testEvaluate(self):
            with self.session():
                v = tf.Variable([[1, 2], [3, 4]], name="v")
                self.evaluate(v.initializer)
                out = self.evaluate({"sum": tf.reduce_sum(v), "t": tf.transpose(v)})
                self.assertAllEqual(out["t"], [[1, 3], [2, 4]])
                self.assertEqual(out["sum"], 10)
                self.assertAllInRange(out["t"], 1, 4)
                self.assertAllGreaterEqual(out["t"], 1)
                seen["evaluate"] = int(out["sum"])

        def testGradientError(self):
            with self.cached_session():
                x = tf.constant([[0.5, -1.0], [2.0, 0.1]], dtype=tf.float64)
                y = tf.nn.softplus(x) * tf.tanh(x)
                at = np.array([[0.5, -1.0], [2.0, 0.1]])
                err = tf.test.compute_gradient_error(x, [2, 2], y, [2, 2], x_init_value=at)
                self.assertLess(err, 1e-6)
                theo, num = tf.test.compute_gradient(x, [2, 2], y, [2, 2], x_init_value=at)
                self.assertAllClose(theo, num, atol=1e-6)
                seen["jacobian"] = np.round(theo, 8).tolist()

        def testOpError(self):
            with self.cached_session():
                x = tf.placeholder(tf.float32, [None])
                check = tf.debugging.assert_positive(x, message="must be positive")
                with tf.control_dependencies([check]):
                    y = tf.identity(x)
                with self.assertRaisesOpError("must be positive"):
                    y.eval(feed_dict={x: [1.0, -1.0]})
                with self.assertRaisesWithPredicateMatch(
                    tf.errors.InvalidArgumentError, "must be positive"
                ):
                    y.eval(feed_dict={x: [-3.0]})
                self.assertAllClose(y.eval(feed_dict={x: [2.0]}), [2.0])

        def testNearAndTempDir(self):
            self.assertNear(1.0, 1.0 + 1e-7, 1e-6)
            self.assertArrayNear([1.0, 2.0], [1.0, 2.0 + 1e-7], 1e-6)
            self.assertTrue(tf.gfile.IsDirectory(self.get_temp_dir()))
            self.assertAllCloseAccordingToType(np.float32([1.0]), np.float32([1.0 + 1e-7]))
            with tf.Graph().as_default() as g:
                tf.constant(1.0, name="c")
            self.assertProtoEquals("dim { size: 3 }", tf.TensorShape([3]).as_proto())
            self.assertProtoEquals(
                """name: "c" op: "Const"
                   attr { key: "dtype" value { type: DT_FLOAT } }
                   attr { key: "value" value { tensor {
                       dtype: DT_FLOAT tensor_shape { } float_val: 1.0 } } }""",
                g.as_graph_def().node[0],
            )

        def testGraphIsolation(self):
            with self.cached_session() as sess:
                a = tf.constant(1.0, name="a")
                seen.setdefault("names", []).append(a.name)
                self.assertEqual(sess.graph, tf.get_default_graph())

    suite = unittest.defaultTestLoader.loadTestsFromTestCase(SoftplusOpTest)
    stream = io.StringIO()
    result = unittest.TextTestRunner(stream=stream, verbosity=0).run(suite)
    problems = [
        (str(t), text.strip().splitlines()[-1]) for t, text in result.failures + result.errors
    ]
    return {
        "ran": result.testsRun,
        "problems": problems,
        "skipped": len(result.skipped),
        "seen": seen,
    }


EXPECTED = {
    "ran": 7,
    "problems": [],
    "skipped": 1,
    "seen": {
        "evaluate": 10,
        "jacobian": [
            [1.05370977, 0.0, 0.0, 0.0],
            [0.0, -0.07326234, 0.0, 0.0],
            [0.0, 0.0, 0.99938189, 0.0],
            [0.0, 0.0, 0.0, 0.78932566],
        ],
        "names": ["a:0"],
        "values": [0.12692800164222717, 0.6931471824645996, 3.0485873222351074],
    },
}


def test_tf_test_case_module_matches_tensorflow():
    close(program(tf), EXPECTED)
