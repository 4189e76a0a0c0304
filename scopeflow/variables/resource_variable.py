"""TF's ``ResourceVariable`` in graph mode (``use_resource=True``): the variable is a
``VarHandleOp`` named ``<name>`` whose output is a ``resource`` handle; it is initialized by
``<name>/Assign`` (``AssignVariableOp``), checked by ``<name>/IsInitialized/VarIsInitializedOp``
and read by ``ReadVariableOp`` ops, each read a snapshot of the value when it runs (reads
made under ``tf.control_dependencies`` see the writes they wait for).

Which class ``tf.Variable``/``tf.get_variable`` make is decided as TF1 decides: the
``use_resource`` argument, else the variable scope's, else the process-wide default of
``tf.enable_resource_variables()``/``tf.disable_resource_variables()`` (off).
"""

from __future__ import annotations

import functools

from scopeflow.framework import behavior, colocation, dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys, graph_of
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.state import resource_training  # noqa: F401  (the ResourceApply* ops)
from scopeflow.ops.state.resource import SCATTERS, SCATTERS_ND
from scopeflow.variables.init_guard import guard_initial_value
from scopeflow.variables.synchronization import validate
from scopeflow.variables.variable_scope import get_variable_scope
from scopeflow.variables.variables import Variable


class ResourceVariable(Variable):
    """A TF resource variable (``tf.get_variable(..., use_resource=True)``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     v = tf.get_variable("v", [2], use_resource=True)
    >>> v.op.type, v.initializer.name, v.dtype.name, v.value().op.type
    ('VarHandleOp', 'v/Assign', 'float32', 'ReadVariableOp')
    """

    @undo.atomic
    def __init__(
        self,
        initial_value=None,
        trainable=None,
        collections=None,
        validate_shape=True,
        caching_device=None,
        name=None,
        variable_def=None,
        dtype=None,
        expected_shape=None,
        import_scope=None,
        constraint=None,
        use_resource=None,
        synchronization=None,
        aggregation=None,
        shape=None,
    ):
        if variable_def is not None:
            if initial_value is not None:
                raise ValueError("variable_def and initial_value are mutually exclusive.")
            self._init_from_def(variable_def, import_scope)
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if constraint is not None and not callable(constraint):
            raise ValueError(f"The `constraint` argument must be a callable. Got: {constraint}")
        synchronization, aggregation, trainable = validate(
            synchronization, aggregation, trainable, name
        )
        if collections is None:
            collections = [GraphKeys.GLOBAL_VARIABLES]
        if not isinstance(collections, (list, tuple, set)):
            raise ValueError(
                "collections argument to Variable constructor must be a list, tuple, or set. "
                f"Got {collections!r} of type {type(collections).__name__}"
            )
        collections = list(collections)
        if trainable and GraphKeys.TRAINABLE_VARIABLES not in collections:
            collections.append(GraphKeys.TRAINABLE_VARIABLES)
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype).base_dtype
        from_fn = callable(initial_value)
        graph = graph_of([] if from_fn else [initial_value])
        with (
            graph.as_default(),
            graph.control_dependencies(None),
            name_scope(name, "Variable") as scope,
        ):
            var_name = scope[:-1]
            with colocation.variable_group(graph, var_name):
                with name_scope("Initializer"), graph.device(None):
                    value = initial_value() if from_fn else initial_value
                    init = convert_to_tensor(value, dtype=dtype, name="initial_value")
                static = _static_shape(var_name, init, shape, validate_shape)
                attrs = {
                    "shape": static,
                    "dtype": init.dtype.base_dtype,
                    "container": "",
                    "shared_name": var_name,
                    "debug_name": scope,
                    "allowed_devices": [],
                }
                self._handle: Tensor = apply_op("VarHandleOp", [], attrs, name=scope)
            with name_scope("IsInitialized"):
                self._is_initialized_op = apply_op("VarIsInitializedOp", [self._handle])
            with name_scope("Assign") as assign_scope, graph.colocate_with(None, True):
                # as TF's: reads of other variables guarded (b/Assign/cond..., a/read_b)
                guarded = guard_initial_value(scope, init)
                self._initializer_op = graph.create_op(
                    "AssignVariableOp",
                    [self._handle, guarded],
                    {"dtype": init.dtype.base_dtype, "validate_shape": False},
                    name=assign_scope,
                )
            with name_scope("Read"):
                self._graph_element = self._read_op()
                # as TF's: with a caching device, value() is this copy made there
                self._cached_value = None
                if caching_device is not None:
                    with graph.device(caching_device):
                        self._cached_value = array_ops.identity(self._graph_element)
        self._initial_value = init
        self._validate_shape = validate_shape
        self._variable = self._handle
        self._snapshot = self._graph_element
        self._trainable = bool(trainable)
        self._synchronization, self._aggregation = synchronization, aggregation
        self._constraint = constraint
        self._caching_device = caching_device
        self._save_slice_info = None
        graph.add_to_collections(collections, self)

    def _init_from_def(self, variable_def, import_scope) -> None:
        """Wraps the ops a resource ``VariableDef`` names (an imported graph's)."""
        graph = get_default_graph()
        prefix = f"{import_scope}/" if import_scope else ""

        def element(name: str):
            return graph.as_graph_element(prefix + name) if name else None

        self._handle = self._variable = element(variable_def.variable_name)
        self._initializer_op = element(variable_def.initializer_name)
        self._graph_element = self._snapshot = element(variable_def.snapshot_name)
        initial = variable_def.initial_value_name
        self._initial_value = element(initial) if initial else self._initializer_op.inputs[1]
        self._is_initialized_op = None
        self._cached_value = None
        self._validate_shape = True
        self._trainable = bool(variable_def.trainable)
        self._constraint = None
        self._caching_device = None
        self._save_slice_info = None

    # -- identity -------------------------------------------------------------------------

    _is_resource = True

    @property
    def handle(self) -> Tensor:
        """The ``resource`` tensor of the ``VarHandleOp``."""
        return self._handle

    @property
    def dtype(self) -> dtypes.DType:
        """The value's dtype (``float32``: resource variables have no ``_ref`` dtype)."""
        return self._handle.op._attrs["dtype"]

    @property
    def shape(self) -> tensor_shape.TensorShape:
        return self.__dict__.get("_set_shape") or self._handle.op._attrs["shape"]

    def get_shape(self) -> tensor_shape.TensorShape:
        return self.shape

    def set_shape(self, shape) -> None:
        """Refines the variable's static shape (its handle's ``shape`` attr and the reads'
        shapes stay as they are, as TF's)."""
        self._set_shape = self.shape.merge_with(shape)

    def _ref(self) -> Tensor:
        return self._handle  # what tf.gradients differentiates with respect to, as TF's

    def _as_graph_element(self) -> Tensor:
        return self._graph_element

    # -- reads ----------------------------------------------------------------------------

    def _read_op(self, caching_device=None):
        graph = self._handle.graph
        with graph.as_default():
            if caching_device is not None:
                with graph.colocate_with(None, True), graph.device(caching_device):
                    return apply_op("ReadVariableOp", [self._handle], {"dtype": self.dtype})
            return apply_op("ReadVariableOp", [self._handle], {"dtype": self.dtype})

    def value(self) -> Tensor:
        """A new ``ReadVariableOp`` in the current name scope: the value when it runs (with a
        ``caching_device``, the copy ``<name>/Read/Identity`` made there, as TF's)."""
        if self._cached_value is not None:
            return self._cached_value
        with self.graph.colocate_with(None, True):
            return self._read_op(self._caching_device)

    def read_value(self) -> Tensor:
        """``Read/ReadVariableOp`` and an ``Identity`` of it, as TF's."""
        with self.graph.as_default():
            with name_scope("Read"):
                value = self._read_op(self._caching_device)
            return array_ops.identity(value)

    def sparse_read(self, indices, name=None) -> Tensor:
        """The rows ``indices`` (``ResourceGather``, named ``Gather``)."""
        with self.graph.as_default(), name_scope("Gather" if name is None else name) as scope:
            indices = convert_to_tensor(indices, name="indices")
            return apply_op("ResourceGather", [self._handle, indices], {"dtype": self.dtype}, scope)

    def is_initialized(self, name=None) -> Tensor:
        """A bool scalar (``VarIsInitializedOp``): whether the variable has a value."""
        with self.graph.as_default(), name_scope(name, "VarIsInitializedOp") as scope:
            return apply_op("VarIsInitializedOp", [self._handle], name=scope)

    def initialized_value(self):
        raise NotImplementedError(
            "initialized_value is not supported for resource variables (as in TF 2); read the "
            "value with read_value() after running the initializer, or use use_resource=False."
        )

    def eval(self, session=None):
        return self._graph_element.eval(session=session)

    def _count_up_to(self, limit, name=None) -> Tensor:
        """``ResourceCountUpTo``: the value before adding 1, until ``limit``."""
        graph = self.graph
        with graph.as_default(), name_scope(name, "ResourceCountUpTo") as scope:
            attrs = {"limit": int(limit), "T": self.dtype}
            return apply_op("ResourceCountUpTo", [self._handle], attrs, name=scope)

    # -- writes ---------------------------------------------------------------------------

    def _lazy_read(self, op):
        if isinstance(op, _UnreadVariable):  # read again after the read of an update
            op = op._graph_element.op
        return _UnreadVariable(self, op)

    def batch_scatter_update(self, sparse_delta, use_locking=False, name=None):
        """``tf.batch_scatter_update`` of this variable, read after it (as TF's, twice)."""
        return self._lazy_read(super().batch_scatter_update(sparse_delta, use_locking, name))

    def _write(self, op_type: str, value, name, read_value: bool, attrs=None):
        graph = self.graph
        with graph.as_default():
            value = _as_value(value, self.dtype, op_type)
            if op_type == "AssignVariableOp" and not self.shape.is_compatible_with(value.shape):
                raise ValueError(
                    f"Cannot assign value to variable ' {self.name}': Shape mismatch.The "
                    f"variable shape {self.shape}, and the assigned value shape {value.shape} "
                    "are incompatible."
                )
            attrs = {"dtype": self.dtype, **(attrs or {})}
            op = graph.create_op(op_type, [self._handle, value], attrs, name=name or op_type)
        return self._lazy_read(op) if read_value else op

    @undo.atomic
    def assign(self, value, use_locking=None, name=None, read_value=True):
        """``AssignVariableOp``; with ``read_value``, a variable-like whose reads come after."""
        validate = self._validate_shape and self.shape.is_fully_defined()
        attrs = {"validate_shape": validate}
        return self._write("AssignVariableOp", value, name, read_value, attrs)

    @undo.atomic
    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._write("AssignAddVariableOp", delta, name, read_value)

    @undo.atomic
    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._write("AssignSubVariableOp", delta, name, read_value)

    def _resource_scatter(self, op_type: str, indices, updates, name, read_value=True):
        # TF's attr names: ResourceScatterAdd's value type is dtype, ResourceScatterNdAdd's T
        attrs = {"dtype": self.dtype} if op_type in SCATTERS else {"T": self.dtype}
        if op_type in SCATTERS_ND:
            attrs["use_locking"] = True
        graph = self.graph
        with graph.as_default():
            updates = _as_value(updates, self.dtype, op_type)
            with name_scope(name, op_type) as scope:
                indices = convert_to_tensor(indices, name="indices")
                op = graph.create_op(op_type, [self._handle, indices, updates], attrs, scope)
        return self._lazy_read(op) if read_value else op

    def _scatter_method(op_type: str):  # noqa: N805  (builds methods below)
        def method(self, sparse_delta, use_locking=False, name=None):
            if not isinstance(sparse_delta, IndexedSlices):
                raise TypeError(
                    f"Argument `sparse_delta` must be a `tf.IndexedSlices`. Received arg: "
                    f"{sparse_delta}"
                )
            return self._resource_scatter(op_type, sparse_delta.indices, sparse_delta.values, name)

        method.__name__ = "scatter_" + op_type[len("ResourceScatter") :].lower()
        return method

    scatter_add = _scatter_method("ResourceScatterAdd")
    scatter_sub = _scatter_method("ResourceScatterSub")
    scatter_mul = _scatter_method("ResourceScatterMul")
    scatter_div = _scatter_method("ResourceScatterDiv")
    scatter_max = _scatter_method("ResourceScatterMax")
    scatter_min = _scatter_method("ResourceScatterMin")
    scatter_update = _scatter_method("ResourceScatterUpdate")
    del _scatter_method

    def __getitem__(self, index):
        """A slice of a new read, which can be assigned to (``ResourceStridedSliceAssign``)."""
        sliced = self.value()[index]
        sliced.assign = functools.partial(self._sliced_assign, sliced)
        return sliced

    def _sliced_assign(self, sliced, value, name=None):
        op = sliced.op
        graph = self.graph
        with graph.as_default():
            value = _as_value(value, self.dtype, "ResourceStridedSliceAssign")
            with name_scope(op.name + "/_assign" if name is None else name) as scope:
                attrs = {m: op._attrs[m] for m in _MASKS}
                attrs.update(Index=op._attrs["Index"], T=self.dtype)
                inputs = [self._handle, *op.inputs[1:4], value]
                update = graph.create_op("ResourceStridedSliceAssign", inputs, attrs, scope)
        return self._lazy_read(update)

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"


