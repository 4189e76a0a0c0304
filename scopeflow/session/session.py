"""``tf.Session`` and ``tf.InteractiveSession``: run a graph's ops and hold variable values.

Every ``run`` is all-or-nothing: a failing run puts back the values its writes replaced, so it
leaves every variable as it was (TF1 keeps the assignments that happened before the failure).
``run`` may be called from several threads at once; as in TF1, a variable written by one run
has its new value for the others at once, so concurrent updates (``assign_add`` from eight
threads) all count (session/context.py).
"""

from __future__ import annotations

import os
import threading
import time

import numpy as np

from scopeflow.framework import defaults, dtypes, error_text, errors
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.feed_fetch import check_run
from scopeflow.framework.graph import Graph
from scopeflow.framework.tensor import Tensor
from scopeflow.framework.traceback_filter import api_boundary, leave_boundary, register_boundary
from scopeflow.ops.kernels import workspace
from scopeflow.ops.kernels.parallel import Threads, default_count
from scopeflow.ops.kernels.quiet import silenced
from scopeflow.session import devices, partial_run, shared_state, threading_config
from scopeflow.session.buffers import Buffers
from scopeflow.session.config import ConfigProto
from scopeflow.session.context import RunContext, committed_value, uninitialized_error
from scopeflow.session.fetch import FETCH_WRAPPERS, flatten_fetches
from scopeflow.session.numpy_executor import run_plan
from scopeflow.session.plan import compile_plan
from scopeflow.session.tuning import tune_process


class _Device:
    def __init__(self, name: str, device_type: str, memory_limit_bytes: int):
        self.name, self.device_type, self.memory_limit_bytes = name, device_type, memory_limit_bytes
        self.incarnation = 0

    def __repr__(self) -> str:
        return f"_DeviceAttributes({self.name}, {self.device_type}, {self.memory_limit_bytes})"


