"""``tf.train.Optimizer``: the base of TF1's optimizers, with their slot variables.

``minimize`` is ``compute_gradients`` (``tf.gradients`` of the loss with respect to the
variables) followed by ``apply_gradients``, which builds, under the optimizer's name scope
(``Adam/``), one update op per variable (``Adam/update_<var>/ApplyAdam``), groups them, and
increments ``global_step`` when given one (the returned op is then the increment).

Slots (per-variable state such as Adam's moments) are variables made through the
variable-scope machinery, named as TF1 names them: ``<var>/<Optimizer>``,
``<var>/<Optimizer>_1``..., global but not trainable. Other optimizer state (Adam's
``beta1_power``) is a plain non-trainable ``tf.Variable`` in the current name scope.

A gradient that is an ``IndexedSlices`` (the rows an ``embedding_lookup`` read) takes TF1's
sparse path: its rows sharing an index are added up (``Unique``, ``UnsortedSegmentSum``) and
``_apply_sparse`` updates only those rows (``SparseApplyMomentum``...; gradient descent
skips the sum and subtracts with ``ScatterSub``), so a step costs what the batch touches.

Subclasses override TF1's hooks: ``_create_slots(var_list)``, ``_prepare()``,
``_apply_dense(grad, var)``, ``_apply_sparse(grad, var)`` and
``_finish(update_ops, name_scope)``.
"""

from __future__ import annotations

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import GraphKeys, graph_of
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.indexed_slices import IndexedSlices, convert_to_tensor_or_indexed_slices
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.traceback_filter import api_boundary
from scopeflow.gradients import gradients
from scopeflow.ops.array import basic as array_ops
from scopeflow.ops.array.gather import unsorted_segment_sum
from scopeflow.ops.array.unique import unique
from scopeflow.ops.control import grouping as control_flow_ops
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.state import storage as state_ops
from scopeflow.variables import initializers
from scopeflow.variables.partitioned import slice_slot_like
from scopeflow.variables.variable_scope import get_variable, variable_scope
from scopeflow.variables.variables import Variable

_VALID_DTYPES = (dtypes.float16, dtypes.bfloat16, dtypes.float32, dtypes.float64)


def _var_key(var: Variable) -> tuple:
    return (var.op.graph, var.op.name)


def _flatten(var_list) -> list:
    if isinstance(var_list, dict):
        return [var_list[k] for k in sorted(var_list)]
    if isinstance(var_list, (list, tuple)):
        return [v for item in var_list for v in _flatten(item)]
    return [var_list]


def _check_variable(v) -> None:
    if not isinstance(v, Variable):
        raise NotImplementedError(
            f"Trying to optimize unsupported type {type(v).__name__}: {v!r}. Optimizers "
            "update tf.Variable objects (from tf.get_variable or tf.Variable)."
        )


def _increment(global_step, name: str):
    """``global_step += 1`` named ``name``: TF's AssignAddVariableOp for a resource variable
    (no read after it), else its AssignAdd."""
    if not getattr(global_step, "_is_resource", False):
        return state_ops.assign_add(global_step, 1, name=name)
    one = convert_to_tensor(1, dtype=global_step.dtype)
    return get_default_graph().create_op(
        "AssignAddVariableOp", [global_step.handle, one], {"dtype": global_step.dtype}, name
    )


def _builtin(optimizer) -> bool:
    """Whether ``optimizer``'s updates are scopeflow's own (not a user subclass's)."""
    return type(optimizer)._apply_dense.__module__.startswith("scopeflow.")


def _check_gradient(g) -> Tensor | IndexedSlices | None:
    if g is None:
        return None
    try:
        return convert_to_tensor_or_indexed_slices(g)
    except (TypeError, ValueError):
        raise TypeError(
            f"Gradient must be convertible to a Tensor or IndexedSlices, or None: {g!r}"
        ) from None


def _deduplicate_indexed_slices(values, indices) -> tuple:
    """``(summed values, unique indices)``: the rows of ``values`` sharing an index added up,
    as TF1's optimizers do before a sparse update."""
    unique_indices, positions = unique(indices)
    summed = unsorted_segment_sum(values, positions, array_ops.shape(unique_indices)[0])
    return summed, unique_indices


