"""Records what TensorFlow 1 builds for the expressions the op tests check, as data.

The inputs are ``tests/data/tf_reference/<family>.py``, literal data only (read with
:func:`ast.literal_eval`, never run)::

    SETUP = {"x": ("float32", [2, 3, 4]), ...}   # placeholders, made in this order, by name
    EXPRESSIONS = ["x[0]", "tf.reshape(x, [-1])", ...]        # a group of expressions
    ERRORS = [("x[3]", "out of bounds"), ("x[True]", None)]   # with the part of TF's message
                                                              # a test matches (None: none)

For every expression of every group, TensorFlow (``tensorflow.compat.v1``, graph mode) builds
it in a fresh graph holding the ``SETUP`` placeholders (with ``tf`` and ``np`` bound), and the
record written to ``tests/data/tf_reference/<family>.json`` says what happened:

* it built: ``ops`` (``[name, type]`` of each op it added, in order), ``consts`` (the values
  of the small numeric ``Const`` ops among them, flattened) and, for a tensor result, ``op``
  (its op's name), ``name`` (its own), ``dtype``, ``shape`` (``null``: unknown rank; ``null``
  dimensions: unknown), ``attrs`` (the result op's attributes that are numbers, strings,
  dtypes, shapes or lists of them), ``inputs`` (the value of each input of the result op that
  is a small ``Const``, else ``null``) and ``input_dtypes``; for a list or tuple of results,
  ``outputs``, one such record (without ``ops``) each (a ``SparseTensor`` counts as its
  three tensors, ``indices``, ``values`` and ``dense_shape``); for an ``Operation``, ``op``;
  for a string (a name an API returns, or ``str()`` of a structure of names), ``value``;
* it raised: ``error`` (the exception's type name), ``message`` (its text) and ``match``.
  Generation fails when a ``match`` is not part of TensorFlow's message, or when an expression
  given without one raises.

The op tests read only the JSON files, so they never need TensorFlow; where scopeflow differs
from TensorFlow on purpose, the test lists the expression in an explicit, commented exception
table. TensorFlow runs in a subprocess of the interpreter given (this file, with ``--emit
tensorflow``, as ``tools/compare_names.py`` runs its snippets).

Regenerate after editing an input, or to check against another TensorFlow::

    .venv/bin/python tools/tf_reference.py --tf-python /tmp/tfref/bin/python [family ...]

then run the op tests (``pytest tests/ops``): a changed record shows up as a failing test.
"""

from __future__ import annotations

import argparse
import ast
import json
import pathlib
import sys

from compare_names import const_value, emit_under, import_tensorflow

DATA = pathlib.Path(__file__).resolve().parents[1] / "tests" / "data" / "tf_reference"


def load_inputs(family: str) -> dict:
    """The literal assignments of ``tests/data/tf_reference/<family>.py``."""
    tree = ast.parse((DATA / f"{family}.py").read_text())
    inputs = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            inputs[node.targets[0].id] = ast.literal_eval(node.value)
    return inputs


def families() -> list[str]:
    return sorted(path.stem for path in DATA.glob("*.py") if not path.stem.startswith("_"))


