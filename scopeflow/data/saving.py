"""``Dataset.save``, ``Dataset.load`` and ``Dataset.snapshot`` (``tf.data.experimental.save``,
``load`` and ``snapshot``): the op types ``SaveDataset``, ``LoadDataset`` and
``SnapshotDatasetV2``, built as TF 2.21's graph mode builds them, with their kernels. The files
are scopeflow's own (``saved_files.py``), not TF's.

>>> import os, tempfile, scopeflow as tf
>>> path = os.path.join(tempfile.mkdtemp(), "saved")
>>> with tf.Graph().as_default():
...     save = tf.data.Dataset.range(4).map(lambda x: x * 2).save(path)
...     tf.Session().run(save)
...     list(tf.data.Dataset.load(path).as_numpy_iterator())
[np.int64(0), np.int64(2), np.int64(4), np.int64(6)]
"""

from __future__ import annotations

import os

import numpy as np

from scopeflow.data import function, saved_files, structure
from scopeflow.data.dataset import AUTOTUNE, Dataset
from scopeflow.data.dataset_ops import _fn, _register, _variant_infer
from scopeflow.data.element_specs import DatasetSpec, element_spec
from scopeflow.framework import dtypes, errors, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor_spec import TensorSpec
from scopeflow.ops.control.assertions import node_note
from scopeflow.ops.sparse.spec import SparseTensorSpec
from scopeflow.ragged.spec import RaggedTensorSpec

_SPECS = "saved_dataset_specs"  # the graph's {SaveDataset op name: its element spec as JSON}


def _text(value) -> str:
    value = np.asarray(value).item()
    return value.decode() if isinstance(value, bytes) else str(value)


def _reraised(op, e: errors.OpError) -> errors.OpError:
    return type(e)(None, op, e.message + node_note(op))


# -- kernels -----------------------------------------------------------------------------


def _spec_json(op):
    """The saved element's spec: kept when ``save`` built the op; for an imported op, its
    input dataset's components as a tuple (one alone)."""
    kept = op.graph._store(_SPECS, dict).get(op.name)
    if kept is not None:
        return kept
    source = op.inputs[0].op._attrs
    flat = source.get("output_types", source.get("Toutput_types", []))
    specs = [structure.Spec(t, s) for t, s in zip(flat, source["output_shapes"], strict=True)]
    return saved_files.spec_to_json(specs[0] if len(specs) == 1 else tuple(specs))


def _save_kernel(ctx, op, dataset, path, *shard_args):
    path = _text(path)
    if op._attrs["use_shard_func"]:
        shard_func = _fn(op, shard_args, "shard_func")

        def shard_of(element):
            return saved_files.shard_index(shard_func(element)[0])
    else:

        def shard_of(element):
            return 0

    saved_files.write_spec(path, _spec_json(op))
    try:
        for _ in saved_files.write_run(
            path, dataset.elements(), op._attrs["compression"], shard_of
        ):
            pass
    except errors.OpError as e:
        raise _reraised(op, e) from None
    return ()


def _load_kernel(ctx, op, path, *reader_args):
    path = _text(path)
    metadata = saved_files.read_metadata(path)
    if metadata is None:
        raise errors.NotFoundError(
            None, op, f"Could not find metadata file [{path}]" + node_note(op)
        )
    reader = _fn(op, reader_args, "reader_func")
    compression, types = op._attrs["compression"], op._attrs["output_types"]
    dataset = saved_files.read_run(path, metadata, compression, types, reader)
    return saved_files.Loaded(dataset, int(metadata["num_elements"]))


def _snapshot_kernel(ctx, op, dataset, path, *args):
    n = len(op._attrs["Treader_func_args"])
    reader = _fn(op, args[:n], "reader_func")
    shard_func = _fn(op, args[n:], "shard_func")
    compression, types = op._attrs["compression"], op._attrs["output_types"]
    return saved_files.Snapshot(dataset, _text(path), compression, shard_func, reader, types)


