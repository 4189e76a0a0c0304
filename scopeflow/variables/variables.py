"""``tf.Variable``: a named, stateful tensor whose value lives in a session."""

from __future__ import annotations

import functools

from scopeflow.framework import colocation, dtypes, tensor_shape, undo
from scopeflow.framework.constant import convert_to_tensor, register_tensor_conversion_function
from scopeflow.framework.defaults import get_default_graph, get_default_session
from scopeflow.framework.graph import GraphKeys, graph_of
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices
from scopeflow.framework.object_identity import Reference
from scopeflow.framework.tensor import OVERLOADABLE_OPERATORS, Tensor
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.control.cond import cond
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.state import batch_scatter, slice_assign
from scopeflow.ops.state import scatter as scatter_ops
from scopeflow.ops.state.storage import count_up_to, is_variable_initialized
from scopeflow.variables import creator_scope
from scopeflow.variables.init_guard import guard_initial_value, in_control_flow
from scopeflow.variables.partitioned import SaveSliceInfo
from scopeflow.variables.synchronization import (
    VariableAggregation,
    VariableSynchronization,
    validate,
)


class _VariableMeta(type):
    """Sends ``tf.Variable(...)`` through the creators of ``tf.variable_creator_scope``."""

    def __call__(cls, *args, **kwargs):
        if cls is not Variable:
            return super().__call__(*args, **kwargs)
        chain = creator_scope.creators()
        if not chain:
            use_resource = kwargs.get("use_resource", args[11] if len(args) > 11 else None)
            variable_def = kwargs.get("variable_def", args[6] if len(args) > 6 else None)
            if variable_def is not None:  # an imported graph's variable: its own kind
                use_resource = getattr(variable_def, "is_resource", use_resource)
            target = cls._choose_class(use_resource)
            return type.__call__(target, *args, **kwargs)
        given = dict(zip(creator_scope.CREATOR_ARGS, args, strict=False), **kwargs)
        full = {**creator_scope.CREATOR_ARGS, **given}
        return creator_scope.create(
            lambda **kw: type.__call__(cls._choose_class(kw.get("use_resource")), **kw),
            full,
            chain,
        )