def _plain(value):
    """An attribute value as JSON, or ``None`` for kinds not recorded (tensors, functions)."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, list | tuple):
        items = [_plain(v) for v in value]
        return None if any(i is None for i in items) else items
    if hasattr(value, "as_numpy_dtype"):  # a DType
        return value.name
    if hasattr(value, "ndims"):  # a TensorShape
        return None if value.ndims is None else value.as_list()
    return None


def _describe(tf, np, value) -> dict:
    if isinstance(value, tf.Operation):
        return {"op": value.name}
    op = value.op
    attrs = {}
    for name in sorted(op.node_def.attr):
        plain = _plain(op.get_attr(name))
        if plain is not None:
            attrs[name] = plain
    inputs = [const_value(t.op, tf, np) if t.op.type == "Const" else None for t in op.inputs]
    return {
        "op": op.name,
        "name": value.name,
        "dtype": value.dtype.name,
        "shape": None if value.shape.ndims is None else value.shape.as_list(),
        "attrs": attrs,
        "inputs": inputs,
        "input_dtypes": [t.dtype.name for t in op.inputs],
    }


def _components(value):
    """A ``SparseTensor`` (also inside a list or tuple of results) as its three tensors."""
    if type(value).__name__ == "SparseTensor":
        return [value.indices, value.values, value.dense_shape]
    if isinstance(value, list | tuple) and any(type(v).__name__ == "SparseTensor" for v in value):
        return [t for v in value for t in _as_list(_components(v))]
    return value


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value]


def record(tf, setup: dict, expression: str) -> dict:
    """What ``tf`` does with ``expression`` in a fresh graph holding ``setup``'s placeholders."""
    import numpy as np

    graph = tf.Graph()
    with graph.as_default():
        env = {"tf": tf, "np": np}
        for name, (dtype, shape) in setup.items():
            env[name] = tf.placeholder(dtype, shape, name=name)
        before = len(graph.get_operations())
        try:
            value = eval(expression, env)
        except Exception as e:  # what TF raises is what is recorded
            return {"error": type(e).__name__, "message": str(e)}
        value = _components(value)
        ops = graph.get_operations()[before:]
        out = {"ops": [[op.name, op.type] for op in ops]}
        consts = {op.name: const_value(op, tf, np) for op in ops if op.type == "Const"}
        out["consts"] = {name: value for name, value in consts.items() if value is not None}
        if isinstance(value, str):
            out["value"] = value
        elif isinstance(value, list | tuple):
            out["outputs"] = [_describe(tf, np, v) for v in value]
        else:
            out.update(_describe(tf, np, value))
        return out


def record_family(tf, family: str) -> dict:
    inputs = load_inputs(family)
    setup = inputs.pop("SETUP", {})
    groups = {}
    for group, entries in inputs.items():
        records = {}
        for entry in entries:
            expression, match = entry if isinstance(entry, tuple) else (entry, None)
            records[expression] = record(tf, setup, expression)
            if isinstance(entry, tuple):
                records[expression]["match"] = match
        groups[group] = records
    return {"setup": setup, "groups": groups}


def _mismatches(family: str, records: dict) -> list[str]:
    """Errors whose ``match`` is not part of TensorFlow's message, and errors of expressions
    given without one (which are meant to build)."""
    problems = []
    for group, entries in records["groups"].items():
        for expression, rec in entries.items():
            where = f"{family} {group}: {expression!r}"
            if "message" not in rec:
                continue
            if "match" not in rec:
                problems.append(f"{where} raised {rec['error']}: {rec['message']!r}")
            elif rec["match"] and rec["match"] not in rec["message"]:
                problems.append(f"{where}: {rec['match']!r} not in {rec['message']!r}")
    return problems


def _format(document: dict) -> str:
    """JSON with one line per record, so that a changed record is a one-line diff."""
    lines = ["{"]
    for i, (key, value) in enumerate(document.items()):
        comma = "," if i < len(document) - 1 else ""
        if key != "groups":
            lines.append(f" {json.dumps(key)}: {json.dumps(value)}{comma}")
            continue
        lines.append(' "groups": {')
        for j, (group, records) in enumerate(value.items()):
            lines.append(f"  {json.dumps(group)}: {{")
            for k, (expression, rec) in enumerate(records.items()):
                end = "," if k < len(records) - 1 else ""
                lines.append(f"   {json.dumps(expression)}: {json.dumps(rec)}{end}")
            lines.append("  }" + ("," if j < len(value) - 1 else ""))
        lines.append(" }" + comma)
    return "\n".join([*lines, "}", ""])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("families", nargs="*", help="input names (default: all)")
    parser.add_argument("--tf-python", help="a Python interpreter with TensorFlow installed")
    parser.add_argument("--emit", choices=["tensorflow"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    names = args.families or families()
    if args.emit:
        tf = import_tensorflow()
        version = tf.__version__ if hasattr(tf, "__version__") else tf.VERSION
        print(json.dumps({"tensorflow": version, **{f: record_family(tf, f) for f in names}}))
        return 0
    if not args.tf_python:
        parser.error("--tf-python is required")
    dumped = emit_under(args.tf_python, __file__, names)
    version = dumped.pop("tensorflow")
    problems = []
    for family, records in dumped.items():
        problems += _mismatches(family, records)
        header = {"generated_by": "tools/tf_reference.py", "tensorflow": version}
        (DATA / f"{family}.json").write_text(_format({**header, **records}))
        count = sum(len(entries) for entries in records["groups"].values())
        print(f"{family}: {count} expressions -> {DATA / f'{family}.json'}")
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
