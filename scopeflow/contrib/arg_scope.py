"""``arg_scope``: default keyword arguments for a chosen set of functions, as TF1's
``tf.contrib.framework.arg_scope`` (and ``slim.arg_scope``).

A function takes part once it is wrapped with ``@add_arg_scope``. Inside
``with arg_scope([f, g], k=v):`` every call of ``f`` or ``g`` that does not pass ``k`` gets
``k=v``; an argument passed at the call wins, an inner scope's value wins over an outer one's
for the same function, and ``with arg_scope(saved_scope):`` re-enters a scope captured with
``as``. As in TF1 the stack is one per process (not per thread or graph).

>>> from scopeflow.contrib.framework import add_arg_scope, arg_scope
>>> @add_arg_scope
... def layer(x, scale=1, shift=0):
...     return x * scale + shift
>>> with arg_scope([layer], scale=10):
...     with arg_scope([layer], shift=1):
...         print(layer(2), layer(2, scale=3))
21 7
"""

from __future__ import annotations

import contextlib
import functools
import inspect

_STACK: list[dict] = [{}]
# The keys of every function wrapped with add_arg_scope.
_DECORATED: set = set()


def _name_of(op) -> str:
    return getattr(op, "__qualname__", None) or getattr(op, "__name__", None) or repr(op)


def arg_scope_func_key(op):
    """The key ``arg_scope`` files ``op``'s defaults under."""
    return getattr(op, "_key_op", op)


def current_arg_scope() -> dict:
    """The innermost scope: a dict from function key to its default keyword arguments."""
    return _STACK[-1]


def has_arg_scope(func) -> bool:
    """Whether ``func`` was wrapped with ``@add_arg_scope``."""
    return arg_scope_func_key(func) in _DECORATED


def arg_scoped_arguments(func) -> list[str]:
    """The names of the arguments of an ``add_arg_scope`` function that a scope can set."""
    if not has_arg_scope(func):
        raise ValueError(f"{_name_of(func)} is not decorated with @add_arg_scope")
    return list(inspect.signature(func).parameters)


def add_arg_scope(func):
    """Wraps ``func`` so that the enclosing ``arg_scope``s supply keyword arguments it is
    not given."""

    @functools.wraps(func)
    def with_scoped_args(*args, **kwargs):
        defaults = _STACK[-1].get(key)
        if defaults:
            kwargs = {**defaults, **kwargs}
        return func(*args, **kwargs)

    key = arg_scope_func_key(func)
    with_scoped_args._key_op = key
    _DECORATED.add(key)
    return with_scoped_args


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """Sets ``kwargs`` as default arguments of each function in ``list_ops_or_scope`` (a list
    or tuple of ``add_arg_scope`` functions), or re-enters a scope dict captured earlier with
    ``with arg_scope(...) as scope`` (then ``kwargs`` must be empty). Yields the new scope.

    Raises:
        TypeError: ``list_ops_or_scope`` is neither a list/tuple nor a scope dict.
        ValueError: a function was not wrapped with ``@add_arg_scope``, or ``kwargs`` were
            given along with a scope dict.
    """
    if isinstance(list_ops_or_scope, dict):
        if kwargs:
            raise ValueError(
                "When attempting to re-use a scope by suppling a dictionary, kwargs must be "
                f"empty; got {sorted(kwargs)}."
            )
        scope = dict(list_ops_or_scope)
    else:
        if not isinstance(list_ops_or_scope, (list, tuple)):
            raise TypeError(
                "list_ops_or_scope must either be a list/tuple or reused scope (i.e. dict), "
                f"got {type(list_ops_or_scope).__name__}"
            )
        scope = dict(current_arg_scope())
        for op in list_ops_or_scope:
            if not has_arg_scope(op):
                raise ValueError(f"{_name_of(op)} is not decorated with @add_arg_scope")
            key = arg_scope_func_key(op)
            scope[key] = {**scope.get(key, {}), **kwargs}
    _STACK.append(scope)
    try:
        yield scope
    finally:
        _STACK.pop()
