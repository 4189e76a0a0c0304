"""Where the JAX executor puts each array on a device mesh (``data_parallel``'s state).

A :class:`Placement` is hooked into a session's JAX executor (``JaxExecutor.placement``):
before a compiled segment runs, fed arrays are split along their first (batch) dimension over
the mesh axis ``"data"``, variables are put where their sharding rule says (replicated when no
rule names them), and inside the traced step every variable write is constrained to its
variable's sharding, so variables keep their layout from run to run. XLA's SPMD partitioner
does the rest: the gradient of a mean over a split batch becomes an all-reduce inside the
one compiled program.

JAX is imported when a placement is built (``data_parallel`` needs it anyway), never when
``scopeflow`` is imported.
"""

from __future__ import annotations

import re
import zlib

import numpy as np

DATA_AXIS = "data"


class Placement:
    """A device mesh, the sharding rules for variables, and what they resolved to."""

    def __init__(self, session, mesh, rules: dict):
        import jax
        from jax.experimental import multihost_utils
        from jax.sharding import NamedSharding, PartitionSpec

        self._jax = jax
        self._allgather = multihost_utils.process_allgather
        self._named = NamedSharding
        self._spec = PartitionSpec
        self.session = session
        self.mesh = mesh
        self.multi_process = jax.process_count() > 1
        self.rules = [
            (re.compile(pattern), pattern, _spec_tuple(pattern, spec))
            for pattern, spec in rules.items()
        ]
        for pattern, spec in ((p, s) for _, p, s in self.rules):
            for axis in spec:
                if axis is not None and axis not in mesh.shape:
                    raise ValueError(
                        f"sharding rule '{pattern}': mesh axis {axis!r} is not one of the "
                        f"mesh's axes {tuple(mesh.shape)}. Name an axis of mesh_shape."
                    )
        self.replicated = NamedSharding(mesh, PartitionSpec())
        self.batch = (
            NamedSharding(mesh, PartitionSpec(DATA_AXIS)) if DATA_AXIS in mesh.shape else None
        )
        self._variables: dict = {}  # VariableV2 op -> NamedSharding
        self._feeds: dict = {}  # id(plan) -> (plan, feed slots)

    # -- variables --------------------------------------------------------------------------

    def check(self, var_ops) -> None:
        """Resolves the sharding of ``var_ops`` now, so that a rule matching none of them, or a
        dimension a mesh axis does not divide, raises ``ValueError`` before anything runs."""
        matched = set()
        for op in var_ops:
            rule = self._rule_of(op)
            if rule is not None:
                matched.add(rule[0])
            self.sharding_of(op)
        for _, pattern, spec in self.rules:
            if pattern not in matched:
                names = sorted(op.name for op in var_ops)
                raise ValueError(
                    f"sharding rule '{pattern}' -> {spec} matches no variable of the graph "
                    f"(its {len(names)} variables: {', '.join(names[:8])}"
                    f"{', ...' if len(names) > 8 else ''}). Rules are regular expressions "
                    "matched against whole variable names (re.fullmatch, without ':0')."
                )

    def _rule_of(self, op) -> tuple | None:
        """``(pattern, spec)`` of the first rule matching ``op``'s name; an optimizer slot
        (``'w/Adam'``) of a variable a rule matches, with the variable's shape, follows it."""
        for regex, pattern, spec in self.rules:
            if regex.fullmatch(op.name):
                return pattern, spec
        shape = _static_shape(op)
        parent = op.name.rpartition("/")[0]
        while parent:
            for regex, pattern, spec in self.rules:
                if regex.fullmatch(parent) and _static_shape_of_name(op.graph, parent) == shape:
                    return pattern, spec
            parent = parent.rpartition("/")[0]
        return None

    def sharding_of(self, op, shape: tuple | None = None):
        """The ``NamedSharding`` of variable ``op`` (checked against its shape once)."""
        sharding = self._variables.get(op)
        if sharding is not None:
            return sharding
        rule = self._rule_of(op)
        if rule is None:
            sharding = self.replicated
        else:
            pattern, spec = rule
            shape = _static_shape(op) if shape is None else tuple(shape)
            if shape is not None:
                _check_divisible(pattern, spec, op.name, shape, self.mesh.shape)
            sharding = self._named(self.mesh, self._spec(*spec))
        self._variables[op] = sharding
        return sharding

    # -- the executor's hooks ---------------------------------------------------------------

    def variable(self, op, value):
        """The value of variable ``op`` (``None``: uninitialized) where its sharding says."""
        if value is None:
            return None
        return self._put(value, self.sharding_of(op, np.shape(value)))

    def inputs(self, plan, in_slots: tuple, inputs) -> tuple:
        """A segment's inputs (``None`` for one compiled in) on the mesh: fed arrays split
        along their first dimension, other inputs replicated."""
        feeds = self._feed_slots(plan)
        placed = []
        for slot, value in zip(in_slots, inputs, strict=True):
            if value is None or hasattr(value, "op_def"):
                placed.append(value)
            elif slot in feeds and np.ndim(value) > 0 and self.batch is not None:
                placed.append(self._put_batch(plan, slot, value))
            else:
                placed.append(self._put(value, self.replicated))
        return tuple(placed)

    def constrain(self, op, value):
        """Inside a traced step: variable ``op``'s new value keeps the variable's sharding."""
        return self._jax.lax.with_sharding_constraint(value, self.sharding_of(op, value.shape))

    def to_host(self, value) -> np.ndarray:
        """A fetched value as one NumPy array (gathered from every process when split)."""
        jax = self._jax
        if isinstance(value, jax.Array) and not value.is_fully_addressable:
            if value.is_fully_replicated:
                return np.array(value.addressable_data(0))
            return np.array(self._allgather(value, tiled=True))
        return np.array(value)

    def seed(self, op) -> int:
        """The seed of an unseeded random op: the same in every process (from its name)."""
        return zlib.crc32(op.name.encode()) & 0x7FFFFFFF

    # -- helpers ----------------------------------------------------------------------------

    def _put(self, value, sharding):
        jax = self._jax
        if isinstance(value, jax.Array) and value.sharding == sharding:
            return value
        if not self.multi_process:
            return jax.device_put(value, sharding)
        host = np.asarray(value)
        return jax.make_array_from_callback(host.shape, sharding, lambda index: host[index])

    def _put_batch(self, plan, slot: int, value):
        jax = self._jax
        size = self.mesh.shape[DATA_AXIS]
        rows = np.shape(value)[0] * (jax.process_count() if self.multi_process else 1)
        if rows % size:
            name = _feed_name(self.session, plan, slot)
            raise ValueError(
                f"data_parallel: the value fed to '{name}' has shape {np.shape(value)}: its "
                f"first (batch) dimension, {rows} over all processes, is not divisible by the "
                f"{size} devices of mesh axis '{DATA_AXIS}'. Feed batches of a multiple of "
                f"{size} rows (drop or pad the last batch)."
            )
        if isinstance(value, jax.Array) and value.sharding == self.batch:
            return value
        if not self.multi_process:
            return jax.device_put(value, self.batch)
        return jax.make_array_from_process_local_data(self.batch, np.asarray(value))

    def _feed_slots(self, plan) -> frozenset:
        entry = self._feeds.get(id(plan))
        if entry is None or entry[0] is not plan:
            entry = self._feeds[id(plan)] = (plan, frozenset(plan.feed_slots))
        return entry[1]


