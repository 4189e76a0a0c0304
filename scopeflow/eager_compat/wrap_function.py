"""``tf.wrap_function`` in graph mode.

TF traces ``fn`` into a function graph (``wrapped.graph``, its placeholders ``inputs`` and
results ``outputs``) and each call adds one ``PartitionedCall`` op running it. scopeflow's
graphs have no function library: the trace is kept in a graph of its own for inspection
and ``prune``, and each call builds ``fn``'s ops inline under a name scope (as scopeflow's
``tf.function`` does): the same values as TF's, no call op. ``prune(feeds, fetches)``
copies the ops between them into the calling graph.

A function that creates variables is refused: TF lifts them into the wrapped function once,
while an inline build would make new ones at every call.
"""

from __future__ import annotations

from scopeflow.framework import nest
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import Graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import get_op_def
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_spec import TensorSpec
from scopeflow.ops.array.basic import placeholder


def _check_args(specs: list[TensorSpec], args, kwargs) -> list[Tensor]:
    """The arguments of a call as tensors, checked against the traced signature."""
    if kwargs:
        raise NotImplementedError(
            "Keyword arguments are not supported when calling a wrap_function-decorated "
            f"function. Got {kwargs}."
        )
    if len(args) != len(specs):
        raise ValueError(f"Signature specifies {len(specs)} arguments, got: {len(args)}.")
    tensors = []
    for spec, arg in zip(specs, args, strict=True):
        t = convert_to_tensor(arg, dtype=spec.dtype)
        if not spec.shape.is_compatible_with(t.shape):
            raise ValueError(
                f"Tensor {t} is not compatible with the shape this function was traced with. "
                f"Expected shape {spec.shape}, but got shape {t.shape}."
            )
        tensors.append(t)
    return tensors


class WrappedFunction:
    """A Python function traced with placeholders of a signature; calling it builds its ops
    in the calling graph."""

    def __init__(self, fn, signature, name=None):
        self._fn = fn
        self._name = name or "wrapped_function"
        self._signature = signature
        self._specs = list(nest.flatten(signature))
        self.graph = Graph()
        with self.graph.as_default():
            self.inputs = [placeholder(s.dtype, s.shape) for s in self._specs]
            self.structured_outputs = fn(*nest.pack_sequence_as(signature, self.inputs))
        if self.graph.get_collection("variables"):
            raise NotImplementedError(
                f"tf.wrap_function({getattr(fn, '__name__', fn)!r}): the function creates "
                "variables, which TF lifts into the wrapped function once; scopeflow builds "
                "the function inline at each call and would make new variables every time. "
                "Create the variables outside the function and wrap one that uses them."
            )
        self.outputs = [t for t in nest.flatten(self.structured_outputs) if isinstance(t, Tensor)]
        self.structured_input_signature = (
            tuple(TensorSpec(s.shape, s.dtype, f"tensor_{i}") for i, s in enumerate(self._specs)),
            {},
        )

    def __call__(self, *args, **kwargs):
        tensors = _check_args(self._specs, args, kwargs)
        with name_scope(self._name):
            return self._fn(*nest.pack_sequence_as(self._signature, tensors))

    def prune(self, feeds, fetches, name=None, input_signature=None):
        """A function computing ``fetches`` (tensors or ops of ``graph``, in any structure)
        from ``feeds`` (its tensors): calling it copies the ops between them into the
        calling graph.

        Raises:
            ValueError: a fetch needs a placeholder that is not fed.
        """
        if input_signature is not None:
            raise NotImplementedError(
                "WrappedFunction.prune(input_signature=...): call the pruned function with "
                "tensors in the order of feeds"
            )
        return _Pruned(self.graph, nest.flatten(feeds), fetches, name or self._name)


def _ops_between(feeds: list[Tensor], fetches: list) -> list[Operation]:
    """The ops the fetches need, given the feeds, in creation order."""
    fed = {id(t) for t in feeds}
    needed: dict[int, Operation] = {}
    stack = [(f if isinstance(f, Operation) else f.op, f) for f in fetches]
    while stack:
        op, fetch = stack.pop()
        if op._id in needed:
            continue
        if get_op_def(op.type).is_placeholder:
            raise ValueError(
                f"Unable to lift tensor {fetch!r} because it depends transitively on "
                f"placeholder {op!r} via at least one path"
            )
        if get_op_def(op.type).is_variable:
            raise NotImplementedError(
                f"WrappedFunction.prune: the fetches read the variable '{op.name}', which "
                "scopeflow cannot lift out of the wrapped function"
            )
        needed[op._id] = op
        stack.extend((t.op, fetch) for t in op.inputs if id(t) not in fed)
        stack.extend((c, fetch) for c in op.control_inputs)
    return [needed[k] for k in sorted(needed)]


class _Pruned:
    """``WrappedFunction.prune``'s result."""

    def __init__(self, graph: Graph, feeds: list[Tensor], fetches, name: str):
        self._graph, self._feeds, self._fetches, self._name = graph, feeds, fetches, name
        flat = nest.flatten(fetches)
        self._ops = _ops_between(feeds, flat)
        self._specs = [TensorSpec(t.shape, t.dtype) for t in feeds]

    def __call__(self, *args, **kwargs):
        tensors = _check_args(self._specs, args, kwargs)
        mapping: dict[int, Tensor] = {id(f): t for f, t in zip(self._feeds, tensors, strict=True)}
        copies: dict[int, Operation] = {}
        graph = get_default_graph()
        with name_scope(self._name):
            for op in self._ops:
                inputs = [mapping[id(t)] for t in op.inputs]
                with graph.control_dependencies([copies[c._id] for c in op.control_inputs]):
                    new = graph.create_op(op.type, inputs, dict(op._attrs), name=op.name)
                copies[op._id] = new
                for old, out in zip(op.outputs, new.outputs, strict=True):
                    mapping[id(old)] = out

        def copied(f):
            return copies[f._id] if isinstance(f, Operation) else mapping[id(f)]

        return nest.map_structure(copied, self._fetches)


def wrap_function(fn, signature, name=None) -> WrappedFunction:
    """``fn`` traced with placeholders of ``signature`` (``tf.TensorSpec`` s): a callable whose
    calls build ``fn``'s ops in the calling graph.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     double = tf.wrap_function(lambda x: x * 2.0, [tf.TensorSpec([2], tf.float32)])
    ...     print(double.inputs[0].shape, tf.Session().run(double(tf.constant([1.0, 2.0]))))
    (2,) [2. 4.]
    """
    if signature is None:
        raise TypeError("'NoneType' object is not iterable")
    return WrappedFunction(fn, signature, name)


__all__ = ["wrap_function"]