class Session:
    """Runs ops of one graph; holds that graph's variable values for this session.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     a = tf.placeholder(tf.float32, [])
    ...     b = a * 2.0
    ...     with tf.Session() as sess:
    ...         print(sess.run(b, {a: 3.0}))
    6.0

    ``executor``: ``"numpy"`` (the default; op by op with NumPy), ``"jax"`` (each run
    signature compiled into one XLA program with ``jax.jit``, variables kept on the device;
    needs the ``jax`` extra) or ``"auto"`` (JAX when a GPU or TPU is visible). ``None`` reads
    the ``SCOPEFLOW_EXECUTOR`` environment variable.
    """

    @api_boundary
    def __init__(
        self,
        target: str = "",
        graph=None,
        config: ConfigProto | None = None,
        executor: str | None = None,
    ):
        if config is not None and not isinstance(config, ConfigProto):
            raise TypeError(f"config must be a tf.ConfigProto, but got {type(config)}")
        if graph is not None and not isinstance(graph, Graph):
            raise TypeError(
                f'Argument `graph` must be a tf.Graph, but got "{type(graph).__name__}"'
            )
        self._graph = graph if graph is not None else get_default_graph()
        self._config = config or threading_config.default_config()
        self._threads = _kernel_threads(self._config)
        self._side_by_side = _ops_at_once(self._config, self._threads) >= 2
        self._values: dict = {}
        self._buffers = Buffers()  # freed arrays kept for later runs (session/buffers.py)
        # {var_op: context._Changes} for the committed arrays runs in flight change in place
        # (sparse updates, see session/context.py); runs read copies of them.
        self._changing: dict = {}
        self._update_locks: dict = {}  # {var_op: Lock} (session/update_locks.py)
        self._writes: dict = {}  # {var_op: how many times runs wrote it} (session/context.py)
        self._timeout = getattr(self._config, "operation_timeout_in_ms", 0) / 1000
        self._rngs: dict = {}
        self._states: dict = {}
        self._plans: dict = {}
        self._partial_runs: dict = {}  # {handle: its state} (session/partial_run.py)
        self._feed_specs: dict = {}  # {fed Tensor: its NumPy dtype}: see _feeds
        self._lock = threading.RLock()
        self._closed = False
        self._closed_error = None  # set by tf.Session.reset (shared_state.py)
        self._target, self._shared = target, None
        if target:  # a server of this process: values kept with its cluster's
            self._shared, self._task = shared_state.connect(self, target)
            self._values = shared_state.ByResource(self._shared.values, self._task)
            self._changing = shared_state.ByResource(self._shared.changing, self._task)
            self._lock = self._shared.lock
        else:
            shared_state.direct(self)
        self._contexts: list = []
        self._devices = devices.start()  # the logical CPUs (NotFoundError if hidden)
        self._jax = _jax_executor(self, executor)
        tune_process()

    # -- identity -------------------------------------------------------------------------

    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        raise NotImplementedError("graph_def export is not available yet; use the Graph")

    @property
    def sess_str(self):
        """The target (as bytes, as TF's), ``""`` for an in-process session."""
        return self._target.encode() if isinstance(self._target, str) else self._target

    def list_devices(self) -> list:
        return [
            _Device(f"/job:localhost/replica:0/task:0{name}", "CPU", 0) for name in self._devices
        ]

    # -- default session and lifetime -----------------------------------------------------

    def as_default(self):
        """Context manager making this the default session (for ``eval``/``run``)."""
        return defaults.push_session(self)

    def __enter__(self):
        graph_ctx = self._graph.as_default()
        session_ctx = self.as_default()
        graph_ctx.__enter__()
        session_ctx.__enter__()
        self._contexts.append((graph_ctx, session_ctx))
        return self

    def __exit__(self, exc_type, exc, tb):
        graph_ctx, session_ctx = self._contexts.pop()
        session_ctx.__exit__(exc_type, exc, tb)
        graph_ctx.__exit__(exc_type, exc, tb)
        self.close()

    def close(self) -> None:
        """Frees the variable values; later ``run`` calls raise ``RuntimeError``; ops waiting
        on a queue (``session_closed`` of their per-op state) raise ``CancelledError``."""
        with self._lock:
            self._closed = True
            self._values = {}
            self._plans.clear()
            self._partial_runs.clear()
            self._buffers.clear()
            states = list(self._states.values())
        for state in states:
            if hasattr(state, "session_closed"):
                state.session_closed()

    def __del__(self):
        self._closed = True

    # -- running --------------------------------------------------------------------------

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Computes ``fetches`` (any nesting of tensors, ops, variables and their names),
        with ``feed_dict`` values substituted for the tensors it keys.

        Raises:
            tf.errors.InvalidArgumentError: an unfed placeholder, or a kernel failing.
            tf.errors.FailedPreconditionError: an uninitialized variable.
            ValueError / TypeError: bad fetches or feeds (shape or dtype).
            RuntimeError: the session is closed.
        """
        try:
            if self._closed:
                raise self._closed_error or RuntimeError("Attempted to use a closed Session.")
            graph = self._graph
            if not graph.version:
                raise RuntimeError(
                    "The Session graph is empty. Add operations to the graph before calling run()."
                )
            if (
                type(fetches) is Tensor
                and fetches.graph is graph
                and fetches.op.type not in FETCH_WRAPPERS
            ):
                elements, rebuild = [fetches], None
            else:
                elements, rebuild = flatten_fetches(fetches, graph, self)
            feeds, values = self._feeds(feed_dict) if feed_dict else ((), [])
            key = (tuple(elements), feeds)
            plan = self._plans.get(key)
            if plan is None:
                check_run(graph, elements, feeds)
                plan = compile_plan(elements, list(feeds))
                with self._lock:
                    self._plans[key] = plan
            if plan.missing_feeds:
                raise _unfed_error(*plan.missing_feeds[0])
            if self._jax is not None:
                results = self._jax.run(plan, values)  # the caller's own values
                results = [_plain_integers(r) for r in results]
                return results[0] if rebuild is None else rebuild(results)
            ctx = RunContext(self)
            if options is not None or self._timeout:  # blocking ops give up then (queues)
                ctx.deadline = _deadline(options, self._timeout)
            try:
                # Overflow and 0/0 give inf/nan, as in TF; kernels' large arrays come from
                # the arrays earlier steps and runs freed.
                with silenced(), workspace.using(ctx):
                    results = run_plan(plan, ctx, values)
                ctx.commit()
            except BaseException:  # a failure or an interrupt: undo in-place row changes
                ctx.abandon()
                raise
            results = [_fetched(r) for r in results]
            return results[0] if rebuild is None else rebuild(results)
        except Exception as e:  # a boundary: see framework/traceback_filter.py
            leave_boundary(e)
            raise

    def _feeds(self, feed_dict) -> tuple[tuple, list]:
        graph = self._graph
        specs = self._feed_specs
        tensors, values = [], []
        for key, value in _feed_pairs(feed_dict):
            dtype = specs.get(key) if type(key) is Tensor else None
            if dtype is not None:  # a tensor fed before: an array or float checked quickly
                array = _quick_feed(value, dtype, key._shape._dims)
                if array is not None:
                    tensors.append(key)
                    values.append(array)
                    continue
            try:
                t = graph.as_graph_element(key, allow_tensor=True, allow_operation=False)
            except (TypeError, ValueError, KeyError) as e:
                message = e.args[0] if isinstance(e, KeyError) and e.args else e
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {message}") from None
            tensors.append(t)
            values.append(_feed_value(t, value))
            if t is key and t.dtype.base_dtype not in _OPAQUE_FEEDS:
                specs[t] = np.dtype(t.dtype.base_dtype.as_numpy_dtype)
        return tuple(tensors), values

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        """A function running ``fetches`` with positional values for ``feed_list``."""
        if self._closed:  # as TF: at once, not at the first call
            raise errors.CancelledError(None, None, "Session has been closed.")
        feed_list = list(feed_list or [])

        def call(*args, **kwargs):
            if self._closed:
                raise errors.CancelledError(None, None, "Session has been closed.")
            if len(args) != len(feed_list):
                raise ValueError(f"expected {len(feed_list)} feed values, got {len(args)}")
            return self.run(fetches, dict(zip(feed_list, args, strict=True)))

        return call

    @staticmethod
    def reset(target, containers=None, config=None):
        """Frees the resource ``containers`` (all when None: also closing the sessions
        connected) of the cluster of a ``tf.train.Server`` target; ``""`` closes every
        session without a target. See session/shared_state.py."""
        shared_state.reset(target, containers)

    def _close_by_reset(self, error) -> None:
        """Closed by ``tf.Session.reset``: later runs raise ``error``, as TF's."""
        self._closed_error = error
        self.close()

    @api_boundary
    def partial_run_setup(self, fetches, feeds=None):
        """Declares the fetches and fed tensors of a run split over ``partial_run`` calls;
        returns its handle (session/partial_run.py)."""
        return partial_run.setup(self, fetches, feeds, _unfed_error)

    @api_boundary
    def partial_run(self, handle, fetches, feed_dict=None):
        """One step of ``handle``'s run: feeds ``feed_dict``, returns ``fetches`` (each op of
        the handle runs once across its calls; later calls see earlier calls' values)."""
        return partial_run.call(self, handle, fetches, feed_dict, _unfed_error, _fetched)

    # -- per-op state ---------------------------------------------------------------------

    def _op_state(self, op, factory):
        shared = self._shared is not None and shared_state.shares_state(op)
        states = self._shared.states if shared else self._states
        with self._lock:
            state = states.get(op)
            if state is None:
                state = states[op] = factory()
            return state

    def _rng_for(self, op) -> np.random.Generator:
        rng = self._rngs.get(op)
        if rng is None:
            with self._lock:
                rng = self._rngs.get(op)
                if rng is None:
                    seed, seed2 = op._attrs.get("seed", 0), op._attrs.get("seed2", 0)
                    if seed == 0 and seed2 == 0:
                        rng = np.random.default_rng()
                    else:
                        rng = np.random.default_rng([int(seed), int(seed2)])
                    self._rngs[op] = rng
        return rng

    # -- variable values outside a run (Saver, checkpoint loaders) ------------------------

    def _read_values(self, var_ops) -> dict:
        """The committed values of ``var_ops`` (their ``VariableV2`` ops), taken together.

        Raises:
            tf.errors.FailedPreconditionError: one of them is uninitialized.
        """
        with self._lock:
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            committed = self._values
            values = {op: committed[op] for op in var_ops if op in committed}
            for op in [op for op in values if op in self._changing]:
                values[op] = committed_value(self, op, values[op])
        for op in var_ops:
            if op not in values:
                raise uninitialized_error(op)
        if self._jax is not None:  # device arrays: read-only NumPy copies
            return {op: _host_array(values[op]) for op in var_ops}
        return {op: values[op] for op in var_ops}

    def _assign_values(self, values: dict) -> None:
        """Sets several variables at once, all or nothing: ``{VariableV2 op: array}``. The
        arrays become the session's own and read-only; callers check dtypes and shapes."""
        for op in values:
            if op.graph is not self._graph:
                raise ValueError(f"variable '{op.name}' is not in this session's graph")
        with self._lock:
            if self._closed:
                raise RuntimeError("Attempted to use a closed Session.")
            for array in values.values():
                array.flags.writeable = False
            self._values.update(values)
            for op in values:  # a run failing now keeps these (session/context.py)
                self._writes[op] = self._writes.get(op, 0) + 1


