"""``tf.profiler.profile``, ``advise``, ``Profiler`` and ``write_op_log`` over a graph.

Parameters and float operations come from the graph alone, as in TF. Time and memory come
from ``run_meta``'s step stats in TF; scopeflow's sessions record none, so those columns read
zero (what TF shows without ``run_meta``) and the advisors find nothing to report.
"""

from __future__ import annotations

import os
import sys

from scopeflow.framework import errors
from scopeflow.framework.defaults import get_default_graph
from scopeflow.profiler import flops, report, tree
from scopeflow.profiler.options import ProfileOptionBuilder
from scopeflow.profiler.protos import AdviceProto, Checker, OpLogEntry, OpLogProto

_DEFAULT = object()
# the advisors TF runs, in the order it prints them (JobChecker exists only inside Google)
_CHECKERS = ("AcceleratorUtilizationChecker", "OperationChecker", "ExpensiveOperationChecker")
ALL_ADVICE = {
    "ExpensiveOperationChecker": {},
    "AcceleratorUtilizationChecker": {},
    "JobChecker": {},
    "OperationChecker": {},
}


def _emit(body: str, options: dict) -> None:
    output = str(options.get("output", "stdout"))
    kind, _, rest = output.partition(":")
    if kind == "stdout":
        sys.stdout.write(report.stdout_text(body, options))
    elif kind == "file":
        path = dict(p.partition("=")[::2] for p in rest.split(",") if p).get("outfile")
        if not path:
            raise ValueError(f"output 'file' needs outfile=PATH, got {output!r}")
        with open(path, "w") as handle:
            handle.write(body)
    elif kind in ("timeline", "pprof"):
        raise NotImplementedError(
            f"profiler output '{kind}' needs run_meta step stats, which scopeflow does not "
            "record; use 'stdout' or 'file:outfile=PATH'."
        )
    elif kind != "none":
        raise errors.InvalidArgumentError(None, None, f"unknown output: {output}")


def _run(graph, op_log, cmd: str, options: dict):
    if cmd in ("graph", "code"):
        raise NotImplementedError(
            f"the profiler's '{cmd}' view is not implemented in scopeflow; "
            "use cmd='scope' (name scopes) or cmd='op' (op types)."
        )
    if cmd not in ("scope", "op"):
        raise errors.InvalidArgumentError(None, None, f"unknown cmd: {cmd}")
    root, ops, missing = tree.build(graph, op_log)
    if missing:
        sys.stderr.write(f"{missing} ops no flops stats due to incomplete shapes.\n")
    if cmd == "scope":
        proto, shown = tree.scope_view(root, options)
        _emit(report.scope_text(proto, shown, options), options)
    else:
        proto, groups = tree.op_view(ops, options)
        _emit(report.op_text(groups, proto, options), options)
    return proto


def profile(graph=None, run_meta=None, op_log=None, cmd="scope", options=_DEFAULT):
    """Profiles ``graph`` (the default graph if None): parameters, float operations.

    Returns the root ``GraphNodeProto`` (``MultiGraphNodeProto`` for ``cmd='op'``), whose
    ``total_parameters`` and ``total_float_ops`` sum what the options account, and prints
    TF's table where ``options['output']`` says.

    >>> import scopeflow as tf
    >>> g = tf.Graph()
    >>> with g.as_default():
    ...     y = tf.matmul(tf.ones([4, 8]), tf.ones([8, 16]))
    >>> opts = tf.profiler.ProfileOptionBuilder(
    ...     tf.profiler.ProfileOptionBuilder.float_operation()).with_empty_output().build()
    >>> tf.profiler.profile(g, options=opts).total_float_ops
    1024
    """
    del run_meta  # scopeflow's RunMetadata carries no step stats to add
    if options is _DEFAULT:
        options = ProfileOptionBuilder.trainable_variables_parameter()
    graph = get_default_graph() if graph is None else graph
    return _run(graph, op_log, cmd, options)


def advise(graph=None, run_meta=None, options=_DEFAULT):
    """Runs TF's advisors. Each needs run-time stats from ``run_meta`` that scopeflow does
    not record, so each reports nothing (as TF's do for a graph without ``run_meta``)."""
    del graph, run_meta
    options = ALL_ADVICE if options is _DEFAULT else options
    advice = AdviceProto()
    for name in _CHECKERS:
        if name in options:
            advice.checkers[name] = Checker()
            sys.stdout.write(f"\n{name}:\n")
    return advice


class Profiler:
    """Profiles one graph over the steps added to it (``tf.profiler.Profiler``)."""

    def __init__(self, graph=None, op_log=None):
        self._graph = get_default_graph() if graph is None else graph
        self._op_log = op_log
        self._steps: dict[int, object] = {}

    def add_step(self, step: int, run_meta) -> None:
        """Records ``run_meta`` for ``step`` (scopeflow's carries no time or memory)."""
        self._steps[int(step)] = run_meta

    def _options(self, options: dict) -> dict:
        step = options.get("step", -1)
        if step >= 0 and self._steps and step not in self._steps:
            raise errors.InvalidArgumentError(None, None, f"step {step} was not added")
        return options

    def profile_name_scope(self, options: dict):
        """The ``scope`` view: ops in a tree of their name scopes."""
        return _run(self._graph, self._op_log, "scope", self._options(options))

    def profile_operations(self, options: dict):
        """The ``op`` view: ops grouped by op type."""
        return _run(self._graph, self._op_log, "op", self._options(options))

    def profile_graph(self, options: dict):
        return _run(self._graph, self._op_log, "graph", options)

    def profile_python(self, options: dict):
        return _run(self._graph, self._op_log, "code", options)

    def advise(self, options=_DEFAULT):
        """TF's advisors (see ``tf.profiler.advise``)."""
        return advise(self._graph, None, options)


def op_log_of(graph, op_log: OpLogProto | None = None) -> OpLogProto:
    """The ``OpLogProto`` TF writes for ``graph``: each op's float ops and extra types
    (``_trainable_variables``), merged with the entries of ``op_log``."""
    trainable = {v.op.name for v in graph.get_collection("trainable_variables")}
    given = {e.name: e for e in (op_log.log_entries if op_log is not None else [])}
    out = OpLogProto()
    for op in graph.get_operations():
        count = flops.float_ops(op) or 0
        types = ["_trainable_variables"] if op.name in trainable else []
        extra = given.get(op.name)
        if extra is not None:
            count = extra.float_ops or count
            types += [t for t in extra.types if t not in types]
        if count or types:
            out.log_entries.append(OpLogEntry(name=op.name, float_ops=count, types=types))
    return out


def write_op_log(graph, log_dir, op_log=None, run_meta=None, add_trace=True):
    """Writes ``graph``'s op log to ``log_dir/tfprof_log`` for the profiler command line.

    Entries carry float ops and types; ``add_trace`` adds no code traces in scopeflow (ops
    keep no Python stack).
    """
    del run_meta, add_trace
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "tfprof_log"), "wb") as handle:
        handle.write(op_log_of(graph, op_log).SerializeToString())
