"""``data_parallel``: one graph run over many devices by a session's JAX executor."""

from __future__ import annotations

import math

import numpy as np

from scopeflow.distribute.placement import DATA_AXIS, Placement


def data_parallel(session, devices=None, *, mesh_shape: dict | None = None, rules=None):
    """Runs ``session``'s graph over many devices: fed batches split, variables replicated.

    TF1's "towers with reused variables" without towers: every fed array is split along its
    first (batch) dimension over the devices of mesh axis ``"data"``, every variable is kept
    replicated (or sharded by ``rules``), and each ``Session.run`` stays one compiled
    program in which XLA averages the gradients (an all-reduce). Results equal one device's
    within float tolerance. Call it after building the graph, before or after initializing.

    Args:
        session: a ``tf.Session(executor="jax")``, or a ``tf.train.MonitoredSession``
            (``MonitoredTrainingSession``) whose session is one (``SCOPEFLOW_EXECUTOR=jax``).
        devices: the JAX devices to use (a list, or a number of the first ones); default
            ``jax.devices()``: with several processes (``scopeflow.distribute.initialize``),
            the devices of all of them.
        mesh_shape: ``{axis name: size}``, sizes multiplying to the number of devices;
            default ``{"data": len(devices)}``. A second axis (``{"data": 4, "model": 2}``)
            is for ``rules``.
        rules: ``{regular expression: spec}``: a variable whose whole name matches (the first
            rule that does) is sharded by ``spec``, one mesh axis name or ``None`` per
            dimension (``{"encoder/.*/kernel": (None, "model")}``); its optimizer slots
            (``"w/Adam"``, same shape) follow it. Other variables are replicated.

    Returns:
        ``session``, whose later runs use the devices.

    Raises:
        ValueError: the session runs NumPy; a bad ``mesh_shape``; a rule matching no
            variable, or a dimension a mesh axis does not divide (naming the rule, the
            variable and both sizes). A fed batch that the ``"data"`` axis does not divide
            raises ``ValueError`` when fed.

    >>> import scopeflow as tf
    >>> from scopeflow import distribute
    >>> with tf.Graph().as_default():
    ...     x = tf.placeholder(tf.float32, [None, 3])
    ...     w = tf.get_variable("w", [3, 1], initializer=tf.ones_initializer())
    ...     loss = tf.reduce_mean(tf.matmul(x, w))
    ...     sess = distribute.data_parallel(tf.Session(executor="jax"))
    ...     sess.run(tf.global_variables_initializer())
    ...     print(sess.run(loss, {x: np.ones([4, 3])}))
    3.0
    """
    monitored = getattr(session, "_tf_sess", None)  # a MonitoredSession: its tf.Session
    raw = monitored() if callable(monitored) else session
    if getattr(raw, "_jax", None) is None:
        raise ValueError(
            "data_parallel(session): the session runs the NumPy executor, which uses one "
            "device. Create it with tf.Session(executor='jax')."
        )
    import jax
    from jax.sharding import Mesh

    if devices is None:
        devices = jax.devices()
    elif isinstance(devices, int):
        devices = jax.devices()[:devices]
    devices = list(devices)
    mesh_shape = dict(mesh_shape or {DATA_AXIS: len(devices)})
    if math.prod(mesh_shape.values()) != len(devices):
        raise ValueError(
            f"data_parallel: mesh_shape {mesh_shape} has {math.prod(mesh_shape.values())} "
            f"devices, but {len(devices)} were given. Make the sizes multiply to "
            f"{len(devices)}."
        )
    grid = np.empty(len(devices), dtype=object)
    grid[:] = devices
    mesh = Mesh(grid.reshape(tuple(mesh_shape.values())), tuple(mesh_shape))
    placement = Placement(raw, mesh, rules or {})
    graph = raw.graph
    placement.check([op for op in graph.get_operations() if op.op_def.is_variable])
    executor = raw._jax
    with executor._run_lock:
        executor.placement = placement
        executor._prepared.clear()  # segments compiled for one device are traced again
    return session
