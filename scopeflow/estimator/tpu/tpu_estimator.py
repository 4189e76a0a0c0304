"""``tf.contrib.tpu.TPUEstimator`` and ``TPUEstimatorSpec`` on a CPU (``use_tpu=False``), the
way BERT and the other TPU-era programs are run without a TPU: an Estimator whose
``input_fn`` and ``model_fn`` get the batch size of the mode as ``params["batch_size"]``
(unmodified, as TF does off the TPU) and ``params["use_tpu"] = False``, and whose
``TPUEstimatorSpec`` becomes an ``EstimatorSpec``: ``scaffold_fn()`` makes the scaffold,
``eval_metrics = (metric_fn, tensors)`` the evaluation metrics, ``host_call`` ops that run at
every step. ``CrossShardOptimizer`` with one shard is its optimizer; ``bfloat16_scope`` keeps
float32 variables for bfloat16 requests, as on a TPU.
"""

from __future__ import annotations

import collections
import contextlib
import inspect

from scopeflow.estimator.estimator import Estimator
from scopeflow.estimator.model_fn import EstimatorSpec, ModeKeys, fn_args
from scopeflow.estimator.tpu.config import RunConfig
from scopeflow.framework import dtypes
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph_api import get_collection
from scopeflow.ops.array.cast import cast
from scopeflow.summary import writer_ops
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.session_run_hook import SessionRunArgs, SessionRunHook
from scopeflow.variables.variable_scope import variable_scope

_RESERVED_PARAMS = ("batch_size", "context")
_SPEC_FIELDS = (
    "mode",
    "predictions",
    "loss",
    "train_op",
    "eval_metrics",
    "export_outputs",
    "scaffold_fn",
    "host_call",
    "training_hooks",
    "evaluation_hooks",
    "prediction_hooks",
)


def _validate_host_calls(host_calls: dict) -> None:
    for name, host_call in host_calls.items():
        if not isinstance(host_call, (tuple, list)):
            raise ValueError(f"{name} should be tuple or list")
        if len(host_call) != 2:
            raise ValueError(f"{name} should have two elements.")
        fn, tensors = host_call
        if not callable(fn):
            raise TypeError(f"{name}[0] should be callable.")
        if not isinstance(tensors, (tuple, list, dict)):
            raise ValueError(f"{name}[1] should be tuple or list, or dict.")
        if isinstance(tensors, (tuple, list)):
            varargs = inspect.getfullargspec(fn).varargs
            if varargs is None and len(tensors) != len(fn_args(fn)):
                raise RuntimeError(
                    f"In TPUEstimatorSpec.{name}, length of tensors {len(tensors)} does not "
                    f"match method args of the function, which takes {len(fn_args(fn))}."
                )


def _call_host(host_call):
    fn, tensors = host_call
    return fn(*tensors) if isinstance(tensors, (tuple, list)) else fn(**tensors)


class _HostCallHook(SessionRunHook):
    """Runs a ``host_call``'s ops with every step (TF's CPU path does the same), after
    initializing the graph's ``tf.contrib.summary`` file writers; flushes them at the end."""

    def __init__(self, fetches):
        self._fetches = fetches

    def begin(self) -> None:
        self._init_ops = get_collection(writer_ops.WRITER_INIT_KEY)
        self._finalize_ops = [writer_ops.flush_writer(op.inputs[0]) for op in self._init_ops]

    def after_create_session(self, session, coord) -> None:
        session.run(self._init_ops)

    def before_run(self, run_context):
        return SessionRunArgs(self._fetches)

    def end(self, session) -> None:
        session.run(self._finalize_ops)


