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
        self._feeds: dict = {}  # (id(plan), segment's input slots) -> (plan, shardings)

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
        """A segment's inputs (``None`` for one compiled in), checked; with several processes
        put on the mesh (each process's rows of a fed batch), else left to the compiled
        function, whose ``in_shardings`` split a fed NumPy array as it is copied in."""
        jax = self._jax
        placed = list(inputs)
        for i, (slot, sharding) in enumerate(self._input_shardings(plan, in_slots)):
            value = inputs[i]
            if value is None or hasattr(value, "op_def"):
                continue
            if sharding is self.batch:
                self._check_batch(plan, slot, value)
            if isinstance(value, jax.Array) or self.multi_process:
                placed[i] = self._put(value, sharding)
        return tuple(placed)

    def jit_options(self, segment, layout: tuple, baked: dict) -> dict:
        """``jax.jit``'s ``in_shardings`` for a segment's function, whose arguments are its
        donated and kept variables' values (``layout``: their indices), its inputs
        (``baked``: those compiled in) and, when keyed, the run counter."""
        variables = segment.variables
        plan = self._plan_of(segment)
        shardings = (
            *(self.sharding_of(variables[i]) for i in (*layout[0], *layout[1])),
            *(
                None if i in baked else sharding
                for i, (_, sharding) in enumerate(self._input_shardings(plan, segment.in_slots))
            ),
        )
        if segment.keyed:  # the run counter
            shardings += (self.replicated,)
        return {"in_shardings": shardings}

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
        if sharding is self.batch:  # this process's rows of the global batch
            return jax.make_array_from_process_local_data(sharding, host)
        return jax.make_array_from_callback(host.shape, sharding, lambda index: host[index])

    def _check_batch(self, plan, slot: int, value) -> None:
        if np.ndim(value) == 0:
            raise ValueError(
                f"data_parallel: a scalar was fed to '{_fed_tensor(self.session, plan, slot).name}"
                "', of unknown rank, whose batch dimension is split over the devices. Give "
                "the placeholder a shape."
            )
        size = self.mesh.shape[DATA_AXIS]
        rows = np.shape(value)[0] * (self._jax.process_count() if self.multi_process else 1)
        if rows % size:
            name = _fed_tensor(self.session, plan, slot).name
            raise ValueError(
                f"data_parallel: the value fed to '{name}' has shape {np.shape(value)}: its "
                f"first (batch) dimension, {rows} over all processes, is not divisible by the "
                f"{size} devices of mesh axis '{DATA_AXIS}'. Feed batches of a multiple of "
                f"{size} rows (drop or pad the last batch)."
            )

    def _input_shardings(self, plan, in_slots: tuple) -> tuple:
        """``(slot, sharding)`` of each input: split over ``"data"`` for a fed tensor of
        rank 1 or more, replicated otherwise."""
        key = (id(plan), in_slots)
        entry = self._feeds.get(key)
        if entry is None or entry[0] is not plan:
            feeds = set(plan.feed_slots)
            found = []
            for slot in in_slots:
                fed = _fed_tensor(self.session, plan, slot) if slot in feeds else None
                batch = fed is not None and self.batch is not None and fed.shape.ndims != 0
                found.append((slot, self.batch if batch else self.replicated))
            entry = self._feeds[key] = (plan, tuple(found))
        return entry[1]

    def _plan_of(self, segment):
        for prepared in list(self.session._jax._prepared.values()):
            if segment in prepared.parts:
                return prepared.plan
        raise KeyError("segment of no prepared plan")


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


def _fed_tensor(session, plan, slot: int):
    """The tensor fed into ``slot`` of ``plan``: the session keys its plans by their feeds."""
    for (_, feeds), candidate in list(session._plans.items()):
        if candidate is plan:
            return feeds[plan.feed_slots.index(slot)]
    raise KeyError(f"no plan of the session feeds slot {slot}")
