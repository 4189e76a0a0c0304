"""``tf.keras.layers``' merge layers (``Add``, ``Subtract``, ``Multiply``, ``Maximum``,
``Minimum``, ``Average``, ``Concatenate`` and their functions), with TF's checks of their
inputs' shapes made when they are first called ("Inputs have incompatible shapes",
"A `Concatenate` layer requires inputs with matching shapes except for the concatenation
axis").

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     a, b = tf.keras.Input((3,)), tf.keras.Input((1,))
...     tf.keras.layers.add([a, b]).shape.as_list()
[None, 3]
"""

from __future__ import annotations

from scopeflow.keras.engine import Layer
from scopeflow.ops.array import shape as shape_ops
from scopeflow.ops.array.join import concat
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math import reduction


def _static_shapes(inputs) -> list:
    return [None if x.shape.ndims is None else tuple(x.shape.as_list()) for x in inputs]


def _elementwise_shape(shape1, shape2):
    """The shape two inputs of a merge give (TF's rule: trailing axes broadcast when 1)."""
    if shape1 is None or shape2 is None:
        return None
    if len(shape1) < len(shape2):
        return _elementwise_shape(shape2, shape1)
    if not shape2:
        return shape1
    output = list(shape1[: -len(shape2)])
    for i, j in zip(shape1[-len(shape2) :], shape2, strict=True):
        if i is None or j is None:
            output.append(None)
        elif i == 1 or j == 1:
            output.append(j if i == 1 else i)
        elif i != j:
            raise ValueError(
                f"Inputs have incompatible shapes. Received shapes {shape1} and {shape2}"
            )
        else:
            output.append(i)
    return tuple(output)


def _check_merge(shapes: list) -> None:
    batch_sizes = {s[0] for s in shapes if s} - {None}
    if len(batch_sizes) > 1:
        raise ValueError(
            f"Cannot merge tensors with different batch sizes. Got tensors with shapes {shapes}"
        )
    output = None if shapes[0] is None else shapes[0][1:]
    for shape in shapes[1:]:
        output = _elementwise_shape(output, None if shape is None else shape[1:])


def _check_concatenate(shapes: list, axis: int) -> None:
    if all(shape is None for shape in shapes):
        return
    message = (
        "A `Concatenate` layer requires inputs with matching shapes except for the "
        f"concatenation axis. Received: input_shape={shapes}"
    )
    reduced = set()
    for shape in shapes:
        kept = list(shape)
        del kept[axis]
        reduced.add(tuple(kept))
    if len(reduced) == 1:
        return
    if len({len(shape) for shape in reduced}) != 1:
        raise ValueError(message)
    for i in range(len(next(iter(reduced)))):
        if len({shape[i] for shape in reduced if shape[i] is not None}) > 1:
            raise ValueError(message)


class _Merge(Layer):
    def compute_mask(self, inputs, mask=None):
        """Where every input's mask holds (no mask when no input has one)."""
        if mask is None or all(m is None for m in mask):
            return None
        masks = [shape_ops.expand_dims(m, 0) for m in mask if m is not None]
        return reduction.reduce_all(concat(masks, axis=0), axis=0)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or not inputs:
            raise ValueError(
                "A merge layer should be called on a list of inputs. Received: "
                f"inputs={inputs} (not a list of tensors)"
            )
        if not self._inbound_nodes:  # TF's checks, made at its first call (build)
            _check_merge(_static_shapes(inputs))
        output = inputs[0]
        for x in inputs[1:]:
            output = self._merge(output, x)
        return output


class Add(_Merge):
    """The sum of its inputs (``add``, ``add_1``... ops)."""

    _merge = staticmethod(lambda a, b: a + b)


class Subtract(_Merge):
    """The first input minus the second."""

    _merge = staticmethod(lambda a, b: a - b)


class Multiply(_Merge):
    """The elementwise product of its inputs."""

    _merge = staticmethod(lambda a, b: a * b)


class Maximum(_Merge):
    """The elementwise maximum of its inputs."""

    _merge = staticmethod(math_ops.maximum)


class Minimum(_Merge):
    """The elementwise minimum of its inputs."""

    _merge = staticmethod(math_ops.minimum)


class Average(_Merge):
    """The mean of its inputs."""

    def call(self, inputs):
        return super().call(inputs) / len(inputs)

    _merge = staticmethod(lambda a, b: a + b)


class Concatenate(Layer):
    """Its inputs joined along ``axis`` (default the last)."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs):
        if not self._inbound_nodes:
            _check_concatenate(_static_shapes(inputs), self.axis)
        return concat(list(inputs), axis=self.axis)


def add(inputs, **kwargs):
    """``Add(**kwargs)(inputs)``."""
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """``Subtract(**kwargs)(inputs)``."""
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """``Multiply(**kwargs)(inputs)``."""
    return Multiply(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """``Maximum(**kwargs)(inputs)``."""
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """``Minimum(**kwargs)(inputs)``."""
    return Minimum(**kwargs)(inputs)


def average(inputs, **kwargs):
    """``Average(**kwargs)(inputs)``."""
    return Average(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis, **kwargs)(inputs)``."""
    return Concatenate(axis=axis, **kwargs)(inputs)


__all__ = [
    "Add",
    "Average",
    "Concatenate",
    "Maximum",
    "Minimum",
    "Multiply",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
