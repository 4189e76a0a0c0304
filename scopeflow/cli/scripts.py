"""Running a TF1 script on scopeflow: ``tensorflow`` imports resolved to scopeflow."""

from __future__ import annotations

import runpy
import sys

import scopeflow
import scopeflow.platform

# What ``import tensorflow...`` gives a script run by ``scopeflow run``/``graph``; ``from
# tensorflow.python.platform import gfile`` (flags, app, tf_logging) too.
_ALIASES = {
    "tensorflow": scopeflow,
    "tensorflow.compat": scopeflow.compat,
    "tensorflow.compat.v1": scopeflow,
    "tensorflow.python.platform": scopeflow.platform,
}


def run_script(path: str, args: list[str]) -> None:
    """Runs the script at ``path`` as ``__main__`` with ``sys.argv = [path, *args]`` and
    ``import tensorflow`` (and ``tensorflow.compat.v1``) giving scopeflow; ``SystemExit``
    (``tf.app.run`` ends with one) propagates. ``sys.argv`` and ``sys.modules`` are as they
    were afterwards."""
    saved_argv, saved_modules = sys.argv, {name: sys.modules.get(name) for name in _ALIASES}
    sys.modules.update(_ALIASES)
    sys.argv = [path, *args]
    try:
        runpy.run_path(path, run_name="__main__")
    finally:
        sys.argv = saved_argv
        for name, module in saved_modules.items():
            if module is None:
                del sys.modules[name]
            else:
                sys.modules[name] = module
