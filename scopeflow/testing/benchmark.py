"""``tf.test.Benchmark`` and ``tf.test.main``: TF1's benchmark classes (each subclass
registered when defined; its ``benchmark*`` methods run by ``main`` when the command line has
``--benchmarks=<regex>``) and its test entry point (``absltest.main`` otherwise)."""

from __future__ import annotations

import math
import os
import re
import sys
import time

from absl import app
from absl.testing import absltest

from scopeflow.framework.defaults import get_default_session
from scopeflow.platform import tf_logging

_REGISTRY: list[type] = []  # Benchmark subclasses, in the order they were defined


class _BenchmarkRegistrar(type):
    def __new__(mcs, clsname, bases, attrs):
        cls = type.__new__(mcs, clsname, bases, attrs)
        if not cls.is_abstract():
            _REGISTRY.append(cls)
        return cls


def _report(name, iters, cpu_time, wall_time, throughput, extras, metrics) -> None:
    if extras is not None and not isinstance(extras, dict):
        raise TypeError("extras must be a dict")
    if metrics is not None:
        if not isinstance(metrics, list):
            raise TypeError("metrics must be a list")
        for metric in metrics:
            for key in ("name", "value"):
                if key not in metric:
                    raise TypeError(f"metric must has a '{key}' field")
    if os.environ.get("TEST_REPORT_FILE_PREFIX"):
        raise NotImplementedError(
            "TEST_REPORT_FILE_PREFIX is set: scopeflow does not write TF's BenchmarkEntries "
            "files; read the 'Benchmark [...]' log lines (tf.logging at INFO) instead."
        )
    tf_logging.info(
        "Benchmark [%s] iters: %d, wall_time: %g, cpu_time: %g,throughput: %g, extras: %s, "
        "metrics: %s",
        name,
        iters if iters is not None else -1,
        wall_time if wall_time is not None else -1,
        cpu_time if cpu_time is not None else -1,
        throughput if throughput is not None else -1,
        str(extras) if extras else "None",
        str(metrics) if metrics else "None",
    )


class Benchmark(metaclass=_BenchmarkRegistrar):
    """Base class of benchmarks: subclasses are registered as they are defined, and their
    ``benchmark*`` methods report timings with ``report_benchmark`` (a log line at INFO).

    >>> import scopeflow as tf
    >>> class AddBenchmark(tf.test.Benchmark):
    ...     def benchmarkAdd(self):
    ...         with tf.Session() as sess:
    ...             return self.run_op_benchmark(sess, tf.add(1.0, 2.0), min_iters=3)
    >>> AddBenchmark().benchmarkAdd()["name"], AddBenchmark().benchmarkAdd()["iters"]
    (None, 3)
    """

    @classmethod
    def is_abstract(cls) -> bool:
        return cls.__name__ == "Benchmark" and cls.__module__ == __name__

    def _get_name(self, overwrite_name=None) -> str:
        """``Class.method`` of the outermost benchmark method on the stack (or
        ``Class.overwrite_name``)."""
        frame, found = sys._getframe(1), None
        while frame is not None:
            if isinstance(frame.f_locals.get("self"), Benchmark):
                found = frame
            frame = frame.f_back
        if found is None:
            raise ValueError("Unable to determine calling Benchmark class.")
        name = overwrite_name or found.f_code.co_name
        return f"{type(found.f_locals['self']).__name__}.{name}"

    def report_benchmark(
        self,
        iters=None,
        cpu_time=None,
        wall_time=None,
        throughput=None,
        extras=None,
        name=None,
        metrics=None,
    ) -> None:
        """Logs ``Benchmark [Class.method] iters: ..., wall_time: ...`` at INFO, as TF1."""
        _report(self._get_name(name), iters, cpu_time, wall_time, throughput, extras, metrics)

    def run_op_benchmark(
        self,
        sess,
        op_or_tensor,
        feed_dict=None,
        burn_iters=2,
        min_iters=10,
        store_trace=False,
        store_memory_usage=True,
        name=None,
        extras=None,
        mbs=0,
    ) -> dict:
        """Runs ``op_or_tensor`` ``burn_iters`` times untimed, then ``min_iters`` times timed,
        and reports the median wall time; returns what it reported, with
        ``wall_time_mean``/``wall_time_stdev`` added to the extras. ``store_memory_usage``
        adds nothing: scopeflow keeps no allocator statistics."""
        if store_trace:
            raise NotImplementedError(
                "run_op_benchmark(store_trace=True): scopeflow records no step traces; time "
                "the steps (the returned wall_time_mean/stdev) or profile with cProfile."
            )
        del store_memory_usage  # no allocator statistics to store
        for _ in range(burn_iters):
            sess.run(op_or_tensor, feed_dict=feed_dict)
        deltas = []
        for _ in range(min_iters):
            start = time.time()
            sess.run(op_or_tensor, feed_dict=feed_dict)
            deltas.append(time.time() - start)
        ordered = sorted(deltas)
        median = (
            (ordered[len(deltas) // 2] + ordered[(len(deltas) - 1) // 2]) / 2.0 if deltas else -1
        )
        values = {
            "iters": min_iters,
            "wall_time": median,
            "extras": extras if extras is not None else {},
            "name": name,
            "throughput": mbs / median,
        }
        self.report_benchmark(**values)
        mean, stdev = -1, -1
        if deltas:
            mean = sum(deltas) / len(deltas)
            if len(deltas) > 1:
                stdev = math.sqrt(sum((d - mean) ** 2 for d in deltas) / (len(deltas) - 1))
        values["extras"].update(wall_time_mean=mean, wall_time_stdev=stdev)
        return values

    def evaluate(self, tensors):
        """``tensors``' values from the default session."""
        session = get_default_session()
        if session is None:
            raise ValueError(
                "Benchmark.evaluate needs a default session: run it inside `with tf.Session():`"
            )
        return session.run(tensors)


def _run_benchmarks(regex: str) -> None:
    selected = []
    for cls in list(_REGISTRY):
        instance = None
        for attr in dir(cls):
            if not attr.startswith("benchmark") or not callable(getattr(cls, attr)):
                continue
            full_name = f"{cls.__module__}.{cls.__name__}.{attr}"
            if regex == "all" or re.search(regex, full_name):
                selected.append(full_name)
                instance = instance or cls()
                getattr(instance, attr)()
    if not selected:
        raise ValueError(f"No benchmarks matched the pattern: '{regex}'")


def main(argv=None) -> None:
    """Runs the benchmarks named by ``--benchmarks=<regex>`` (``all`` for every one) when the
    command line has it, else the tests, through ``absltest.main`` (absl flags parsed)."""
    args = sys.argv if argv is None else argv
    found = [a for a in args if a.split("=")[0] in ("--benchmarks", "-benchmarks")]
    if found:
        args.remove(found[0])
        regex = found[0].split("=", 1)[1]
        app.run(lambda _: _run_benchmarks(regex), argv=args)
    else:
        absltest.main(argv=args)
