"""Runs a ``tests/programs`` program under TensorFlow 2.21 with TF 1.15's own ``tf.contrib``
Python code (seq2seq, legacy_seq2seq, crf, rnn, opt) loaded from the TF 1.15 wheel, and prints
its result as JSON: how the expected numbers of the contrib programs were made. Nothing of
TensorFlow is copied into scopeflow; the wheel's files are only read here.

    mkdir -p /tmp/tf115 && cd /tmp/tf115
    /path/to/tf-venv/bin/python -m pip download tensorflow-cpu==1.15.0 \\
        --python-version 3.7 --only-binary=:all: --no-deps
    unzip -q tensorflow_cpu-1.15.0-*.whl 'tensorflow_core/contrib/*'
    /path/to/tf-venv/bin/python -m pip install --target /tmp/tf115/site scipy  # for opt's L-BFGS
    TF_USE_LEGACY_KERAS=1 /path/to/tf-venv/bin/python tools/tf115_contrib_reference.py \\
        /tmp/tf115 tests/programs/test_nmt_attention_beam.py

What TF 2.21 lacks is stood in for: the contrib GatherTree kernel by a NumPy ``py_func`` (TF's
semantics: each beam followed back through its parents, ids after the first end token
replaced by it), the moved ``control_flow_ops.cond``/``while_loop``/``case``/``Assert`` and
``array_ops.stack``/``unstack``, ``nest.is_sequence``, ``ops.Tensor``, contrib's ``jit`` scope,
``contrib.layers`` by tf_slim, the Keras ``Layer`` type checks, and NumPy 2's removed
``np.Inf``/``np.infty``; SciPy's SLSQP is given float64 arrays, as the SciPy of TF1's time made
them. Programs whose ``program`` takes a second argument get a temporary directory.
"""

import contextlib
import importlib
import inspect
import json
import os
import re
import sys
import tempfile
import types
from pathlib import Path

import numpy as np

MODULES = [
    "seq2seq.python.ops.decoder", "seq2seq.python.ops.helper", "seq2seq.python.ops.basic_decoder",
    "seq2seq.python.ops.attention_wrapper", "seq2seq.python.ops.beam_search_decoder",
    "seq2seq.python.ops.loss", "legacy_seq2seq.python.ops.seq2seq", "crf.python.ops.crf",
    "rnn.python.ops.core_rnn_cell", "rnn.python.ops.rnn_cell", "rnn.python.ops.rnn",
    "rnn.python.ops.lstm_ops", "rnn.python.ops.gru_ops", "rnn.python.ops.fused_rnn_cell",
    "opt.python.training.lazy_adam_optimizer", "opt.python.training.weight_decay_optimizers",
    "opt.python.training.adamax", "opt.python.training.nadam_optimizer",
    "opt.python.training.moving_average_optimizer", "opt.python.training.external_optimizer",
]  # fmt: skip


def _package(name, path=None):
    module = types.ModuleType(name)
    module.__path__ = [str(path)] if path else []
    sys.modules[name] = module
    return module


def _gather_tree(step_ids, parent_ids, max_lengths, end_token):
    out = np.full_like(step_ids, end_token)
    for b in range(step_ids.shape[1]):
        length = min(step_ids.shape[0], int(max_lengths[b]))
        for w in range(step_ids.shape[2] if length > 0 else 0):
            out[length - 1, b, w] = step_ids[length - 1, b, w]
            parent = parent_ids[length - 1, b, w]
            for t in range(length - 2, -1, -1):
                out[t, b, w] = step_ids[t, b, parent]
                parent = parent_ids[t, b, parent]
            ended = np.cumsum(out[:length, b, w] == end_token) > 0
            out[1:length, b, w][ended[:-1]] = end_token
    return out


def _patch_sources(root: Path) -> None:
    for path in root.rglob("*.py"):
        text = path.read_text()
        fixed = re.sub(r"np\.Inf\b|np\.infty\b", "np.inf", text)
        if path.name == "external_optimizer.py":
            fixed = fixed.replace(
                "minimize_args = [loss_grad_func_wrapper, initial_val]",
                "minimize_args = [loss_grad_func_wrapper, np.asarray(initial_val, np.float64)]",
            )
            for kind in ("eq", "ineq"):
                fixed = fixed.replace(
                    f"constraints.append({{'type': '{kind}', 'fun': func, 'jac': grad_func}})",
                    f"constraints.append({{'type': '{kind}', 'fun': _f64(func), "
                    "'jac': _f64(grad_func)})",
                )
            fixed = fixed.replace(
                "class ScipyOptimizerInterface(",
                "def _f64(f):\n  return lambda x: np.asarray(f(x), np.float64)\n\n\n"
                "class ScipyOptimizerInterface(",
            )
        if fixed != text:
            path.write_text(fixed)