class _UnreadVariable(ResourceVariable):
    """What ``assign`` and the scatters return, as TF's: the variable after ``op`` (its name
    and ``op`` are the update's; reading it reads after the update)."""

    def __init__(self, parent: ResourceVariable, op):  # noqa: D107
        self._parent = parent
        self._parent_op = op
        self._handle = self._variable = parent._handle
        self._initializer_op = parent._initializer_op
        self._initial_value = parent._initial_value
        self._trainable = parent._trainable
        self._constraint = parent._constraint
        self._caching_device = parent._caching_device
        self._save_slice_info = None
        self._cached_value = None  # its reads come after the update
        self._synchronization, self._aggregation = parent.synchronization, parent.aggregation
        with op.graph.control_dependencies([op]):
            self._graph_element = self._snapshot = self._read_op(self._caching_device)

    @property
    def name(self) -> str:
        return self._parent_op.name

    @property
    def op(self):
        return self._parent_op

    def value(self) -> Tensor:
        with self.graph.control_dependencies([self._parent_op]):
            return super().value()

    def read_value(self) -> Tensor:
        with self.graph.control_dependencies([self._parent_op]):
            return super().read_value()

    def _write(self, op_type, value, name, read_value, attrs=None):
        with self.graph.control_dependencies([self._parent_op]):
            return self._parent._write(op_type, value, name, read_value, attrs)


