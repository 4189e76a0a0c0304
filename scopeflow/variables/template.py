"""``tf.make_template``: wrap a function so every call shares the first call's variables."""

from __future__ import annotations

import functools

from scopeflow.framework.graph import GraphKeys
from scopeflow.framework.graph_api import get_collection
from scopeflow.variables.variable_scope import VariableScope, variable_scope


class Template:
    """A function whose ``get_variable`` calls create variables on the first call and reuse
    them afterwards, under one variable scope."""

    def __init__(
        self, name: str, func, create_scope_now: bool = False, unique_name=None, custom_getter=None
    ):
        if not name:
            raise ValueError(f"make_template needs a non-empty name, got {name!r}")
        self._name = name
        self._func = func
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._variable_scope: VariableScope | None = None
        self._variables_created = False
        if create_scope_now:
            with variable_scope(
                unique_name,
                default_name=name,
                custom_getter=custom_getter,
                auxiliary_name_scope=False,
            ) as scope:
                self._variable_scope = scope

    def __call__(self, *args, **kwargs):
        if self._variable_scope is None:
            with variable_scope(
                self._unique_name, default_name=self._name, custom_getter=self._custom_getter
            ) as scope:
                self._variable_scope = scope
                return self._call_func(args, kwargs)
        reuse = True if self._variables_created else None
        with variable_scope(self._variable_scope, reuse=reuse):
            return self._call_func(args, kwargs)

    def _call_func(self, args, kwargs):
        trainable_before = len(get_collection(GraphKeys.TRAINABLE_VARIABLES))
        result = self._func(*args, **kwargs)
        if not self._variables_created:
            self._variables_created = True
            return result
        trainable = get_collection(GraphKeys.TRAINABLE_VARIABLES)
        if len(trainable) != trainable_before:
            raise ValueError(
                f"Trainable variable created when calling template '{self._name}' after the "
                "first time, perhaps you used tf.Variable when you meant tf.get_variable: "
                f"{trainable[trainable_before:]}"
            )
        return result

    @property
    def name(self) -> str:
        return self._name

    @property
    def func(self):
        return self._func

    @property
    def variable_scope(self) -> VariableScope | None:
        return self._variable_scope

    @property
    def variable_scope_name(self) -> str | None:
        """The scope's name with a trailing ``/`` (so prefixes match whole scopes only)."""
        if self._variable_scope is None:
            return None
        name = self._variable_scope.name
        return name if not name or name.endswith("/") else name + "/"

    var_scope = variable_scope

    def _scoped(self, key: str) -> list:
        if self._variable_scope is None:
            return []
        return self._variable_scope.get_collection(key)

    @property
    def variables(self) -> list:
        return self._scoped(GraphKeys.GLOBAL_VARIABLES)

    global_variables = variables

    @property
    def trainable_variables(self) -> list:
        return self._scoped(GraphKeys.TRAINABLE_VARIABLES)

    @property
    def local_variables(self) -> list:
        return self._scoped(GraphKeys.LOCAL_VARIABLES)


def make_template(
    name_, func_, create_scope_now_=False, unique_name_=None, custom_getter_=None, **kwargs
):
    """Returns a :class:`Template` calling ``func_(*args, **kwargs)``; its variables live in
    the variable scope ``name_`` (made unique) and are shared by every call.

    >>> import scopeflow as tf
    >>> def dense(x):
    ...     w = tf.get_variable("w", [3, 3])
    ...     return tf.matmul(x, w)
    >>> with tf.Graph().as_default():
    ...     layer = tf.make_template("dense", dense)
    ...     x = tf.placeholder(tf.float32, [None, 3])
    ...     y1, y2 = layer(x), layer(x)
    ...     names = [v.name for v in tf.global_variables()]
    >>> names, y2.name
    (['dense/w:0'], 'dense_1/MatMul:0')
    """
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    return Template(name_, func_, create_scope_now_, unique_name_, custom_getter_)
