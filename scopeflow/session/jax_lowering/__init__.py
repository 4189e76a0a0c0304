"""JAX lowerings of the op registry, as data: ``LOWERINGS`` maps an op type to a function
``(ctx, op, *inputs) -> output(s)`` computing with ``jax.numpy`` while a segment is traced
(same signature as the op's NumPy kernel; ``ctx`` is ``jax_trace.TraceContext``).

Every registered op type is either here or in ``HOST_ONLY`` with the reason it runs on the
host (its NumPy kernel, between compiled segments) or, for control flow, the reason the
whole plan runs on the host. ``tests/session/test_jax_executor.py`` checks both tables cover
the registry, and runs every kernel case through both executors.

Imported only by the JAX executor (``session/jax_*.py``) and ``scopeflow.export`` (it imports JAX).
"""

from __future__ import annotations

from scopeflow.session.jax_lowering import (
    array,
    control,
    linalg,
    math,
    nn,
    signal,
    special,
    state,
)

LOWERINGS: dict = {
    **math.LOWERINGS,
    **linalg.LOWERINGS,
    **array.LOWERINGS,
    **nn.LOWERINGS,
    **state.LOWERINGS,
    **control.LOWERINGS,
    **special.LOWERINGS,
    **signal.LOWERINGS,
}
KEYED = state.KEYED | special.KEYED  # op types whose lowering draws a random key (``ctx.key``)

_REF = "a variable by reference in a tf.cond: the plan runs on the host"
_LOOP_GRAD = "a loop gradient's state: a loop using it runs on the host"
_STRINGS = "strings and summaries: no string type in XLA"
_DYNAMIC = "output shape depends on the values (XLA needs static shapes)"
_SIDE = "a side effect or a run-time check on the host"
_SPARSE = "sparse tensor op: value-dependent shapes; runs on the host"
_LATER = "no lowering yet: runs on the host with its NumPy kernel"
_DATA = "tf.data: datasets and iterators are Python objects on the host"