_MASKS = ("begin_mask", "end_mask", "ellipsis_mask", "new_axis_mask", "shrink_axis_mask")


def _as_value(value, dtype: dtypes.DType, op_type: str) -> Tensor:
    try:
        return convert_to_tensor(value, dtype=dtype)
    except ValueError:
        if not hasattr(value, "dtype"):
            raise
        raise TypeError(
            f"Input 'value' of '{op_type}' Op has type {value.dtype.base_dtype.name} that does "
            f"not match type {dtype.name} of the variable."
        ) from None


def _static_shape(name: str, init: Tensor, shape, validate_shape: bool):
    declared = None if shape is None else tensor_shape.as_shape(shape)
    if declared is not None and not declared.is_compatible_with(init.shape):
        raise ValueError(
            f"In this `tf.Variable` creation, the initial value's shape ({init.shape}) is not "
            f"compatible with the explicitly supplied `shape` argument ({declared})."
        )
    if not validate_shape:  # TF 2's: the static shape stays the value's; assign() may not
        return init.shape if declared is None else declared  # check it at run time
    return init.shape if declared is None else declared.merge_with(init.shape)


def use_resource_default(use_resource):
    """TF1's choice for a variable made with ``use_resource`` (``None``: the variable scope's,
    else the default of ``tf.enable_resource_variables()``)."""
    if use_resource is None:
        use_resource = get_variable_scope().use_resource
    if use_resource is None:
        use_resource = behavior.resource_variables_enabled()
    return bool(use_resource)


Variable._choose_class = staticmethod(
    lambda use_resource: ResourceVariable if use_resource_default(use_resource) else Variable
)