def _jax_executor(session: Session, requested: str | None):
    """The JAX executor of ``session``, or ``None`` for the NumPy one."""
    name = requested or os.environ.get("SCOPEFLOW_EXECUTOR") or "numpy"
    if name not in ("numpy", "jax", "auto"):
        raise ValueError(
            f"Session(executor={name!r}): expected 'numpy', 'jax' or 'auto' (from the "
            "argument, or the SCOPEFLOW_EXECUTOR environment variable)"
        )
    if name == "numpy":
        return None
    try:
        from scopeflow.session import jax_executor
    except ImportError as e:
        if name == "auto":
            return None
        raise ImportError(
            f"Session(executor='jax') needs JAX, which is not importable ({e}): install "
            "scopeflow's `jax` extra (pip install 'scopeflow[jax]'), or use executor='numpy'."
        ) from e
    if name == "auto" and not jax_executor.accelerator_present():
        return None
    return jax_executor.JaxExecutor(session)


def _host_array(value) -> np.ndarray:
    array = np.array(value)
    array.flags.writeable = False
    return array


def _kernel_threads(config: ConfigProto) -> Threads:
    """The threads each kernel of this session may use: ``intra_op_parallelism_threads``,
    0 for the default (:func:`default_count`)."""
    intra = config.intra_op_parallelism_threads
    if intra < 0:
        raise ValueError(
            f"ConfigProto.intra_op_parallelism_threads: expected 0 (the default) or a "
            f"positive number of threads, got {intra}. Use 1 for single-threaded kernels."
        )
    return Threads(intra or default_count())


