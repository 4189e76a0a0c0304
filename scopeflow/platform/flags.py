"""``tf.flags`` and ``tf.app.flags``: absl-py's flags, as TF1 re-exports them.

absl is imported on first use (``import scopeflow`` stays light). Two things differ from
absl itself, as in TF1: reading a flag of ``FLAGS`` before any parse parses ``sys.argv``
(absl raises ``UnparsedFlagAccessError``), and ``DEFINE_string``/``integer``/``float``/
``boolean``/``bool`` also take the old keyword names ``flag_name``, ``default_value`` and
``docstring``. Every other name (``DEFINE_list``, ``DEFINE_enum``, ``DEFINE_multi_*``,
``mark_flag_as_required``, ``FlagValues``...) is absl's own.
"""

from __future__ import annotations

import functools
import sys


@functools.cache
def _absl_flags():
    from absl import flags

    # Flags defined through this module belong to the module that called it (absl shows
    # them as the script's own in --help), as TF1's flags module disclaims itself.
    flags.disclaim_key_flags()
    return flags


_RENAMED_ARGUMENTS = {"flag_name": "name", "default_value": "default", "docstring": "help"}


def _define(absl_name: str):
    def define(*args, **kwargs):
        old = [key for key in _RENAMED_ARGUMENTS if key in kwargs]
        for key in old:
            kwargs[_RENAMED_ARGUMENTS[key]] = kwargs.pop(key)
        if old:
            import logging

            logging.warning(
                "Use of the keyword argument names (flag_name, default_value, docstring) is "
                "deprecated, please use (name, default, help) instead."
            )
        return getattr(_absl_flags(), absl_name)(*args, **kwargs)

    define.__name__ = define.__qualname__ = absl_name
    define.__doc__ = f"absl's ``flags.{absl_name}`` (also with TF1's old keyword names)."
    return define


DEFINE_string = _define("DEFINE_string")
DEFINE_integer = _define("DEFINE_integer")
DEFINE_float = _define("DEFINE_float")
DEFINE_boolean = _define("DEFINE_boolean")
DEFINE_bool = DEFINE_boolean


class _FlagValuesWrapper:
    """absl's ``flags.FLAGS``, parsing ``sys.argv`` when a flag is read before any parse.

    >>> import scopeflow as tf
    >>> _ = tf.flags.DEFINE_integer("doctest_steps", 10, "Steps to train.")
    >>> _ = tf.flags.FLAGS(["prog", "--doctest_steps=3"])
    >>> tf.flags.FLAGS.doctest_steps
    3
    >>> tf.flags.FLAGS.unparse_flags(); del tf.flags.FLAGS.doctest_steps
    """

    @staticmethod
    def _wrapped():
        return _absl_flags().FLAGS

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy, pickle, inspect.unwrap: never a flag, never a parse
            raise AttributeError(name)
        wrapped = self._wrapped()
        try:  # FlagValues' own methods and attributes: no parse
            return object.__getattribute__(wrapped, name)
        except AttributeError:
            pass
        if not wrapped.is_parsed():
            wrapped(sys.argv)
        return getattr(wrapped, name)

    def __setattr__(self, name: str, value) -> None:
        setattr(self._wrapped(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._wrapped(), name)

    def __dir__(self):
        return dir(self._wrapped())

    def __getitem__(self, name: str):
        return self._wrapped()[name]

    def __setitem__(self, name: str, flag) -> None:
        self._wrapped()[name] = flag

    def __contains__(self, name: str) -> bool:
        return name in self._wrapped()

    def __len__(self) -> int:
        return len(self._wrapped())

    def __iter__(self):
        return iter(self._wrapped())

    def __str__(self) -> str:
        return str(self._wrapped())

    def __call__(self, *args, **kwargs):
        return self._wrapped()(*args, **kwargs)


FLAGS = _FlagValuesWrapper()


def __getattr__(name: str):
    # Everything else is absl's: DEFINE_list, DEFINE_enum, FlagValues, Error...
    if name.startswith("__"):
        raise AttributeError(name)
    try:
        return getattr(_absl_flags(), name)
    except AttributeError:
        raise AttributeError(f"module 'scopeflow.flags' has no attribute '{name}'") from None


def __dir__():
    return sorted(set(globals()) | {n for n in dir(_absl_flags()) if not n.startswith("_")})
