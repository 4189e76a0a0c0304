"""The shape of the package: module sizes, import direction between packages, no import
cycles, no imports hidden inside functions.

Read from the source with ``ast`` (nothing is imported), so a violation names the file and
line to change. The layers are drawn in ``scopeflow/README.md``; ``ALLOWED`` below is that
drawing as data.
"""

from __future__ import annotations

import ast
import pathlib
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1] / "scopeflow"
MAX_LINES = 600

# Each unit (a package of scopeflow, or an op family under ops/) and the units it may import.
_FRAMEWORK = {"framework"}
_OPS_BASE = _FRAMEWORK | {"ops.core", "ops.kernels"}
_OPS = _OPS_BASE | {
    "ops.array",
    "ops.math",
    "ops.nn",
    "ops.random",
    "ops.control",
    "ops.state",
    "ops.sparse",
    "ops.image",
    "ops.data_flow",
    "ops.parsing",
    "ops.strings",
    "ops.signal",
    "ops.linalg",
}
ALLOWED: dict[str, set[str]] = {
    "framework": set(),
    "ops.kernels": set(),  # NumPy-only algorithms: no graph code at all
    "ops.core": _FRAMEWORK,
    "ops.array": _OPS_BASE,
    "ops.math": _OPS_BASE | {"ops.array"},
    "ops.random": _OPS_BASE | {"ops.array", "ops.math"},
    "ops.state": _OPS_BASE | {"ops.array", "ops.math"},
    "ops.control": _OPS_BASE | {"ops.array", "ops.math", "ops.sparse"},  # assert_shapes
    "ops.nn": _OPS_BASE | {"ops.array", "ops.math", "ops.random", "ops.control", "ops.sparse"},
    "ops.sparse": _OPS_BASE | {"ops.array", "ops.math"},
    "ops.image": _OPS_BASE | {"ops.array", "ops.math", "ops.random", "ops.control", "ops.nn"},
    "ops.data_flow": _OPS_BASE | {"ops.array", "ops.math", "ops.random"},
    "ops.parsing": _OPS_BASE | {"ops.array", "ops.sparse"},
    "ops.strings": _OPS_BASE | {"ops.array", "ops.sparse"},
    "ops.signal": _OPS_BASE | {"ops.array", "ops.math", "ops.control", "ops.nn"},
    "ops.linalg": _OPS_BASE | {"ops.array", "ops.math", "ops.control"},
    "ops.legacy": _OPS_BASE | {"ops.array", "ops.math", "ops.nn"},  # TF 1.x's op types
    "gradients": _OPS,
    "gradient_wrappers": _OPS | {"variables", "gradients"},
    "gradient_tape": _OPS | {"gradients", "platform"},  # tf.GradientTape on tf.gradients
    # tf.function built inline, tf.autograph without conversion; session handles' TensorHandle
    "eager_compat": _OPS | {"session"},
    "variables": _OPS,
    "session": _FRAMEWORK | {"ops.kernels"},
    "losses": _OPS | {"variables"},
    "graph_io": _OPS | {"variables"},
    "train": _OPS | {"variables", "gradients", "graph_io", "summary", "session"},
    "tools": _OPS | {"variables"},
    "rnn": _OPS | {"variables", "layers"},
    "summary": _OPS | {"graph_io"},
    "platform": _FRAMEWORK,
    "layers": _OPS | {"variables"},
    "metrics": _OPS | {"variables"},
    "data": _OPS
    | {"session", "summary"}  # functions run in private sessions
    | {"lookup"}  # table_from_dataset: tf.lookup's tables filled from a dataset
    | {"ragged"},  # RaggedTensor components (ragged_batch)
    "export": _FRAMEWORK | {"session"},
    "distributions": _OPS,
    "linalg_ops": _OPS,  # tf.linalg.LinearOperator and its family
    # JAX and session/'s executor reached through the session; strategy.py builds with ops
    "distribute": _OPS | {"data"},
    "lookup": _OPS,
    "ragged": _OPS,  # tf.ragged, tf.RaggedTensor
    "feature_column": _OPS | {"variables", "lookup"},
    "estimator": _OPS
    | {"variables", "train", "summary", "graph_io", "metrics", "data", "session", "saved_model"}
    | {"feature_column", "layers", "losses", "lookup"},  # canned/: the premade estimators
    "saved_model": _OPS | {"variables", "graph_io", "train"},
    "keras": _OPS
    | {"variables", "gradients", "layers", "train", "session", "summary"}
    | {"feature_column"}  # DenseFeatures, LinearModel
    | {"metrics"}  # TF's broadcast_weights in Keras's weighted metrics
    | {"estimator"},  # keras.estimator.model_to_estimator (estimator/ knows nothing of Keras)
    "testing": _OPS | {"variables", "gradients", "session", "platform"},
    "profiler": _FRAMEWORK,
    "mixed_precision": _OPS | {"variables", "train", "platform"},
    "stateful_random": _OPS | {"variables"},  # tf.random.Generator
    "type_specs": _OPS | {"variables", "ragged", "data"},  # tf.type_spec_from_value
}
# Modules importing a scopeflow module inside a function, and why.
DEFERRED_OK: dict[str, str] = {
    "cli": "imports the whole library only once a command needs it (fast --help)",
    "session.session": "imports the JAX executor (and JAX) only for Session(executor='jax')",
    "export": "imports its tracing module (and JAX) only when a graph is exported",
    "test": "imports TestCase and Benchmark (unittest, absltest) only when a program uses them",
}
# Libraries an ops/ module may import inside the function that needs them (optional, or
# heavy to import): ``import scopeflow`` stays light.
OPTIONAL_LIBRARIES = {
    *("scipy", "jax", "jaxlib", "tensorboard", "numexpr", "numba", "google_crc32c", "opt_einsum"),
    "PIL",  # Pillow: JPEG, GIF and BMP in ops/image/codecs.py (scopeflow[image])
    "threadpoolctl",  # a dependency, imported by ops/kernels/gemm.py's first split product
    "llvmlite",  # numba's own: ops/kernels/spin.py's intrinsics
}


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _unit(module: str) -> str | None:
    """The unit of ``module`` (``ops.array`` for ``ops.array.join``), None for the public
    namespaces at the top (``nn``, ``train``'s own ``__init__`` excepted)."""
    parts = module.split(".")
    if parts[0] == "ops":
        return ".".join(parts[:2]) if len(parts) > 1 else None
    return parts[0] if parts[0] in ALLOWED else None


