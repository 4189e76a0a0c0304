"""The files of ``Dataset.save`` and ``Dataset.snapshot`` (``saving.py`` builds their ops).

These are scopeflow's own files, not TF's (TF writes ``dataset_spec.pb``,
``snapshot.metadata`` and TFRecord-framed tensor protos; neither library reads the other's).
A saved dataset is a directory holding:

- ``scopeflow_dataset_spec.json``: the element's structure, dtypes and static shapes (written
  when the save op runs; TF writes its spec while building);
- ``scopeflow_snapshot.json``: the last complete run (its id, shards, number of elements,
  compression), written when a run ends;
- ``<run id>/<shard>.shard/00000000.snapshot``: the elements of each shard, in order: a
  header, then per element its number of components and each as ``file_cache.py`` writes it
  (NumPy ``.npy`` records, read back without pickle), GZIP-compressed when asked.

A run writes into a temporary directory renamed into place when it ends, so an interrupted
run leaves nothing behind.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import json
import os
import random
import shutil
import types

import numpy as np

from scopeflow.data import file_cache, function, values
from scopeflow.data.structure import NestedSpec, RaggedSpec, SparseSpec, Spec
from scopeflow.framework import dtypes, errors

SPEC_FILE = "scopeflow_dataset_spec.json"
METADATA_FILE = "scopeflow_snapshot.json"
_HEADER = b"scopeflow-dataset-shard 1\n"
_GZIP_MAGIC = b"\x1f\x8b"


def check_compression(compression, what: str) -> str:
    """The compression attr of a save, load or snapshot op; only ``"GZIP"`` compresses (for
    ``"AUTO"``, the runtime's choice, scopeflow chooses none)."""
    if compression is None:
        return ""
    if compression in ("", "NONE", "AUTO", "GZIP"):
        return compression
    if compression == "SNAPPY":
        raise NotImplementedError(
            f"{what}(compression='SNAPPY') is not supported by scopeflow (no Snappy codec); "
            "use compression='GZIP' or None."
        )
    raise ValueError(
        f"{what}: compression must be None, 'GZIP' or 'SNAPPY' ('AUTO' or 'NONE' for a "
        f"snapshot), got {compression!r}."
    )


# -- the element spec -------------------------------------------------------------------


def spec_to_json(specs):
    """The element structure ``specs`` as JSON data."""
    if isinstance(specs, dict):
        if not all(isinstance(k, str) for k in specs):
            raise NotImplementedError(
                "Saving a dataset whose element is a dict with keys that are not strings is "
                "not supported by scopeflow; use string keys."
            )
        return {"dict": [[k, spec_to_json(v)] for k, v in specs.items()]}
    if isinstance(specs, tuple):
        items = [spec_to_json(v) for v in specs]
        if hasattr(specs, "_fields"):
            return {
                "namedtuple": type(specs).__name__,
                "fields": list(specs._fields),
                "items": items,
            }
        return {"tuple": items}
    if isinstance(specs, NestedSpec):
        raise NotImplementedError(
            "Saving a dataset whose elements are datasets (Dataset.window) is not supported "
            "by scopeflow; flat_map the windows first."
        )
    shape = specs.shape.as_list() if specs.shape.ndims is not None else None
    out = {"dtype": specs.dtype.name, "shape": shape, "sparse": isinstance(specs, SparseSpec)}
    if isinstance(specs, RaggedSpec):
        out.update(ragged_rank=specs.ragged_rank, row_splits_dtype=specs.row_splits_dtype.name)
    return out


def spec_from_json(data):
    """The element structure of specs that :func:`spec_to_json` wrote."""
    if "dict" in data:
        return {k: spec_from_json(v) for k, v in data["dict"]}
    if "tuple" in data:
        return tuple(spec_from_json(v) for v in data["tuple"])
    if "namedtuple" in data:
        cls = _namedtuple(data["namedtuple"], tuple(data["fields"]))
        return cls(*(spec_from_json(v) for v in data["items"]))
    if "ragged_rank" in data:
        splits = dtypes.as_dtype(data["row_splits_dtype"])
        return RaggedSpec(
            dtypes.as_dtype(data["dtype"]), data["shape"], data["ragged_rank"], splits
        )
    kind = SparseSpec if data["sparse"] else Spec
    return kind(dtypes.as_dtype(data["dtype"]), data["shape"])


@functools.cache
def _namedtuple(name: str, fields: tuple):
    import collections  # noqa: PLC0415 - only for a saved namedtuple

    return collections.namedtuple(name, fields)


def write_spec(path: str, spec_json) -> None:
    os.makedirs(path, exist_ok=True)
    _write_json(os.path.join(path, SPEC_FILE), {"element_spec": spec_json})


def read_spec(path: str):
    """The element structure saved at ``path`` (read when ``load`` is built)."""
    name = os.path.join(path, SPEC_FILE)
    if not os.path.exists(name):
        raise errors.NotFoundError(
            None, None, f"tf.data snapshot element_spec file not found: {name}." + _tf_note(path)
        )
    with open(name, encoding="utf-8") as f:
        return spec_from_json(json.load(f)["element_spec"])


def _tf_note(path: str) -> str:
    if os.path.exists(os.path.join(path, "dataset_spec.pb")):
        return (
            " The directory holds TensorFlow's save files, which scopeflow does not read; "
            "save the dataset again with scopeflow."
        )
    return ""


def _write_json(name: str, data) -> None:
    temporary = f"{name}.tmp-{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(temporary, name)


# -- shard files -------------------------------------------------------------------------


def _shard_file(run_dir: str, shard: int) -> str:
    return os.path.join(run_dir, f"{shard:08d}.shard", "00000000.snapshot")


def _open(name: str, mode: str, compression: str):
    return gzip.open(name, mode) if compression == "GZIP" else open(name, mode)


class _Writers:
    """The open shard files of one run, by shard index (an unsigned 64-bit number, as TF's)."""

    def __init__(self, run_dir: str, compression: str):
        self.run_dir, self.compression, self.files, self.count = run_dir, compression, {}, 0

    def write(self, shard: int, element: list) -> None:
        f = self.files.get(shard)
        if f is None:
            name = _shard_file(self.run_dir, shard)
            os.makedirs(os.path.dirname(name), exist_ok=True)
            f = self.files[shard] = _open(name, "wb", self.compression)
            f.write(_HEADER)
        f.write(len(element).to_bytes(8, "little"))
        for component in element:
            file_cache.write_component(f, component)
        self.count += 1

    def close(self) -> None:
        for f in self.files.values():
            f.close()


def shard_index(value) -> int:
    """A shard function's result, which must be an int64 scalar, as an unsigned index."""
    array = np.asarray(value)
    if array.shape != () or array.dtype != np.int64:
        raise values._invalid(
            "The shard function of a tf.data save or snapshot must return a scalar int64, "
            f"got a {array.dtype} tensor of shape {list(array.shape)}."
        )
    return int(array) % 2**64


def write_run(path: str, elements, compression: str, shard_of, specs_json=None):
    """Writes the elements of the iterator ``elements`` under a new run of ``path`` (element by
    element, yielding each as it is written); when they end, the run is renamed into place
    and ``path``'s metadata names it."""
    run_id = str(random.getrandbits(63))
    temporary = os.path.join(path, f".{run_id}.tmp-{os.getpid()}")
    writers = _Writers(temporary, compression)
    try:
        os.makedirs(temporary)
        for element in elements:
            writers.write(shard_of(element), element)
            yield element
        writers.close()
        os.replace(temporary, os.path.join(path, run_id))
        metadata = {
            "run_id": run_id,
            "compression": compression,
            "num_elements": writers.count,
            "shards": sorted(writers.files),
        }
        if specs_json is not None:
            metadata["element_spec"] = specs_json
        _write_json(os.path.join(path, METADATA_FILE), metadata)
    finally:
        writers.close()
        shutil.rmtree(temporary, ignore_errors=True)


def read_metadata(path: str):
    """The metadata of ``path``'s last complete run, or None."""
    name = os.path.join(path, METADATA_FILE)
    if not os.path.exists(name):
        return None
    with open(name, encoding="utf-8") as f:
        return json.load(f)


class ShardFile(values.DatasetValue):
    """The elements of one shard file, each component checked against ``dtypes_``."""

    def __init__(self, name: str, compression: str, dtypes_: list):
        self.name, self.compression, self.dtypes = name, compression, dtypes_

    def elements(self):
        try:
            with open(self.name, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            raise errors.NotFoundError(
                None, None, f"{self.name}; No such file or directory"
            ) from None
        if self.compression == "GZIP":
            try:
                data = gzip.decompress(data)
            except (OSError, EOFError) as e:
                raise errors.DataLossError(
                    None,
                    None,
                    f"inflate() failed: {e} (reading {self.name}, saved without compression?)",
                ) from None
        elif data.startswith(_GZIP_MAGIC):
            raise errors.DataLossError(
                None, None, f"{self.name} is GZIP-compressed; load it with compression='GZIP'."
            )
        if not data.startswith(_HEADER):
            raise errors.DataLossError(None, None, f"{self.name} is not a scopeflow shard file.")
        f = io.BytesIO(data)
        f.seek(len(_HEADER))
        for element in file_cache.read_elements(f, self.name):
            yield [self._checked(i, v) for i, v in enumerate(element)]

    def _checked(self, i: int, value):
        expected = self.dtypes[i]
        got = dtypes.as_dtype(value.dtype) if value.dtype != object else dtypes.string
        if expected in (dtypes.string, dtypes.variant) and value.dtype == object:
            return value
        if got != expected:
            raise values._invalid(
                f"Data type mismatch at component {i}: expected {expected.name} but got {got.name}."
            )
        return value


class _Shards(values.DatasetValue):
    """A dataset whose elements are the shard files' datasets, in shard order."""

    def __init__(self, shards: list):
        self.shards = shards

    def elements(self):
        for shard in self.shards:
            yield [shard]


def read_run(path: str, metadata, compression: str, dtypes_: list, reader):
    """The elements of ``path``'s run ``metadata``, read by ``reader`` (a traced function of
    the dataset of its shards' datasets)."""
    run_dir = os.path.join(path, metadata["run_id"])
    shards = [ShardFile(_shard_file(run_dir, s), compression, dtypes_) for s in metadata["shards"]]
    return reader([_Shards(shards)])


class Loaded(values.DatasetValue):
    """``LoadDataset``'s value: the saved run read by the reader function; its cardinality is
    the number of elements saved."""

    def __init__(self, dataset, num_elements: int):
        self.dataset, self.num_elements = dataset, num_elements

    def elements(self):
        return self.dataset.elements()


class Snapshot(values.DatasetValue):
    """``SnapshotDatasetV2``'s value: the snapshot of ``child`` (by its fingerprint) read when
    a complete one exists, else a pass over ``child`` that writes one."""

    def __init__(self, child, path, compression, shard_func, reader, dtypes_):
        self.child, self.compression, self.shard_func = child, compression, shard_func
        self.reader, self.dtypes = reader, dtypes_
        self.path = os.path.join(path, fingerprint(child))

    def elements(self):
        metadata = read_metadata(self.path)
        if metadata is not None:
            return read_run(
                self.path, metadata, metadata["compression"], self.dtypes, self.reader
            ).elements()
        shard_func = self.shard_func
        return write_run(
            self.path,
            self.child.elements(),
            self.compression,
            lambda element: shard_index(shard_func(element)[0]),
        )


# -- fingerprints ----------------------------------------------------------------------


def fingerprint(dataset) -> str:
    """A decimal digest of a dataset value: its kind, its inputs' values and its functions'
    graphs (scopeflow's own, not TF's fingerprint); equal pipelines over equal values agree
    across sessions and processes."""
    h = hashlib.sha256()
    _digest(h, dataset, set())
    return str(int.from_bytes(h.digest()[:8], "little"))


def _digest(h, obj, seen: set) -> None:
    h.update(type(obj).__qualname__.encode())
    if obj is None or isinstance(obj, (bool, int, float, complex, str, bytes, np.generic)):
        h.update(repr(obj).encode())
    elif isinstance(obj, np.ndarray):
        h.update(f"{obj.dtype.str}{obj.shape}".encode())
        if obj.dtype == object:
            for item in obj.reshape(-1):
                _digest(h, item, seen)
        else:
            h.update(np.ascontiguousarray(obj).tobytes())
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            _digest(h, item, seen)
    elif isinstance(obj, dict):
        for key in sorted(obj, key=repr):
            _digest(h, key, seen)
            _digest(h, obj[key], seen)
    elif isinstance(obj, functools.partial):
        _digest(h, [obj.func, list(obj.args), obj.keywords], seen)
    elif isinstance(obj, function.TracedFunction):
        _digest_graph(h, obj.graph, seen)
    elif isinstance(obj, (types.FunctionType, types.MethodType)):
        code = getattr(obj, "__code__", None)
        h.update(obj.__qualname__.encode())
        if code is not None:
            h.update(code.co_code + repr(code.co_consts).encode())
    elif hasattr(obj, "__dict__"):  # a dataset value, or what one holds
        if id(obj) not in seen:
            seen.add(id(obj))
            for key in sorted(vars(obj)):
                _digest(h, key, seen)
                _digest(h, vars(obj)[key], seen)
    elif " at 0x" not in repr(obj):  # a range, a dtype...: its text (not its address)
        h.update(repr(obj).encode())


def _digest_graph(h, graph, seen: set) -> None:
    """A traced function's graph: its ops' types, inputs and attributes, and the functions
    its dataset ops name."""
    functions = graph._store("data_functions", dict)
    for op in graph.get_operations():
        h.update(f"{op.type}|{op.name}|{[t.name for t in op.inputs]}".encode())
        for key in sorted(op._attrs):
            value = op._attrs[key]
            _digest(h, key, seen)
            if isinstance(value, str) and value in functions:
                _digest(h, functions[value], seen)
            elif isinstance(value, (list, tuple, np.ndarray, np.generic, str, bytes, bool, int)):
                _digest(h, value, seen)
            else:
                h.update(repr(value).encode())