def install(tf, root: Path) -> None:
    """Makes ``tf.contrib`` TF 1.15's modules from ``root`` (the unpacked wheel's
    ``tensorflow_core/contrib``)."""
    from tensorflow.python.framework import ops, tensor
    from tensorflow.python.ops import array_ops, control_flow_ops, gen_training_ops
    from tensorflow.python.util import nest

    for module, attr, source in [
        (control_flow_ops, "cond", "cond"),
        (control_flow_ops, "while_loop", "while_loop"),
        (control_flow_ops, "case", "control_flow_case"),
        (control_flow_ops, "Assert", "control_flow_assert"),
        (array_ops, "stack", "array_ops_stack"),
        (array_ops, "unstack", "array_ops_stack"),
        (array_ops, "parallel_stack", "array_ops_stack"),
    ]:
        if not hasattr(module, attr):
            found = importlib.import_module("tensorflow.python.ops." + source)
            setattr(module, attr, getattr(found, attr))
    if not hasattr(nest, "is_sequence"):
        nest.is_sequence = nest.is_nested
    if not hasattr(ops, "Tensor"):
        ops.Tensor = tensor.Tensor
    sys.modules["tensorflow.python.training.training_ops"] = gen_training_ops
    importlib.import_module("tensorflow.python.training").training_ops = gen_training_ops
    _package("tensorflow.contrib", root)
    for sub in ["seq2seq", "legacy_seq2seq", "crf", "rnn", "framework", "opt"]:
        for part in ["", ".python", ".python.ops", ".python.training"]:
            _package(f"tensorflow.contrib.{sub}{part}", root / sub / part[1:].replace(".", "/"))
    framework = _package("tensorflow.contrib.framework.python.framework")
    tensor_util = types.ModuleType("tensorflow.contrib.framework.python.framework.tensor_util")
    tensor_util.with_same_shape = lambda expected, t: (t.set_shape(expected.shape), t)[1]
    sys.modules[tensor_util.__name__] = framework.tensor_util = tensor_util
    compiler = _package("tensorflow.contrib.compiler")
    jit = types.ModuleType("tensorflow.contrib.compiler.jit")
    jit.experimental_jit_scope = lambda *a, **k: contextlib.nullcontext()
    sys.modules[jit.__name__] = compiler.jit = jit
    slim_layers = importlib.import_module("tf_slim.layers.layers")
    for part in ["layers", "layers.python", "layers.python.layers"]:
        _package("tensorflow.contrib." + part)
    sys.modules["tensorflow.contrib.layers.python.layers.layers"] = slim_layers
    beam_ops = types.ModuleType("tensorflow.contrib.seq2seq.python.ops.beam_search_ops")

    def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token, name=None):
        out = tf.py_func(
            _gather_tree, [step_ids, parent_ids, max_sequence_lengths, end_token],
            step_ids.dtype, stateful=False, name=name or "GatherTree",
        )  # fmt: skip
        out.set_shape(step_ids.shape)
        return out

    beam_ops.gather_tree = gather_tree
    sys.modules[beam_ops.__name__] = beam_ops
    modules = {n: importlib.import_module("tensorflow.contrib." + n) for n in MODULES}
    for name, module in modules.items():
        if name.startswith("seq2seq"):
            for attr in ("layers", "layers_base"):
                if hasattr(module, attr):
                    setattr(module, attr, types.SimpleNamespace(Layer=object))
    import tf_slim

    def public(prefix, keep):
        space = types.SimpleNamespace()
        for name, module in modules.items():
            if name.startswith(prefix):
                for attr in dir(module):
                    if keep(attr):
                        setattr(space, attr, getattr(module, attr))
        return space

    tf.contrib = types.SimpleNamespace(
        seq2seq=public("seq2seq", lambda a: not a.startswith("_")),
        legacy_seq2seq=modules["legacy_seq2seq.python.ops.seq2seq"],
        crf=modules["crf.python.ops.crf"],
        rnn=public("rnn", lambda a: a[:1].isupper() or a.startswith("stack_bidirectional")),
        opt=public("opt", lambda a: a[:1].isupper() or a.startswith("extend_")),
        layers=tf_slim.layers,
        framework=tf_slim,
    )
    tf.contrib.seq2seq.gather_tree = gather_tree
    tf.contrib.layers.l2_regularizer = tf_slim.l2_regularizer
    for name in ["LSTMStateTuple", "MultiRNNCell", "BasicLSTMCell", "GRUCell", "LSTMCell"]:
        setattr(tf.contrib.rnn, name, getattr(tf.nn.rnn_cell, name))


def main(wheel_dir: str, program_path: str) -> None:
    os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow.compat.v1 as tf

    tf.disable_v2_behavior()
    root = Path(wheel_dir) / "tensorflow_core" / "contrib"
    _patch_sources(root)
    sys.path.append(str(Path(wheel_dir) / "site"))
    install(tf, root)
    source = Path(program_path).read_text()
    source = source.replace("import scopeflow as tf\n", "")
    source = source.replace("from tests.programs.compare import close\n", "")
    namespace = {"__name__": "reference_program"}
    exec(compile(source, program_path, "exec"), namespace)
    program = namespace["program"]
    with tempfile.TemporaryDirectory() as workdir:
        extra = [workdir] if len(inspect.signature(program).parameters) > 1 else []
        print(json.dumps(program(tf, *extra), indent=1))


if __name__ == "__main__":
    main(*sys.argv[1:3])
