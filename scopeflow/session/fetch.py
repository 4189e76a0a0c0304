"""Fetch structures (a tensor, an op, a name, a composite such as a ``SparseTensor`` or an
``IndexedSlices``, nested lists/tuples/dicts/namedtuples) flattened to unique graph elements,
and the function that puts the values back in the same shape (a ``SparseTensorValue``, an
``IndexedSlicesValue``...)."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from scopeflow.framework.operation import Operation
from scopeflow.framework.tensor import Tensor

Rebuild = Callable[[list], object]
# Op types whose fetched value ``Session.run`` hands back wrapped, ``(value, tensor, session) ->
# object``, filled in by the modules defining them (``GetSessionHandle``: a ``TensorHandle``).
FETCH_WRAPPERS: dict[str, Callable] = {}


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def flatten_fetches(fetches, graph, session=None) -> tuple[list, Rebuild]:
    """``(elements, rebuild)``: unique Tensors/Operations to compute, in first-seen order, and
    a function from their values to the structure ``Session.run`` (``session``) returns."""
    elements: list = []
    index_of: dict = {}
    rebuild = _flatten(fetches, graph, elements, index_of, session)
    return elements, rebuild


def _flatten(fetch, graph, elements: list, index_of: dict, session=None) -> Rebuild:
    if isinstance(fetch, (list, tuple)):
        parts = [_flatten(f, graph, elements, index_of, session) for f in fetch]
        if _is_namedtuple(fetch):
            kind = type(fetch)
            return lambda values: kind(*[p(values) for p in parts])
        kind = type(fetch) if type(fetch) in (list, tuple) else list
        return lambda values: kind(p(values) for p in parts)
    if isinstance(fetch, Mapping):
        keys = list(fetch.keys())
        parts = [_flatten(fetch[k], graph, elements, index_of, session) for k in keys]
        kind = type(fetch)

        def rebuild_mapping(values):
            pairs = [(k, p(values)) for k, p in zip(keys, parts, strict=True)]
            try:
                return kind(pairs)
            except TypeError:  # e.g. defaultdict: keep its type and factory
                out = kind.__new__(kind)
                out.__init__(getattr(fetch, "default_factory", None))
                out.update(pairs)
                return out

        return rebuild_mapping
    components = getattr(fetch, "_session_fetches", None)
    if components is not None:  # a composite (SparseTensor, IndexedSlices): its tensors
        rebuilds = [_flatten(t, graph, elements, index_of, session) for t in components()]
        value_of = fetch._session_value
        return lambda values: value_of([r(values) for r in rebuilds])
    element = as_fetch_element(fetch, graph)
    index = index_of.get(element)
    if index is None:
        index = index_of[element] = len(elements)
        elements.append(element)
    if isinstance(element, Operation):
        return lambda values: None
    wrap = FETCH_WRAPPERS.get(element.op.type) if session is not None else None
    if wrap is not None:
        return lambda values: wrap(values[index], element, session)
    return lambda values: values[index]


def as_fetch_element(fetch, graph):
    """A Tensor or Operation of ``graph`` for one fetch, with TF1's errors."""
    if fetch is None:
        raise TypeError(f"Fetch argument None has invalid type {type(None)}")
    try:
        return graph.as_graph_element(fetch, allow_tensor=True, allow_operation=True)
    except TypeError as e:
        raise TypeError(
            f"Fetch argument {fetch!r} has invalid type {type(fetch)}, must be a string or "
            f"Tensor. ({e})"
        ) from None
    except (ValueError, KeyError) as e:
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        raise ValueError(
            f"Fetch argument {fetch!r} cannot be interpreted as a Tensor. ({message})"
        ) from None


def is_graph_element(x) -> bool:
    return isinstance(x, (Tensor, Operation))
