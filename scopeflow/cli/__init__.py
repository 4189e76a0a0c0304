"""The ``scopeflow`` command.

- ``scopeflow run script.py [args]``: runs an unmodified TF1 script, ``import tensorflow as
  tf`` (and ``tensorflow.compat.v1``) resolved to scopeflow.
- ``scopeflow inspect CKPT_OR_META [--json]``: the variables of a checkpoint (or ``.npz``,
  ``.safetensors``, ``.meta``): name, shape, dtype, parameters, bytes, totals per scope.
- ``scopeflow convert SRC DST``: between TF checkpoints, ``.npz`` and ``.safetensors``.
- ``scopeflow check script.py``: the ``tf.*`` names a script uses that scopeflow lacks.
- ``scopeflow graph MODEL.meta|GRAPH.pb|script.py --dot [-o FILE] | --tensorboard LOGDIR``:
  the graph as Graphviz (name scopes as clusters) or as an events file for TensorBoard.

Each command is a function ``main`` calls with the parsed options; it returns the exit status.
"""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="scopeflow", description="scopeflow's tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a TF1 script on scopeflow")
    run.add_argument("script", help="path of the Python script")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")

    inspect = commands.add_parser("inspect", help="list the variables of a checkpoint")
    inspect.add_argument("path", help="checkpoint prefix or directory, .npz, .safetensors, .meta")
    inspect.add_argument("--json", action="store_true", help="print JSON")

    convert = commands.add_parser(
        "convert", help="convert between TF checkpoints, .npz and .safetensors"
    )
    convert.add_argument("source", help="checkpoint prefix or directory, .npz or .safetensors")
    convert.add_argument("target", help=".npz, .safetensors, or a checkpoint prefix")

    check = commands.add_parser("check", help="list the tf.* APIs a script uses that are missing")
    check.add_argument("scripts", nargs="+", help="Python files to scan (nothing is run)")

    graph = commands.add_parser("graph", help="export a graph as Graphviz dot or for TensorBoard")
    graph.add_argument(
        "model",
        help="a .meta file, or a script (run; its default graph; unknown options "
        "are the script's arguments)",
    )
    form = graph.add_mutually_exclusive_group(required=True)
    form.add_argument("--dot", action="store_true", help="print Graphviz dot")
    form.add_argument("--tensorboard", metavar="LOGDIR", help="write an events file in LOGDIR")
    graph.add_argument("-o", "--output", help="write the dot text to this file")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Runs the command in ``argv`` (default: ``sys.argv[1:]``) and returns its exit status;
    a failure other than the script's own (``run``) is printed as one line, status 2."""
    parser = _parser()
    options, script_args = parser.parse_known_args(argv)
    if script_args and options.command != "graph":
        parser.error(f"unrecognized arguments: {' '.join(script_args)}")
    options.args = getattr(options, "args", None) or script_args
    if options.command == "run":
        from scopeflow.cli.scripts import run_script

        run_script(options.script, options.args)
        return 0
    from scopeflow.framework.errors import OpError

    try:
        return _command(options)
    except (
        OpError,
        OSError,
        ValueError,
        TypeError,
        ImportError,
        NotImplementedError,
        SyntaxError,
    ) as e:
        print(f"scopeflow {options.command}: error: {e}", file=sys.stderr)
        return 2


def _command(options) -> int:
    if options.command == "inspect":
        from scopeflow.cli.checkpoints import inspect

        return inspect(options.path, as_json=options.json)
    if options.command == "convert":
        from scopeflow.cli.checkpoints import convert

        return convert(options.source, options.target)
    if options.command == "check":
        from scopeflow.cli.api_check import check

        return check(options.scripts)
    from scopeflow.cli.graph import graph

    return graph(options.model, options.args, options.tensorboard, options.output)


if __name__ == "__main__":
    sys.exit(main())