class Variable(metaclass=_VariableMeta):
    """A TF1 reference variable: ops ``<name>`` (VariableV2), ``<name>/Assign`` (its
    initializer) and ``<name>/read`` (its value), plus ``<name>/initial_value`` when the
    initial value is a Python or NumPy value.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     w = tf.Variable(tf.zeros([2]), name="w")
    >>> w.name, w.initializer.name, w.value().name
    ('w:0', 'w/Assign', 'w/read:0')
    """

    SaveSliceInfo = SaveSliceInfo
    # The class ``tf.Variable(..., use_resource=...)`` makes: ``variables/resource_variable.py``
    # replaces it with TF1's choice (the argument, the scope's, the process default).
    _choose_class = staticmethod(lambda use_resource: Variable)
    _is_resource = False

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
        declared = None if shape is None else tensor_shape.as_shape(shape)
        from_fn = callable(initial_value)
        graph = graph_of([] if from_fn else [initial_value])
        # As TF1's init_scope: a variable and its initializer ignore control_dependencies.
        with (
            graph.as_default(),
            graph.control_dependencies(None),
            name_scope(name, "Variable") as scope,
        ):
            var_name = scope[:-1]
            # As TF1: from a function, the initializer and the variable are in loc:@var_name,
            # the initializer outside any tf.device block.
            with colocation.variable_group(graph, var_name, from_fn):
                if from_fn:
                    with name_scope("Initializer"), graph.device(None):
                        init = convert_to_tensor(initial_value(), dtype=dtype, name="initial_value")
                else:
                    init = convert_to_tensor(initial_value, dtype=dtype, name="initial_value")
                    if in_control_flow(init.op):
                        raise ValueError(
                            f"Initializer for variable {scope} is from inside a control-flow "
                            "construct, such as a loop or conditional. When creating a "
                            "variable inside a loop or conditional, use a lambda as the "
                            "initializer."
                        )
                if declared is not None and not declared.is_compatible_with(init.shape):
                    raise ValueError(
                        f"Initializer for variable {var_name} has shape {init.shape}, but the "
                        f"variable was declared with shape {declared}."
                    )
                static = init.shape if declared is None else declared.merge_with(init.shape)
                if not validate_shape:
                    static = tensor_shape.unknown_shape()
                elif not static.is_fully_defined():
                    raise ValueError(
                        f"initial_value of variable {var_name} must have a fully defined "
                        f"shape, got {static}; pass validate_shape=False to allow an unknown "
                        "shape."
                    )
                attrs = {
                    "shape": static,
                    "dtype": init.dtype.base_dtype,
                    "container": "",
                    "shared_name": "",
                }
                self._variable: Tensor = apply_op("VariableV2", [], attrs, name=scope)
            self._initial_value = init
            self._initializer_op = apply_op(
                "Assign",
                [self._variable, guard_initial_value(scope, init)],
                {"validate_shape": validate_shape, "use_locking": True},
            ).op
            placed = graph.device(caching_device) if caching_device is not None else None
            with placed or graph.colocate_with(self._variable.op):
                self._snapshot = array_ops.identity(self._variable, name="read")
        self._trainable = bool(trainable)
        self._synchronization, self._aggregation = synchronization, aggregation
        self._constraint = constraint
        self._caching_device = caching_device
        self._save_slice_info = None
        graph.add_to_collections(collections, self)

    def _init_from_def(self, variable_def, import_scope) -> None:
        """Wraps the ops a ``VariableDef`` proto names (an imported graph's ``VariableV2``,
        ``Assign`` and ``read``), as TF1's ``Variable(variable_def=...)``; adds nothing (a
        resource ``VariableDef`` makes a ``ResourceVariable``: ``_VariableMeta``)."""
        graph = get_default_graph()
        prefix = f"{import_scope}/" if import_scope else ""

        def element(name: str):
            return graph.as_graph_element(prefix + name) if name else None

        self._variable = element(variable_def.variable_name)
        self._initializer_op = element(variable_def.initializer_name)
        self._snapshot = element(variable_def.snapshot_name)
        initial = variable_def.initial_value_name
        self._initial_value = element(initial) if initial else self._initializer_op.inputs[1]
        self._trainable = bool(variable_def.trainable)
        self._constraint = None
        self._caching_device = None
        self._save_slice_info = None
        if variable_def.HasField("save_slice_info_def"):  # a part of a partitioned variable
            info = variable_def.save_slice_info_def
            self._save_slice_info = SaveSliceInfo(
                prefix + info.full_name,
                list(info.full_shape),
                list(info.var_offset),
                list(info.var_shape),
            )

    # -- identity -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._variable.name

    @property
    def op(self):
        return self._variable.op

    @property
    def graph(self):
        return self._variable.graph

    @property
    def dtype(self) -> dtypes.DType:
        """The variable's dtype as TF1 reports it: a ``_ref`` type (``float32_ref``)."""
        return self._variable.dtype

    @property
    def shape(self) -> tensor_shape.TensorShape:
        return self._variable.shape

    def get_shape(self) -> tensor_shape.TensorShape:
        return self._variable.shape

    def set_shape(self, shape) -> None:
        """Refines the static shape of the variable and of its value (``ValueError`` if
        incompatible)."""
        self._variable.set_shape(shape)
        self._snapshot.set_shape(shape)

    @property
    def device(self) -> str:
        return self._variable.device

    @property
    def trainable(self) -> bool:
        return self._trainable

    @property
    def synchronization(self) -> VariableSynchronization:
        return getattr(self, "_synchronization", VariableSynchronization.AUTO)

    @property
    def aggregation(self) -> VariableAggregation:
        return getattr(self, "_aggregation", VariableAggregation.NONE)

    @property
    def constraint(self):
        return self._constraint

    @property
    def initializer(self):
        """The op that assigns the initial value."""
        return self._initializer_op

    @property
    def initial_value(self) -> Tensor:
        return self._initial_value

    def value(self) -> Tensor:
        """The ``<name>/read`` tensor: the variable's current value."""
        return self._snapshot

    def read_value(self) -> Tensor:
        """A new ``read`` op reading the current value."""
        return array_ops.identity(self._variable, name="read")

    def _ref(self) -> Tensor:
        return self._variable

    def _set_save_slice_info(self, save_slice_info) -> None:
        """Marks this variable as a part of a partitioned variable (a ``SaveSliceInfo``)."""
        self._save_slice_info = save_slice_info

    def _get_save_slice_info(self):
        return self._save_slice_info

    def _as_graph_element(self) -> Tensor:
        return self._variable

    # -- updates (ops; values change when a session runs them) ------------------------------

    def _update(self, op_type: str, value, use_locking: bool, name, read_value: bool):
        # As TF's generated op wrappers: the converted value lives in the op's own scope.
        dtype = self.dtype.base_dtype
        with self.graph.as_default(), name_scope(name or op_type) as scope:
            try:
                value = convert_to_tensor(value, dtype=dtype, name="value")
            except ValueError:
                if not hasattr(value, "dtype"):
                    raise
                # A tensor of another dtype: TF1 reports it as a TypeError.
                raise TypeError(
                    f"Input 'value' of '{op_type}' Op has type {value.dtype.base_dtype.name} "
                    f"that does not match type {dtype.name} of argument 'ref'."
                ) from None
            attrs = {"use_locking": use_locking}
            if op_type == "Assign":
                attrs["validate_shape"] = True
            out = apply_op(op_type, [self._variable, value], attrs, name=scope)
        return out if read_value else out.op

    @undo.atomic
    def assign(self, value, use_locking=False, name=None, read_value=True):
        """An op setting the variable to ``value``; returns the new value's tensor."""
        return self._update("Assign", value, use_locking, name, read_value)

    @undo.atomic
    def assign_add(self, delta, use_locking=False, name=None, read_value=True):
        return self._update("AssignAdd", delta, use_locking, name, read_value)

    @undo.atomic
    def assign_sub(self, delta, use_locking=False, name=None, read_value=True):
        return self._update("AssignSub", delta, use_locking, name, read_value)

    def count_up_to(self, limit):
        """An op adding 1 to this int variable until ``limit`` (``tf.count_up_to``)."""
        return count_up_to(self, limit)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        """An op subtracting ``sparse_delta`` (an ``IndexedSlices``) from the rows it names;
        returns the new value's tensor."""
        return self._scatter(scatter_ops.scatter_sub, sparse_delta, use_locking, name)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        """An op adding ``sparse_delta`` (an ``IndexedSlices``) to the rows it names."""
        return self._scatter(scatter_ops.scatter_add, sparse_delta, use_locking, name)

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """An op setting the rows ``sparse_delta`` (an ``IndexedSlices``) names to its
        values."""
        return self._scatter(scatter_ops.scatter_update, sparse_delta, use_locking, name)

    def scatter_mul(self, sparse_delta, use_locking=False, name=None):
        """An op multiplying the rows ``sparse_delta`` (an ``IndexedSlices``) names by its
        values."""
        return self._scatter(scatter_ops.scatter_mul, sparse_delta, use_locking, name)

    def scatter_div(self, sparse_delta, use_locking=False, name=None):
        """An op dividing the rows ``sparse_delta`` (an ``IndexedSlices``) names by its
        values."""
        return self._scatter(scatter_ops.scatter_div, sparse_delta, use_locking, name)

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        """An op setting the rows ``sparse_delta`` names to their maximum with its values."""
        return self._scatter(scatter_ops.scatter_max, sparse_delta, use_locking, name)

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        """An op setting the rows ``sparse_delta`` names to their minimum with its values."""
        return self._scatter(scatter_ops.scatter_min, sparse_delta, use_locking, name)

    def batch_scatter_update(self, sparse_delta, use_locking=False, name=None):
        """An op setting, in each batch row, the entries ``sparse_delta`` (an
        ``IndexedSlices`` of batched indices) names (``tf.batch_scatter_update``)."""
        return self._scatter(batch_scatter.batch_scatter_update, sparse_delta, use_locking, name)

    def scatter_nd_sub(self, indices, updates, name=None):
        """An op subtracting ``updates`` at the multi-indices ``indices`` (``tf.scatter_nd_sub``
        with ``use_locking=True``, as TF1's method); returns the new value's tensor."""
        return scatter_ops.scatter_nd_sub(self, indices, updates, True, name)

    def scatter_nd_add(self, indices, updates, name=None):
        """An op adding ``updates`` at the multi-indices ``indices``."""
        return scatter_ops.scatter_nd_add(self, indices, updates, True, name)

    def scatter_nd_update(self, indices, updates, name=None):
        """An op setting the slices at the multi-indices ``indices`` to ``updates``."""
        return scatter_ops.scatter_nd_update(self, indices, updates, True, name)

    def _scatter(self, fn, sparse_delta, use_locking, name):
        if not isinstance(sparse_delta, IndexedSlices):
            raise TypeError(f"sparse_delta is not IndexedSlices: {sparse_delta}")
        return fn(self, sparse_delta.indices, sparse_delta.values, use_locking, name)

    def initialized_value(self) -> Tensor:
        """The value if initialized, else the initial value: for initializing one variable
        from another (``tf.Variable(w.initialized_value() * 2)``)."""
        with self.graph.as_default():
            return cond(is_variable_initialized(self), self.read_value, lambda: self._initial_value)

    def load(self, value, session=None) -> None:
        """Sets the variable's value in ``session`` (or the default session) from a NumPy
        value, by running its initializer with the initial value fed."""
        session = session or get_default_session()
        if session is None:
            raise ValueError(
                "Either session argument should be provided or default session should be "
                "established"
            )
        session.run(self._initializer_op, {self._initializer_op.inputs[1]: value})

    def eval(self, session=None):
        """The variable's value in ``session`` (or the default session)."""
        return self._variable.eval(session=session)

    def ref(self) -> Reference:
        """A hashable reference to this variable, for sets and dict keys."""
        return Reference(self)

    def experimental_ref(self) -> Reference:
        """TF's older name of :meth:`ref`."""
        return self.ref()

    # -- Python protocol ------------------------------------------------------------------

    __array_priority__ = 100
    __hash__ = object.__hash__

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other

    def __bool__(self):
        # TF1's (reference) variables define no truth value of their own: any is True, which
        # code such as string_input_producer(match_filenames_once(...)) relies on.
        return True

    def __iter__(self):
        return iter(self._snapshot)

    def __repr__(self) -> str:
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"


def _forward(operator: str):
    def method(self, *args):
        return getattr(self.value(), operator)(*args)

    method.__name__ = operator
    return method


for _operator in OVERLOADABLE_OPERATORS:
    setattr(Variable, _operator, _forward(_operator))


def _sliced(self, index):
    """``v[...]``: a slice of the variable's value that can be assigned to, as TF1's
    (``v[1:3].assign(x)`` adds a ``StridedSliceAssign``)."""
    sliced = self.value()[index]
    sliced.assign = functools.partial(slice_assign.sliced_assign, self._ref(), sliced)
    return sliced


Variable.__getitem__ = _sliced


def _variable_to_tensor(v: Variable, dtype=None, name=None, as_ref=False):
    return v._ref() if as_ref else v.value()


register_tensor_conversion_function(Variable, _variable_to_tensor)
VariableV1 = Variable