def create_slot(primary: Variable, initializer, shape, dtype, name: str) -> Variable:
    """A slot for ``primary``: the variable ``<primary's name>/<name>`` (``_1``... when that
    exists), made by ``get_variable`` in a fresh variable scope (without the scope's
    partitioner), not trainable. A part of a partitioned variable gets a slot sliced alike:
    ``w/part_0/Adam`` is saved as a slice of ``w/Adam``."""
    if not shape.is_fully_defined():
        raise NotImplementedError(
            f"Variable {primary.op.name}: optimizer slots need a fully defined shape, got "
            f"{shape}. Give the variable a fully defined shape."
        )
    graph = get_default_graph()
    with graph.control_dependencies(None), graph.colocate_with(primary):
        with variable_scope(None, default_name=primary.op.name + "/" + name) as scope:
            scope.set_partitioner(None)
            slot = get_variable(
                "",
                shape=shape,
                dtype=dtype,
                initializer=initializer,
                trainable=False,
                use_resource=primary._is_resource,  # as TF's slot_creator
            )
    slice_slot_like(primary, slot)
    return slot


class Optimizer:
    """Base class of the optimizers; not used directly (use e.g. ``AdamOptimizer``)."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking: bool, name: str):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        # slot name -> {(graph, var op name): slot variable}
        self._slots: dict[str, dict[tuple, Variable]] = {}
        # (name, graph) -> variable, for state shared by all variables (beta1_power)
        self._non_slot_dict: dict[tuple, Variable] = {}

    def get_name(self) -> str:
        return self._name

    # -- public API -----------------------------------------------------------------------

    @api_boundary
    def minimize(
        self,
        loss,
        global_step=None,
        var_list=None,
        gate_gradients=GATE_OP,
        aggregation_method=None,
        colocate_gradients_with_ops=False,
        name=None,
        grad_loss=None,
    ):
        """An op that computes the gradients of ``loss`` and applies them to ``var_list``
        (default: the trainable variables), incrementing ``global_step`` if given.

        Raises:
            ValueError: no variable in ``var_list`` gets a gradient from ``loss``.

        >>> import scopeflow as tf
        >>> with tf.Graph().as_default():
        ...     w = tf.Variable(3.0, name="w")
        ...     train = tf.train.GradientDescentOptimizer(0.25).minimize(w * w)
        ...     with tf.Session() as sess:
        ...         sess.run(tf.global_variables_initializer())
        ...         sess.run(train)
        ...         print(train.name, sess.run(w))
        GradientDescent 1.5
        """
        grads_and_vars = self.compute_gradients(
            loss,
            var_list=var_list,
            gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops,
            grad_loss=grad_loss,
        )
        if not any(g is not None for g, _ in grads_and_vars):
            raise ValueError(
                "No gradients provided for any variable, check your graph for ops that do not "
                f"support gradients, between variables {[str(v) for _, v in grads_and_vars]} "
                f"and loss {loss}."
            )
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    @api_boundary
    def compute_gradients(
        self,
        loss,
        var_list=None,
        gate_gradients=GATE_OP,
        aggregation_method=None,
        colocate_gradients_with_ops=False,
        grad_loss=None,
    ) -> list[tuple]:
        """``[(gradient or None, variable), ...]`` of ``loss`` for ``var_list`` (default: the
        trainable variables). ``loss`` may be a callable returning the loss.

        As TF's: ``GATE_OP`` groups each op's input gradients (``tf.gradients`` with
        ``gate_gradients=True``: ``gradients/<op>_grad/tuple/control_dependency``...),
        ``GATE_GRAPH`` passes all the gradients through one ``tf.tuple`` (``tuple/...``),
        ``GATE_NONE`` neither; the values are the same.
        """
        if callable(loss):
            loss = loss()
        if gate_gradients not in (Optimizer.GATE_NONE, Optimizer.GATE_OP, Optimizer.GATE_GRAPH):
            raise ValueError(
                "gate_gradients must be one of: Optimizer.GATE_NONE, Optimizer.GATE_OP, "
                f"Optimizer.GATE_GRAPH.  Not {gate_gradients}"
            )
        loss = convert_to_tensor(loss, name="loss")
        self._assert_valid_dtypes([loss])
        if grad_loss is not None:
            self._assert_valid_dtypes([convert_to_tensor(grad_loss)])
        if var_list is None:
            var_list = loss.graph.get_collection(GraphKeys.TRAINABLE_VARIABLES)
        else:
            var_list = _flatten(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        for v in var_list:
            _check_variable(v)
        grads = gradients(
            loss,
            [v._ref() for v in var_list],
            grad_ys=grad_loss,
            gate_gradients=gate_gradients == Optimizer.GATE_OP,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops,
        )
        if gate_gradients == Optimizer.GATE_GRAPH:
            grads = control_flow_ops.tuple(grads)
        grads_and_vars = list(zip(grads, var_list, strict=True))
        self._assert_valid_dtypes([v for g, v in grads_and_vars if g is not None])
        return grads_and_vars

    @undo.atomic
    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """An op applying ``[(gradient, variable), ...]`` (``None`` gradients are skipped);
        named ``name`` (default: the optimizer's name). With ``global_step``, the op is the
        step's increment, which runs after all updates.

        Raises:
            ValueError: ``grads_and_vars`` is empty or has no gradient at all.
        """
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        converted = []
        for g, v in grads_and_vars:
            _check_variable(v)
            converted.append((_check_gradient(g), v))
        var_list = [v for g, v in converted if g is not None]
        if not var_list:
            raise ValueError(
                f"No gradients provided for any variable: {[str(v) for _, v in converted]}."
            )
        graph = graph_of([v._ref() for v in var_list])
        with graph.as_default():
            with graph.control_dependencies(None):
                self._create_slots(var_list)
            update_ops = []
            with name_scope(name, self._name) as scope:
                self._prepare()
                for grad, var in converted:
                    if grad is None:
                        continue
                    # as TF1: all of a variable's update ops are placed with it
                    with name_scope("update_" + var.op.name), graph.colocate_with(var):
                        update_ops.append(self._update_op(grad, var))
                if global_step is None:
                    apply_updates = self._finish(update_ops, scope)
                else:
                    with graph.control_dependencies([self._finish(update_ops, "update")]):
                        with graph.colocate_with(global_step):
                            apply_updates = _increment(global_step, scope)
            if isinstance(apply_updates, Tensor):
                apply_updates = apply_updates.op
            if apply_updates not in graph.get_collection(GraphKeys.TRAIN_OP):
                graph.add_to_collection(GraphKeys.TRAIN_OP, apply_updates)
        return apply_updates

    def get_slot(self, var, name: str):
        """The slot ``name`` (see ``get_slot_names``) made for ``var``, or ``None``."""
        named = self._slots.get(name)
        return None if not named else named.get(_var_key(var))

    def get_slot_names(self) -> list[str]:
        """The names of the slots this optimizer makes, sorted (``["m", "v"]`` for Adam)."""
        return sorted(self._slots)

    def variables(self) -> list[Variable]:
        """The optimizer's variables in the default graph (slots and e.g. ``beta1_power``),
        sorted by name."""
        graph = get_default_graph()
        found = [v for (_, g), v in self._non_slot_dict.items() if g is graph]
        for named in self._slots.values():
            found.extend(v for v in named.values() if v.graph is graph)
        return sorted(found, key=lambda v: v.name)

    # -- hooks for subclasses ---------------------------------------------------------------

    def _create_slots(self, var_list) -> None:
        """Creates the slots the updates need (called once per ``apply_gradients``)."""

    def _constant_slot(self, var, value, slot_name: str, op_name: str):
        """The slot ``slot_name`` of ``var`` starting at ``value`` (an accumulator), created
        under ``<var>/<op_name>`` as TF1 names it."""
        dtype = var.dtype.base_dtype
        init = initializers.Constant(value, dtype=dtype)
        return self._get_or_make_slot_with_initializer(
            var, init, var.get_shape(), dtype, slot_name, op_name
        )

    def _prepare(self) -> None:
        """Converts the hyper-parameters to tensors inside the update's name scope."""

    def _apply_dense(self, grad, var):
        raise NotImplementedError(f"{type(self).__name__} must implement _apply_dense")

    def _apply_sparse_duplicate_indices(self, grad: IndexedSlices, var):
        """Adds up the rows of ``grad`` sharing an index, then ``_apply_sparse``. Optimizers
        whose update is right with repeated indices override this to skip the sum."""
        summed, unique_indices = _deduplicate_indexed_slices(grad.values, grad.indices)
        return self._apply_sparse(IndexedSlices(summed, unique_indices, grad.dense_shape), var)

    def _apply_sparse(self, grad: IndexedSlices, var):
        """The update for a gradient whose rows have distinct indices."""
        raise NotImplementedError(f"{type(self).__name__} must implement _apply_sparse")

    def _finish(self, update_ops, name_scope):
        """The op that completes a step: a group of ``update_ops`` named ``name_scope``."""
        return control_flow_ops.group(*update_ops, name=name_scope)

    # -- helpers for subclasses -------------------------------------------------------------

    def _update_op(self, grad, var):
        if var._is_resource:
            return self._resource_update_op(grad, var)
        if isinstance(grad, IndexedSlices):
            if var.constraint is not None:
                raise RuntimeError(
                    f"Cannot use a constraint function on a sparse variable: {var.op.name} gets "
                    "an IndexedSlices gradient (from a gather or embedding_lookup). Apply the "
                    "constraint with an assignment after the training step instead."
                )
            return self._apply_sparse_duplicate_indices(grad, var)
        update = self._apply_dense(grad, var)
        if var.constraint is None:
            return update
        # The constraint gets the update's output (the new value) rather than the variable:
        # in one run, the variable's ``read`` tensor holds the value from before the update.
        outputs = getattr(update, "outputs", None)
        new_value = outputs[0] if outputs else var
        with get_default_graph().control_dependencies([update]):
            return var.assign(var.constraint(new_value))

    def _resource_update_op(self, grad, var):
        """TF's update of a resource variable: the ``_resource_apply_*`` hooks."""
        if isinstance(grad, IndexedSlices):
            if var.constraint is not None:
                raise RuntimeError("Cannot use a constraint function on a sparse variable.")
            return self._resource_apply_sparse_duplicate_indices(grad.values, var, grad.indices)
        update = self._resource_apply_dense(grad, var)
        if var.constraint is None:
            return update
        with get_default_graph().control_dependencies([update]):
            return var.assign(var.constraint(var))

    def _resource_apply_dense(self, grad, handle):
        """TF's hook for a resource variable (``handle``: the variable) and a dense gradient.
        scopeflow's optimizers build their ``_apply_dense`` ops, which take the ``Resource*``
        op types for a resource variable; other subclasses must override it, as in TF."""
        if _builtin(self):
            return self._apply_dense(grad, handle)
        raise NotImplementedError(
            f"{type(self).__name__} must implement _resource_apply_dense to update resource "
            "variables (or make the variables with use_resource=False)"
        )

    def _resource_apply_sparse_duplicate_indices(self, grad, handle, indices):
        """Adds up the rows of ``grad`` sharing an index, then ``_resource_apply_sparse``."""
        summed, unique_indices = _deduplicate_indexed_slices(grad, indices)
        return self._resource_apply_sparse(summed, handle, unique_indices)

    def _resource_apply_sparse(self, grad, handle, indices):
        """TF's hook for a resource variable and gradient rows with distinct ``indices``."""
        if _builtin(self):
            return self._apply_sparse(IndexedSlices(grad, indices), handle)
        raise NotImplementedError(
            f"{type(self).__name__} must implement _resource_apply_sparse to update resource "
            "variables (or make the variables with use_resource=False)"
        )

    @staticmethod
    def _call_if_callable(param):
        return param() if callable(param) else param

    def _valid_dtypes(self):
        return _VALID_DTYPES

    def _assert_valid_dtypes(self, tensors) -> None:
        valid = self._valid_dtypes()
        for t in tensors:
            dtype = t.dtype.base_dtype
            if dtype not in valid:
                raise ValueError(
                    f"Invalid type {dtype!r} for {t.name}, expected: {[str(v) for v in valid]}."
                )

    def _slot_dict(self, slot_name: str) -> dict:
        named = self._slots.get(slot_name)
        if named is None:
            named = self._slots[slot_name] = {}
            undo.record(lambda: self._slots.pop(slot_name, None))
        return named

    def _get_or_make_slot_with_initializer(
        self, var, initializer, shape, dtype, slot_name, op_name
    ):
        """The slot ``slot_name`` of ``var``, made as ``<var>/<op_name>`` the first time."""
        named = self._slot_dict(slot_name)
        key = _var_key(var)
        if key not in named:
            named[key] = create_slot(var, initializer, shape, dtype, op_name)
            undo.record(lambda: named.pop(key, None))
        return named[key]

    def _zeros_slot(self, var, slot_name: str, op_name: str):
        """A zero-initialized slot shaped like ``var``."""
        dtype = var.dtype.base_dtype
        return self._get_or_make_slot_with_initializer(
            var, initializers.Zeros(), var.get_shape(), dtype, slot_name, op_name
        )

    def _create_non_slot_variable(self, initial_value, name: str, colocate_with):
        """A variable ``name`` shared by all of this optimizer's updates in the graph of
        ``colocate_with``; made once per graph."""
        key = (name, colocate_with.graph)
        v = self._non_slot_dict.get(key)
        if v is None:
            with colocate_with.graph.colocate_with(colocate_with):
                v = Variable(
                    initial_value,
                    name=name,
                    trainable=False,
                    use_resource=getattr(colocate_with, "_is_resource", False),
                )
            self._non_slot_dict[key] = v
            undo.record(lambda: self._non_slot_dict.pop(key, None))
        return v

    def _get_non_slot_variable(self, name: str, graph=None):
        return self._non_slot_dict.get((name, graph or get_default_graph()))

    @staticmethod
    def _cast(t, var):
        if getattr(t, "_is_resource", False) and t.dtype == var.dtype.base_dtype:
            return t  # as TF's cast: a resource variable of the dtype is read where it is used
        return math_ops.cast(t, var.dtype.base_dtype)
