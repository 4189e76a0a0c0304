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
    image,
    legacy,
    linalg,
    math,
    misc,
    nn,
    nn_windows,
    optimizers,
    quantization,
    resource,
    signal,
    special,
    state,
    tridiagonal,
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
    **image.LOWERINGS,
    **nn_windows.LOWERINGS,
    **optimizers.LOWERINGS,
    **quantization.LOWERINGS,
    **tridiagonal.LOWERINGS,
    **legacy.LOWERINGS,
    **misc.LOWERINGS,
    **resource.LOWERINGS,
}
KEYED = state.KEYED | special.KEYED  # op types whose lowering draws a random key (``ctx.key``)

_REF = "a variable by reference in a tf.cond: the plan runs on the host"
_LOOP_GRAD = "a loop gradient's state: a loop using it runs on the host"
_STRINGS = "strings and summaries: no string type in XLA"
_DYNAMIC = "output shape depends on the values (XLA needs static shapes)"
_FUSED_RNN = "tf.contrib.rnn's fused cells: no lowering yet, they run on the host with NumPy"
_SIDE = "a side effect or a run-time check on the host"
_SPARSE = "sparse tensor op: value-dependent shapes; runs on the host"
_DATA = "tf.data: datasets and iterators are Python objects on the host"

HOST_ONLY: dict[str, str] = {
    "RefSwitch": _REF,
    "TPUCompilationResult": _STRINGS,  # tf.tpu.replicate's compilation status
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
            "GenerateVocabRemapping",
            "LoadAndRemapMatrix",
            "DecodeWav",
            "EncodeWav",
            "DecodeCompressed",
            "DecodeJSONExample",
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
            "SerializeManySparse",
            "DeserializeManySparse",
            "ReadFile",
            "WriteFile",
            "MatchingFiles",
            "DecodePng",
            "EncodePng",
            "DecodeJpeg",
            "EncodeJpeg",
            "DecodeImage",
            "ExtractJpegShape",
            "DecodeAndCropJpeg",
            "EncodeJpegVariableQuality",
            "DecodeBmp",
            "DecodeGif",
            "DecodeWebP",
        ],
        _STRINGS,
    ),
    **dict.fromkeys(
        [
            "Where",
            "Unique",
            "DenseBincount",
            "SegmentSum",
            "MatrixDiagV3",  # its shape and positions come from the k/num_rows/num_cols values
            "MatrixDiagPartV3",
            "MatrixSetDiagV3",
            "ComputeAccidentalHits",
            "EditDistance",
            "CTCBeamSearchDecoder",
            "CTCGreedyDecoder",
            "DenseToDenseSetOperation",
            "DenseToSparseSetOperation",
            "SparseToSparseSetOperation",
            "SetSize",
            "NonMaxSuppressionV3",
            "NonMaxSuppressionV4",
            "NonMaxSuppressionV5",
            "NonMaxSuppressionWithOverlaps",
        ],
        _DYNAMIC,
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
            "OptionsDataset",
            "DatasetCardinality",
            "IteratorV2",
            "OneShotIterator",
            "MakeIterator",
            "IteratorGetNext",
            "IteratorToStringHandle",
            "IteratorFromStringHandleV2",
            *("ShardDataset", "UnbatchDataset", "TakeWhileDataset", "ScanDataset"),
            *("ReduceDataset", "UniqueDataset", "MapAndBatchDataset", "ShuffleAndRepeatDataset"),
            *("LegacyParallelInterleaveDatasetV2", "IgnoreErrorsDataset", "RandomDataset"),
            *("DatasetToSingleElement", "DirectedInterleaveDataset", "GroupByWindowDataset"),
            "DatasetToTFRecord",
            "CSVDatasetV2",
            *("OptionalFromValue", "OptionalNone", "OptionalHasValue", "OptionalGetValue"),
            "IteratorGetNextAsOptional",
            "WindowDataset",
            *("ListDataset", "SqlDataset", "ExperimentalGroupByReducerDataset"),
            *("DenseToSparseBatchDataset", "AssertCardinalityDataset", "ParseExampleDatasetV2"),
            "InitializeTableFromDataset",
            "SparseTensorSliceDataset",
            "RebatchDatasetV2",
            *("SaveDataset", "LoadDataset", "SnapshotDatasetV2"),
            *("RaggedTensorToVariant", "RaggedTensorFromVariant"),
        ],
        _DATA,
    ),
    **dict.fromkeys(
        [
            "FIFOQueueV2",
            "RandomShuffleQueueV2",
            "PaddingFIFOQueueV2",
            "PriorityQueueV2",
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
        ["MutexV2", "MutexLock", "ConsumeMutexLock"],
        "tf.CriticalSection: a mutex in the session, held by a run until it commits",
    ),
    "CheckNumericsV2": _SIDE,  # tf.debugging.enable_check_numerics
    **dict.fromkeys(
        [
            "TFRecordReaderV2",
            "TextLineReaderV2",
            "WholeFileReaderV2",
            "FixedLengthRecordReaderV2",
            "IdentityReaderV2",
            "ReaderReadV2",
            "ReaderReadUpToV2",
            "ReaderNumRecordsProducedV2",
            "ReaderNumWorkUnitsCompletedV2",
            "ReaderSerializeStateV2",
            "ReaderRestoreStateV2",
            "ReaderResetV2",
        ],
        "a reader: reads files named by a queue's elements, state kept in the session",
    ),
    "Timestamp": "the host's clock, read when the op runs",
    **dict.fromkeys(
        [
            "ResourceConditionalAccumulator",
            "SparseConditionalAccumulator",
            "ResourceAccumulatorApplyGradient",
            "ResourceAccumulatorTakeGradient",
            "ResourceAccumulatorNumAccumulated",
            "ResourceAccumulatorSetGlobalStep",
            "SparseAccumulatorApplyGradient",
            "SparseAccumulatorTakeGradient",
            "AccumulatorNumAccumulated",
            "AccumulatorSetGlobalStep",
        ],
        "a gradient accumulator: arrays in the session that other threads' runs wait on",
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
            "MutableDenseHashTableV2",
            "LookupTableRemoveV2",
        ],
        "a lookup table: a Python dict in the session, keyed by strings or numbers",
    ),
    **dict.fromkeys(
        ["GetSessionHandle", "GetSessionTensor", "DeleteSessionTensor"],
        "a tensor kept between runs: a Python dict in the session, keyed by handle strings",
    ),
    **dict.fromkeys(
        ["SummaryWriter", "CreateSummaryFileWriter", "FlushSummaryWriter", "CloseSummaryWriter"]
        + ["WriteScalarSummary", "WriteHistogramSummary", "WriteImageSummary"]
        + ["WriteAudioSummary", "WriteSummary"],
        "a summary writer: an events file the session keeps open, written on the host",
    ),
    "SparseCross": _SPARSE,
    **dict.fromkeys(
        ["SparseCrossV2", "DenseCountSparseOutput", "SparseCountSparseOutput"], _SPARSE
    ),
    "RaggedCountSparseOutput": _SPARSE,
    "UnsortedSegmentJoin": _STRINGS,
    **dict.fromkeys(
        ["RaggedGather", "RaggedRange", "RaggedTensorToSparse", "RaggedTensorToTensor"]
        + ["RaggedCross"],
        "ragged tensors: the sizes of the rows are values, so are the output shapes",
    ),
    **dict.fromkeys(
        ["UnicodeDecode", "UnicodeDecodeWithOffsets", "UnicodeEncode", "UnicodeTranscode"],
        _STRINGS,
    ),
    **dict.fromkeys(["StringNGrams", "UnicodeScript"], _STRINGS),
    **dict.fromkeys(["DynamicPartition", "UniqueWithCounts", "SegmentMean"], _DYNAMIC),
    **dict.fromkeys(["SegmentMax", "SegmentMin", "SegmentProd"], _DYNAMIC),
    **dict.fromkeys(
        [
            "FixedUnigramCandidateSampler",
            "LogUniformCandidateSampler",
            "UniformCandidateSampler",
            "SampleDistortedBoundingBoxV2",
        ],
        "TF's seeded draws in NumPy, repeated until they qualify (unique classes, a box "
        "covering enough of the image): a value-dependent number of tries",
    ),
    "CTCLoss": "labels from a SparseTensor, collapsed and cut at a blank: their lengths "
    "depend on the values",
    **dict.fromkeys(
        ["MatrixLogarithm", "MatrixSquareRoot"],
        "a Schur decomposition (SciPy's sqrtm/logm): XLA has one on CPU only",
    ),
    **dict.fromkeys(
        ["BesselJ0", "BesselJ1", "BesselY0", "BesselY1"]
        + ["BesselK0", "BesselK0e", "BesselK1", "BesselK1e"],
        "no JAX function for it (jax.scipy.special has the I functions; its bessel_jn "
        "recurrence gives NaN at 0): SciPy's values on the host",
    ),
    "EnsureShape": _SIDE,
    **dict.fromkeys(
        [
            "StatelessRandomUniform",
            "StatelessRandomNormal",
            "StatelessTruncatedNormal",
            "StatelessRandomUniformInt",
            "StatelessMultinomial",
            "StatelessRandomGetKeyCounter",
            "StatelessRandomUniformFullIntV2",
            "StatelessShuffle",
            "StatelessRandomUniformV2",
            "StatelessRandomNormalV2",
            "StatelessTruncatedNormalV2",
            "StatelessRandomUniformIntV2",
        ],
        "TF's Philox values for the seed input, drawn in NumPy (the same in every run)",
    ),
    **dict.fromkeys(
        [
            "StatelessRandomGammaV3",
            "StatelessRandomPoisson",
            "StatelessParameterizedTruncatedNormal",
        ],
        "TF's rejection samplers (a value-dependent number of Philox draws per output) on "
        "the host",
    ),
    "CountUpTo": "fails with OutOfRangeError at its limit: a run-time check on the host",
    "ResourceCountUpTo": "fails with OutOfRangeError at its limit: a run-time check on the host",
    "RngReadAndSkip": "reads and moves on a tf.random.Generator's Philox state variable: the "
    "host's stateful draw bookkeeping",
    "Placeholder": "fed: its value is an input of the compiled function, never a step",
    "PlaceholderV2": "fed: its value is an input of the compiled function, never a step",
    **dict.fromkeys(["NonMaxSuppression", "NonMaxSuppressionV2"], _DYNAMIC),
    **dict.fromkeys(
        ["LSTMBlockCell", "LSTMBlockCellGrad", "BlockLSTM", "BlockLSTMGrad", "BlockLSTMV2"],
        _FUSED_RNN,
    ),
    **dict.fromkeys(["BlockLSTMGradV2", "GRUBlockCell", "GRUBlockCellGrad"], _FUSED_RNN),
    **dict.fromkeys(
        ["Assert", "CheckNumerics", "Print", "PrintV2", "PyFunc", "PyFuncStateless", "EagerPyFunc"],
        _SIDE,
    ),
    **dict.fromkeys(["StringToHashBucket", "StringToHashBucketStrong", "Fingerprint"], _STRINGS),
    "ApproxTopK": "exact top-k along any dimension: NumPy on the host (no lowering written yet)",
    "Fact": _STRINGS,
    "CheckPinned": "fails every run (no pinned memory): a run-time check on the host",
    "RaggedFillEmptyRows": _DYNAMIC,
    "RaggedFillEmptyRowsGrad": "the gradient of RaggedFillEmptyRows (index checks at run "
    "time): NumPy on the host beside it",
    "StatelessRandomBinomial": "TF's inversion and BTRS samplers (a value-dependent number "
    "of Philox draws per output): NumPy on the host",
    "RandomIndexShuffle": "TF's Simon cipher walked until in range (a value-dependent "
    "number of rounds, on 64-bit words): Python integers on the host",
    **dict.fromkeys(
        ["QuantizeV2", "Dequantize", "QuantizedConcat", "QuantizedAvgPool", "QuantizedMaxPool",
         "QuantizedConv2D", "RequantizationRange", "Requantize", "QuantizeDownAndShrinkRange",
         "QuantizedRelu", "QuantizedRelu6", "QuantizedReshape", "QuantizedMatMul",
         "QuantizedBiasAdd"],
        "TF's quantized types (qint8, quint8...: structured NumPy dtypes) have no JAX type; "
        "NumPy on the host",
    ),
    **dict.fromkeys(
        ["FractionalMaxPool", "FractionalAvgPool"],
        "windows at random boundaries drawn from TF's Philox stream (rows then columns) per "
        "run: NumPy on the host",
    ),
    **dict.fromkeys(
        ["FractionalMaxPoolGrad", "FractionalAvgPoolGrad"],
        "windows whose boundaries are run-time inputs (data-dependent sizes): NumPy on the host",
    ),
    "SobolSample": "points of SciPy's unscrambled Sobol' engine (Joe and Kuo's direction "
    "numbers, as TF's kernel) on the host",
    "CombinedNonMaxSuppression": "a greedy loop per image and class in the order of a C++ "
    "heap and std::sort: NumPy on the host",
    **dict.fromkeys(
        ["ExtractGlimpse", "ExtractGlimpseV2"],
        "noise drawn on the host around the image's pixels (a glimpse per image)",
    ),
    **dict.fromkeys(
        ["FFTND", "IFFTND", "RFFTND", "IRFFTND"],
        "N-D FFTs over axes given as values: SciPy's on the host (no lowering written yet)",
    ),
    "Conv": "TF 2.21's generic convolution: NumPy on the host (no lowering written yet)",
    "Mfcc": "its mel filterbank is built from the sample rate's value: NumPy on the host",
}
