"""scopeflow: TensorFlow 1's graph mode and variable sharing, on NumPy.

``import scopeflow as tf`` gives TF1's public names (``tf.variable_scope``,
``tf.get_variable``, ``tf.placeholder``, ``tf.nn``...). This module holds no logic: it only
gathers the public API from the layers below.

``tf.contrib`` and ``tf.keras`` are imported on first use (TF1 loaded ``tf.contrib`` lazily
too): together about 120 modules that a program without them never needs.
"""

from __future__ import annotations

import builtins
import importlib

from scopeflow import (
    audio,
    autograph,
    bitwise,
    compat,
    config,
    data,
    debugging,
    distribute,
    distribute_cluster_resolver,
    distributions,
    dtypes,
    errors,
    estimator,
    experimental,
    feature_column,
    graph_util,
    image,
    initializers,
    io,
    layers,
    linalg,
    lookup,
    losses,
    manip,
    math,
    metrics,
    mixed_precision,
    nest,
    nn,
    python_io,
    quantization,
    queue,
    ragged,
    random,
    raw_ops,
    saved_model,
    sets,
    signal,
    sparse,
    spectral,
    strings,
    summary,
    sysconfig,
    test,
    tpu,
    train,
    types,
    user_ops,
    version,
    xla,
)
from scopeflow.data.optional import OptionalSpec
from scopeflow.eager_compat.function import function
from scopeflow.eager_compat.session_handles import (
    delete_session_tensor,
    get_session_handle,
    get_session_tensor,
)
from scopeflow.eager_compat.wrap_function import wrap_function
from scopeflow.framework.behavior import *  # noqa: F403
from scopeflow.framework.constant import (
    constant,
    convert_to_tensor,
    register_tensor_conversion_function,
)
from scopeflow.framework.defaults import (
    get_default_graph,
    get_default_session,
    reset_default_graph,
)
from scopeflow.framework.device import DeviceSpec
from scopeflow.framework.dtypes import (
    QUANTIZED_DTYPES,
    DType,
    as_dtype,
    bfloat16,
    bool,  # noqa: A004 - TF1's public name
    bool_ref,
    complex64,
    complex128,
    double,
    float16,
    float16_ref,
    float32,
    float32_ref,
    float64,
    float64_ref,
    half,
    int8,
    int8_ref,
    int16,
    int16_ref,
    int32,
    int32_ref,
    int64,
    int64_ref,
    qint8,
    qint16,
    qint32,
    quint8,
    quint16,
    resource,
    string,
    string_ref,
    uint8,
    uint8_ref,
    uint16,
    uint32,
    uint64,
    variant,
)
from scopeflow.framework.errors import OpError
from scopeflow.framework.graph import Graph, GraphKeys
from scopeflow.framework.graph_api import (
    add_to_collection,
    add_to_collections,
    colocate_with,
    container,
    control_dependencies,
    device,
    get_collection,
    get_collection_ref,
    get_name_scope,
    init_scope,
    name_scope,
)
from scopeflow.framework.indexed_slices import (
    IndexedSlices,
    IndexedSlicesValue,
    convert_to_tensor_or_indexed_slices,
)
from scopeflow.framework.operation import Operation
from scopeflow.framework.registry import NOT_DIFFERENTIABLE
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.tensor_shape import (
    Dimension,
    TensorShape,
    dimension_at_index,
    dimension_value,
)
from scopeflow.framework.tensor_spec import TensorSpec
from scopeflow.framework.type_spec import TypeSpec
from scopeflow.gradient_tape import GradientTape
from scopeflow.gradient_wrappers import *  # noqa: F403
from scopeflow.gradients import (
    AggregationMethod,
    NoGradient,
    NotDifferentiable,
    RegisterGradient,
    UnconnectedGradients,
    gradients,
)
from scopeflow.gradients import NotDifferentiable as no_gradient
from scopeflow.graph_io import (
    AttrValue,
    GraphDef,
    MetaGraphDef,
    NameAttrList,
    NodeDef,
    TensorInfo,
    TensorProto,
    import_graph_def,
    make_ndarray,
    make_tensor_proto,
)
from scopeflow.lookup.tables import initialize_all_tables, tables_initializer
from scopeflow.metrics.util import confusion_matrix
from scopeflow.ops.array import slicing  # noqa: F401 - installs Tensor.__getitem__
from scopeflow.ops.array.basic import *  # noqa: F403
from scopeflow.ops.array.bitcast import *  # noqa: F403
from scopeflow.ops.array.cast import *  # noqa: F403
from scopeflow.ops.array.coords import *  # noqa: F403
from scopeflow.ops.array.depth_space import *  # noqa: F403
from scopeflow.ops.array.fake_quant import *  # noqa: F403
from scopeflow.ops.array.gather import *  # noqa: F403
from scopeflow.ops.array.guarantee_const import *  # noqa: F403
from scopeflow.ops.array.join import *  # noqa: F403
from scopeflow.ops.array.pad import *  # noqa: F403
from scopeflow.ops.array.parallel_concat import *  # noqa: F403
from scopeflow.ops.array.partition import *  # noqa: F403
from scopeflow.ops.array.pinned import *  # noqa: F403
from scopeflow.ops.array.quantize import *  # noqa: F403
from scopeflow.ops.array.reverse_sequence import *  # noqa: F403
from scopeflow.ops.array.roll import *  # noqa: F403
from scopeflow.ops.array.shape import *  # noqa: F403
from scopeflow.ops.array.slicing import *  # noqa: F403
from scopeflow.ops.array.space_batch import *  # noqa: F403
from scopeflow.ops.array.stitch import *  # noqa: F403
from scopeflow.ops.array.tensor_scatter import *  # noqa: F403
from scopeflow.ops.array.transpose import *  # noqa: F403
from scopeflow.ops.array.unique import *  # noqa: F403
from scopeflow.ops.control.assertions import *  # noqa: F403
from scopeflow.ops.control.batch_function import *  # noqa: F403
from scopeflow.ops.control.case import *  # noqa: F403
from scopeflow.ops.control.checks import *  # noqa: F403
from scopeflow.ops.control.cond import *  # noqa: F403
from scopeflow.ops.control.critical_section import *  # noqa: F403
from scopeflow.ops.control.custom_gradient import *  # noqa: F403
from scopeflow.ops.control.functional import *  # noqa: F403
from scopeflow.ops.control.grouping import *  # noqa: F403
from scopeflow.ops.control.histogram_bins import *  # noqa: F403
from scopeflow.ops.control.numerics import *  # noqa: F403
from scopeflow.ops.control.printing import *  # noqa: F403
from scopeflow.ops.control.printing import print_v2 as print  # noqa: A004
from scopeflow.ops.control.script import *  # noqa: F403
from scopeflow.ops.control.sparse_reset_shape import sparse_reset_shape
from scopeflow.ops.control.tensor_array import *  # noqa: F403
from scopeflow.ops.control.tensor_array_spec import TensorArraySpec
from scopeflow.ops.control.timestamp import *  # noqa: F403
from scopeflow.ops.control.while_loop import *  # noqa: F403
from scopeflow.ops.core.static_value import get_static_value
from scopeflow.ops.data_flow.accumulators import *  # noqa: F403
from scopeflow.ops.data_flow.queues import *  # noqa: F403
from scopeflow.ops.image import projective as _projective  # noqa: F401 - registers its op
from scopeflow.ops.image.files import matching_files, read_file, write_file
from scopeflow.ops.image.patches import extract_image_patches
from scopeflow.ops.image.transforms import random_crop
from scopeflow.ops.image.volume_patches import extract_volume_patches
from scopeflow.ops.linalg.functions import sqrtm as matrix_square_root
from scopeflow.ops.math import operators  # noqa: F401 - installs Tensor's Python operators
from scopeflow.ops.math.bins import *  # noqa: F403
from scopeflow.ops.math.broadcasting import *  # noqa: F403
from scopeflow.ops.math.clip import *  # noqa: F403
from scopeflow.ops.math.complex import *  # noqa: F403
from scopeflow.ops.math.composite import *  # noqa: F403
from scopeflow.ops.math.deprecated import *  # noqa: F403
from scopeflow.ops.math.division import *  # noqa: F403
from scopeflow.ops.math.einsum import *  # noqa: F403
from scopeflow.ops.math.elementwise import *  # noqa: F403
from scopeflow.ops.math.linalg import *  # noqa: F403
from scopeflow.ops.math.linalg_eig import *  # noqa: F403
from scopeflow.ops.math.linalg_lstsq import *  # noqa: F403
from scopeflow.ops.math.linalg_solve import *  # noqa: F403
from scopeflow.ops.math.linspace import *  # noqa: F403
from scopeflow.ops.math.math_extras import accumulate_n, scalar_mul
from scopeflow.ops.math.matmul import *  # noqa: F403
from scopeflow.ops.math.norm import *  # noqa: F403
from scopeflow.ops.math.reduction import *  # noqa: F403
from scopeflow.ops.math.repeat import *  # noqa: F403
from scopeflow.ops.math.segment_extrema import *  # noqa: F403
from scopeflow.ops.math.selection import *  # noqa: F403
from scopeflow.ops.math.sequence import *  # noqa: F403
from scopeflow.ops.math.sparse_matmul import sparse_matmul
from scopeflow.ops.math.special import *  # noqa: F403
from scopeflow.ops.math.special import lbeta
from scopeflow.ops.math.svd import *  # noqa: F403
from scopeflow.ops.math.tensor_scatter_extrema import *  # noqa: F403
from scopeflow.ops.math.trig import *  # noqa: F403
from scopeflow.ops.math.truncate_shift import *  # noqa: F403
from scopeflow.ops.nn.approx_top_k import approx_top_k
from scopeflow.ops.nn.conv_backprop_v2 import *  # noqa: F403
from scopeflow.ops.nn.conv_generic import conv
from scopeflow.ops.nn.sort import argsort, sort
from scopeflow.ops.parsing.compressed import decode_compressed
from scopeflow.ops.parsing.decode import *  # noqa: F403
from scopeflow.ops.parsing.example_ops import *  # noqa: F403
from scopeflow.ops.parsing.sequence_ops import *  # noqa: F403
from scopeflow.ops.parsing.sparse_serialize import *  # noqa: F403
from scopeflow.ops.parsing.tensor_proto import *  # noqa: F403
from scopeflow.ops.random.gamma import *  # noqa: F403
from scopeflow.ops.random.index_shuffle import *  # noqa: F403
from scopeflow.ops.random.sampling import *  # noqa: F403
from scopeflow.ops.signal.fft import *  # noqa: F403
from scopeflow.ops.signal.fftnd import fftnd_op as fftnd
from scopeflow.ops.signal.fftnd import ifftnd_op as ifftnd
from scopeflow.ops.signal.fftnd import irfftnd_op as irfftnd
from scopeflow.ops.signal.fftnd import rfftnd_op as rfftnd
from scopeflow.ops.sparse.combine import *  # noqa: F403
from scopeflow.ops.sparse.dense import *  # noqa: F403
from scopeflow.ops.sparse.edit_distance import *  # noqa: F403
from scopeflow.ops.sparse.extrema import *  # noqa: F403
from scopeflow.ops.sparse.eye_mask import sparse_mask
from scopeflow.ops.sparse.merge import *  # noqa: F403
from scopeflow.ops.sparse.segment import *  # noqa: F403
from scopeflow.ops.sparse.segment_means import *  # noqa: F403
from scopeflow.ops.sparse.segment_sorted import *  # noqa: F403
from scopeflow.ops.sparse.spec import SparseTensorSpec
from scopeflow.ops.sparse.structure import *  # noqa: F403
from scopeflow.ops.sparse.tensor import *  # noqa: F403
from scopeflow.ops.state.batch_scatter import batch_scatter_update
from scopeflow.ops.state.scatter import *  # noqa: F403
from scopeflow.ops.state.storage import *  # noqa: F403
from scopeflow.ops.strings.convert import *  # noqa: F403
from scopeflow.ops.strings.hashing import *  # noqa: F403
from scopeflow.ops.strings.join import *  # noqa: F403
from scopeflow.ops.strings.split import *  # noqa: F403
from scopeflow.ops.strings.transform import *  # noqa: F403
from scopeflow.platform import app, flags, gfile, resource_loader
from scopeflow.platform import tf_logging as logging
from scopeflow.platform.resource_loader import (
    load_file_system_library,
    load_library,
    load_op_library,
)
from scopeflow.platform.tf_logging import get_logger
from scopeflow.ragged import RaggedTensor, RaggedTensorSpec
from scopeflow.ragged.array_dispatch import (  # dense, or ragged as TF dispatches them
    concat,
    gather,
    reduce_all,
    reduce_any,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_sum,
)
from scopeflow.ragged.fill_empty_rows import *  # noqa: F403
from scopeflow.ragged.math_dispatch import *  # noqa: F403 - dense, or ragged as TF's
from scopeflow.ragged.parsing import parse_example  # also RaggedFeature's RaggedTensors
from scopeflow.ragged.strings import string_split  # TF1's, with result_type='RaggedTensor'
from scopeflow.ragged.strings_dispatch import (  # TF1's, also on RaggedTensors as TF's
    as_string,
    reduce_join,
    regex_replace,
    substr,
)
from scopeflow.ragged.strings_dispatch import join as string_join
from scopeflow.ragged.strings_dispatch import strip as string_strip
from scopeflow.ragged.strings_dispatch import to_hash_bucket as string_to_hash_bucket
from scopeflow.ragged.strings_dispatch import to_hash_bucket_fast as string_to_hash_bucket_fast
from scopeflow.ragged.strings_dispatch import (
    to_hash_bucket_strong as string_to_hash_bucket_strong,
)
from scopeflow.session.config import (
    ConfigProto,
    GPUOptions,
    GraphOptions,
    OptimizerOptions,
    RunMetadata,
    RunOptions,
)
from scopeflow.session.session import InteractiveSession, Session
from scopeflow.summary.deprecated import (
    audio_summary,
    histogram_summary,
    image_summary,
    merge_all_summaries,
    merge_summary,
    scalar_summary,
)
from scopeflow.summary.protos import (
    Event,
    HistogramProto,
    LogMessage,
    SessionLog,
    Summary,
    SummaryMetadata,
)
from scopeflow.train.example_json import decode_json_example
from scopeflow.train.moving_averages import moving_average_variables
from scopeflow.train.readers import *  # noqa: F403
from scopeflow.type_specs import *  # noqa: F403
from scopeflow.variables import resource_variable as _resource_variable  # noqa: F401
from scopeflow.variables.collections import (
    all_variables,
    assert_variables_initialized,
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    initialize_local_variables,
    initialize_variables,
    local_variables,
    local_variables_initializer,
    model_variables,
    no_regularizer,
    report_uninitialized_variables,
    trainable_variables,
    variables_initializer,
)
from scopeflow.variables.creator_scope import variable_creator_scope
from scopeflow.variables.initializers import (
    constant_initializer,
    glorot_normal_initializer,
    glorot_uniform_initializer,
    ones_initializer,
    orthogonal_initializer,
    random_normal_initializer,
    random_uniform_initializer,
    truncated_normal_initializer,
    uniform_unit_scaling_initializer,
    variance_scaling_initializer,
    zeros_initializer,
)
from scopeflow.variables.legacy_scopes import *  # noqa: F403
from scopeflow.variables.module import Module
from scopeflow.variables.partitioned import (
    fixed_size_partitioner,
    min_max_variable_partitioner,
    variable_axis_size_partitioner,
)
from scopeflow.variables.synchronization import VariableAggregation, VariableSynchronization
from scopeflow.variables.template import make_template
from scopeflow.variables.variable_scope import (
    AUTO_REUSE,
    VariableScope,
    create_partitioned_variables,
    get_local_variable,
    get_variable,
    get_variable_scope,
    variable_scope,
)
from scopeflow.variables.variables import Variable, VariableV1
from scopeflow.version import (
    COMPILER_VERSION,
    GIT_VERSION,
    GRAPH_DEF_VERSION,
    GRAPH_DEF_VERSION_MIN_CONSUMER,
    GRAPH_DEF_VERSION_MIN_PRODUCER,
    VERSION,
)