HOST_ONLY: dict[str, str] = {
    "RefSwitch": _REF,
    **dict.fromkeys(
        [
            "TensorArrayConcatV3",
            "TensorArraySplitV3",
        ],
        _LOOP_GRAD,
    ),
    **dict.fromkeys(
        [
            "AudioSummaryV2",
            "HistogramSummary",
            "ImageSummary",
            "MergeSummary",
            "ScalarSummary",
            "TensorSummaryV2",
            "StringFormat",
            "RestoreV2",
            "ParseExampleV2",
            "DecodeRaw",
            "DecodeCSV",
            "StringSplit",
            "StringSplitV2",
            "StringJoin",
            "ReduceJoin",
            "StringLength",
            "Substr",
            "StaticRegexReplace",
            "RegexReplace",
            "StringToNumber",
            "AsString",
            "StringLower",
            "StringUpper",
            "StringStrip",
            "SerializeTensor",
            "ParseTensor",
            "ParseSequenceExampleV2",
            "RegexFullMatch",
            "StaticRegexFullMatch",
            "EncodeBase64",
            "DecodeBase64",
            "StringToHashBucketFast",
            "SerializeSparse",
            "DeserializeSparse",
        ],
        _STRINGS,
    ),
    **dict.fromkeys(
        [
            "Where",
            "Unique",
            "DenseBincount",
            "SegmentSum",
            "DynamicStitch",
            "ComputeAccidentalHits",
            "EditDistance",
            "CTCBeamSearchDecoder",
            "CTCGreedyDecoder",
            "DenseToDenseSetOperation",
            "DenseToSparseSetOperation",
            "SparseToSparseSetOperation",
            "SetSize",
        ],
        _DYNAMIC,
    ),
    **dict.fromkeys(
        [
            "AdjustContrastv2",
            "AllCandidateSampler",
            "CTCLoss",
            "FixedUnigramCandidateSampler",
            "LogUniformCandidateSampler",
            "UniformCandidateSampler",
            "LRN",
            "ResizeBicubic",
            "ResizeBicubicGrad",
            "LRNGrad",
            "MirrorPadGrad",
            "ResizeArea",
            "ResizeBilinear",
            "ResizeBilinearGrad",
            "ResizeNearestNeighbor",
            "ResizeNearestNeighborGrad",
            "ExtractImagePatches",
            "ReverseSequence",
            "SparseApplyAdadelta",
            "SparseApplyAdagrad",
            "SparseApplyCenteredRMSProp",
            "SparseApplyMomentum",
            "SparseApplyRMSProp",
        ],
        _LATER,
    ),
    **dict.fromkeys(
        [
            "SparseAdd",
            "SparseAddGrad",
            "SparseConcat",
            "SparseDenseCwiseAdd",
            "SparseDenseCwiseDiv",
            "SparseDenseCwiseMul",
            "SparseFillEmptyRows",
            "SparseFillEmptyRowsGrad",
            "SparseReduceMax",
            "SparseReduceMaxSparse",
            "SparseReduceSum",
            "SparseReduceSumSparse",
            "SparseReorder",
            "SparseReshape",
            "SparseSegmentMean",
            "SparseSegmentMeanGrad",
            "SparseSegmentMeanGradV2",
            "SparseSegmentMeanWithNumSegments",
            "SparseSegmentSqrtN",
            "SparseSegmentSqrtNGrad",
            "SparseSegmentSqrtNGradV2",
            "SparseSegmentSqrtNWithNumSegments",
            "SparseSegmentSum",
            "SparseSegmentSumGrad",
            "SparseSegmentSumGradV2",
            "SparseSegmentSumWithNumSegments",
            "SparseSlice",
            "SparseSliceGrad",
            "SparseSoftmax",
            "SparseSparseMaximum",
            "SparseSparseMinimum",
            "SparseSplit",
            "SparseTensorDenseAdd",
            "SparseTensorDenseMatMul",
            "SparseToDense",
        ],
        _SPARSE,
    ),
    **dict.fromkeys(
        [
            "TensorSliceDataset",
            "TensorDataset",
            "RangeDataset",
            "ZipDataset",
            "ConcatenateDataset",
            "MapDataset",
            "ParallelMapDatasetV2",
            "FilterDataset",
            "FlatMapDataset",
            "InterleaveDataset",
            "BatchDatasetV2",
            "PaddedBatchDatasetV2",
            "ShuffleDataset",
            "RepeatDataset",
            "TakeDataset",
            "SkipDataset",
            "PrefetchDataset",
            "CacheDataset",
            "IteratorV2",
            "OneShotIterator",
            "MakeIterator",
            "IteratorGetNext",
            "IteratorToStringHandle",
            "IteratorFromStringHandleV2",
        ],
        _DATA,
    ),
    **dict.fromkeys(
        [
            "FIFOQueueV2",
            "RandomShuffleQueueV2",
            "PaddingFIFOQueueV2",
            "QueueEnqueueV2",
            "QueueEnqueueManyV2",
            "QueueDequeueV2",
            "QueueDequeueManyV2",
            "QueueDequeueUpToV2",
            "QueueCloseV2",
            "QueueSizeV2",
            "QueueIsClosedV2",
        ],
        "a queue: a Python object in the session that other threads' runs wait on",
    ),
    **dict.fromkeys(
        [
            "HashTableV2",
            "MutableHashTableV2",
            "MutableHashTableOfTensorsV2",
            "LookupTableImportV2",
            "InitializeTableFromTextFileV2",
            "LookupTableInsertV2",
            "LookupTableFindV2",
            "LookupTableSizeV2",
            "LookupTableExportV2",
        ],
        "a lookup table: a Python dict in the session, keyed by strings or numbers",
    ),
    "Bucketize": _LATER,
    "SparseCross": _SPARSE,
    "CountUpTo": "fails with OutOfRangeError at its limit: a run-time check on the host",
    "Placeholder": "fed: its value is an input of the compiled function, never a step",
    **dict.fromkeys(
        ["Assert", "CheckNumerics", "Print", "PrintV2", "PyFunc", "PyFuncStateless", "EagerPyFunc"],
        _SIDE,
    ),
}
