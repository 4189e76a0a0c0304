"""tf.test.TestCase as TF1 test files use it: sessions, evaluate, seeds, assertions, threads.

The failure messages and session rules were compared with TF 2.21's compat.v1
``tf.test.TestCase`` running the same test methods; TF1.15's sessions default to
``use_gpu=False`` (ops pinned to ``/device:CPU:0``), where TF 2.21's default to True.
"""

from __future__ import annotations

import collections
import os
import subprocess
import sys
import unittest

import numpy as np
import pytest

import scopeflow as tf


class GraphTest(tf.test.TestCase):
    """Run by pytest's unittest support, as a TF1 test file would be."""

    def testFreshGraphWithTheTestSeed(self):
        self.assertEqual(tf.get_default_graph().get_operations(), [])
        self.assertEqual(tf.get_default_graph().seed, 87654321)
        self.assertEqual(np.random.get_state()[1][0], 87654321)

    def testTestSessionIsCachedAndDefault(self):
        with self.test_session() as first:
            x = tf.constant([1.0, 2.0])
            self.assertIs(tf.get_default_session(), first)
            self.assertAllClose(x.eval(), [1.0, 2.0])
            self.assertEqual(x.op.device, "/device:CPU:0")
        with self.cached_session() as second:
            self.assertIs(second, first)

    def testSessionIsNewEachTime(self):
        graph = tf.Graph()
        with self.session(graph=graph) as first:
            self.assertIs(tf.get_default_graph(), graph)
        with self.session(graph=graph) as second:
            self.assertIsNot(first, second)
        with pytest.raises(RuntimeError):
            first.run([])

    def testEvaluateStructures(self):
        v = tf.Variable([1, 2])
        self.evaluate(tf.global_variables_initializer())
        Pair = collections.namedtuple("Pair", "a b")
        self.assertAllClose(self.evaluate(Pair(v, [v + 1])), Pair([1, 2], [[2, 3]]))
        self.assertAllEqual(v + 1, [2, 3])  # tensors evaluated in the cached session

    def testAssertRaisesOpErrorSearchesTheMessage(self):
        p = tf.placeholder(tf.float32)
        with self.cached_session():
            with self.assertRaisesOpError("must feed a value for placeholder"):
                p.eval()
            with self.assertRaisesWithPredicateMatch(
                tf.errors.InvalidArgumentError, lambda e: e.op is p.op
            ):
                p.eval()

    def testCheckedThreadRunsAndReports(self):
        results = []
        thread = self.checkedThread(target=results.append, args=(3,))
        thread.start()
        thread.join()
        self.assertEqual(results, [3])

    def testGetTempDirIsTheTestsOwn(self):
        path = self.get_temp_dir()
        self.assertEqual(self.get_temp_dir(), path)
        self.assertEqual(os.path.dirname(path), tf.test.get_temp_dir())


def _run(method):
    """Runs ``method`` as the only test of a fresh TestCase class; returns the result."""
    case = type("Case", (tf.test.TestCase,), {"testIt": method})
    result = unittest.TestResult()
    case("testIt").run(result)
    return result


def _failure(method) -> str:
    result = _run(method)
    problems = result.failures + result.errors
    assert len(problems) == 1, (result.failures, result.errors)
    return problems[0][1]


def test_assert_all_close_reports_where_and_tolerance():
    text = _failure(lambda self: self.assertAllClose([1.0, 2.0], [1.0, 2.5]))
    # TF 2.21's message for the same call, line by line.
    for line in (
        "Mismatched value: a is different from b.",
        "not close where = (array([1]),)",
        "not close lhs = [2.]",
        "not close rhs = [2.5]",
        "not close dif = [0.5]",
        "not close tol = [3.5e-06]",
        "dtype = float64, shape = (2,)",
    ):
        assert line in text


def test_assert_all_close_nested_paths_and_shapes():
    text = _failure(lambda self: self.assertAllClose({"a": [1.0], "b": 2.0}, {"a": [1.0], "b": 3}))
    assert "Mismatched value: a[b] is different from b[b]." in text
    text = _failure(lambda self: self.assertAllClose([1.0, 2.0], [[1.0, 2.0]]))
    assert "Shape mismatch: expected (2,), got (1, 2) with contents [[1. 2.]]." in text
    text = _failure(lambda self: self.assertAllClose({"a": 1}, [1]))
    assert "ValueError: Can't compare dict to non-dict, a vs b." in text


