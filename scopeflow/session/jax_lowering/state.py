"""JAX lowerings of the stateful ops: assignments, optimizer updates and scatters to
variables (their new values become the segment's variable writes), and random sampling (a
key per op and run: ``ctx.key(op)``; values differ from the NumPy executor's, distributions
do not)."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from scopeflow.framework import errors
from scopeflow.framework.error_text import shape_str
from scopeflow.session.jax_lowering.array import extremum_into, scatter_nd_into
from scopeflow.session.jax_lowering.common import out_dtype, static


def _var_dtype(var_op):
    return var_op._attrs["dtype"].as_numpy_dtype


def _assign(ctx, op, var_op, value):
    value = jnp.asarray(value).astype(_var_dtype(var_op))
    declared = var_op._attrs["shape"]
    if op._attrs.get("validate_shape", True) and not declared.is_compatible_with(value.shape):
        raise errors.InvalidArgumentError(
            None,
            op,
            "Assign requires shapes of both tensors to match. lhs shape= "
            f"{shape_str(declared)} rhs shape= {shape_str(value.shape)} (variable '{var_op.name}', "
            f"assignment created at {op.location})",
        )
    ctx.write_variable(var_op, value)
    return value


def _update(fn):
    def lower(ctx, op, var_op, delta):
        old = ctx.read_variable(var_op, op)
        if tuple(jnp.shape(delta)) != tuple(old.shape):
            raise errors.InvalidArgumentError(
                None,
                op,
                f"Parameters and update must be the same size ({op.type}: lhs shape= "
                f"{shape_str(old.shape)} rhs shape= {shape_str(jnp.shape(delta))}, op '{op.name}')",
            )
        new = fn(old, delta).astype(old.dtype)
        ctx.write_variable(var_op, new)
        return new

    return lower


def apply_update(update):
    """An ``Apply*`` op: ``update(op, *values)`` gives the new values of its references."""

    def lower(ctx, op, *args):
        refs = [a for a in args if hasattr(a, "op_def")]
        values = [ctx.read_variable(r, op) for r in refs]
        scalars = args[len(refs) :]
        _check_gradient_shape(op, values[0], scalars)
        new = update(op, *values, *scalars)
        for ref, value, old in zip(refs, new, values, strict=True):
            ctx.write_variable(ref, jnp.asarray(value).astype(old.dtype))
        return ctx.read_variable(refs[0])

    return lower


def _check_gradient_shape(op, var, inputs) -> None:
    """The NumPy kernels' run-time check (a resource op's gradient has no static shape to
    check at build): the one input that is not a scalar must have the variable's shape."""
    for g in inputs:
        if np.ndim(g) and np.shape(g) != np.shape(var):
            name = "delta" if op.type.endswith("GradientDescent") else "grad"
            raise errors.InvalidArgumentError(
                None,
                op,
                f"var and {name} do not have the same shape{shape_str(np.shape(var))} "
                f"{shape_str(np.shape(g))} (op '{op.name}')",
            )


def _gd(op, var, alpha, delta):
    return (var - alpha * delta,)


def momentum(op, var, accum, lr, grad, momentum):
    accum = accum * momentum + grad
    if op._attrs.get("use_nesterov", False):
        return var - grad * lr - accum * momentum * lr, accum
    return var - lr * accum, accum


def _adam(op, var, m, v, beta1_power, beta2_power, lr, beta1, beta2, epsilon, grad):
    lr_t = lr * jnp.sqrt(1 - beta2_power) / (1 - beta1_power)
    m = m + (grad - m) * (1 - beta1)
    v = v + (grad * grad - v) * (1 - beta2)
    if op._attrs.get("use_nesterov", False):
        return var - lr_t * (m * beta1 + (1 - beta1) * grad) / (jnp.sqrt(v) + epsilon), m, v
    return var - lr_t * m / (jnp.sqrt(v) + epsilon), m, v


def adagrad(op, var, accum, lr, grad):
    if op._attrs.get("update_slots", True):
        accum = accum + grad * grad
    return var - lr * grad * jax.lax.rsqrt(accum), accum


def rmsprop(op, var, ms, mom, lr, rho, momentum, epsilon, grad):
    ms = ms + (grad * grad - ms) * (1 - rho)
    mom = mom * momentum + lr * grad * jax.lax.rsqrt(ms + epsilon)
    return var - mom, ms, mom


def centered_rmsprop(op, var, mg, ms, mom, lr, rho, momentum, epsilon, grad):
    mg = mg + (grad - mg) * (1 - rho)
    ms = ms + (grad * grad - ms) * (1 - rho)
    mom = mom * momentum + lr * grad * jax.lax.rsqrt(ms - mg * mg + epsilon)
    return var - mom, mg, ms, mom


def adadelta(op, var, accum, accum_update, lr, rho, epsilon, grad):
    accum = accum * rho + grad * grad * (1 - rho)
    update = jnp.sqrt(accum_update + epsilon) * jax.lax.rsqrt(accum + epsilon) * grad
    accum_update = accum_update * rho + update * update * (1 - rho)
    return var - update * lr, accum, accum_update


