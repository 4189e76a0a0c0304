"""Every registered op type has a kernel, and some test checks it; every op type has a gradient
or says it has none, and some test checks the gradient against finite differences.

What is checked is read from the checks themselves, not declared: every test module under
``tests/`` is imported, and every kernel case (``tests/ops/kernel_table.py``) and gradient
case (``tests/ops/grad_check.py``) a test is parametrized with is built (not run):

- a kernel is checked when its op runs to compute the values a case compares: a kernel case's
  outputs, or a gradient case's ``y`` and gradients (the placeholders fed are not counted);
- a gradient is checked when its op lies on a differentiable path from a gradient case's
  ``xs`` to its ``y`` (floating or complex edges, through ops that have gradients).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pathlib

import scopeflow as tf
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, get_op_def, registered_op_types
from tests.ops.grad_check import GradCase, build_gradient_graph
from tests.ops.kernel_table import Case, checked_kernels, ops_run

TESTS = pathlib.Path(__file__).resolve().parents[1]


def _test_functions(module):
    for obj in vars(module).values():
        if inspect.isclass(obj) and obj.__name__.startswith("Test"):
            yield from (f for f in vars(obj).values() if inspect.isfunction(f))
        elif inspect.isfunction(obj) and obj.__name__.startswith("test"):
            yield obj


def _flatten(values):
    for value in values:
        if isinstance(value, (tuple, list)):  # argvalue tuples and pytest.param(...)
            yield from _flatten(value)
        else:
            yield value


@functools.cache
def _parametrized_cases() -> list:
    """Every Case and GradCase some test function under tests/ is parametrized with."""
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        name = ".".join(path.relative_to(TESTS.parent).with_suffix("").parts)
        for fn in _test_functions(importlib.import_module(name)):
            for mark in getattr(fn, "pytestmark", []):
                if mark.name != "parametrize":
                    continue
                argvalues = mark.args[1] if len(mark.args) > 1 else mark.kwargs["argvalues"]
                found += [v for v in _flatten(argvalues) if isinstance(v, (Case, GradCase))]
    return list({id(case): case for case in found}.values())


def _differentiable(op_type: str) -> bool:
    return get_op_def(op_type).grad is not NOT_DIFFERENTIABLE


def _carries_gradients(t) -> bool:
    dtype = t.dtype.base_dtype
    return dtype.is_floating or dtype.is_complex


def _differentiated(g) -> set[str]:
    """The op types whose gradients ``tf.gradients(g.y, g.xs)`` uses."""
    xs = set(g.xs)
    reached: dict = {}

    def is_reached(op) -> bool:  # a gradient flows from op's output back into some x
        if op not in reached:
            reached[op] = False  # no cycles in these graphs; guards the recursion
            reached[op] = any(
                _carries_gradients(t)
                and (t in xs or (_differentiable(t.op.type) and is_reached(t.op)))
                for t in op.inputs
            )
        return reached[op]

    types: set[str] = set()
    seen = set()
    stack = [g.y.op]
    while stack:
        op = stack.pop()
        if op in seen or not _differentiable(op.type) or not is_reached(op):
            continue
        seen.add(op)
        types.add(op.type)
        stack.extend(t.op for t in op.inputs if _carries_gradients(t) and t not in xs)
    return types


@functools.cache
def _checked() -> tuple[set[str], set[str]]:
    """(op types whose kernels are checked, op types whose gradients are checked)."""
    kernels: set[str] = set()
    gradients: set[str] = set()
    for case in _parametrized_cases():
        if isinstance(case, Case):
            kernels |= checked_kernels(case)
            continue
        with tf.Graph().as_default():
            g = build_gradient_graph(case)
            kernels |= ops_run([g.y, *(t for t in g.grads if t is not None)], [*g.holders, g.w])
            gradients |= _differentiated(g)
    return kernels, gradients


def test_every_op_type_has_a_kernel():
    missing = [t for t in registered_op_types() if get_op_def(t).kernel is None]
    assert missing == []


def test_every_kernel_is_checked_by_a_case():
    kernels, _ = _checked()
    unchecked = [t for t in registered_op_types() if t not in kernels]
    assert not unchecked, f"no kernel case checks the kernels of {unchecked}"


def test_every_op_type_has_a_gradient_or_is_marked_not_differentiable():
    missing = [
        t for t in registered_op_types() if _differentiable(t) and get_op_def(t).grad is None
    ]
    assert missing == []


# Gradients no finite difference can check, and the test that checks each instead: a stateful
# sampler draws anew on every run, so the runs of a difference see different samples;
# PreventGradient's gradient is an error by design, as TF1's; fake quantization is a
# staircase whose gradients are TF's straight-through estimators; DrawBoundingBoxesV2, Lu,
# MatrixLogarithm, the two Dilation2D gradient ops, Snapshot, Mod, TruncateMod,
# BatchNormWithGlobalNormalizationGrad, the fused RNN cells' gradient ops and
# StridedSliceAssign have none in TF.
CHECKED_OTHERWISE = {
    "ExtractGlimpseV2": "tests/ops/image/test_glimpse.py::test_v2_has_no_gradient_as_in_tf",
    **dict.fromkeys(
        ["FFTND", "IFFTND", "RFFTND", "IRFFTND"],
        "tests/ops/signal/test_fftnd.py::test_no_gradients_as_in_tf",
    ),
    "Conv": "tests/ops/nn/test_conv_generic.py::test_names_shapes_and_no_gradient",
    **dict.fromkeys(
        ["Dilation2DBackpropFilter", "Dilation2DBackpropInput"],
        "tests/ops/nn/test_morphology.py::test_the_gradient_ops_have_no_gradient_as_in_tf",
    ),
    **dict.fromkeys(
        [
            "FakeQuantWithMinMaxArgs",
            "FakeQuantWithMinMaxVars",
            "FakeQuantWithMinMaxVarsPerChannel",
        ],
        "tests/ops/array/test_quantization.py::test_fake_quant_gradients_are_tfs",
    ),
    **dict.fromkeys(
        ["QuantizeAndDequantizeV2", "QuantizeAndDequantizeV4"],
        "tests/ops/array/test_quantization.py::test_quantize_and_dequantize_gradients_are_tfs",
    ),
    **dict.fromkeys(
        [
            "FakeQuantWithMinMaxArgsGradient",
            "FakeQuantWithMinMaxVarsGradient",
            "FakeQuantWithMinMaxVarsPerChannelGradient",
            "QuantizeAndDequantizeV4Grad",
        ],
        "tests/ops/array/test_quantization.py::test_the_gradient_ops_have_no_gradient_as_in_tf",
    ),
    "ParallelConcat": "tests/ops/array/test_parallel_concat.py::test_names_as_tf_and_no_gradient",
    "GuaranteeConst": "tests/ops/array/test_guarantee_const.py::test_no_gradient_as_in_tf",
    "XlaClusterOutput": "tests/ops/control/test_xla.py::test_compile_errors_are_tfs",
    "TPUReplicatedOutput": "tests/ops/control/test_tpu_replication.py::"
    "test_gradients_through_the_outputs_are_an_error_as_in_tf",
    "CheckPinned": "tests/ops/array/test_pinned.py::test_names_and_no_gradient_as_in_tf",
    **dict.fromkeys(
        ["QuantizeV2", "Dequantize", "QuantizedConcat"],
        "tests/ops/array/test_quantize.py::test_names_and_no_gradients_as_in_tf",
    ),
    **dict.fromkeys(
        ["RaggedFillEmptyRows", "RaggedFillEmptyRowsGrad"],
        "tests/ragged/test_fill_empty_rows.py::test_gradient_is_tfs",
    ),
    **dict.fromkeys(
        ["RequantizationRange", "Requantize", "QuantizeDownAndShrinkRange", "QuantizedRelu",
         "QuantizedRelu6", "QuantizedReshape"],
        "tests/ops/array/test_requantize.py::test_names_shapes_and_no_gradients_as_in_tf",
    ),
    **dict.fromkeys(
        ["QuantizedAvgPool", "QuantizedMaxPool", "QuantizedConv2D", "QuantizedMatMul",
         "QuantizedBiasAdd"],
        "tests/ops/nn/test_quantized.py::test_names_shapes_and_no_gradients_as_in_tf",
    ),
    **dict.fromkeys(
        ["Conv2DBackpropFilterV2", "Conv2DBackpropInputV2"],
        "tests/ops/nn/test_conv_backprop_v2.py::test_names_attrs_and_no_gradient_as_in_tf",
    ),
    "ApproxTopK": "tests/ops/nn/test_approx_top_k.py::test_gradient_is_tfs",
    **dict.fromkeys(
        ["FractionalMaxPoolGrad", "FractionalAvgPoolGrad"],
        "tests/ops/nn/test_fractional_pool.py::test_the_gradient_ops_have_no_gradient_as_in_tf",
    ),
    "DrawBoundingBoxesV2": "tests/ops/image/test_bounding_boxes.py::"
    "test_drawing_has_no_gradient_as_in_tf",
    "Lu": "tests/ops/linalg/test_linalg.py::test_lu_and_logm_have_no_gradient_as_in_tf",
    "MatrixLogarithm": "tests/ops/linalg/test_linalg.py::"
    "test_lu_and_logm_have_no_gradient_as_in_tf",
    "PreventGradient": "tests/ops/nn/test_ctc.py::test_second_derivative_is_refused_as_in_tf1",
    "RandomGamma": "tests/ops/random/test_gamma.py::test_gradient_is_the_inverse_cdf_derivative"
    "_at_each_sample",
    **dict.fromkeys(
        ["Snapshot", "Mod", "BatchNormWithGlobalNormalizationGrad"],
        "tests/ops/legacy/test_legacy_ops.py::"
        "test_snapshot_mod_and_the_global_norm_gradient_have_no_gradient_as_in_tf",
    ),
    **dict.fromkeys(
        ["LSTMBlockCellGrad", "BlockLSTMGrad", "BlockLSTMGradV2", "GRUBlockCellGrad"],
        "tests/ops/legacy/test_block_rnn.py::test_the_gradient_ops_have_no_gradient_as_in_tf",
    ),
    "TruncateMod": "tests/ops/math/test_truncate_shift.py::"
    "test_truncatemod_float_gradient_raises_lookup_error_as_in_tf",
    "StridedSliceAssign": "tests/ops/state/test_slice_assign.py::"
    "test_an_assignment_reads_earlier_ones_and_has_no_gradient",
    **dict.fromkeys(  # differentiated with respect to a resource handle, not a float input
        ["ReadVariableOp", "ResourceGather"],
        "tests/ops/state/test_resource.py::test_read_and_gather_gradients_are_tfs",
    ),
}


def test_every_gradient_is_checked_against_finite_differences():
    _, gradients = _checked()
    gradients |= set(CHECKED_OTHERWISE)
    unchecked = [t for t in registered_op_types() if _differentiable(t) and t not in gradients]
    assert not unchecked, f"no gradient case checks the gradients of {unchecked}"


def test_cases_name_registered_op_types():
    cases = [c for c in _parametrized_cases() if isinstance(c, Case)]
    unknown = sorted({c.op_type for c in cases} - set(registered_op_types()))
    assert unknown == []


def test_gradients_checked_otherwise_name_existing_tests():
    for where in CHECKED_OTHERWISE.values():
        path, name = where.split("::")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, name, None)), where
