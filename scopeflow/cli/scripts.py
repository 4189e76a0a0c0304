"""Running a TF1 script on scopeflow: ``tensorflow`` imports resolved to scopeflow."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import os
import runpy
import sys
import types

import scopeflow
import scopeflow.framework
import scopeflow.platform


def _framework_package() -> types.ModuleType:
    """``tensorflow.python.framework``: ``ops`` is scopeflow's public API (``ops.Tensor``,
    ``ops.get_default_graph``...); other submodules come from scopeflow.framework."""
    package = types.ModuleType("tensorflow.python.framework")
    package.__path__ = []
    package.ops = scopeflow
    package.dtypes = scopeflow.framework.dtypes
    package.tensor_shape = scopeflow.framework.tensor_shape
    return package


# What ``import tensorflow...`` gives a script run by ``scopeflow run``/``graph``; ``from
# tensorflow.python.platform import gfile`` (flags, app, tf_logging) too, and ``from
# tensorflow.python.framework import ops`` (DCGAN-tensorflow): scopeflow's public names.
_ALIASES = {
    "tensorflow": scopeflow,
    "tensorflow.compat": scopeflow.compat,
    "tensorflow.compat.v1": scopeflow,
    "tensorflow.python.platform": scopeflow.platform,
    "tensorflow.python.framework": _framework_package(),
    "tensorflow.python.framework.ops": scopeflow,
}


# Where a ``tensorflow`` module path lives in scopeflow (the longest prefix that matches).
_PREFIXES = (
    ("tensorflow.compat.v1.", "scopeflow."),
    ("tensorflow.python.platform.", "scopeflow.platform."),
    ("tensorflow.python.framework.", "scopeflow.framework."),
    ("tensorflow.", "scopeflow."),
)


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, module):
        self.module = module

    def create_module(self, spec):
        return self.module

    def exec_module(self, module) -> None:
        pass


class _TensorflowFinder(importlib.abc.MetaPathFinder):
    """Gives ``import tensorflow.contrib.slim`` (any submodule) the scopeflow module itself,
    never a second copy of it loaded under the ``tensorflow`` name."""

    def find_spec(self, fullname, path=None, target=None):
        for prefix, replacement in _PREFIXES:
            if fullname.startswith(prefix):
                target_name = replacement + fullname[len(prefix) :]
                break
        else:
            return None
        try:
            module = importlib.import_module(target_name)
        except ImportError:
            _refuse_missing_contrib(fullname)
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(module))


def _refuse_missing_contrib(fullname: str) -> None:
    """``import tensorflow.contrib.tensor_forest`` (a module scopeflow lacks, with a hint in
    ``tf.contrib``'s AttributeError) fails saying what to write instead."""
    parts = fullname.split(".")
    if parts[:2] != ["tensorflow", "contrib"] or len(parts) < 3:
        return
    try:
        getattr(scopeflow.contrib, parts[2])
    except AttributeError as missing:
        if ": " in str(missing):
            raise ModuleNotFoundError(f"No module named {fullname!r}; {missing}") from None


def run_script(path: str, args: list[str]) -> None:
    """Runs the script at ``path`` as ``__main__`` with ``sys.argv = [path, *args]`` and
    ``import tensorflow`` (and ``tensorflow.compat.v1``) giving scopeflow; ``SystemExit``
    (``tf.app.run`` ends with one) propagates. As ``python script.py``, the script's folder
    comes first on ``sys.path`` (``import model`` finds the script's neighbour). ``sys.argv``,
    ``sys.path`` and ``sys.modules`` are as they were afterwards."""
    saved_argv, saved_modules = sys.argv, {name: sys.modules.get(name) for name in _ALIASES}
    saved_path = list(sys.path)
    before = set(sys.modules)
    finder = _TensorflowFinder()
    sys.modules.update(_ALIASES)
    sys.meta_path.insert(0, finder)
    sys.argv = [path, *args]
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    flags = scopeflow.platform.flags.FLAGS
    if flags.is_parsed():  # as in a fresh process: the script's flags read its arguments
        flags.unparse_flags()
    try:
        runpy.run_path(path, run_name="__main__")
    finally:
        sys.argv = saved_argv
        sys.path[:] = saved_path
        sys.meta_path.remove(finder)
        for name in set(sys.modules) - before:
            if name.split(".")[0] == "tensorflow":
                del sys.modules[name]
        for name, module in saved_modules.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