def _ops_at_once(config: ConfigProto, threads: Threads) -> int:
    """How many ops may run at once: ``inter_op_parallelism_threads``, 0 meaning as many as
    the kernels' threads; a negative value runs ops one at a time on the calling thread, as
    in TF1. (Two at most are used: see session/side_by_side.py.)"""
    inter = config.inter_op_parallelism_threads
    return threads.count if inter == 0 else max(inter, 1)


def _deadline(options, default: float) -> float | None:
    """When a run's blocking ops give up: ``RunOptions.timeout_in_ms``, else the session's
    ``ConfigProto.operation_timeout_in_ms`` (0: never), as TF's."""
    seconds = getattr(options, "timeout_in_ms", 0) / 1000 or default
    return time.monotonic() + seconds if seconds > 0 else None


def _fetched(value):
    """Values handed to the user are theirs: never the session's own read-only arrays. A
    scalar comes back as a NumPy scalar (``bytes`` for a string), as from TF1's run; a
    quantized tensor (``qint8``..., a one-field structured dtype inside) as plain integers."""
    value = _plain_integers(value)
    if isinstance(value, np.ndarray):
        if not value.ndim:
            return value[()]
        if not value.flags.writeable:
            return value.copy()
    return value


def _plain_integers(value):
    """A quantized value (``qint8``..., a one-field structured dtype inside scopeflow) as the
    plain integers TF's run returns; anything else as it is."""
    names = getattr(getattr(value, "dtype", None), "names", None)
    if names is None or len(names) != 1 or not isinstance(value, (np.ndarray, np.void)):
        return value
    value = np.asarray(value)
    return value.view(value.dtype[0])