def _scatter(how: str, nd: bool):
    def lower(ctx, op, var_op, indices, updates):
        old = ctx.read_variable(var_op, op)
        indices = jnp.asarray(indices)
        if nd:
            new = scatter_nd_into(old, indices, updates, how)
        else:
            at = old.at[indices]
            new = {"add": at.add, "sub": lambda u: at.add(-u), "set": at.set}[how](updates)
        ctx.write_variable(var_op, new)
        return new

    return lower


def _scatter_product(divide: bool):
    """``ScatterMul``/``ScatterDiv``: each row times (or divided by, C's truncating division
    for integers) the product of the updates naming it, as TF applies them one by one."""

    def lower(ctx, op, var_op, indices, updates):
        old = ctx.read_variable(var_op, op)
        updates = jnp.broadcast_to(
            jnp.asarray(updates, old.dtype), (*jnp.shape(indices), *old.shape[1:])
        )
        factor = jnp.ones_like(old).at[jnp.asarray(indices)].multiply(updates)
        if not divide:
            new = old * factor
        elif jnp.issubdtype(old.dtype, jnp.integer):
            new = jax.lax.div(old, factor)
        else:
            new = old / factor
        ctx.write_variable(var_op, new)
        return new

    return lower


def _scatter_extremum(is_max: bool):
    def lower(ctx, op, var_op, indices, updates):
        old = ctx.read_variable(var_op, op)
        updates = jnp.broadcast_to(
            jnp.asarray(updates, old.dtype), (*jnp.shape(indices), *old.shape[1:])
        )
        new = extremum_into(old, jnp.asarray(indices), updates, is_max)
        ctx.write_variable(var_op, new)
        return new

    return lower


# -- random ---------------------------------------------------------------------------------


def _shape_of(shape) -> tuple[int, ...]:
    return tuple(int(d) for d in static(shape).reshape(-1))


def _uniform(ctx, op, shape):
    return jax.random.uniform(ctx.key(op), _shape_of(shape), out_dtype(op))


def _normal(ctx, op, shape):
    return jax.random.normal(ctx.key(op), _shape_of(shape), out_dtype(op))


def _truncated_normal(ctx, op, shape):
    return jax.random.truncated_normal(ctx.key(op), -2.0, 2.0, _shape_of(shape), out_dtype(op))


def _uniform_int(ctx, op, shape, low, high):
    return jax.random.randint(ctx.key(op), _shape_of(shape), low, high, out_dtype(op))


def _shuffle(ctx, op, x):
    return jax.random.permutation(ctx.key(op), x, axis=0) if jnp.ndim(x) else x


def _multinomial(ctx, op, logits, num_samples):
    n = int(static(num_samples))
    samples = jax.random.categorical(ctx.key(op), logits, axis=-1, shape=(n, logits.shape[0]))
    return samples.T.astype(out_dtype(op))


def _all_candidates(ctx, op, true_classes):
    """Every class of ``[0, num_sampled)``, each expected once (nothing random)."""
    count = op._attrs["num_sampled"]
    ones = jnp.ones(jnp.shape(true_classes), jnp.float32)
    return np.arange(count, dtype=np.int64), ones, np.ones(count, np.float32)


LOWERINGS = {
    "VariableV2": lambda ctx, op: ctx.read_variable(op),
    "Assign": _assign,
    "AssignAdd": _update(jnp.add),
    "AssignSub": _update(jnp.subtract),
    "IsVariableInitialized": lambda ctx, op, var_op: jnp.bool_(ctx.is_initialized(var_op)),
    "ApplyGradientDescent": apply_update(_gd),
    "ApplyMomentum": apply_update(momentum),
    "ApplyAdam": apply_update(_adam),
    "ApplyAdagrad": apply_update(adagrad),
    "ApplyRMSProp": apply_update(rmsprop),
    "ApplyCenteredRMSProp": apply_update(centered_rmsprop),
    "ApplyAdadelta": apply_update(adadelta),
    "ScatterAdd": _scatter("add", nd=False),
    "ScatterSub": _scatter("sub", nd=False),
    "ScatterUpdate": _scatter("set", nd=False),
    "ScatterMul": _scatter_product(divide=False),
    "ScatterDiv": _scatter_product(divide=True),
    "ScatterMax": _scatter_extremum(True),
    "ScatterMin": _scatter_extremum(False),
    "ScatterNdAdd": _scatter("add", nd=True),
    "ScatterNdSub": _scatter("sub", nd=True),
    "ScatterNdUpdate": _scatter("set", nd=True),
    "RandomUniform": _uniform,
    "RandomStandardNormal": _normal,
    "TruncatedNormal": _truncated_normal,
    "RandomUniformInt": _uniform_int,
    "RandomShuffle": _shuffle,
    "Multinomial": _multinomial,
    "AllCandidateSampler": _all_candidates,
}
KEYED = frozenset(
    ["RandomUniform", "RandomStandardNormal", "TruncatedNormal", "RandomUniformInt"]
    + ["RandomShuffle", "Multinomial"]
)