_register("SaveDataset", lambda inputs, attrs: [], _save_kernel)
_register("LoadDataset", _variant_infer, _load_kernel)
_register("SnapshotDatasetV2", _variant_infer, _snapshot_kernel)


# -- building ------------------------------------------------------------------------------


def _nested(specs) -> structure.NestedSpec:
    """The spec of a dataset of ``specs`` as a component of another dataset's elements."""
    type_spec = DatasetSpec(element_spec(specs))
    return structure.NestedSpec(specs, lambda t: Dataset(t, specs), type_spec)


def _default_reader(datasets):
    """TF's default reader: the shards interleaved, one element from each in turn, as many
    at a time as the machine has CPUs."""
    return datasets.interleave(
        lambda shard: shard, cycle_length=os.cpu_count() or 1, num_parallel_calls=AUTOTUNE
    )


def _trace_reader(reader_func, specs, method: str) -> function.TracedFunction:
    traced = function.TracedFunction(
        reader_func or _default_reader, _nested(_nested(specs)), method
    )
    result = traced.dataset
    if result is None:
        raise TypeError(f"`reader_func` of {method}() must return a `tf.data.Dataset`.")
    if structure.types(result._specs) != structure.types(specs) or not (
        structure.same_structure(result._specs, specs)
    ):
        raise TypeError(
            f"`reader_func` of {method}() must return a dataset of the saved element's types "
            f"{structure.types(specs)}, got {structure.types(result._specs)}."
        )
    return traced


def _trace_shard_func(shard_func, specs, method: str) -> function.TracedFunction:
    traced = function.TracedFunction(shard_func, specs, method)
    out = traced.structure
    if isinstance(out, tuple) or out.dtype.base_dtype != dtypes.int64:
        raise TypeError(
            f"`shard_func` of {method}() must return a scalar int64 tensor, got {out!r}."
        )
    return traced


def _create(op_type: str, inputs: list, attrs: dict, name: str, specs=None):
    if specs is not None:
        flat = structure.flatten(specs)
        attrs["output_types"] = [s.component_dtype for s in flat]
        attrs["output_shapes"] = [s.component_shape for s in flat]
    op = get_default_graph().create_op(op_type, inputs, attrs, name=name)
    return op if specs is None else Dataset(op.outputs[0], specs)


def _token(traced: function.TracedFunction) -> str:
    return function.register(get_default_graph(), traced)


@undo.atomic
def save(self, path, compression=None, shard_func=None, checkpoint_args=None):
    """Writes this dataset's elements under the directory ``path`` when the returned op runs
    (each run a new copy; ``load`` reads the last); ``compression`` None or ``"GZIP"``;
    ``shard_func(element)`` (an int64 scalar) picks each element's shard file (one without).
    The element's spec is written when the op runs (TF writes it now, while building), so a
    ``load`` without ``element_spec`` is built after the save has run."""
    if checkpoint_args is not None:
        raise NotImplementedError(
            "Dataset.save(checkpoint_args=...) (periodic checkpoints of an eager save) is not "
            "supported by scopeflow; run the save op to its end."
        )
    path = os.fspath(path)
    compression = saved_files.check_compression(compression, "save")
    spec_json = saved_files.spec_to_json(self._specs)
    use_shard_func = shard_func is not None
    traced = (
        _trace_shard_func(shard_func, self._specs, "save")
        if use_shard_func
        else function.TracedFunction(lambda *_: np.int64(0), self._specs, "save")
    )
    attrs = {
        "compression": compression,
        "shard_func": _token(traced),
        "use_shard_func": use_shard_func,
        "Tshard_func_args": [t.dtype.base_dtype for t in traced.captured],
    }
    inputs = [self._variant_tensor, convert_to_tensor(path, dtypes.string, name="path")]
    op = _create("SaveDataset", [*inputs, *traced.captured], attrs, "SaveDataset")
    specs = op.graph._store(_SPECS, dict)
    specs[op.name] = spec_json
    undo.record(lambda: specs.pop(op.name, None))
    return op


