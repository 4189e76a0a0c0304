"""``tf.graph_util`` (also ``tf.compat.v1.graph_util``): freezing GraphDefs."""

from __future__ import annotations

from scopeflow.graph_io import import_graph_def
from scopeflow.graph_io.graph_util import (
    convert_variables_to_constants,
    extract_sub_graph,
    must_run_on_cpu,
    remove_training_nodes,
    tensor_shape_from_node_def_name,
)

__all__ = [
    "convert_variables_to_constants",
    "extract_sub_graph",
    "import_graph_def",
    "must_run_on_cpu",
    "remove_training_nodes",
    "tensor_shape_from_node_def_name",
]
