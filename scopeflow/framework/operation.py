"""``Operation``: a node in the graph."""

from __future__ import annotations

import linecache
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from scopeflow.framework import defaults, source
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.traceback_filter import api_boundary

if TYPE_CHECKING:
    from scopeflow.framework.graph import Graph
    from scopeflow.framework.registry import OpDef


@dataclass
class NodeDef:
    """The serializable description of an op, as TF's ``NodeDef`` holds it."""

    name: str
    op: str
    input: list[str] = field(default_factory=list)
    device: str = ""
    attr: dict[str, Any] = field(default_factory=dict)


class Operation:
    """A computation in a graph: its type, inputs, outputs, attributes and control inputs.

    Ops are made by op functions (``tf.add``, ``tf.nn.conv2d``...), never directly.
    """

    def __init__(
        self,
        graph: Graph,
        op_def: OpDef,
        name: str,
        inputs: list[Tensor],
        output_specs: list,
        attrs: dict[str, Any],
        control_inputs: list[Operation],
        device: str,
        frames: tuple[source.Frame, ...],
    ):
        self._graph = graph
        self._op_def = op_def
        self._name = name
        self._inputs = tuple(inputs)
        self._attrs = attrs
        self._control_inputs = control_inputs
        self._device = device
        self._frames = frames
        self._id = -1
        # The gradient name ``Graph.gradient_override_map`` gave this op, or None for its type's.
        self._gradient_op_type: str | None = None
        # The innermost tf.while_loop this op runs in (a framework.frames.LoopFrame), or None.
        self._frame = None
        # Its ``_class`` attr (``b"loc:@name"``, sorted), set as it is made: colocation.py.
        self._colocation: tuple[bytes, ...] = ()
        self._outputs = [Tensor(self, i, dt, shape) for i, (dt, shape) in enumerate(output_specs)]

    @property
    def name(self) -> str:
        return self._name

    @property
    def type(self) -> str:
        return self._op_def.type

    @property
    def graph(self) -> Graph:
        return self._graph

    @property
    def inputs(self) -> tuple[Tensor, ...]:
        return self._inputs

    @property
    def outputs(self) -> list[Tensor]:
        return list(self._outputs)

    @property
    def control_inputs(self) -> list[Operation]:
        return list(self._control_inputs)

    @property
    def device(self) -> str:
        return self._device

    @property
    def op_def(self) -> OpDef:
        return self._op_def

    @property
    def attrs(self) -> dict[str, Any]:
        return dict(self._attrs)

    @property
    def location(self) -> str:
        """``"file.py:line"`` in the user's code that created this op."""
        return source.format_location(self._frames)

    @property
    def traceback(self) -> list[tuple[str, int, str, str]]:
        """User frames that created this op, outermost first: (file, line, function, text)."""
        return [(f, n, fn, linecache.getline(f, n).strip()) for f, n, fn in reversed(self._frames)]

    @property
    def node_def(self) -> NodeDef:
        inputs = [t.name if t.value_index else t.op.name for t in self._inputs]
        inputs += ["^" + op.name for op in self._control_inputs]
        return NodeDef(self._name, self.type, inputs, self._device, self._recorded_attrs())

    def _recorded_attrs(self) -> dict[str, Any]:
        """The attrs as TF records them: the gradient override (``_gradient_op_type``) and
        the colocation groups (``_class``) are two."""
        attrs = dict(self._attrs)
        if self._gradient_op_type is not None:
            attrs["_gradient_op_type"] = self._gradient_op_type
        if self._colocation:
            attrs["_class"] = list(self._colocation)
        return attrs

    def colocation_groups(self) -> list[bytes]:
        """The ``loc:@<op name>`` groups this op is placed with (its ``_class`` attr, else its
        own name's), as TF1's.

        >>> import scopeflow as tf
        >>> with tf.Graph().as_default():
        ...     a = tf.constant(1.0, name="a")
        ...     with tf.colocate_with(a):
        ...         b = tf.identity(a, name="b")
        >>> a.op.colocation_groups(), b.op.colocation_groups()
        ([b'loc:@a'], [b'loc:@a'])
        """
        return list(self._colocation) if self._colocation else [f"loc:@{self._name}".encode()]

    def values(self) -> tuple[Tensor, ...]:
        return tuple(self._outputs)

    def get_attr(self, name: str) -> Any:
        """The value of attr ``name``; a string attr is bytes, as TF gives it (``b'SAME'``).

        >>> import scopeflow as tf
        >>> with tf.Graph().as_default():
        ...     y = tf.nn.max_pool(tf.ones([1, 2, 2, 1]), 2, 2, "VALID")
        >>> y.op.get_attr("padding"), y.op.get_attr("ksize")
        (b'VALID', [1, 2, 2, 1])
        """
        try:
            value = self._recorded_attrs()[name]
        except KeyError:
            raise ValueError(f"Operation '{self._name}' has no attr named '{name}'.") from None
        if isinstance(value, str):
            return value.encode()
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            return [v.encode() for v in value]
        return value

    @api_boundary
    def run(self, feed_dict=None, session=None) -> None:
        """Runs this op in ``session`` or the default session."""
        defaults.run_in_session(self, feed_dict, session, "execute operation using `run()`")

    def _update_input(self, index: int, tensor: Tensor) -> None:
        """Rewires input ``index`` to ``tensor`` (a loop's ``Merge`` gets its back edge)."""
        old = self._inputs[index]
        old._consumers.remove(self)
        self._inputs = self._inputs[:index] + (tensor,) + self._inputs[index + 1 :]
        tensor._consumers.append(self)

    def _add_control_input(self, op: Operation) -> None:
        if op not in self._control_inputs:
            self._control_inputs.append(op)

    def __repr__(self) -> str:
        return f"<tf.Operation '{self._name}' type={self.type}>"

    def __str__(self) -> str:
        return f'name: "{self._name}"\nop: "{self.type}"'
