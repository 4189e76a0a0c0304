"""``tf.estimator.Estimator``: trains, evaluates and predicts with a ``model_fn``, each call in
a fresh graph, keeping its checkpoints (``model.ckpt-<step>``), graph and summaries in
``model_dir`` and resuming from the latest checkpoint, as TF1's Estimator does. It runs on
``tf.train.MonitoredTrainingSession`` and TF1's stock hooks (``train/``)."""

from __future__ import annotations

import copy
import logging
import os
import tempfile

from scopeflow.data.dataset import Dataset
from scopeflow.estimator import evaluation, export
from scopeflow.estimator.model_fn import EstimatorSpec, ModeKeys, fn_args, verify_model_fn_args
from scopeflow.estimator.run_config import RunConfig, get_default_session_config
from scopeflow.estimator.warm_start import warm_start, warm_start_settings
from scopeflow.framework import nest
from scopeflow.framework.defaults import get_default_graph
from scopeflow.framework.graph import Graph, GraphKeys
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.control.grouping import group
from scopeflow.ops.random.sampling import set_random_seed
from scopeflow.summary.summary_ops import scalar
from scopeflow.train import training_util
from scopeflow.train.basic_session_run_hooks import (
    CheckpointSaverHook,
    CheckpointSaverListener,
    LoggingTensorHook,
    NanTensorHook,
    StopAtStepHook,
)
from scopeflow.train.checkpoint_state import latest_checkpoint
from scopeflow.train.checkpoint_utils import CheckpointReader, list_variables, load_variable
from scopeflow.train.monitored_session import MonitoredSession, MonitoredTrainingSession
from scopeflow.train.saver import Saver
from scopeflow.train.scaffold import ChiefSessionCreator, Scaffold
from scopeflow.train.session_run_hook import SessionRunHook

_log = logging.getLogger("tensorflow")
# What a subclass may override (TF1's list, less its API-export attributes).
_OVERRIDABLE = {"model_fn", "_create_and_assert_global_step", "latest_checkpoint"}


