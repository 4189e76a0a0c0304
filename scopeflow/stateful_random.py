"""``tf.random.Generator``: a Philox state in an int64 ``[3]`` variable (counter low, counter
high, key) from which each draw reads a key and counter and skips the counter on by 256 per
output, as TF's ``RngReadAndSkip`` does; the values then come from the same key/counter ops
as the stateless functions, so a generator's numbers are TF's.

TF keeps the state in a resource variable; scopeflow's is a reference variable named as
TF's (``random_generator/StateVar``) read and moved on by ``RngReadAndSkip``.
"""

from __future__ import annotations

import secrets

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import name_scope
from scopeflow.ops.array.basic import stack, zeros
from scopeflow.ops.array.bitcast import bitcast
from scopeflow.ops.array.cast import cast
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.math import elementwise as math_ops
from scopeflow.ops.math.reduction import reduce_prod
from scopeflow.ops.random.sampling import _FLOATS, _shape_tensor
from scopeflow.ops.random.stateless_v2 import algorithm_id, create_rng_state
from scopeflow.variables.variables import Variable

_STATE_SIZE = 3
_INTS = (dtypes.int32, dtypes.int64, dtypes.uint32, dtypes.uint64)


def _philox(alg) -> int:
    alg = 1 if alg is None else algorithm_id(alg)
    if alg == 2:
        raise NotImplementedError(
            "scopeflow's random generators implement Philox only; use alg='philox' "
            "(or 'auto_select')"
        )
    return 1


