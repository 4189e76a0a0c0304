"""The compile time of a ``Session(executor="jax")`` plan and its first step's latency, measured
apart. JAX reports how long each of its compiles takes through ``jax.monitoring`` (tracing:
scopeflow's lowering of the plan's ops; lowering to StableHLO; XLA's compile); a first run's
compile time is the time covered by what it reports during that run (a jit called while
another is traced reports inside the outer one's time: counted once), and the first step's
latency is the rest of the run's wall time (the transfer of the feeds and variables, the step
itself, the fetch). Not an estimate: both come from the same timed run.
"""

from __future__ import annotations

import time

_PHASES = {
    "/jax/core/compile/jaxpr_trace_duration": "trace",
    "/jax/core/compile/jaxpr_to_mlir_module_duration": "lower",
    "/jax/core/compile/backend_compile_duration": "xla",
}
_events: list = []
_listening: list = []


def _listen() -> None:
    if not _listening:
        from jax import monitoring

        def record(event: str, seconds: float, **kwargs) -> None:
            if event in _PHASES:  # (phase, start, end)
                end = time.perf_counter()
                _events.append((_PHASES[event], end - seconds, end))

        monitoring.register_event_duration_secs_listener(record)
        _listening.append(record)


def first_run(run) -> dict:
    """Calls ``run()`` (a first ``sess.run`` that fetches a value, so it waits for the step)
    and splits its wall time: ``compile (s)`` (trace + lower + XLA, and each), ``first step
    (s)`` (the rest), ``programs`` (XLA compiles during the run)."""
    _listen()
    del _events[:]
    start = time.perf_counter()
    run()
    wall = time.perf_counter() - start
    phases = {
        name: _covered([(a, b) for n, a, b in _events if n == name]) for name in _PHASES.values()
    }
    compile_seconds = _covered([(a, b) for _, a, b in _events])
    return {
        "compile (s)": compile_seconds,
        "phases": phases,
        "first step (s)": wall - compile_seconds,
        "programs": sum(1 for event in _events if event[0] == "xla"),
    }


def _covered(intervals: list) -> float:
    """The time the ``(start, end)`` intervals cover, overlaps counted once."""
    total, reached = 0.0, float("-inf")
    for start, end in sorted(intervals):
        if end > reached:
            total += end - max(start, reached)
            reached = end
    return total


def describe(timing: dict) -> str:
    """``timing`` (from :func:`first_run`) as one line."""
    phases = timing["phases"]
    return (
        f"compile {timing['compile (s)']:.2f} s ({timing['programs']} program(s); trace "
        f"{phases['trace']:.2f}, lower {phases['lower']:.2f}, XLA {phases['xla']:.2f}), "
        f"first step {timing['first step (s)'] * 1e3:.1f} ms"
    )
