"""``tf.contrib.framework``: ``arg_scope`` and the variable helpers tf-slim code calls
(``get_variables``, ``model_variable``, ``get_variables_to_restore``,
``assign_from_checkpoint_fn``...), with TF 1.15's arguments and errors.

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     with tf.variable_scope("net"):
...         w = tf.contrib.framework.model_variable("w", [2], initializer=tf.zeros_initializer())
...         b = tf.contrib.framework.variable("b", [2])
...     print([v.op.name for v in tf.contrib.framework.get_model_variables()],
...           [v.op.name for v in tf.contrib.framework.get_variables("net", suffix="b")])
['net/w'] ['net/b']
"""

from __future__ import annotations

import logging

from scopeflow import nest
from scopeflow.contrib.arg_scope import (
    add_arg_scope,
    arg_scope,
    arg_scope_func_key,
    arg_scoped_arguments,
    current_arg_scope,
    has_arg_scope,
)
from scopeflow.contrib.framework_extra import (
    add_model_variable,
    assert_or_get_global_step,
    assign_from_checkpoint,
    assign_from_values,
    assign_from_values_fn,
    filter_variables,
    get_variable_full_name,
    global_variable,
    local_variable,
)
from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import get_collection
from scopeflow.train.checkpoint_utils import (
    CheckpointReader,
    checkpoint_prefix,
    init_from_checkpoint,
    list_variables,
    load_checkpoint,
    load_variable,
)
from scopeflow.train.saver import Saver
from scopeflow.train.training_util import (
    assert_global_step,
    create_global_step,
    get_global_step,
    get_or_create_global_step,
)
from scopeflow.variables.variable_scope import VariableScope
from scopeflow.variables.variable_scope import get_variable as _get_variable

_log = logging.getLogger("tensorflow")


def get_variables(scope=None, suffix=None, collection=GraphKeys.GLOBAL_VARIABLES) -> list:
    """The variables of ``collection`` whose names match the regex ``scope`` (a string or a
    ``VariableScope``) and end with ``suffix``."""
    if isinstance(scope, VariableScope):
        scope = scope.name
    if suffix is not None:
        if ":" not in suffix:
            suffix += ":"
        scope = (scope or "") + ".*" + suffix
    return get_collection(collection, scope)


def get_model_variables(scope=None, suffix=None) -> list:
    """``get_variables`` over ``MODEL_VARIABLES``."""
    return get_variables(scope, suffix, GraphKeys.MODEL_VARIABLES)


def get_local_variables(scope=None, suffix=None) -> list:
    """``get_variables`` over ``LOCAL_VARIABLES``."""
    return get_variables(scope, suffix, GraphKeys.LOCAL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None) -> list:
    """``get_variables`` over ``TRAINABLE_VARIABLES``."""
    return get_variables(scope, suffix, GraphKeys.TRAINABLE_VARIABLES)


def get_variables_by_suffix(suffix, scope=None) -> list:
    """The global variables whose names end with ``suffix``."""
    return get_variables(scope=scope, suffix=suffix)


def get_variables_by_name(given_name, scope=None) -> list:
    """The global variables whose last name part is ``given_name``."""
    return get_variables(scope=scope, suffix=f"/{given_name}:|^{given_name}:")


def get_unique_variable(var_op_name):
    """The one variable whose op is named ``var_op_name``.

    Raises:
        ValueError: no variable matches, or several match but none is named exactly so.
    """
    candidates = get_variables(scope=var_op_name)
    if not candidates:
        raise ValueError(f"Couldn't find variable {var_op_name}")
    for candidate in candidates:
        if candidate.op.name == var_op_name:
            return candidate
    raise ValueError(f"Variable {var_op_name} does not uniquely identify a variable")


def get_variables_to_restore(include=None, exclude=None) -> list:
    """The global variables under the scopes of ``include`` (all when ``None``) but under none
    of ``exclude``: what fine-tuning code hands to ``tf.train.Saver``.

    Raises:
        TypeError: ``include`` or ``exclude`` is not a list or tuple.
    """
    for what, value in (("include", include), ("exclude", exclude)):
        if value is not None and not isinstance(value, (list, tuple)):
            raise TypeError(f"{what} is provided but is not a list or a tuple.")
    if include is None:
        chosen = get_variables()
    else:
        chosen = [v for scope in include for v in get_variables(scope)]
    dropped = {id(v) for scope in exclude or () for v in get_variables(scope)}
    return [v for v in chosen if id(v) not in dropped]


