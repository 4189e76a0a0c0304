"""The ``scopeflow`` command: ``scopeflow run script.py [args]`` runs an unmodified TF1 script
with ``import tensorflow as tf`` (and ``tensorflow.compat.v1``) resolved to scopeflow."""

from __future__ import annotations

import argparse
import runpy
import sys


def _alias_tensorflow() -> None:
    import scopeflow

    for name in ("tensorflow", "tensorflow.compat", "tensorflow.compat.v1"):
        sys.modules[name] = scopeflow
    sys.modules["tensorflow.compat"] = scopeflow.compat


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scopeflow", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run a TF1 script on scopeflow")
    run.add_argument("script", help="path of the Python script")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script")
    options = parser.parse_args(argv)
    _alias_tensorflow()
    sys.argv = [options.script, *options.args]
    runpy.run_path(options.script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
