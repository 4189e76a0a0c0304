"""``Tensor.ref()`` / ``Variable.ref()``: a hashable reference to an object, equal to another
reference to the same object (TF's ``object_identity.Reference``).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     t = tf.constant(1.0)
...     r = t.ref()
...     print(r.deref() is t, r == t.ref(), {r: "a"}[t.ref()])
True True a
"""

from __future__ import annotations


class Reference:
    """Stands for ``wrapped`` in sets and dict keys, by identity (``deref()`` gives it back)."""

    __slots__ = ("_wrapped",)

    def __init__(self, wrapped):
        self._wrapped = wrapped

    def deref(self):
        """The object referenced."""
        return self._wrapped

    def _check(self, other) -> None:
        if not isinstance(other, Reference):
            raise TypeError("Cannot compare wrapped object with unwrapped object")

    def __eq__(self, other):
        self._check(other)
        return self._wrapped is other._wrapped

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return id(self._wrapped)

    def __repr__(self) -> str:
        return f"<Reference wrapping {self._wrapped!r}>"