class Generator:
    """A random number generator whose state is a variable (``tf.random.Generator``).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     gen = tf.random.Generator.from_seed(5)
    ...     x = gen.normal([2])
    ...     with tf.Session() as sess:
    ...         sess.run(tf.global_variables_initializer())
    ...         print(sess.run(x), sess.run(gen.state))
    [1.0278524  0.27974114] [517   0   0]
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            if state is not None or alg is not None:
                raise ValueError("When `copy_from` is not None, neither `state` nor `alg` "
                                 "can be set.")  # fmt: skip
            state, alg = copy_from.state.initial_value, copy_from.algorithm
        elif state is None:
            raise ValueError("Generator needs `state` (or use Generator.from_seed).")
        self._alg = _philox(alg)
        state = convert_to_tensor(state, dtype=dtypes.int64)
        if not state.shape.is_compatible_with([_STATE_SIZE]):
            raise ValueError(f"Shapes {state.shape} and [{_STATE_SIZE}] are incompatible")
        with get_default_graph().control_dependencies(None):
            with name_scope("random_generator"):
                self._state_var = Variable(state, name="StateVar", trainable=False)

    @classmethod
    def from_state(cls, state, alg):
        return cls(state=state, alg=alg)

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose state ``create_rng_state(seed, alg)`` fixes."""
        alg = _philox(alg)
        return cls(state=create_rng_state(seed, alg), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator seeded from fresh entropy."""
        words = np.array([secrets.randbits(64) for _ in range(_STATE_SIZE)], np.uint64)
        return cls(state=words.view(np.int64), alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        counter = np.asarray(counter, np.int64).reshape(-1)
        return cls(state=np.concatenate([counter, [np.int64(key)]]), alg=alg)

    @property
    def state(self) -> Variable:
        """The int64 ``[3]`` state variable: counter low, counter high, key."""
        return self._state_var

    @property
    def algorithm(self) -> int:
        return self._alg

    @property
    def key(self):
        return self._state_var.value()[-1]

    def reset(self, state):
        """An op setting the state (TF returns nothing in graph mode; run this op)."""
        return self._state_var.assign(convert_to_tensor(state, dtype=dtypes.int64)).op

    def reset_from_seed(self, seed):
        return self.reset(create_rng_state(seed, self._alg))

    def reset_from_key_counter(self, key, counter):
        counter = np.asarray(counter, np.int64).reshape(-1)
        return self.reset(np.concatenate([counter, [np.int64(key)]]))

    def skip(self, delta):
        """The state before moving the counter on by ``256 * delta``."""
        alg = convert_to_tensor(self._alg, dtype=dtypes.int32)
        delta = cast(convert_to_tensor(delta), dtypes.uint64)
        return apply_op("RngReadAndSkip", [self._state_var._ref(), alg, delta], {})

    def _key_counter(self, shape_t):
        state = self.skip(reduce_prod(shape_t))
        counter = bitcast(state[:2], dtypes.uint64)
        key = bitcast(state[2:3], dtypes.uint64)
        return key, counter

    def _draw(self, op_type: str, shape_t, dtype, extra=()):
        key, counter = self._key_counter(shape_t)
        with name_scope(op_type) as scope:
            alg = convert_to_tensor(self._alg, dtype=dtypes.int32, name="alg")
        inputs = [shape_t, key, counter, alg, *extra]
        attrs = {} if extra else {"dtype": dtype}
        return apply_op(op_type, inputs, attrs, name=scope)

    @undo.atomic
    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        return self._scaled("StatelessRandomNormalV2", "stateful_normal", shape, mean, stddev,
                            dtype, name)  # fmt: skip

    @undo.atomic
    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        return self._scaled("StatelessTruncatedNormalV2", "truncated_normal", shape, mean,
                            stddev, dtype, name)  # fmt: skip

    def _scaled(self, op_type, default_name, shape, mean, stddev, dtype, name):
        dtype = _float(dtype)
        with name_scope(name, default_name, [shape, mean, stddev]) as scope:
            shape_t = _shape_tensor(shape)
            mean = convert_to_tensor(mean, dtype=dtype, name="mean")
            stddev = convert_to_tensor(stddev, dtype=dtype, name="stddev")
            rnd = self._draw(op_type, shape_t, dtype)
            return math_ops.add(rnd * stddev, mean, name=scope)

    @undo.atomic
    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        """Uniform values in ``[minval, maxval)``; for integers with both bounds None, the
        whole range of the dtype."""
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype.is_integer and (minval is None) != (maxval is None):
            raise ValueError(
                f"For integer dtype <dtype: '{dtype.name}'>, minval and maxval must be both "
                f"`None` or both non-`None`; got minval={minval} and maxval={maxval}"
            )
        if dtype.is_integer and minval is None:
            return self.uniform_full_int(shape, dtype, name)
        if not dtype.is_integer and maxval is None:
            maxval = 1
        if dtype not in (*_FLOATS, dtypes.int32, dtypes.int64):
            raise ValueError(f"Invalid dtype {dtype!r} for Generator.uniform")
        with name_scope(name, "stateful_uniform", [shape, minval, maxval]) as scope:
            shape_t = _shape_tensor(shape)
            minval = convert_to_tensor(minval, dtype=dtype, name="min")
            maxval = convert_to_tensor(maxval, dtype=dtype, name="max")
            if dtype.is_integer:
                key, counter = self._key_counter(shape_t)
                alg = convert_to_tensor(self._alg, dtype=dtypes.int32, name="alg")
                inputs = [shape_t, key, counter, alg, minval, maxval]
                return apply_op("StatelessRandomUniformIntV2", inputs, {}, name=scope)
            rnd = self._draw("StatelessRandomUniformV2", shape_t, dtype)
            return math_ops.add(rnd * (maxval - minval), minval, name=scope)

    @undo.atomic
    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        """Integers over the whole range of ``dtype`` (int32, int64, uint32, uint64)."""
        dtype = dtypes.as_dtype(dtype).base_dtype
        if dtype not in _INTS:
            raise ValueError(f"Invalid dtype {dtype!r}: uniform_full_int takes {_INTS}")
        with name_scope(name, "stateful_uniform_full_int", [shape]) as scope:
            shape_t = _shape_tensor(shape)
            key, counter = self._key_counter(shape_t)
            alg = convert_to_tensor(self._alg, dtype=dtypes.int32, name="alg")
            inputs = [shape_t, key, counter, alg]
            return apply_op("StatelessRandomUniformFullIntV2", inputs, {"dtype": dtype}, scope)

    def make_seeds(self, count=1):
        """A ``[2, count]`` int64 tensor: ``count`` seeds for the stateless functions (each
        a column: a full-range draw over a zero)."""
        drawn = self.uniform_full_int([count], dtypes.int64)
        return stack([drawn, zeros([count], dtypes.int64)])

    def split(self, count=1):
        raise NotImplementedError(
            "Generator.split needs eager execution (TF's graph mode fails as well); make the "
            "generators with Generator.from_seed on seeds from make_seeds instead."
        )

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None):
        raise NotImplementedError(
            "Generator.binomial: TF's binomial sampler is not implemented in scopeflow; use "
            "tf.random.uniform draws and count successes instead."
        )


def _float(dtype):
    dtype = dtypes.as_dtype(dtype).base_dtype
    if dtype not in _FLOATS:
        raise ValueError(f"Invalid dtype {dtype!r}: it takes floats")
    return dtype


def get_global_generator() -> Generator:
    """The default graph's global generator, made from fresh entropy on first use."""
    graph = get_default_graph()
    holder = graph._store("global_random_generator", dict)
    if "generator" not in holder:
        holder["generator"] = Generator.from_non_deterministic_state()
    return holder["generator"]


def set_global_generator(generator: Generator) -> None:
    """Replaces the default graph's global generator."""
    get_default_graph()._store("global_random_generator", dict)["generator"] = generator


__all__ = ["Generator", "get_global_generator", "set_global_generator"]