def _imports(module: str):
    """``(target module, line, inside a function)`` for each scopeflow import of ``module``,
    skipping ``if TYPE_CHECKING:`` blocks; ``from pkg import sub`` counts as ``pkg.sub``."""
    tree = ast.parse(MODULES[module].read_text())
    found = []

    def visit(node, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            if isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                for alias in child.names:
                    found.append((child.module, alias.name, child.lineno, in_function))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    found.append((alias.name, None, child.lineno, in_function))
            visit(child, inner)

    visit(tree, False)
    result = []
    for base, name, line, deferred in found:
        if base != "scopeflow" and not base.startswith("scopeflow."):
            result.append((base, line, deferred))
            continue
        target = base.removeprefix("scopeflow").lstrip(".")
        if name is not None and f"{target}.{name}".lstrip(".") in MODULES:
            target = f"{target}.{name}".lstrip(".")
        result.append(("scopeflow:" + target, line, deferred))
    return result


def _scopeflow_edges():
    for module in MODULES:
        for target, line, deferred in _imports(module):
            if target.startswith("scopeflow:"):
                yield module, target.removeprefix("scopeflow:"), line, deferred


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module):
    lines = MODULES[module].read_text().count("\n")
    assert lines <= MAX_LINES, f"{MODULES[module]} has {lines} lines: split it by concept"


def test_packages_import_only_what_their_layer_allows():
    bad = []
    for module, target, line, _ in _scopeflow_edges():
        source, dest = _unit(module), _unit(target)
        if source is None or dest is None or source == dest:
            continue
        if dest not in ALLOWED[source]:
            bad.append(f"scopeflow/{module.replace('.', '/')}.py:{line} imports {target}")
    assert bad == []


def test_no_import_cycles_between_modules():
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module, target, _, _ in _scopeflow_edges():
        # Importing an enclosing package is always safe: it is being initialized already.
        if target != module and not module.startswith(target + ".") and target in graph:
            graph[module].add(target)
    assert _cycles(graph) == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(graph)))
    try:
        for v in sorted(graph):
            if v not in index:
                connect(v)
    finally:
        sys.setrecursionlimit(limit)
    return found


def test_no_scopeflow_imports_inside_functions():
    bad = [
        f"scopeflow/{module.replace('.', '/')}.py:{line} imports {target} inside a function"
        for module, target, line, deferred in _scopeflow_edges()
        if deferred and module not in DEFERRED_OK
    ]
    assert bad == []


def test_ops_import_only_optional_libraries_inside_functions():
    bad = [
        f"scopeflow/{module.replace('.', '/')}.py:{line} imports {target} inside a function"
        for module in MODULES
        if module.startswith("ops.")
        for target, line, deferred in _imports(module)
        if deferred and target.split(".")[0] not in OPTIONAL_LIBRARIES
    ]
    assert bad == []


def test_every_module_is_checked():
    # The checks above see what ``ROOT`` holds: make sure that is the package.
    assert {"framework.graph", "ops.core.build", "session.session"} <= set(MODULES)
    assert all(_unit(m) in ALLOWED for m in MODULES if m.startswith("ops.") and m != "ops")
