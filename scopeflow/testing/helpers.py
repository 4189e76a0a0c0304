"""``tf.test``'s small helpers: ``is_built_with_xla``, ``is_cpu_target_available``,
``disable_with_predicate``, ``with_eager_op_as_function`` and ``StubOutForTesting``, as TF's."""

from __future__ import annotations

import functools
import inspect
import platform

__all__ = [
    "StubOutForTesting",
    "disable_with_predicate",
    "sync_devices",
    "is_built_with_xla",
    "is_cpu_target_available",
    "with_eager_op_as_function",
]


def is_built_with_xla() -> bool:
    """``False``: scopeflow's kernels are NumPy's, and ``tf.xla.experimental.jit_scope`` only
    marks ops (TF's CPU wheels also answer ``False``). ``Session(executor="jax")`` compiles
    with XLA separately."""
    return False


# TF's target prefixes and the machine names (platform.machine()) that have them
_TARGETS = {
    "arm": ("armv6l", "armv7l", "armv8l", "arm"),
    "aarch64": ("aarch64", "arm64"),
    "ppc": ("ppc64", "ppc64le"),
    "powerpc": ("ppc64", "ppc64le"),
    "x86": ("x86_64", "amd64", "i386", "i686", "x86"),
    "s390x": ("s390x",),
}


def is_cpu_target_available(target: str) -> bool:
    """Whether this machine's CPU is of ``target``'s family (``"x86"``, ``"aarch64"``,
    ``"arm"``, ``"ppc"``/``"powerpc"``, ``"s390x"``; a longer name with that start counts).

    Raises:
        AssertionError: an unknown target, as TF's.
    """
    machine = platform.machine().lower()
    for prefix, machines in _TARGETS.items():
        if target.startswith(prefix):
            return machine in machines
    raise AssertionError("Unknown CPU target: " + target)


def sync_devices() -> None:
    """TF's ``tf.test.experimental.sync_devices`` waits for eager ops on accelerators; in
    graph mode, which is all scopeflow has, TF raises this ``RuntimeError``."""
    raise RuntimeError("sync_devices() must only be called in Eager mode, outside tf.functions")


def disable_with_predicate(pred, skip_message: str):
    """A test-method decorator: the test is skipped (``self.skipTest(skip_message)``) when
    ``pred()`` is true at run time."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(self, *args, **kwargs):
            if pred():
                self.skipTest(skip_message)
            else:
                return func(self, *args, **kwargs)

        return wrapper

    return decorate


def with_eager_op_as_function(cls=None, only_as_function: bool = False):
    """The class itself (TF's decorator does nothing any more either)."""
    return cls if cls is not None else (lambda c: c)


class StubOutForTesting:
    """Replaces attributes for a test and puts them back on ``CleanUp()`` (or when collected):
    ``Set(parent, name, new)`` on ``parent`` itself, ``SmartSet(obj, name, new)`` on ``obj``
    (a module, or an object's own attribute) or else on its class. Static methods stay
    static when restored.

    >>> import os
    >>> stubs = StubOutForTesting()
    >>> stubs.Set(os.path, "exists", lambda path: True)
    >>> os.path.exists("/no/such/file")
    True
    >>> stubs.CleanUp()
    >>> os.path.exists("/no/such/file")
    False
    """

    def __init__(self):
        self.cache = []  # (parent, old value, name) of Set
        self.stubs = []  # (owner, name, old value) of SmartSet

    def __del__(self):
        self.CleanUp()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, tb):
        """Does not restore (as TF's): call ``CleanUp()``."""

    def CleanUp(self) -> None:  # noqa: N802 - TF's names
        """Restores every replaced attribute, the latest first."""
        self.SmartUnsetAll()
        self.UnsetAll()

    @staticmethod
    def _kept_static(owner, name: str, old):
        return staticmethod(old) if isinstance(owner.__dict__.get(name), staticmethod) else old

    def SmartSet(self, obj, attr_name: str, new_attr) -> None:  # noqa: N802
        """Replaces ``attr_name`` on ``obj`` if a module or its own attribute, else on the most
        derived class of its hierarchy that has it (restored to the value read through
        ``obj``, as TF's).

        Raises:
            AttributeError: nothing in the hierarchy has ``attr_name``.
        """
        obj = inspect.unwrap(obj) if callable(obj) and not inspect.isclass(obj) else obj
        if inspect.ismodule(obj) or (not inspect.isclass(obj) and attr_name in obj.__dict__):
            owner, old = obj, getattr(obj, attr_name)
        else:
            classes = inspect.getmro(obj if inspect.isclass(obj) else type(obj))
            having = [c for c in reversed(classes) if hasattr(c, attr_name)]
            if not having:
                raise AttributeError("Attribute not found.")
            owner, old = having[-1], getattr(obj, attr_name)
        old = self._kept_static(obj, attr_name, old) if hasattr(obj, "__dict__") else old
        self.stubs.append((owner, attr_name, old))
        setattr(owner, attr_name, new_attr)

    def SmartUnsetAll(self) -> None:  # noqa: N802
        for owner, name, old in reversed(self.stubs):
            setattr(owner, name, old)
        self.stubs = []

    def Set(self, parent, child_name: str, new_child) -> None:  # noqa: N802
        """Replaces ``parent.child_name`` with ``new_child``."""
        old = self._kept_static(parent, child_name, getattr(parent, child_name))
        self.cache.append((parent, old, child_name))
        setattr(parent, child_name, new_child)

    def UnsetAll(self) -> None:  # noqa: N802
        for parent, old, name in reversed(self.cache):
            setattr(parent, name, old)
        self.cache = []
