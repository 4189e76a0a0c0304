"""More of ``tf.contrib.framework``'s (and slim's) variable helpers, as tf_slim has them:
assigning variables from a checkpoint or from NumPy values through placeholders (the op and
its feed dict), filtering variables by regex, the global step's checks, and variables made
outside ``TRAINABLE_VARIABLES``.

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     w = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
...     assign, feed = tf.contrib.framework.assign_from_values({"w": np.array([1.0, 2.0])})
...     with tf.Session() as sess:
...         sess.run(assign, feed)
...         print(sess.run(w))
[1. 2.]
"""

from __future__ import annotations

import logging
import re

from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import add_to_collection, get_collection
from scopeflow.ops.array.basic import placeholder
from scopeflow.ops.control.grouping import group
from scopeflow.train.checkpoint_utils import CheckpointReader, checkpoint_prefix
from scopeflow.train.training_util import assert_global_step, get_global_step
from scopeflow.variables.variables import Variable

_log = logging.getLogger("tensorflow")


def add_model_variable(var) -> None:
    """Files ``var`` in ``MODEL_VARIABLES`` (once)."""
    if var not in get_collection(GraphKeys.MODEL_VARIABLES):
        add_to_collection(GraphKeys.MODEL_VARIABLES, var)


def assert_or_get_global_step(graph=None, global_step_tensor=None):
    """``global_step_tensor`` checked to be a global step, or the graph's global step."""
    if global_step_tensor is None:
        return get_global_step(graph)
    assert_global_step(global_step_tensor)
    return global_step_tensor


def get_variable_full_name(var) -> str:
    """The name ``var`` has in checkpoints: its partitioned variable's for a part."""
    info = var._get_save_slice_info()
    return info.full_name if info is not None else var.op.name


def filter_variables(var_list, include_patterns=None, exclude_patterns=None, reg_search=True):
    """The variables of ``var_list`` whose names match one of ``include_patterns`` (all when
    None) and none of ``exclude_patterns``; ``re.search`` (or ``re.match`` when
    ``reg_search`` is False) against ``var.name``."""
    matches = re.search if reg_search else re.match
    kept = list(var_list)
    if include_patterns is not None:
        kept = [v for v in kept if any(matches(p, v.name) for p in include_patterns)]
    if exclude_patterns is not None:
        kept = [v for v in kept if not any(matches(p, v.name) for p in exclude_patterns)]
    return kept


def _assign_through_placeholder(var, value, feed: dict, ops: list) -> None:
    fed = placeholder(var.dtype.base_dtype, var.get_shape(), name="placeholder/" + var.op.name)
    ops.append(var.assign(fed))
    feed[fed] = value


def assign_from_values(var_names_to_values):
    """``(assign_op, feed_dict)`` setting each global variable named in
    ``var_names_to_values`` to its NumPy value (reshaped to the variable's shape)."""
    feed, ops = {}, []
    for name, value in var_names_to_values.items():
        found = get_collection(GraphKeys.GLOBAL_VARIABLES, name)
        if not found:
            raise ValueError(f"Variable {name} wasn't found")
        if len(found) > 1:
            exact = [v for v in found if v.op.name == name]
            if not exact:
                raise ValueError(f"Variable {name} doesn't uniquely identify a variable")
            found = exact
        var = found[0]
        _assign_through_placeholder(var, value.reshape(var.get_shape().as_list()), feed, ops)
    return group(*ops), feed


def assign_from_values_fn(var_names_to_values):
    """A function ``fn(session)`` running :func:`assign_from_values`'s assignment."""
    assign, feed = assign_from_values(var_names_to_values)

    def callback(session):
        return session.run(assign, feed)

    return callback


def _grouped(var_list) -> dict:
    """{checkpoint name: [variables]} of a list of variables or a {name: variable(s)} dict."""
    if isinstance(var_list, list | tuple):
        grouped: dict = {}
        for var in var_list:
            grouped.setdefault(get_variable_full_name(var), []).append(var)
        return grouped
    return {k: list(v) if isinstance(v, list | tuple) else [v] for k, v in var_list.items()}


def assign_from_checkpoint(model_path, var_list, ignore_missing_vars=False):
    """``(assign_op, feed_dict)`` restoring ``var_list`` (variables, or a dict from
    checkpoint names to variables) from the checkpoint ``model_path``, parts of partitioned
    variables from their slice of the saved whole."""
    reader = CheckpointReader(checkpoint_prefix(model_path))
    feed, ops = {}, []
    for ckpt_name, variables in _grouped(var_list).items():
        if not reader.has_tensor(ckpt_name):
            message = f"Checkpoint is missing variable [{ckpt_name}]"
            if ignore_missing_vars:
                _log.warning(message)
                continue
            raise ValueError(message)
        saved = reader.get_tensor(ckpt_name)
        for var in variables:
            info = var._get_save_slice_info()
            if info is None:
                if var.get_shape().as_list() != list(saved.shape):
                    raise ValueError(
                        f"Total size of new array must be unchanged for {ckpt_name} lh_shape: "
                        f"[{saved.shape}], rh_shape: [{var.get_shape()}]"
                    )
                value = saved
            else:
                spans = zip(info.var_offset, info.var_shape, strict=True)
                value = saved[tuple(slice(start, start + size) for start, size in spans)]
            _assign_through_placeholder(var, value, feed, ops)
    return group(*ops), feed


def _untrained_variable(initial_value, collection, validate_shape, name, use_resource):
    return Variable(
        initial_value,
        trainable=False,
        collections=[collection],
        validate_shape=validate_shape,
        name=name,
        use_resource=use_resource,
    )


def global_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A variable in ``GLOBAL_VARIABLES`` only (not trained)."""
    return _untrained_variable(
        initial_value, GraphKeys.GLOBAL_VARIABLES, validate_shape, name, use_resource
    )


def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """A variable in ``LOCAL_VARIABLES`` only (not saved, not trained)."""
    return _untrained_variable(
        initial_value, GraphKeys.LOCAL_VARIABLES, validate_shape, name, use_resource
    )
