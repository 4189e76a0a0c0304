"""``scopeflow graph``: a graph from a ``.meta`` file or a script, as Graphviz ``dot`` or as
an events file TensorBoard shows."""

from __future__ import annotations

import gc
import os

import scopeflow as tf
from scopeflow.cli.scripts import run_script
from scopeflow.tools.graph_dot import graph_to_dot


def script_graph(path: str, args: list[str]):
    """The graph the script at ``path`` builds when run (as ``__main__``, ``tensorflow``
    resolved to scopeflow): the default graph, or when the script built nothing there (it
    used ``with tf.Graph().as_default():``), the largest graph it left alive."""
    tf.reset_default_graph()
    before = {id(g) for g in _graphs()}
    try:
        run_script(path, args)
    except SystemExit as e:  # tf.app.run() ends with sys.exit(main(argv))
        if e.code not in (None, 0):
            raise ValueError(f"the script {path} exited with status {e.code}") from None
    graph = tf.get_default_graph()
    if graph.get_operations():
        return graph
    graphs = [g for g in _graphs() if id(g) not in before and g.get_operations()]
    if not graphs:
        raise ValueError(f"the script {path} built no ops")
    return max(graphs, key=lambda g: len(g.get_operations()))


def _graphs() -> list:
    # type(), not isinstance(): isinstance on a dead weakref.proxy (numba keeps some) raises
    # ReferenceError.
    return [obj for obj in gc.get_objects() if issubclass(type(obj), tf.Graph)]


def meta_graph(path: str):
    """A new graph holding the graph of the MetaGraphDef file at ``path``."""
    with tf.Graph().as_default() as graph:
        tf.train.import_meta_graph(path, clear_devices=True)
    return graph


def graph_def_graph(path: str):
    """A new graph holding the GraphDef (binary ``.pb`` or text ``.pbtxt``) at ``path``."""
    from google.protobuf import message, text_format

    with open(path, "rb") as f:
        data = f.read()
    try:
        if path.endswith(".pbtxt"):
            graph_def = text_format.Parse(data.decode("utf-8"), tf.GraphDef())
        else:
            graph_def = tf.GraphDef.FromString(data)
    except (message.DecodeError, text_format.ParseError, UnicodeDecodeError) as e:
        raise tf.errors.DataLossError(None, None, f"'{path}' is not a GraphDef: {e}") from None
    with tf.Graph().as_default() as graph:
        tf.import_graph_def(graph_def, name="")
    return graph


def graph(model: str, args: list[str], logdir: str | None, output: str | None) -> int:
    """Writes the graph of ``model`` (a ``.meta`` file, a GraphDef ``.pb``/``.pbtxt`` or a
    script) as dot text (to ``output``, or printed), or with ``logdir``, as an events file
    there for TensorBoard."""
    if model.endswith(".meta"):
        g = meta_graph(model)
    elif model.endswith((".pb", ".pbtxt")):
        g = graph_def_graph(model)
    else:
        g = script_graph(model, args)
    if logdir is not None:
        write_events(g, logdir)
        print(f"wrote the graph to {logdir}; view it with: tensorboard --logdir {logdir}")
        return 0
    text = graph_to_dot(g)
    if output is None:
        print(text)
    else:
        with open(output, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        print(f"wrote {len(g.get_operations())} ops to {output}; render: dot -Tsvg {output}")
    return 0


def write_events(g, logdir: str) -> None:
    """An events file in ``logdir`` holding ``g``, through ``tf.summary.FileWriter``."""
    summary = getattr(tf, "summary", None)
    if getattr(summary, "FileWriter", None) is None:
        raise NotImplementedError(
            "--tensorboard is not supported yet (scopeflow has no tf.summary.FileWriter); use --dot"
        )
    os.makedirs(logdir, exist_ok=True)
    writer = summary.FileWriter(logdir, graph=g)
    writer.close()