@add_arg_scope
def variable(
    name,
    shape=None,
    dtype=None,
    initializer=None,
    regularizer=None,
    trainable=True,
    collections=None,
    caching_device=None,
    device=None,
    partitioner=None,
    custom_getter=None,
    use_resource=None,
    synchronization=None,
    aggregation=None,
):
    """``get_variable`` in ``collections`` (default ``GLOBAL_VARIABLES``), taking its defaults
    from ``arg_scope``. ``device`` is accepted and ignored (scopeflow runs on one device)."""
    arguments = dict(locals())
    del arguments["device"]
    arguments["collections"] = list(dict.fromkeys(collections or [GraphKeys.GLOBAL_VARIABLES]))
    return _get_variable(**arguments)


@add_arg_scope
def model_variable(
    name,
    shape=None,
    dtype=None,
    initializer=None,
    regularizer=None,
    trainable=True,
    collections=None,
    caching_device=None,
    device=None,
    partitioner=None,
    custom_getter=None,
    use_resource=None,
    synchronization=None,
    aggregation=None,
):
    """``variable`` also filed in ``MODEL_VARIABLES`` (what ``get_model_variables`` lists)."""
    arguments = dict(locals())
    arguments["collections"] = [
        *(collections or []),
        GraphKeys.GLOBAL_VARIABLES,
        GraphKeys.MODEL_VARIABLES,
    ]
    return variable(**arguments)


def assign_from_checkpoint_fn(
    model_path, var_list, ignore_missing_vars=False, reshape_variables=False
):
    """A function ``fn(session)`` that restores ``var_list`` (a list of variables, or a dict
    from checkpoint names to variables) from the checkpoint ``model_path``, as slim's
    fine-tuning scripts use it (``init_fn`` of a ``Scaffold``).

    With ``ignore_missing_vars`` the variables the checkpoint lacks are skipped with a warning
    (as TF1); otherwise a missing one fails when ``fn`` runs, with ``NotFoundError``.

    Raises:
        ValueError: ``var_list`` is empty.
    """
    if not var_list:
        raise ValueError("var_list cannot be empty")
    if ignore_missing_vars:
        reader = CheckpointReader(checkpoint_prefix(model_path))
        if isinstance(var_list, dict):
            named = dict(var_list)
        else:
            named = {v.op.name: v for v in var_list}
        kept = {}
        for ckpt_name, var in named.items():
            if reader.has_tensor(ckpt_name):
                kept[ckpt_name] = var
            else:
                _log.warning("Variable %s missing in checkpoint %s", ckpt_name, model_path)
        var_list = kept
    if not var_list:
        _log.warning("No Variables to restore")
        return None
    saver = Saver(var_list, reshape=reshape_variables)

    def callback(session):
        saver.restore(session, model_path)

    return callback


__all__ = [
    "add_arg_scope",
    "add_model_variable",
    "arg_scope",
    "arg_scope_func_key",
    "arg_scoped_arguments",
    "assert_global_step",
    "assert_or_get_global_step",
    "assign_from_checkpoint",
    "assign_from_checkpoint_fn",
    "assign_from_values",
    "assign_from_values_fn",
    "create_global_step",
    "current_arg_scope",
    "filter_variables",
    "get_global_step",
    "get_local_variables",
    "get_model_variables",
    "get_or_create_global_step",
    "get_trainable_variables",
    "get_unique_variable",
    "get_variable_full_name",
    "get_variables",
    "get_variables_by_name",
    "get_variables_by_suffix",
    "get_variables_to_restore",
    "global_variable",
    "has_arg_scope",
    "init_from_checkpoint",
    "list_variables",
    "load_checkpoint",
    "load_variable",
    "local_variable",
    "model_variable",
    "nest",
    "variable",
]