class Estimator:
    """Trains, evaluates and predicts with ``model_fn(features, labels, mode, params,
    config)`` (it may declare any subset of these but ``features``), which returns an
    ``EstimatorSpec``; ``input_fn()`` returns ``(features, labels)``, features alone, or a
    ``tf.data.Dataset`` of either.

    >>> import numpy as np, tempfile, scopeflow as tf
    >>> def model_fn(features, labels, mode):
    ...     w = tf.get_variable("w", [1], initializer=tf.zeros_initializer())
    ...     y = features["x"] * w
    ...     if mode == tf.estimator.ModeKeys.PREDICT:
    ...         return tf.estimator.EstimatorSpec(mode, predictions=y)
    ...     loss = tf.reduce_mean(tf.square(y - labels))
    ...     step = tf.train.GradientDescentOptimizer(0.1).minimize(
    ...         loss, global_step=tf.train.get_global_step())
    ...     return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=step)
    >>> x = np.arange(4, dtype=np.float32)
    >>> train = tf.estimator.inputs.numpy_input_fn({"x": x}, 3 * x, batch_size=4,
    ...                                            num_epochs=None, shuffle=False)
    >>> est = tf.estimator.Estimator(model_fn, model_dir=tempfile.mkdtemp())
    >>> est = est.train(train, steps=20)
    >>> est.get_variable_value("w"), est.get_variable_value("global_step")
    (array([3.], dtype=float32), np.int64(20))
    """

    _owned_overrides: frozenset = frozenset()  # members scopeflow's own subclasses replace

    def __init__(self, model_fn, model_dir=None, config=None, params=None, warm_start_from=None):
        _assert_members_are_not_overridden(self)
        self._config = _config_with_model_dir(config, model_dir)
        self._model_dir = self._config.model_dir
        self._session_config = self._config.session_config
        _log.info("Using config: %s", str(vars(self._config)))
        self._device_fn = self._config.device_fn
        if model_fn is None:
            raise ValueError("model_fn must be provided to Estimator.")
        verify_model_fn_args(model_fn, params)
        self._model_fn = model_fn
        self._params = copy.deepcopy(params or {})
        self._warm_start_settings = warm_start_settings(warm_start_from)

    @property
    def model_dir(self) -> str:
        return self._model_dir

    @property
    def config(self) -> RunConfig:
        return copy.deepcopy(self._config)

    @property
    def params(self) -> dict:
        return copy.deepcopy(self._params)

    @property
    def model_fn(self):
        """The ``model_fn`` as ``fn(features, labels, mode, config)``."""

        def public_model_fn(features, labels, mode, config):
            return self._call_model_fn(features, labels, mode, config)

        return public_model_fn

    def get_variable_value(self, name: str):
        """The value of variable ``name`` in the latest checkpoint.

        Raises:
            ValueError: ``model_dir`` has no checkpoint ("Could not find trained model").
        """
        _check_checkpoint_available(self._model_dir)
        value = load_variable(self._model_dir, name)
        return value[()] if value.ndim == 0 else value  # a scalar as a NumPy scalar, as TF1

    def get_variable_names(self) -> list:
        """The names of the variables in the latest checkpoint."""
        _check_checkpoint_available(self._model_dir)
        return [name for name, _ in list_variables(self._model_dir)]

    def latest_checkpoint(self):
        """The latest checkpoint's path in ``model_dir`` (``None`` when there is none)."""
        return latest_checkpoint(self._model_dir)

    def eval_dir(self, name=None) -> str:
        """Where ``evaluate(name=...)`` writes its summaries: ``model_dir/eval[_<name>]``."""
        return os.path.join(self._model_dir, "eval" if not name else "eval_" + name)

    def train(self, input_fn, hooks=None, steps=None, max_steps=None, saving_listeners=None):
        """Trains ``steps`` more steps, or until the global step reaches ``max_steps``, or
        until the input ends, resuming from ``model_dir``'s latest checkpoint; returns
        ``self``.

        Raises:
            ValueError: both or non-positive ``steps``/``max_steps``; ``saving_listeners``
                without checkpoints (``save_checkpoints_steps``/``_secs`` both unset).
            TypeError: a hook is not a ``SessionRunHook``.
        """
        if steps is not None and max_steps is not None:
            raise ValueError("Can not provide both steps and max_steps.")
        if steps is not None and steps <= 0:
            raise ValueError(f"Must specify steps > 0, given: {steps}")
        if max_steps is not None and max_steps <= 0:
            raise ValueError(f"Must specify max_steps > 0, given: {max_steps}")
        if max_steps is not None and max_steps <= _global_step_in(self._model_dir):
            _log.info("Skipping training since max_steps has already saved.")
            return self
        hooks = _checked_hooks(hooks)
        if steps is not None or max_steps is not None:
            hooks.append(StopAtStepHook(steps, max_steps))
        listeners = list(saving_listeners or [])
        for listener in listeners:
            if not isinstance(listener, CheckpointSaverListener):
                raise TypeError(
                    f"saving_listeners must be a list of CheckpointSaverListener, given: {listener}"
                )
        loss = self._train_model(input_fn, hooks, listeners)
        _log.info("Loss for final step: %s.", loss)
        return self

    def evaluate(self, input_fn, steps=None, hooks=None, checkpoint_path=None, name=None):
        """Evaluates the latest checkpoint (or ``checkpoint_path``) on ``input_fn`` until it
        ends (or for ``steps`` batches): a dict of the ``eval_metric_ops``' values, the mean
        ``loss`` and the ``global_step``, also written as summaries to ``eval_dir(name)``.

        Raises:
            ValueError: ``steps <= 0``; a metric named ``loss`` or ``global_step``.
        """
        hooks = _checked_hooks(hooks)
        if steps is not None:
            if steps <= 0:
                raise ValueError(f"Must specify steps > 0, given: {steps}")
            hooks.append(evaluation.StopAfterNEvalsHook(num_evals=steps))
        if not checkpoint_path:
            checkpoint_path = latest_checkpoint(self._model_dir)
            if not checkpoint_path:
                _log.info(
                    f"Could not find trained model in model_dir: {self._model_dir}, running "
                    "initialization to evaluate."
                )
        with Graph().as_default():
            scaffold, update_op, eval_dict, all_hooks = self._evaluate_build_graph(
                input_fn, hooks, checkpoint_path
            )
            results = evaluation.evaluate_once(
                checkpoint_path, scaffold, update_op, eval_dict, all_hooks, self._session_config
            )
        step = results[GraphKeys.GLOBAL_STEP]
        output_dir = self.eval_dir(name)
        evaluation.write_dict_to_summary(output_dir, results, step)
        if checkpoint_path:
            evaluation.write_checkpoint_path_to_summary(output_dir, checkpoint_path, step)
        return results

    def predict(
        self,
        input_fn,
        predict_keys=None,
        hooks=None,
        checkpoint_path=None,
        yield_single_examples=True,
    ):
        """Yields the predictions of the latest checkpoint (or ``checkpoint_path``) for each
        example of ``input_fn`` (or each batch, with ``yield_single_examples=False``): dicts
        restricted to ``predict_keys`` when the ``model_fn`` predicts a dict.

        Raises:
            ValueError: ``predict_keys`` with non-dict predictions or matching none;
                predictions of different batch lengths.
        """
        hooks = _checked_hooks(hooks)
        if not checkpoint_path:
            checkpoint_path = latest_checkpoint(self._model_dir)
        if not checkpoint_path:
            _log.info(
                f"Could not find trained model in model_dir: {self._model_dir}, running "
                "initialization to predict."
            )
        with Graph().as_default() as g:
            set_random_seed(self._config.tf_random_seed)
            self._create_and_assert_global_step(g)
            features, input_hooks = self._get_features_from_input_fn(input_fn)
            spec = self._call_model_fn(features, None, ModeKeys.PREDICT, self.config)
            self._maybe_warm_start(checkpoint_path)
            predictions = _extract_keys(spec.predictions, predict_keys)
            creator = ChiefSessionCreator(
                checkpoint_filename_with_path=checkpoint_path,
                scaffold=spec.scaffold,
                config=self._session_config,
            )
            all_hooks = [*input_hooks, *hooks, *spec.prediction_hooks]
            with MonitoredSession(session_creator=creator, hooks=all_hooks) as sess:
                while not sess.should_stop():
                    values = sess.run(predictions)
                    if not yield_single_examples:
                        yield values
                    elif not isinstance(predictions, dict):
                        yield from values
                    else:
                        for i in range(_extract_batch_length(values)):
                            yield {key: value[i] for key, value in values.items()}

    def export_saved_model(
        self,
        export_dir_base,
        serving_input_receiver_fn,
        assets_extra=None,
        as_text=False,
        checkpoint_path=None,
        experimental_mode=ModeKeys.PREDICT,
    ):
        """Writes the ``model_fn``'s ``PREDICT`` graph on ``serving_input_receiver_fn``'s
        features, with the latest checkpoint's (or ``checkpoint_path``'s) variables, as a
        SavedModel in ``export_dir_base/<timestamp>`` (tagged ``serve``; a signature per
        ``EstimatorSpec.export_outputs``, by default ``serving_default`` predicting
        ``predictions``); returns that directory's path as bytes.

        Raises:
            ValueError: no receiver function, or no checkpoint ("Couldn't find trained
                model").
        """
        if experimental_mode != ModeKeys.PREDICT:
            raise NotImplementedError(
                "export_saved_model(experimental_mode=...) supports only ModeKeys.PREDICT: "
                "scopeflow exports serving graphs, not training or evaluation ones."
            )
        return export.export_saved_model(
            self, export_dir_base, serving_input_receiver_fn, assets_extra, as_text,
            checkpoint_path,
        )  # fmt: skip

    def export_savedmodel(
        self,
        export_dir_base,
        serving_input_receiver_fn,
        assets_extra=None,
        as_text=False,
        checkpoint_path=None,
        strip_default_attrs=False,
    ):
        """TF1's older name of ``export_saved_model`` (which always strips default attrs)."""
        return self.export_saved_model(
            export_dir_base, serving_input_receiver_fn, assets_extra, as_text, checkpoint_path
        )

    def _create_and_assert_global_step(self, graph):
        step = training_util.create_global_step(graph)
        assert step is training_util.get_global_step(graph)
        assert step.dtype.is_integer
        return step

    def _call_input_fn(self, input_fn, mode):
        args = fn_args(input_fn)
        kwargs = {}
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = self.config
        with get_default_graph().device("/cpu:0"):
            return input_fn(**kwargs)

    def _get_features_and_labels_from_input_fn(self, input_fn, mode):
        return _parse_input_fn_result(self._call_input_fn(input_fn, mode))

    def _get_features_from_input_fn(self, input_fn):
        features, _, hooks = self._get_features_and_labels_from_input_fn(input_fn, ModeKeys.PREDICT)
        if not _has_dataset_or_queue_runner(features):
            _log.warning(
                "Input graph does not use tf.data.Dataset or contain a QueueRunner. That means "
                "predict yields forever. This is probably a mistake."
            )
        return features, hooks

    def _call_model_fn(self, features, labels, mode, config):
        args = fn_args(self._model_fn)
        kwargs = {}
        if "labels" in args:
            kwargs["labels"] = labels
        elif labels is not None:
            raise ValueError("model_fn does not take labels, but input_fn returns labels.")
        if "mode" in args:
            kwargs["mode"] = mode
        if "params" in args:
            kwargs["params"] = self.params
        if "config" in args:
            kwargs["config"] = config
        _log.info("Calling model_fn.")
        spec = self._model_fn(features=features, **kwargs)
        _log.info("Done calling model_fn.")
        if not isinstance(spec, EstimatorSpec):
            raise ValueError("model_fn should return an EstimatorSpec.")
        return spec

    def _maybe_warm_start(self, checkpoint_path) -> None:
        if not checkpoint_path and self._warm_start_settings:
            warm_start(self._warm_start_settings)

    def _train_model(self, input_fn, hooks, saving_listeners):
        worker_hooks = []
        with Graph().as_default() as g, g.device(self._device_fn):
            set_random_seed(self._config.tf_random_seed)
            self._create_and_assert_global_step(g)
            training_util._get_or_create_global_step_read(g)
            features, labels, input_hooks = self._get_features_and_labels_from_input_fn(
                input_fn, ModeKeys.TRAIN
            )
            worker_hooks.extend(input_hooks)
            spec = self._call_model_fn(features, labels, ModeKeys.TRAIN, self.config)
            global_step = training_util.get_global_step(g)
            return self._train_with_estimator_spec(
                spec, worker_hooks, hooks, global_step, saving_listeners
            )

    def _train_with_estimator_spec(self, spec, worker_hooks, hooks, global_step, listeners):
        config = self._config
        if self._warm_start_settings and not latest_checkpoint(self._model_dir):
            warm_start(self._warm_start_settings)
        graph = get_default_graph()
        if not any(s.op.name == "loss" for s in graph.get_collection(GraphKeys.SUMMARIES)):
            scalar("loss", spec.loss)
        graph.add_to_collection(GraphKeys.LOSSES, spec.loss)
        worker_hooks.extend(hooks)
        worker_hooks.append(NanTensorHook(spec.loss))
        if config.log_step_count_steps is not None:
            worker_hooks.append(
                LoggingTensorHook(
                    {"loss": spec.loss, "step": global_step},
                    every_n_iter=config.log_step_count_steps,
                )
            )
        worker_hooks.extend(spec.training_hooks)
        if not (spec.scaffold.saver or graph.get_collection(GraphKeys.SAVERS)):
            saver = Saver(
                sharded=True,
                max_to_keep=config.keep_checkpoint_max,
                keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
                defer_build=True,
                save_relative_paths=True,
            )
            graph.add_to_collection(GraphKeys.SAVERS, saver)
        chief_hooks = []
        saver_hooks = [
            h
            for h in worker_hooks + list(spec.training_chief_hooks)
            if isinstance(h, CheckpointSaverHook)
        ]
        if (config.save_checkpoints_secs or config.save_checkpoints_steps) and not saver_hooks:
            chief_hooks = [
                CheckpointSaverHook(
                    self._model_dir,
                    save_secs=config.save_checkpoints_secs,
                    save_steps=config.save_checkpoints_steps,
                    scaffold=spec.scaffold,
                    save_graph_def=config.checkpoint_save_graph_def,
                )
            ]
            saver_hooks = chief_hooks
        if listeners:
            if not saver_hooks:
                raise ValueError(
                    "There should be a CheckpointSaverHook to use saving_listeners. Please set "
                    "one of the RunConfig.save_checkpoints_steps or "
                    "RunConfig.save_checkpoints_secs."
                )
            for listener in listeners:
                if listener not in saver_hooks[0]._listeners:
                    saver_hooks[0]._listeners.append(listener)
        with MonitoredTrainingSession(
            checkpoint_dir=self._model_dir,
            scaffold=spec.scaffold,
            hooks=worker_hooks,
            chief_only_hooks=tuple(chief_hooks) + tuple(spec.training_chief_hooks),
            save_checkpoint_secs=0,  # saved by the hook above
            save_summaries_steps=config.save_summary_steps,
            config=self._session_config,
            max_wait_secs=config.session_creation_timeout_secs,
            log_step_count_steps=config.log_step_count_steps,
            save_graph_def=config.checkpoint_save_graph_def,
        ) as sess:
            loss = None
            steps_run = 0
            while not sess.should_stop():
                steps_run += 1
                _, loss = sess.run([spec.train_op, spec.loss])
        if steps_run == 0:
            _log.warning(
                "Training with estimator made no steps. Perhaps input is empty or misspecified."
            )
        return loss

    def _evaluate_build_graph(self, input_fn, hooks, checkpoint_path):
        set_random_seed(self._config.tf_random_seed)
        self._create_and_assert_global_step(get_default_graph())
        features, labels, input_hooks = self._get_features_and_labels_from_input_fn(
            input_fn, ModeKeys.EVAL
        )
        spec = self._call_model_fn(features, labels, ModeKeys.EVAL, self.config)
        metric_ops = evaluation.metric_ops_with_loss(spec.eval_metric_ops, spec.loss)
        update_op, eval_dict = evaluation.split_metric_ops(metric_ops)
        global_step = training_util.get_global_step(get_default_graph())
        self._maybe_warm_start(checkpoint_path)
        if GraphKeys.GLOBAL_STEP in eval_dict:
            raise ValueError(
                "Metric with name `global_step` is not allowed, because Estimator already "
                "defines a default metric with the same name."
            )
        eval_dict[GraphKeys.GLOBAL_STEP] = global_step
        all_hooks = [*input_hooks, *hooks, *spec.evaluation_hooks]
        scaffold = spec.scaffold
        if scaffold and scaffold.local_init_op:
            evaluation.get_or_create_eval_step()
            scaffold = Scaffold(
                local_init_op=group(scaffold.local_init_op, Scaffold.default_local_init_op()),
                copy_from_scaffold=scaffold,
            )
        return scaffold, update_op, eval_dict, all_hooks