class TPUEstimatorSpec(collections.namedtuple("TPUEstimatorSpec", _SPEC_FIELDS)):
    """What a TPUEstimator's ``model_fn`` returns: ``EstimatorSpec``'s fields with
    ``eval_metrics = (metric_fn, tensors)`` for ``eval_metric_ops``, ``scaffold_fn`` for
    ``scaffold`` and an optional ``host_call = (fn, tensors)``."""

    def __new__(
        cls,
        mode,
        predictions=None,
        loss=None,
        train_op=None,
        eval_metrics=None,
        export_outputs=None,
        scaffold_fn=None,
        host_call=None,
        training_hooks=None,
        evaluation_hooks=None,
        prediction_hooks=None,
    ):
        host_calls = {"eval_metrics": eval_metrics, "host_call": host_call}
        _validate_host_calls({k: v for k, v in host_calls.items() if v is not None})
        hooks = [tuple(h or ()) for h in (training_hooks, evaluation_hooks, prediction_hooks)]
        for hook in hooks[0] + hooks[1] + hooks[2]:
            if not isinstance(hook, SessionRunHook):
                raise TypeError(f"All hooks must be SessionRunHook instances, given: {hook}")
        return super().__new__(
            cls, mode, predictions, loss, train_op, eval_metrics, export_outputs,
            scaffold_fn, host_call, *hooks,
        )  # fmt: skip

    def as_estimator_spec(self) -> EstimatorSpec:
        """The ``EstimatorSpec`` a CPU runs: the metrics made by ``metric_fn`` from its
        tensors, the scaffold by ``scaffold_fn``, ``host_call``'s ops run with each step."""
        eval_metric_ops = _call_host(self.eval_metrics) if self.eval_metrics else None
        hooks = (_HostCallHook(_call_host(self.host_call)),) if self.host_call else ()
        return EstimatorSpec(
            mode=self.mode,
            predictions=self.predictions,
            loss=self.loss,
            train_op=self.train_op,
            eval_metric_ops=eval_metric_ops,
            export_outputs=self.export_outputs,
            scaffold=self.scaffold_fn() if self.scaffold_fn else None,
            training_hooks=self.training_hooks + hooks,
            evaluation_hooks=self.evaluation_hooks + hooks,
            prediction_hooks=self.prediction_hooks + hooks,
        )


def _batch_size(value, name: str):
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"`{name}` must be an int")
    if value < 1:
        raise ValueError(f"`{name}` must be positive")
    return value


