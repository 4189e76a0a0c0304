"""A way out to JAX: a graph's computation as a pure JAX function and its variables as a
parameter tree keyed by variable scope.

``to_jax(fetches, feeds)`` gives ``(fn, params)`` with ``fn(params, *feeds) -> fetches``;
``to_jax_train_step(train_op, feeds)`` gives ``(step_fn, state)`` with ``step_fn(state,
*feeds) -> (new_state, fetched)``, applying the graph's own optimizer update. Both trees have
the same shape::

    {"trainable": {"conv1": {"weights": w, "biases": b}, ...},   # tf.trainable_variables()
     "state": {"global_step": s, "conv1": {"weights": {"Adam": m, "Adam_1": v}}, ...}}

``"trainable"`` holds the variables of ``TRAINABLE_VARIABLES``, ``"state"`` every other
variable the computation reads or writes (moving statistics, ``global_step``, optimizer
slots); each leaf's path joined with ``"/"`` is its checkpoint key. Only the variables the
computation touches are in the trees. The functions are built from the JAX executor's
lowerings (``Session(executor="jax")``), so ``jax.jit``, ``jax.grad`` and ``jax.vmap`` apply.

Importing this package is light; exporting imports JAX (the ``jax`` extra).
"""

from __future__ import annotations

from collections.abc import Callable


def _trace():
    try:
        from scopeflow.export import trace
    except ImportError as e:
        raise ImportError(
            f"scopeflow.export needs JAX, which is not importable ({e}): install scopeflow's "
            "`jax` extra (pip install 'scopeflow[jax]')."
        ) from e
    return trace


def to_jax(fetches, feeds, session=None) -> tuple[Callable, dict]:
    """The computation of ``fetches`` from ``feeds`` as a pure JAX function.

    Args:
        fetches: a tensor, or any nesting of tensors (lists, tuples, dicts, namedtuples) as
            ``Session.run`` takes; an operation in it gives ``None``.
        feeds: the placeholders (or other tensors) the function takes, in order.
        session: the session holding the variables' values; default: the default session.

    Returns:
        ``(fn, params)``: ``fn(params, *feed_values, rng=None)`` returns the fetches' values
        in the nesting of ``fetches``; ``params`` is ``{"trainable": tree, "state": tree}``
        with the session's current values (see the module docstring). Assignments the
        fetches run (``UPDATE_OPS``, ``tf.assign``) are seen by later reads within one call
        and then dropped: :func:`to_jax_train_step` returns them. Graphs with random ops need
        ``rng``, a JAX key; each random op draws from it folded with the op's seeds (or name).
        (``jax.vmap`` maps keyword arguments: bind ``rng`` with ``functools.partial``.)
        ``jax.grad`` needs float leaves: when ``"state"`` holds integers (``global_step``),
        differentiate with respect to ``params["trainable"]`` alone, as in
        ``jax.grad(lambda t: fn({**params, "trainable": t}, x))(params["trainable"])``.
        ``tf.cond`` computes both branches and selects; ``tf.while_loop`` becomes
        ``lax.scan`` when its trip count is known while tracing (``dynamic_rnn`` over a known
        time axis, a condition on constants and a counter) or bounded by
        ``maximum_iterations`` (a scan of that length, the body run while the condition
        holds), which ``jax.grad`` differentiates; else ``lax.while_loop``, which JAX
        differentiates only forward (``jax.jvp``; its ``jax.grad`` error says so). The
        graph's own loop gradients (``to_jax_train_step`` through ``dynamic_rnn``) export
        when the loop's trip count is known or bounded so (their stacks become arrays).

    Raises:
        UnimplementedError: an op the fetches need has no JAX lowering (``tf.py_func``,
            string ops); the message names it. When the function is traced: a loop that
            does not lower (its body assigns variables, a shape computed from a loop
            variable, a gradient's stacks in a loop of unknown trip count).
        InvalidArgumentError: a placeholder the fetches need is not among ``feeds``; a fetch
            computed in one ``tf.cond`` branch only.
        FailedPreconditionError: a variable is uninitialized in the session.

    >>> import scopeflow as tf
    >>> from scopeflow.export import to_jax
    >>> x = tf.placeholder(tf.float32, [None, 2])
    >>> w = tf.get_variable("dense/w", initializer=[[1.0], [2.0]])
    >>> with tf.Session() as sess:
    ...     sess.run(tf.global_variables_initializer())
    ...     fn, params = to_jax(tf.matmul(x, w), [x], sess)
    >>> params["trainable"]["dense"]["w"].tolist()
    [[1.0], [2.0]]
    >>> fn(params, [[1.0, 1.0]]).tolist()
    [[3.0]]
    """
    return _trace().to_jax(fetches, feeds, session)


def to_jax_train_step(train_op, feeds, session=None, fetches=()) -> tuple[Callable, dict]:
    """One training step of the graph as a pure JAX function.

    Args:
        train_op: what ``sess.run`` would run each step (``optimizer.minimize(loss)``, with
            its control dependencies: ``UPDATE_OPS``, the ``global_step`` increment).
        feeds: the placeholders the step takes, in order.
        session: the session holding the variables' values; default: the default session.
        fetches: tensors to compute in the same step (a loss), in any nesting.

    Returns:
        ``(step_fn, state)``: ``step_fn(state, *feed_values, rng=None)`` returns
        ``(new_state, fetched)``, ``new_state`` being ``state`` with every variable the step
        assigns replaced (weights, optimizer slots, moving statistics, ``global_step``), so
        N calls give the variables of N ``sess.run(train_op)``. ``state`` has the shape of
        :func:`to_jax`'s params; ``fetched`` the nesting of ``fetches``. Wrap it in
        ``jax.jit(step_fn, donate_argnums=0)`` to update the buffers in place.

    Raises:
        As :func:`to_jax`.
    """
    return _trace().to_jax_train_step(train_op, feeds, session, fetches)


__all__ = ["to_jax", "to_jax_train_step"]