def _assert_members_are_not_overridden(obj) -> None:
    members = {m for m in dir(Estimator) if not m.startswith("__")}
    # TF exempts its own TPUEstimator, which passes batch sizes through these two.
    owned = {"_owned_overrides", *type(obj)._owned_overrides}
    common = members & set(type(obj).__dict__) - _OVERRIDABLE - owned
    overridden = [m for m in common if getattr(Estimator, m) != getattr(type(obj), m)]
    if overridden:
        raise ValueError(
            "Subclasses of Estimator cannot override members of Estimator. "
            f"{type(obj)} does override {overridden}"
        )


def _config_with_model_dir(config, model_dir) -> RunConfig:
    """``config`` (default ``RunConfig()``) with the session config and ``model_dir`` filled
    in (a temporary directory when neither gives one), as TF1 does."""
    if config is None:
        config = RunConfig()
        _log.info("Using default config.")
    if not isinstance(config, RunConfig):
        raise ValueError(f"config must be an instance of `RunConfig`, but provided {config}.")
    if config.session_config is None:
        config = config.replace(session_config=get_default_session_config())
    model_dir = os.fspath(model_dir) if model_dir is not None else None
    if model_dir is not None and config.model_dir is not None and config.model_dir != model_dir:
        raise ValueError(
            "`model_dir` are set both in constructor and `RunConfig`, but with different "
            f"values. In constructor: '{model_dir}', in `RunConfig`: '{config.model_dir}' "
        )
    if model_dir:
        return config.replace(model_dir=model_dir)
    if config.model_dir is None:
        model_dir = tempfile.mkdtemp()
        _log.warning("Using temporary folder as model directory: %s", model_dir)
        return config.replace(model_dir=model_dir)
    return config