@pytest.mark.parametrize(
    ("method", "ok"),
    [
        (lambda self: self.assertAllCloseAccordingToType(np.float16([1.0]), [1.0005]), True),
        (lambda self: self.assertAllCloseAccordingToType(np.float32([1.0]), [1.0005]), False),
        (lambda self: self.assertNotAllClose([1.0, 2.0], [1.0, 2.1]), True),
        (lambda self: self.assertNotAllClose([1.0], [1.0]), False),
        (lambda self: self.assertAllEqual([np.nan, 1.0], [np.nan, 1.0]), True),
        (lambda self: self.assertAllEqual([b"a"], ["a"]), True),
        (lambda self: self.assertNotAllEqual([1, 2], [1, 3]), True),
        (lambda self: self.assertNear(1.0, 1.05, 0.1), True),
        (lambda self: self.assertArrayNear([1.0, 2.0], [1.0, 2.2], 0.1), False),
        (lambda self: self.assertNDArrayNear(np.ones(4), np.ones(4) * 1.01, 0.1), True),
        (lambda self: self.assertAllGreater([2, 3], 1), True),
        (lambda self: self.assertAllLess([2, 3], 3), False),
        (lambda self: self.assertAllGreaterEqual([2, 3], 2), True),
        (lambda self: self.assertAllLessEqual(tf.constant([2, 3]), 3), True),
        (lambda self: self.assertAllInSet([1, 2, 2], {1, 2}), True),
        (lambda self: self.assertDTypeEqual(tf.constant([1.0]), np.float32), True),
        (lambda self: self.assertShapeEqual(np.zeros((2, 3)), tf.zeros([2, 3])), True),
        (lambda self: self.assertDeviceEqual("/cpu:0", "/device:CPU:0"), True),
        (lambda self: self.assertDeviceEqual("/gpu:0", "/device:CPU:0"), False),
        (lambda self: self.assertItemsEqual([1, 2], [2, 1]), True),
        (lambda self: self.assertLen([1, 2], 2), True),
    ],
)
def test_assertions_pass_and_fail_as_tf1(method, ok):
    assert _run(method).wasSuccessful() is ok


def test_assert_near_message():
    text = _failure(lambda self: self.assertNear(1.0, [1.5], 0.1, msg="m"))
    assert "1.000000 != 1.500000 +/- 0.100000 (difference: 0.5) (m)" in text


def test_assert_all_in_range_messages():
    text = _failure(
        lambda self: self.assertAllInRange([1.0, 5.0, 7.0], 0, 5, open_upper_bound=True)
    )
    assert "2 of the 3 element(s) are outside the range [0, 5). Subscript(s) and value(s)" in text
    assert "  [1] : 5.0\n  [2] : 7.0" in text
    text = _failure(lambda self: self.assertAllInRange([np.nan], 0, 1))
    assert "1 of the 1 element(s) are NaN." in text
    text = _failure(lambda self: self.assertAllInRange(["a"], 0, 1))
    assert "does not have an ordered numeric type" in text


def test_assert_raises_with_predicate_wrong_type_or_none():
    def wrong_type(self):
        with self.assertRaisesOpError("x"):
            raise ValueError("x")

    assert "AssertionError: Exception of type <class 'ValueError'>: x" in _failure(wrong_type)

    def nothing(self):
        with self.assertRaisesOpError("x"):
            pass

    assert "OpError not raised" in _failure(nothing)


def test_cached_session_rejects_other_graph():
    def method(self):
        with self.cached_session():
            pass
        with self.cached_session(graph=tf.Graph()):
            pass

    assert "The graph used to get the cached session is different" in _failure(method)


def test_unjoined_checked_thread_fails_the_test():
    def method(self):
        self.checkedThread(target=lambda: None).start()

    assert "A checked thread was not joined." in _failure(method)

    def raising(self):
        thread = self.checkedThread(target=lambda: 1 / 0)
        thread.start()
        thread.join()

    assert "Error in checkedThread: division by zero" in _failure(raising)


