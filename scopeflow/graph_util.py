"""``tf.graph_util`` (also ``tf.compat.v1.graph_util``): freezing GraphDefs."""

from __future__ import annotations

from scopeflow.graph_io.graph_util import (
    convert_variables_to_constants,
    extract_sub_graph,
    remove_training_nodes,
)

__all__ = ["convert_variables_to_constants", "extract_sub_graph", "remove_training_nodes"]
