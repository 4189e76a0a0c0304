"""``tf.nondifferentiable_batch_function``: a decorator batching a function's calls.

TF adds one ``BatchFunction`` op per call (under ``batch/``), whose kernel queues the inputs
of concurrent runs, runs the function on batches of at most ``max_batch_size`` rows (padded
to an ``allowed_batch_sizes`` entry) and hands each caller its own rows back. scopeflow's
graphs have no function library: each call builds the function's ops inline under
``batch/``, after TF's run-time checks of the inputs (each at least 1-D, all with one
number of rows, at most ``max_batch_size``), so one caller's results are the function's
own; as TF requires of batched functions, the function must treat rows independently (TF
mixes the rows of concurrent callers and padding into one batch). The results have no
gradient, as TF's: ``tf.gradients`` through them raises ``LookupError``.
"""

from __future__ import annotations

import functools

from scopeflow.framework import nest
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import identity, shape
from scopeflow.ops.array.join import concat
from scopeflow.ops.array.shape import rank
from scopeflow.ops.control.assertions import Assert
from scopeflow.ops.math.elementwise import equal, greater_equal, less_equal

__all__ = ["nondifferentiable_batch_function"]


def _input_checks(tensors: list[Tensor], max_batch_size: int) -> list:
    """``Assert`` ops failing the run as TF's kernel does on inputs it cannot batch."""
    ranks = [
        Assert(greater_equal(rank(t), 1), [
            "Batching input tensors must have at least one dimension.", t.name, shape(t)])
        for t in tensors
    ]  # fmt: skip
    with control_dependencies(ranks):
        # The first dimension, read without a static slice (a scalar fails the check above).
        sizes = [concat([shape(t), [1]], 0)[0] for t in tensors]
        checks = [
            Assert(equal(size, sizes[0]), [
                "Batching input tensors supplied in a given op invocation must have equal "
                "0th-dimension size.", t.name, shape(t)])
            for t, size in zip(tensors[1:], sizes[1:], strict=True)
        ]  # fmt: skip
        checks.append(Assert(less_equal(sizes[0], max_batch_size), [
            "Task size", sizes[0], "is larger than maximum input batch size", max_batch_size]))
    return ranks + checks


def nondifferentiable_batch_function(
    num_batch_threads,
    max_batch_size,
    batch_timeout_micros,
    allowed_batch_sizes=None,
    max_enqueued_batches=10,
    autograph=True,
    enable_large_batch_splitting=True,
):
    """Batches the calls of the decorated function (its arguments: tensors whose first
    dimension is the batch); here each call builds the function inline (see the module).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     @tf.nondifferentiable_batch_function(1, 4, 100000)
    ...     def triple(x):
    ...         return x * 3
    ...     print(tf.Session().run(triple(tf.constant([[1], [2]]))).tolist())
    [[3], [6]]
    """
    if allowed_batch_sizes is not None:
        sizes = list(allowed_batch_sizes)
        if sizes != sorted(set(sizes)):
            raise ValueError(f"allowed_batch_sizes must be increasing, got {sizes}")

    def decorator(fn):
        @functools.wraps(fn)
        def decorated(*args):
            with name_scope("batch"):
                tensors = [convert_to_tensor(a) for a in args]
                if tensors:
                    with control_dependencies(_input_checks(tensors, int(max_batch_size))):
                        tensors = [identity(t) for t in tensors]
                outputs = fn(*tensors)
                # No gradient, as TF's BatchFunction: the results pass an identity whose
                # gradient is looked up under that op type, which has none.
                with get_default_graph().gradient_override_map({"Identity": "BatchFunction"}):
                    return nest.map_structure(
                        lambda t: identity(t) if isinstance(t, Tensor) else t, outputs
                    )

        decorated.__name__ = "decorated"
        return decorated

    return decorator
