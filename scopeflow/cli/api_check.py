"""``scopeflow check script.py``: the TensorFlow names a script uses that scopeflow lacks,
found by reading the script (nothing is run).

Imports are resolved as Python would: ``import tensorflow as tf``, ``import
tensorflow.compat.v1 as tf``, ``from tensorflow.compat import v1``, ``from tensorflow import
layers``, ``import tensorflow.contrib.slim as slim`` (and the same with ``scopeflow``).
Each use (``tf.nn.conv2d``, ``layers.dense``) is looked up in scopeflow attribute by
attribute (or submodule), through modules and classes; an attribute of anything else (a
function's result, ``tf.flags.FLAGS.lr``) is the script's own business and is not checked.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from dataclasses import dataclass

import scopeflow


@dataclass(frozen=True)
class Use:
    """A use of a TensorFlow name: where, the name (``"nn.conv2d"``), the part of it
    scopeflow lacks (``None`` when everything is there) and what to use instead, if known."""

    path: str
    line: int
    name: str
    missing: str | None
    hint: str = ""


def _tf_path(module: str) -> str | None:
    """The scopeflow path (``""``: the top) of a ``tensorflow...`` (or ``scopeflow...``)
    module name, else None."""
    for root in ("tensorflow", "scopeflow"):
        if module == root or module.startswith(root + "."):
            return _normalize(module.removeprefix(root).lstrip("."))
    return None


def _normalize(name: str) -> str:
    """``compat.v1.X`` is ``X`` (scopeflow is TF1); ``python.platform.gfile`` (TF's module
    path) is scopeflow's ``platform.gfile``."""
    if name == "compat.v1" or name.startswith("compat.v1."):
        return name.removeprefix("compat.v1").lstrip(".")
    if name == "python.platform" or name.startswith("python.platform."):
        return name.removeprefix("python.")
    return name


def missing_part(name: str) -> tuple[str | None, str]:
    """The shortest prefix of ``name`` that scopeflow does not have (None if none), and
    what scopeflow says to use instead where it says (its NotImplementedError)."""
    obj = scopeflow
    parts = name.split(".") if name else []
    for i, part in enumerate(parts):
        if not (inspect.ismodule(obj) or inspect.isclass(obj)):
            break
        try:
            obj = _attribute(obj, part)
        except (AttributeError, ModuleNotFoundError):
            return ".".join(parts[: i + 1]), ""
        except NotImplementedError as e:
            return ".".join(parts[: i + 1]), str(e)
    return None, ""


def _attribute(obj, name: str):
    """``obj.name``, or for a package, its submodule ``name`` (imported)."""
    try:
        return getattr(obj, name)
    except AttributeError:
        if not inspect.ismodule(obj) or not hasattr(obj, "__path__") or name.startswith("_"):
            raise
        return importlib.import_module(f"{obj.__name__}.{name}")


class _Scanner(ast.NodeVisitor):
    """Collects the uses in one file: names bound to TensorFlow, and attribute chains on them."""

    def __init__(self, path: str):
        self.path = path
        self.aliases: dict[str, str] = {}  # local name -> scopeflow path
        self.uses: list[Use] = []

    def _use(self, node: ast.AST, name: str) -> None:
        name = _normalize(name)
        self.uses.append(Use(self.path, node.lineno, name, *missing_part(name)))

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            path = _tf_path(alias.name)
            if path is None:
                continue
            if alias.asname:
                self.aliases[alias.asname] = path
                if path:
                    self._use(node, path)
            else:  # ``import tensorflow.x.y`` binds ``tensorflow``
                self.aliases[alias.name.split(".")[0]] = ""
                if path:
                    self._use(node, path)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        path = _tf_path(node.module or "") if node.level == 0 else None
        if path is None:
            return
        if path:
            self._use(node, path)
        for alias in node.names:
            if alias.name == "*":
                continue
            name = _normalize(f"{path}.{alias.name}".lstrip("."))
            self.aliases[alias.asname or alias.name] = name
            self._use(node, name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain = []
        value: ast.AST = node
        while isinstance(value, ast.Attribute):
            chain.append(value.attr)
            value = value.value
        if isinstance(value, ast.Name) and value.id in self.aliases:
            root = self.aliases[value.id]
            self._use(node, ".".join(filter(None, [root, *reversed(chain)])))
        else:
            self.generic_visit(node)


def scan(path: str, source: str) -> list[Use]:
    """The TensorFlow uses in ``source`` (the text of the file at ``path``), in line order.

    >>> uses = scan("train.py", "import tensorflow as tf\\nx = tf.nn.relu(tf.contrib.foo.bar)")
    >>> [(u.line, u.name, u.missing) for u in uses]
    [(2, 'nn.relu', None), (2, 'contrib.foo.bar', 'contrib.foo')]
    """
    scanner = _Scanner(path)
    scanner.visit(ast.parse(source, filename=path))
    return sorted(scanner.uses, key=lambda use: use.line)


def check(paths: list[str]) -> int:
    """Prints ``file:line: tf.<name>`` for each use of a name scopeflow lacks, then a
    summary; returns 1 when something is missing, 0 when not."""
    uses: list[Use] = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            uses += scan(path, f.read())
    missing = [use for use in uses if use.missing]
    for use in missing:
        hint = f" ({use.hint})" if use.hint else ""
        print(f"{use.path}:{use.line}: tf.{use.name}: scopeflow has no tf.{use.missing}{hint}")
    names = {use.missing for use in missing}
    if missing:
        print(f"{len(missing)} of {len(uses)} TensorFlow uses need {len(names)} missing names")
    else:
        print(f"all {len(uses)} TensorFlow uses are in scopeflow")
    return 1 if missing else 0