def _checked_hooks(hooks) -> list:
    hooks = list(hooks or [])
    for hook in hooks:
        if not isinstance(hook, SessionRunHook):
            raise TypeError(f"Hooks must be a SessionRunHook, given: {hook}")
    return hooks


def _check_checkpoint_available(model_dir) -> None:
    if not latest_checkpoint(model_dir):
        raise ValueError(f"Could not find trained model in model_dir: {model_dir}.")


def _global_step_in(model_dir) -> int:
    """The global step of ``model_dir``'s latest checkpoint, 0 without one."""
    path = latest_checkpoint(model_dir)
    if not path:
        return 0
    try:
        return int(CheckpointReader(path).get_tensor(GraphKeys.GLOBAL_STEP))
    except Exception:  # noqa: BLE001 - as TF1: any failure to read means "step 0"
        return 0


class _DatasetInitializerHook(SessionRunHook):
    """Initializes a dataset's iterator when the session is made."""

    def __init__(self, iterator):
        self._iterator = iterator

    def begin(self) -> None:
        self._initializer = self._iterator.initializer

    def after_create_session(self, session, coord) -> None:
        session.run(self._initializer)


def _parse_input_fn_result(result):
    """``(features, labels, input_hooks)`` from what an ``input_fn`` returned."""
    hooks = []
    if isinstance(result, Dataset):
        iterator = result.make_initializable_iterator()
        hooks.append(_DatasetInitializerHook(iterator))
        result = iterator.get_next()
    if isinstance(result, (list, tuple)):
        if len(result) != 2:
            raise ValueError("input_fn should return (features, labels) as a len 2 tuple.")
        return result[0], result[1], hooks
    return result, None, hooks


def _has_dataset_or_queue_runner(features) -> bool:
    tensors = [x for x in nest.flatten(features) if isinstance(x, Tensor)]
    if any(t.op.type == "IteratorGetNext" for t in tensors):
        return True
    return bool(get_default_graph().get_collection(GraphKeys.QUEUE_RUNNERS))


def _extract_keys(predictions, predict_keys):
    if not predict_keys:
        return predictions
    if not isinstance(predictions, dict):
        raise ValueError("predict_keys argument is not valid in case of non-dict predictions.")
    existing = predictions.keys()
    predictions = {k: v for k, v in predictions.items() if k in predict_keys}
    if not predictions:
        raise ValueError(
            f"Expected to run at least one output from {existing}, provided {predict_keys}."
        )
    return predictions


def _extract_batch_length(values: dict) -> int:
    length = None
    for key, value in values.items():
        length = length or value.shape[0]
        if value.shape[0] != length:
            raise ValueError(
                f"Batch length of predictions should be same. {key} has different batch length "
                "than others."
            )
    return length