def _feed_pairs(feed_dict):
    """The ``(key, value)`` feeds, a composite key (``SparseTensor``) split into one feed per
    component tensor, a tuple key (an RNN's nested state) fed from the flattened value."""
    if not hasattr(feed_dict, "items"):  # TF 2.21's words for a list of pairs
        raise TypeError(
            "FlattenDictItems: 'dict' must be a dictionary or collection.Mapping type object, "
            f"instead of '{type(feed_dict).__name__}'."
        )
    for key, value in feed_dict.items():
        if type(key) is Tensor:
            yield key, value
            continue
        split = getattr(key, "_session_feeds", None)
        if split is not None:
            yield from split(value)
        elif isinstance(key, tuple):
            keys, values = _flat(key), _flat(value)
            if len(keys) != len(values):
                raise ValueError(
                    f"Could not flatten dictionary. Key had {len(keys)} elements, but value "
                    f"had {len(values)} elements. Key: {keys}, value: {values}."
                )
            yield from _feed_pairs(dict(zip(keys, values, strict=True)))
        else:
            yield key, value


def _flat(structure) -> list:
    """The leaves of nested tuples and lists (an array is a leaf), as TF1's nest flattens."""
    if not isinstance(structure, (tuple, list)) or hasattr(structure, "_session_feeds"):
        return [structure]
    return [leaf for item in structure for leaf in _flat(item)]


def _quick_feed(value, dtype, dims):
    """``_feed_value``'s result for a NumPy array or a float fed to a tensor of ``dtype`` (a
    ``np.dtype``) and static ``dims`` (``None``: unknown rank), or ``None`` when the general path
    must decide (another type, a conversion or shape error)."""
    if type(value) is not np.ndarray:
        if type(value) is not float or dtype.kind not in "fc" or dims:  # dims: not a scalar
            return None
        return np.array(value, dtype)  # the run's own: nothing else holds it
    if value.dtype != dtype:
        return None
    array = value.view()
    if dims is not None:
        shape = array.shape
        if shape != dims:  # equal when the static shape is fully known and matches
            if len(shape) != len(dims):
                return None
            for d, n in zip(dims, shape, strict=True):
                if d is not None and d != n:
                    return None
    array.setflags(write=False)
    return array


# Fed dtypes not checked by the quick path; resource and variant values pass as they are.
_OPAQUE_FEEDS = (dtypes.string, dtypes.resource, dtypes.variant)


