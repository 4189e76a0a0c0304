"""``scopeflow inspect`` and ``scopeflow convert``: the variables of a checkpoint (or
``.npz``/``.safetensors``/``.meta``) as a table, and conversion between the formats."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Mapping

import scopeflow as tf
from scopeflow.tools.variable_table import VariableRow, format_rows, scope_totals, variable_rows
from scopeflow.train.tensor_files import open_tensor_file, write_tensor_file

PROGRESS_BYTES = 64 << 20  # a conversion moving more than this shows a progress bar


def file_rows(path: str) -> list[VariableRow]:
    """One row per tensor of the file at ``path`` (by name), or per global variable of the
    graph a ``.meta`` file holds (in creation order)."""
    if path.endswith(".meta"):
        with tf.Graph().as_default() as graph:
            tf.train.import_meta_graph(path)
            return variable_rows(graph=graph)
    rows = []
    with open_tensor_file(path) as source:
        for name in sorted(source.names()):
            dtype, shape = source.describe(name)
            count = math.prod(shape)  # strings count no bytes, as variable_rows counts them
            rows.append(VariableRow(name, tuple(shape), dtype.name, count, count * dtype.size))
    return rows


def _json(rows: list[VariableRow]) -> str:
    return json.dumps(
        {
            "variables": [
                {
                    "name": r.name,
                    "shape": list(r.shape),
                    "dtype": r.dtype,
                    "parameters": r.parameters,
                    "bytes": r.bytes,
                }
                for r in rows
            ],
            "scopes": scope_totals(rows),
            "total_parameters": sum(r.parameters for r in rows),
            "total_bytes": sum(r.bytes for r in rows),
        },
        indent=2,
    )


def _print_rich(rows: list[VariableRow], title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column, justify in (("variable", "left"), ("shape", "left"), ("dtype", "left")):
        table.add_column(column, justify=justify)
    table.add_column("parameters", justify="right")
    table.add_column("bytes", justify="right")
    for r in rows:
        table.add_row(r.name, str(r.shape), r.dtype, f"{r.parameters:,}", f"{r.bytes:,}")
    scopes = Table(title="per scope")
    scopes.add_column("scope")
    scopes.add_column("parameters", justify="right")
    for scope, count in scope_totals(rows).items():
        scopes.add_row(scope, f"{count:,}")
    scopes.add_row("total", f"{sum(r.parameters for r in rows):,}", style="bold")
    console = Console()
    console.print(table)
    console.print(scopes)


def _has_rich() -> bool:
    try:
        import rich  # noqa: F401
    except ImportError:
        return False
    return True


def inspect(path: str, as_json: bool = False) -> int:
    """Prints the variable table of ``path``: JSON with ``as_json``, a rich table on a
    terminal when ``rich`` is installed, plain text otherwise."""
    rows = file_rows(path)
    if as_json:
        print(_json(rows))
    elif sys.stdout.isatty() and _has_rich():
        _print_rich(rows, path)
    else:
        print(format_rows(rows))
    return 0


class _Reading(Mapping):
    """The tensors of a source, read one at a time when a writer asks, with progress."""

    def __init__(self, source, progress):
        self._source = source
        self._names = sorted(source.names())
        self._progress = progress

    def __getitem__(self, name: str):
        value = self._source.read(name)
        if self._progress is not None:
            self._progress.update(value.nbytes)
        return value

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def _progress_bar(total: int, label: str):
    """A tqdm bar over ``total`` bytes when the conversion is large and tqdm is installed."""
    if total < PROGRESS_BYTES:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, unit="B", unit_scale=True, desc=label, file=sys.stderr)


def convert(source_path: str, target_path: str) -> int:
    """Copies every tensor of ``source_path`` to ``target_path``, each in the format its
    path names (``.npz``, ``.safetensors``, else a TF checkpoint prefix)."""
    with open_tensor_file(source_path) as source:
        total = count = 0
        for name in source.names():
            dtype, shape = source.describe(name)
            total += math.prod(shape) * dtype.size
            count += 1
        progress = _progress_bar(total, f"{source_path} -> {target_path}")
        os.makedirs(os.path.dirname(os.path.abspath(target_path)), exist_ok=True)
        try:
            write_tensor_file(target_path, _Reading(source, progress))
        finally:
            if progress is not None:
                progress.close()
    print(f"wrote {count} tensors to {target_path}")
    return 0
