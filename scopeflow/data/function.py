"""Functions a dataset applies to its elements (``map``, ``filter``, ``flat_map``...).

TF1 traces such a function once into a function of the graph; scopeflow traces it once into
a private :class:`Graph` of its own: placeholders of the element's types and shapes stand for
the element, and the function's results are recorded. When the dataset is iterated, that
graph runs once per element in a private session (NumPy executor).

The graph that holds the dataset op keeps the function under a token (the op's attribute),
as ``tf.py_func`` keeps its Python functions.

A tensor of another graph that the function uses (a constant, a placeholder, a variable of
the graph that holds the dataset) is captured as TF captures it: a placeholder of the
function's graph stands for it, and the outer tensor becomes an input of the dataset op
(TF's ``other_arguments``), so its value is read when the iterator is initialized (a
placeholder: from that run's feeds).
"""

from __future__ import annotations

import copy
import itertools

from scopeflow.data import ragged_variant, structure
from scopeflow.data.values import Released
from scopeflow.framework import dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import Graph
from scopeflow.framework.graph_api import control_dependencies
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import placeholder
from scopeflow.ops.sparse.serialize import combine_serialized
from scopeflow.ops.sparse.tensor import SparseTensor
from scopeflow.ragged.tensor import RaggedTensor
from scopeflow.session.session import Session

_STORE = "data_functions"  # the graph's {token: callable}


def register(graph, function) -> str:
    """Keeps ``function`` in ``graph`` under a new token, returned."""
    functions = graph._store(_STORE, dict)
    token = f"{type(function).__name__.lower()}_{len(functions)}"
    functions[token] = function
    undo.record(lambda: functions.pop(token, None))
    return token


def lookup(graph, token: str):
    return graph._store(_STORE, dict)[token]


def _call(func, args):
    # As TF: a plain tuple element is passed as separate arguments, anything else as one.
    return func(*args) if type(args) is tuple else func(args)


class TracedFunction:
    """``func`` traced once for elements of ``specs``; calling it with an element's flat
    values returns the flat values of its result (or the dataset value it returns)."""

    def __init__(self, func, specs, method: str):
        if not callable(func):
            raise TypeError(f"`{method}()` expects a callable, got {func!r}.")
        self.graph = Graph()
        self.graph.seed = get_default_graph().seed  # as TF, random ops inside see the graph seed
        self.captured: list[Tensor] = []  # the outer tensors it uses
        self._stand_ins: list[Tensor] = []  # their placeholders in self.graph
        self.graph._capture = self._capture  # read by Graph.create_op and name_scope
        try:
            with self.graph.as_default():
                flat = structure.flatten(specs)
                self._nested = [isinstance(s, structure.NestedSpec) for s in flat]
                self._objects: dict[int, object] = {}  # the datasets given, by number
                self._numbers = itertools.count()
                self._flat_specs = flat
                self.inputs = [_stand_in(s, i) for i, s in enumerate(flat)]
                args = [self._argument(s, x) for s, x in zip(flat, self.inputs, strict=True)]
                result = _call(func, structure.pack(specs, args))
                self.dataset = None
                if hasattr(result, "_variant_tensor"):  # a Dataset: flat_map, interleave
                    self.dataset = result
                    self.outputs = [result._variant_tensor]
                    self.structure = None
                else:
                    self.structure = _as_tensors(result, method)
                    self.outputs = structure.to_components(self.structure)
                # an outer tensor returned as it is (map(lambda x: (x, weights)), a flat_map
                # of a dataset built outside) is captured, as TF's function does
                self.outputs = [
                    t if t.graph is self.graph else self._capture(t) for t in self.outputs
                ]
        finally:
            self.graph._capture = None
        self._session: Session | None = None

    def instance(self) -> TracedFunction:
        """This function with state of its own (a session of its own): a dataset op gets one
        each time an iterator is initialized, so seeded random ops inside start their streams
        over, as TF's do at every (re)initialization."""
        fresh = copy.copy(self)
        fresh._session = None
        return fresh

    def _argument(self, spec, stand_in):
        """What the function is given for a component: a tensor, a ``SparseTensor``, or a
        dataset (a component of ``Dataset.window``'s elements): one that reads the dataset
        value handed to this call, by the number fed to ``stand_in``."""
        if isinstance(stand_in, _RaggedStandIn):
            return stand_in.ragged()
        if isinstance(stand_in, tuple):
            return SparseTensor(*stand_in)
        if not isinstance(spec, structure.NestedSpec):
            return stand_in
        graph = self.graph
        flat = structure.flatten(spec.inner)
        number = graph.create_op(
            "TensorDataset",
            [stand_in],
            {"Toutput_types": [dtypes.int64], "output_shapes": [stand_in.shape]},
            name="TensorDataset",
        ).outputs[0]
        objects = self._objects
        attrs = {
            "f": register(graph, lambda element: objects[int(element[0])]),
            "Targuments": [],
            "output_types": [s.component_dtype for s in flat],
            "output_shapes": [s.component_shape for s in flat],
        }
        op = graph.create_op("FlatMapDataset", [number], attrs, name="FlatMapDataset")
        return spec.wrap(op.outputs[0])

    def _capture(self, outer: Tensor) -> Tensor:
        for captured, stand_in in zip(self.captured, self._stand_ins, strict=True):
            if captured is outer:
                return stand_in
        with self.graph.as_default(), control_dependencies(None):
            stand_in = placeholder(outer.dtype.base_dtype, outer.shape, name="captured")
        self.captured.append(outer)
        self._stand_ins.append(stand_in)
        return stand_in

    def __call__(self, values: list, captured=()):
        """The flat results for an element's flat ``values`` (and the captured tensors'
        values, read when the iterator was initialized)."""
        session = self._session
        if session is None:
            session = self._session = Session(graph=self.graph, executor="numpy")
        feeds = {}
        given = []
        for stand_in, value, nested, spec in zip(
            self.inputs, values, self._nested, self._flat_specs, strict=True
        ):
            if isinstance(stand_in, _RaggedStandIn):  # fed its splits and flat values
                parts = ragged_variant.decode(
                    value, spec.ragged_rank, spec.row_splits_dtype, spec.dtype
                )
                feeds.update(zip(stand_in.parts, parts, strict=True))
            elif nested:  # a dataset value: fed by a number it is kept under meanwhile
                number = next(self._numbers)
                self._objects[number] = value
                given.append(number)
                feeds[stand_in] = number
            elif isinstance(stand_in, tuple):  # a sparse component, fed as its three arrays
                dtype = stand_in[1].dtype
                feeds.update(zip(stand_in, combine_serialized(value, dtype), strict=True))
            else:
                feeds[stand_in] = value
        feeds.update(zip(self._stand_ins, captured, strict=True))
        if not given:
            if len(self.outputs) == 1:  # a lone tensor: Session.run's quickest path
                result = session.run(self.outputs[0], feeds)
                return result if self.dataset is not None else [result]
            return session.run(self.outputs, feeds)
        objects = self._objects

        def release():
            for number in given:
                objects.pop(number, None)

        try:
            result = session.run(self.outputs, feeds)
        except BaseException:
            release()
            raise
        if self.dataset is None:
            release()
            return result
        return Released(result[0], release)  # the datasets given are read meanwhile