class TPUEstimator(Estimator):
    """An Estimator for TPU programs, run here on the CPU (``use_tpu=False``): ``input_fn``
    and ``model_fn`` get ``params["batch_size"]`` (``train_batch_size``, ``eval_batch_size`` or
    ``predict_batch_size`` by mode, when given) and ``params["use_tpu"] = False``; a
    returned ``TPUEstimatorSpec`` is run as its ``as_estimator_spec()``.

    Raises:
        NotImplementedError: ``use_tpu=True``.
        ValueError: ``config`` is not a ``tf.contrib.tpu.RunConfig``, ``params`` holds a
            reserved key, a batch size is not a positive int, or ``model_fn`` takes no
            ``params``.
    """

    _owned_overrides = frozenset({"_call_input_fn"})  # TF overrides it too

    def __init__(
        self,
        model_fn=None,
        model_dir=None,
        config=None,
        params=None,
        use_tpu=True,
        train_batch_size=None,
        eval_batch_size=None,
        predict_batch_size=None,
        batch_axis=None,
        eval_on_tpu=True,
        export_to_tpu=True,
        export_to_cpu=True,
        warm_start_from=None,
        embedding_config_spec=None,
        export_saved_model_api_version=None,
    ):
        if config is None or not isinstance(config, RunConfig):
            raise ValueError("`config` must be provided with type `tpu_config.RunConfig`")
        if params is not None and any(k in params for k in _RESERVED_PARAMS):
            raise ValueError(
                f"{list(_RESERVED_PARAMS)} are reserved keys but existed in params {params}."
            )
        if use_tpu:
            raise NotImplementedError(
                "TPUEstimator(use_tpu=True): scopeflow runs no TPU programs; pass "
                "use_tpu=False to train, evaluate and predict on the CPU"
            )
        if embedding_config_spec is not None:
            raise NotImplementedError("TPUEstimator(embedding_config_spec=...): TPU embeddings")
        if "params" not in fn_args(model_fn):
            raise ValueError(
                f"model_fn ({model_fn}) does not include params argument, required by "
                "TPUEstimator to pass batch size as params['batch_size']"
            )
        self._batch_sizes = {
            ModeKeys.TRAIN: _batch_size(train_batch_size, "train_batch_size"),
            ModeKeys.EVAL: _batch_size(eval_batch_size, "eval_batch_size"),
            ModeKeys.PREDICT: _batch_size(predict_batch_size, "predict_batch_size"),
        }
        super().__init__(self._augment(model_fn), model_dir, config, params or {}, warm_start_from)

    def _batch_param(self, mode) -> dict:
        size = self._batch_sizes.get(mode)
        return {} if size is None else {"batch_size": size}

    def _augment(self, model_fn):
        """``model_fn`` as TF's TPUEstimator wraps it: given ``params`` with the mode's batch
        size and ``use_tpu=False``; a returned ``TPUEstimatorSpec`` becomes the
        ``EstimatorSpec`` a CPU runs."""
        takes = set(fn_args(model_fn))

        def tpu_model_fn(features, labels, mode, params, config):
            kwargs = {"params": {**params, **self._batch_param(mode), "use_tpu": False}}
            if "labels" in takes:
                kwargs["labels"] = labels
            elif labels is not None:
                raise ValueError("model_fn does not take labels, but input_fn returns labels.")
            if "mode" in takes:
                kwargs["mode"] = mode
            if "config" in takes:
                kwargs["config"] = config
            spec = model_fn(features=features, **kwargs)
            return spec.as_estimator_spec() if isinstance(spec, TPUEstimatorSpec) else spec

        return tpu_model_fn

    def _call_input_fn(self, input_fn, mode):
        args = fn_args(input_fn)
        if "params" not in args:
            raise ValueError(
                f"input_fn ({input_fn}) does not include params argument, required by "
                "TPUEstimator to pass batch size as params['batch_size']"
            )
        kwargs = {"params": {**self.params, **self._batch_param(mode)}}
        if "mode" in args:
            kwargs["mode"] = mode
        if "config" in args:
            kwargs["config"] = self.config
        with get_default_graph().device("/cpu:0"):
            return input_fn(**kwargs)


class CrossShardOptimizer(Optimizer):
    """An optimizer that averages (or sums) gradients over TPU shards; with the one shard a
    CPU has, ``opt`` itself (TF's would fail at the first run off a TPU)."""

    def __init__(
        self, opt, reduction="weighted_mean", name="CrossShardOptimizer", group_assignment=None
    ):
        super().__init__(False, name)
        self._opt = opt

    def compute_gradients(self, loss, var_list=None, **kwargs):
        return self._opt.compute_gradients(loss, var_list=var_list, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        return self._opt.apply_gradients(grads_and_vars, global_step, name)

    def get_slot(self, *args, **kwargs):
        return self._opt.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._opt.get_slot_names(*args, **kwargs)

    def variables(self):
        return self._opt.variables()


def _bfloat16_getter(getter, name, *args, **kwargs):
    dtype = kwargs.get("dtype")
    if dtype is not None and dtypes.as_dtype(dtype) == dtypes.bfloat16:
        kwargs["dtype"] = dtypes.float32
        return cast(getter(name, *args, **kwargs), dtypes.bfloat16)
    return getter(name, *args, **kwargs)


@contextlib.contextmanager
def bfloat16_scope(name: str = ""):
    """A variable scope in which a bfloat16 ``get_variable`` makes a float32 variable and
    returns it cast to bfloat16, as TPU code keeps its weights."""
    with variable_scope(name, custom_getter=_bfloat16_getter) as scope:
        yield scope