__version__ = "0.1.0"

newaxis = None
VARIABLES = GraphKeys.GLOBAL_VARIABLES


def is_tensor(x) -> builtins.bool:
    """Whether ``x`` is a Tensor (a Variable is not, as in TF1)."""
    return isinstance(x, Tensor)


def is_symbolic_tensor(tensor) -> builtins.bool:
    """Whether ``tensor`` is a graph tensor or variable (every tensor in scopeflow is)."""
    return isinstance(tensor, (Tensor, Variable))


def disable_v2_behavior() -> None:
    """Accepted for TF1 scripts (scopeflow is always in TF1 graph mode); as TF's, turns
    resource variables off again (``tf.disable_resource_variables()``)."""
    disable_resource_variables()  # noqa: F405


def disable_eager_execution() -> None:
    """Accepted for TF1 scripts; scopeflow never executes eagerly."""


def enable_eager_execution(*args, **kwargs):
    """TF's eager mode (``config``, ``device_policy``, ``execution_mode``), which scopeflow
    does not have: ``NotImplementedError``."""
    raise NotImplementedError(
        "tf.enable_eager_execution: scopeflow runs TF1 graphs only; build the graph and run "
        "it with tf.Session (or remove this call: graph mode is the default)."
    )


def enable_v2_behavior() -> None:
    """TF 2's behaviour (eager execution, resource variables), which scopeflow does not have:
    ``NotImplementedError``."""
    raise NotImplementedError(
        "tf.enable_v2_behavior: scopeflow is TensorFlow 1's graph mode (reference variables, "
        "tf.Session); remove this call, or call tf.disable_v2_behavior(), which is accepted."
    )


def executing_eagerly():
    """Always ``False``: scopeflow builds graphs."""
    return False


def executing_eagerly_outside_functions():
    """Always ``False``: scopeflow builds graphs."""
    return False


# tf.train.experimental's loss scaling lives in mixed_precision/, above train/
train.experimental = mixed_precision.train_experimental
# tf.distribute's cluster resolvers and Server live in train/, above distribute/
distribute.cluster_resolver = distribute_cluster_resolver
distribute.Server = train.Server

_ON_FIRST_USE = {
    "contrib": "scopeflow.contrib",
    "keras": "scopeflow.keras",
    "profiler": "scopeflow.profiler",
}


def __getattr__(name: str):
    """``tf.contrib``, ``tf.keras`` and ``tf.profiler``, imported when first used."""
    if name in _ON_FIRST_USE:
        module = importlib.import_module(_ON_FIRST_USE[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'scopeflow' has no attribute {name!r}")


def __dir__() -> list:
    return sorted({*globals(), *_ON_FIRST_USE})