def _specs_from_element_spec(spec):
    def leaf(s):
        if isinstance(s, TensorSpec):
            return structure.Spec(s.dtype, s.shape)
        if isinstance(s, RaggedTensorSpec):
            return structure.RaggedSpec(s.dtype, s.shape, s.ragged_rank, s.row_splits_dtype)
        if isinstance(s, SparseTensorSpec):
            return structure.SparseSpec(s.dtype, s.shape)
        raise NotImplementedError(
            f"load(element_spec=...) with a {type(s).__name__} component is not supported by "
            "scopeflow; give tf.TensorSpec, tf.SparseTensorSpec or tf.RaggedTensorSpec components "
            "(or element_spec=None)."
        )

    return structure.map_leaves(leaf, spec)


@undo.atomic
def load(path, element_spec=None, compression=None, reader_func=None, wait=False):
    """The dataset ``save`` wrote under ``path`` (its last run): its element spec read from
    there now unless given; ``reader_func(datasets)`` turns the dataset of the shards'
    datasets into one (by default they are interleaved, as TF's default)."""
    if wait:
        raise NotImplementedError(
            "Dataset.load(wait=True) (reading a tf.data service's distributed_save while it "
            "writes) is not supported by scopeflow; load a finished save."
        )
    path = os.fspath(path)
    compression = saved_files.check_compression(compression, "load")
    if element_spec is None:
        specs = saved_files.read_spec(path)
    else:
        specs = _specs_from_element_spec(element_spec)
    traced = _trace_reader(reader_func, specs, "load")
    with name_scope("LoadDataset") as scope:
        path_t = convert_to_tensor(path, dtypes.string, name="path")
        attrs = {
            "compression": compression,
            "reader_func": _token(traced),
            "Treader_func_args": [t.dtype.base_dtype for t in traced.captured],
        }
        return _create("LoadDataset", [path_t, *traced.captured], attrs, scope, specs)


@undo.atomic
def snapshot(self, path, compression="AUTO", reader_func=None, shard_func=None, name=None):
    """The same elements; the first complete pass writes them under ``path`` (in a directory
    named by the pipeline's fingerprint: its ops' functions and inputs' values), and later
    passes, sessions and programs read them from there instead. As TF builds it: without a
    ``shard_func``, the elements are enumerated and spread over one shard per CPU, then the
    index is dropped again."""
    compression = saved_files.check_compression(compression, "snapshot")
    dataset, project = self, None
    if shard_func is None:
        cpus = os.cpu_count() or 1
        dataset = self.enumerate()

        def shard_func(index, _):
            return index % cpus

        def project(_, element):
            return element

    shard = _trace_shard_func(shard_func, dataset._specs, "snapshot")
    reader = _trace_reader(reader_func, dataset._specs, "snapshot")
    with name_scope("SnapshotDatasetV2") as scope:
        path_t = convert_to_tensor(path, dtypes.string, name="path")
        attrs = {
            "compression": compression,
            "reader_prefix": "",
            "writer_prefix": "",
            "hash_valid": False,
            "hash": 0,
            "reader_func": _token(reader),
            "shard_func": _token(shard),
            "Treader_func_args": [t.dtype.base_dtype for t in reader.captured],
            "Tshard_func_args": [t.dtype.base_dtype for t in shard.captured],
            "metadata": "",
        }
        inputs = [dataset._variant_tensor, path_t, *reader.captured, *shard.captured]
        out = _create("SnapshotDatasetV2", inputs, attrs, scope, dataset._specs)
    return out if project is None else out.map(project)


def experimental_snapshot(path, compression="AUTO", reader_func=None, shard_func=None):
    """``tf.data.experimental.snapshot``: ``Dataset.snapshot`` as a transformation."""
    return lambda dataset: snapshot(dataset, path, compression, reader_func, shard_func)


Dataset.save = save
Dataset.load = staticmethod(load)
Dataset.snapshot = snapshot