def test_set_up_leaves_graphs_left_entered():
    def method(self):
        tf.Graph().as_default().__enter__()  # never exited

    _run(method)
    assert _run(
        lambda self: self.assertEqual(tf.get_default_graph().seed, 87654321)
    ).wasSuccessful()


def test_method_named_test_session_is_skipped():
    result = unittest.TestResult()
    GraphTest("test_session").run(result)
    assert [reason for _, reason in result.skipped] == ["Not a test."]


def test_assert_proto_equals_takes_text_or_a_message():
    with tf.Graph().as_default() as g:
        tf.constant(1.0, name="c")
    node = g.as_graph_def().node[0]
    text = str(node)

    def same(self):
        self.assertProtoEquals(text, node)
        self.assertProtoEquals(node, node)

    assert _run(same).wasSuccessful()
    failure = _failure(lambda self: self.assertProtoEquals(text.replace('"c"', '"d"'), node))
    assert '- name: "d"\n?        ^\n+ name: "c"' in failure
    failure = _failure(lambda self: self.assertProtoEquals(3, node))
    assert "Can't compare protos of type <class 'int'> and <class 'NodeDef'>." in failure


def test_build_and_gpu_queries_answer_as_a_cpu_build():
    assert not tf.test.is_gpu_available()
    assert not tf.test.is_built_with_cuda()
    assert not tf.test.is_built_with_gpu_support()
    assert tf.test.gpu_device_name() == ""
    assert tf.test.mock is unittest.mock
    with pytest.raises(NotImplementedError, match="os.path.dirname"):
        tf.test.test_src_dir_path("data")


def test_main_runs_the_tests_of_the_main_module(tmp_path):
    # One process for both facts (each Python start costs ~1 s here): TestCase, unittest and
    # absl's runner load on first use of tf.test.TestCase, not with scopeflow.
    script = tmp_path / "my_test.py"
    script.write_text(
        "import sys\n"
        "import scopeflow as tf\n"
        "print('loaded', 'unittest' in sys.modules, 'absl.testing' in sys.modules)\n"
        "class T(tf.test.TestCase):\n"
        "    def testOne(self):\n"
        "        self.assertAllEqual(self.evaluate(tf.constant(2) * 3), 6)\n"
        "if __name__ == '__main__':\n"
        "    tf.test.main()\n"
    )
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("loaded False False")
    assert "Ran 2 tests" in out.stderr and "OK (skipped=1)" in out.stderr


def test_benchmark_reports_and_main_selects_by_regex(caplog):
    caplog.set_level("INFO", logger="tensorflow")
    try:

        class AddBenchmark(tf.test.Benchmark):
            def benchmarkAdd(self):
                with tf.Graph().as_default(), tf.Session() as sess:
                    return self.run_op_benchmark(sess, tf.add(1.0, 2.0), burn_iters=1, min_iters=3)

            def benchmarkNamed(self):
                self.report_benchmark(iters=5, wall_time=0.25, extras={"k": 1}, name="mine")

        from scopeflow.testing import benchmark

        benchmark._run_benchmarks("AddBenchmark.benchmarkNamed")
        assert "Benchmark [AddBenchmark.mine] iters: 5, wall_time: 0.25, cpu_time: -1," in (
            caplog.text
        )
        values = AddBenchmark().benchmarkAdd()
        assert values["iters"] == 3 and values["name"] is None and values["throughput"] == 0
        assert set(values["extras"]) == {"wall_time_mean", "wall_time_stdev"}
        with pytest.raises(ValueError, match="No benchmarks matched the pattern: 'nothing'"):
            benchmark._run_benchmarks("nothing")
        with pytest.raises(NotImplementedError, match="store_trace"):
            AddBenchmark().run_op_benchmark(None, None, store_trace=True)
        with pytest.raises(TypeError, match="extras must be a dict"):
            AddBenchmark().report_benchmark(extras=[1])
    finally:
        benchmark._REGISTRY[:] = [c for c in benchmark._REGISTRY if c.__name__ != "AddBenchmark"]