class _RaggedStandIn:
    """The placeholders of a ragged component's row splits (outermost first) and flat
    values."""

    def __init__(self, spec, i: int):
        inner = spec.shape[spec.ragged_rank + 1 :]
        self.parts = [
            *(
                placeholder(spec.row_splits_dtype, [None], name=f"args_{i}_splits_{k}")
                for k in range(spec.ragged_rank)
            ),
            placeholder(spec.dtype, tensor_shape.TensorShape([None]).concatenate(inner)
                        if spec.ragged_rank > 0 else spec.shape, name=f"args_{i}_values"),
        ]  # fmt: skip

    def ragged(self):
        """The ragged tensor of the parts (the dense values for a ragged rank of 0)."""
        *splits, result = self.parts
        for s in reversed(splits):
            result = RaggedTensor(result, s, internal=True)
        return result


def _stand_in(spec, i: int):
    """The placeholder standing for component ``i`` of an element; for a sparse one, the
    three placeholders of its indices, values and dense shape; for a ragged one, its
    splits' and values'."""
    if isinstance(spec, structure.RaggedSpec):
        return _RaggedStandIn(spec, i)
    if isinstance(spec, structure.NestedSpec):  # a dataset, handed over by a number
        return placeholder(dtypes.int64, [], name=f"args_{i}")
    if not isinstance(spec, structure.SparseSpec):
        return placeholder(spec.dtype, spec.shape, name=f"args_{i}")
    rank = spec.shape.ndims
    return (
        placeholder(dtypes.int64, [None, rank], name=f"args_{i}_indices"),
        placeholder(spec.dtype, [None], name=f"args_{i}_values"),
        placeholder(dtypes.int64, [rank], name=f"args_{i}_dense_shape"),
    )


def _as_tensors(result, method: str):
    if isinstance(result, list):  # as TF 2: a list of results is a tuple of components
        result = tuple(result)

    def convert(leaf):
        if leaf is None:
            raise ValueError(
                f"The function passed to `Dataset.{method}()` returned None; return a "
                "tensor or a (nested) tuple or dict of tensors."
            )
        if isinstance(leaf, (Tensor, SparseTensor, RaggedTensor)) or hasattr(
            leaf, "_variant_tensor"
        ):
            return leaf  # a tensor, or a dataset (a component of a nested dataset)
        return convert_to_tensor(leaf)

    return structure.map_leaves(convert, result)
