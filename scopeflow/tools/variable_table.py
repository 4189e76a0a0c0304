"""A table of variables: name, shape, dtype, parameter count and bytes, with totals per scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys


@dataclass(frozen=True)
class VariableRow:
    name: str
    shape: tuple
    dtype: str
    parameters: int
    bytes: int

    @property
    def scope(self) -> str:
        return self.name.rpartition("/")[0] or "(root)"


def variable_rows(variables=None, graph=None) -> list[VariableRow]:
    """One row per variable (default: the graph's global variables, in creation order)."""
    if variables is None:
        variables = (graph or get_default_graph()).get_collection(GraphKeys.GLOBAL_VARIABLES)
    rows = []
    for v in variables:
        dims = tuple(v.shape.as_list())
        count = 1
        for d in dims:
            count *= d
        dtype = v.dtype.base_dtype
        rows.append(VariableRow(v.op.name, dims, dtype.name, count, count * dtype.size))
    return rows


def scope_totals(rows: list[VariableRow]) -> dict[str, int]:
    """Parameters per scope, counting each variable in every enclosing scope."""
    totals: dict[str, int] = defaultdict(int)
    for row in rows:
        parts = row.name.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            totals["/".join(parts[:depth])] += row.parameters
    return dict(sorted(totals.items()))


def format_variable_table(variables=None, graph=None) -> str:
    """The table as text, ready to print.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     with tf.variable_scope("dense"):
    ...         w = tf.get_variable("w", [3, 2])
    ...     print(format_variable_table())
    variable  shape   dtype    parameters  bytes
    dense/w   (3, 2)  float32           6     24
    <BLANKLINE>
    scope  parameters
    dense           6
    total           6
    """
    return format_rows(variable_rows(variables, graph))


def format_rows(rows: list[VariableRow]) -> str:
    """``rows`` (and their per-scope totals) as text, as ``format_variable_table`` prints."""
    table = [("variable", "shape", "dtype", "parameters", "bytes")]
    table += [(r.name, str(r.shape), r.dtype, str(r.parameters), str(r.bytes)) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    align = ("<", "<", "<", ">", ">")
    lines = [
        "  ".join(f"{cell:{a}{w}}" for cell, a, w in zip(row, align, widths, strict=True)).rstrip()
        for row in table
    ]
    totals = scope_totals(rows)
    totals["total"] = sum(r.parameters for r in rows)
    width = max(len("scope"), *(len(s) for s in totals))
    count_width = max(len("parameters"), *(len(str(n)) for n in totals.values()))
    lines += ["", f"{'scope':<{width}}  {'parameters':>{count_width}}"]
    lines += [f"{s:<{width}}  {n:>{count_width}}" for s, n in totals.items()]
    return "\n".join(lines)