def _feed_value(t: Tensor, value):
    feed_as = getattr(value, "_session_feed_value", None)  # a TensorHandle: its handle string
    if feed_as is not None:
        value = feed_as()
    if isinstance(value, Tensor) or hasattr(value, "_as_graph_element"):
        raise TypeError(
            "The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
            "Python scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, "
            f"the tensor object was {value!r} which was passed to the feed with key {t!r}."
        )
    dtype = t.dtype.base_dtype
    if dtype in _OPAQUE_FEEDS[1:] and not isinstance(value, np.ndarray):
        return value  # a kernel's opaque value (a table a function captured), as it is
    if dtype == dtypes.string:
        array = _as_bytes(np.asarray(value, dtype=object))
    else:
        np_dtype = dtype.as_numpy_dtype
        if isinstance(value, int) and not isinstance(value, bool) and dtype.is_integer:
            info = np.iinfo(np_dtype)
            if not info.min <= value <= info.max:
                raise TypeError(
                    f"Type of feed value {value} with type {type(value)} is not compatible "
                    f"with Tensor type {dtype.name}. Try explicitly setting the type of the "
                    "feed tensor to a larger type (e.g. int64)."
                )
        try:
            array = np.asarray(value, dtype=np_dtype)
        except (TypeError, ValueError) as e:
            # TF1's types: ValueError for a string that is no number, TypeError for an object.
            raise type(e)(
                f"Cannot feed value {value!r} to Tensor '{t.name}' of dtype {dtype.name}: {e}"
            ) from None
        except OverflowError as e:  # an integer too large inside a list: TF wraps it around
            raise TypeError(
                f"Cannot feed value {value!r} to Tensor '{t.name}' of dtype {dtype.name}: {e}. "
                "Try explicitly setting the type of the feed tensor to a larger type (e.g. int64)."
            ) from None
    if not t.shape.is_compatible_with(array.shape):
        raise ValueError(
            f"Cannot feed value of shape {array.shape} for Tensor {t.name}, which has shape "
            f"{t.shape}"  # TF 2.21's words (TF 1.x quoted the name and the shape)
        )
    # A read-only view: kernels that return views of a feed (reshape, slices) then yield
    # read-only results, which run() copies before handing them back.
    array = array.view()
    array.flags.writeable = False
    return array


def _as_bytes(array: np.ndarray) -> np.ndarray:
    """A string feed with Python ``str`` items (or a NumPy unicode array) as UTF-8 bytes, the
    strings TF's kernels see: ``tf.equal(p, "")`` fed ``["", "a"]`` is ``[True, False]``."""
    if not any(type(v) is str for v in array.flat):
        return array
    out = np.empty(array.shape, object)
    out.flat = [v.encode() if type(v) is str else v for v in array.flat]
    return out


def _unfed_error(placeholder, fetch) -> errors.InvalidArgumentError:
    t = placeholder._outputs[0]
    shape = t.shape
    dims = f" and shape {error_text.shape_str(shape)}" if shape.ndims else ""  # TF: not for []
    needed_by = getattr(fetch, "name", str(fetch))
    return errors.InvalidArgumentError(
        None,
        placeholder,
        f"You must feed a value for placeholder tensor '{placeholder.name}' with dtype "
        f"{error_text.kernel_type_name(t.dtype)}{dims} (needed by fetch '{needed_by}'; the "
        f"placeholder was created at {placeholder.location}).",
    )


register_boundary(Session.run)


class InteractiveSession(Session):
    """A session that makes itself (and its graph) the default on construction, for shells
    and notebooks: ``t.eval()`` works without a ``with`` block."""

    @api_boundary
    def __init__(self, target: str = "", graph=None, config=None, executor=None):
        super().__init__(target, graph, config, executor)
        # as TF: the graph is entered only when given (reset_default_graph works otherwise)
        self._entered_graph = graph
        defaults.install_default(graph, self)

    def close(self) -> None:
        if not self._closed:
            defaults.uninstall_default(self._entered_graph, self)
        super().close()