def _spec_tuple(pattern: str, spec) -> tuple:
    if isinstance(spec, str) or spec is None:
        spec = (spec,)
    try:
        spec = tuple(spec)
    except TypeError:
        raise TypeError(
            f"sharding rule '{pattern}': expected a tuple of mesh axis names or None per "
            f"dimension, like (None, 'model'), got {spec!r}"
        ) from None
    if not all(axis is None or isinstance(axis, str) for axis in spec):
        raise TypeError(
            f"sharding rule '{pattern}': expected mesh axis names or None per dimension, "
            f"got {spec!r}"
        )
    return spec


def _check_divisible(pattern: str, spec: tuple, name: str, shape: tuple, axes) -> None:
    if len(spec) > len(shape):
        raise ValueError(
            f"sharding rule '{pattern}' -> {spec}: variable '{name}' has shape {list(shape)}, "
            f"{len(shape)} dimensions for the rule's {len(spec)}. Give one entry per dimension."
        )
    for dim, axis in enumerate(spec):
        if axis is not None and shape[dim] % axes[axis]:
            raise ValueError(
                f"sharding rule '{pattern}' -> {spec}: variable '{name}' dimension {dim} has "
                f"size {shape[dim]}, not divisible by mesh axis '{axis}' of size {axes[axis]}. "
                "Change the rule or the mesh_shape."
            )


def _static_shape(op) -> tuple | None:
    shape = op.outputs[0].shape
    if shape.ndims is None or any(d is None for d in shape.as_list()):
        return None
    return tuple(shape.as_list())


def _static_shape_of_name(graph, name: str) -> tuple | None:
    try:
        op = graph.get_operation_by_name(name)
    except (KeyError, ValueError):
        return None
    return _static_shape(op) if op.op_def.is_variable else None


def _feed_name(session, plan, slot: int) -> str:
    """The fed tensor's name (for an error message): the session keys plans by feeds."""
    for (_, feeds), candidate in list(session._plans.items()):
        if candidate is plan:
            return feeds[plan.feed_slots.index(slot)].name
    return f"feed {plan.feed_slots.index(slot)}"
