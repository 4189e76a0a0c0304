"""``tf.layers.InputSpec`` (``tf.keras.layers.InputSpec``): what a layer accepts, checked
on each call with Keras's ``ValueError`` texts.

>>> import scopeflow as tf
>>> tf.keras.layers.InputSpec(shape=(None, 3))
InputSpec(shape=(None, 3), ndim=2)
"""

from __future__ import annotations

from scopeflow.framework import dtypes


class InputSpec:
    """A layer's expectations of an input: ``dtype``, ``shape`` (``None`` for any size of an
    axis; gives ``ndim``), rank (``ndim``, ``max_ndim``, ``min_ndim``) and the sizes of some
    axes (``axes``: {axis: size}). ``allow_last_axis_squeeze`` lets a trailing axis of size 1
    on either side be ignored (and the rank go unchecked); ``name`` and ``optional`` are
    kept for the layer's own use."""

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
    ):
        self.dtype = dtypes.as_dtype(dtype).name if dtype is not None else None
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.name = name
        self.optional = optional
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        try:
            self.axes = {int(k): v for k, v in (axes or {}).items()}
        except (ValueError, TypeError) as e:
            raise TypeError(
                f"Argument `axes` must be a dict with integer keys. Received: axes={axes}"
            ) from e
        if self.axes and (self.ndim is not None or self.max_ndim is not None):
            max_dim = (self.ndim if self.ndim else self.max_ndim) - 1
            max_axis = max(self.axes)
            if max_axis > max_dim:
                raise ValueError(
                    f"Axis {max_axis} is greater than the maximum allowed value: {max_dim}"
                )

    def __repr__(self) -> str:
        fields = ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes")
        shown = [f"{f}={getattr(self, f)}" for f in fields if getattr(self, f)]
        return f"InputSpec({', '.join(shown)})"

    def get_config(self) -> dict:
        """The spec's fields (not ``name``, ``optional`` or ``allow_last_axis_squeeze``)."""
        fields = ("dtype", "shape", "ndim", "max_ndim", "min_ndim", "axes")
        return {f: getattr(self, f) for f in fields}

    @classmethod
    def from_config(cls, config: dict):
        """The spec ``get_config`` describes."""
        return cls(**config)

    def check(self, index: int, x, layer_name: str) -> None:
        """Raises Keras's ValueError when the tensor ``x`` (input ``index``) does not fit."""
        where = f'Input {index} of layer "{layer_name}" is incompatible with the layer: '
        rank = x.shape.ndims
        if self.ndim is not None and not self.allow_last_axis_squeeze and rank is not None:
            if rank != self.ndim:
                raise ValueError(
                    f"{where}expected ndim={self.ndim}, found ndim={rank}. "
                    f"Full shape received: {tuple(x.shape)}"
                )
        if self.max_ndim is not None and rank is not None and rank > self.max_ndim:
            raise ValueError(f"{where}expected max_ndim={self.max_ndim}, found ndim={rank}")
        if self.min_ndim is not None and rank is not None and rank < self.min_ndim:
            raise ValueError(
                f"{where}expected min_ndim={self.min_ndim}, found ndim={rank}. "
                f"Full shape received: {tuple(x.shape)}"
            )
        if self.dtype is not None and x.dtype.base_dtype.name != self.dtype:
            raise ValueError(f"{where}expected dtype={self.dtype}, found dtype={x.dtype}")
        if rank is None:
            return
        dims = x.shape.as_list()
        for axis, value in self.axes.items():
            if value is not None and dims[axis] not in (value, None):
                raise ValueError(
                    f"{where}expected axis {axis} of input shape to have value {value}, but "
                    f"received input with shape {tuple(dims)}"
                )
        if self.shape is not None:
            spec, got = list(self.shape), list(dims)
            if self.allow_last_axis_squeeze:
                got = got[:-1] if got and got[-1] == 1 else got
                spec = spec[:-1] if spec and spec[-1] == 1 else spec
            for want, have in zip(spec, got, strict=False):
                if want is not None and have is not None and want != have:
                    raise ValueError(
                        f"{where}expected shape={self.shape}, found shape={tuple(dims)}"
                    )
