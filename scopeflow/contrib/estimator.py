"""``tf.contrib.estimator``: TF 1.15's extras around ``tf.estimator``: ``add_metrics``,
``forward_features``, ``clip_gradients_by_norm``, ``InMemoryEvaluatorHook``, the early-stopping
hooks and the logit-function builders (``tf.estimator``'s own, under their contrib names).

>>> import scopeflow as tf
>>> with tf.Graph().as_default():
...     w = tf.Variable([3.0, 4.0])
...     opt = tf.contrib.estimator.clip_gradients_by_norm(
...         tf.train.GradientDescentOptimizer(1.0), clip_norm=1.0)
...     train = opt.minimize(tf.reduce_sum(w * w))
...     with tf.Session() as sess:
...         sess.run(tf.global_variables_initializer())
...         _ = sess.run(train)
...         print(opt.get_name(), sess.run(w))
ClipByNormGradientDescent [2.4 3.2]
"""

from __future__ import annotations

import os

from scopeflow.estimator import evaluation
from scopeflow.estimator.canned.dnn import dnn_logit_fn_builder
from scopeflow.estimator.canned.linear import linear_logit_fn_builder
from scopeflow.estimator.early_stopping import (
    make_early_stopping_hook,
    read_eval_metrics,
    stop_if_higher_hook,
    stop_if_lower_hook,
    stop_if_no_decrease_hook,
    stop_if_no_increase_hook,
)
from scopeflow.estimator.estimator import Estimator, _checked_hooks
from scopeflow.estimator.export import PredictOutput
from scopeflow.estimator.extenders import add_metrics
from scopeflow.framework.graph import Graph, GraphKeys
from scopeflow.framework.graph_api import get_collection
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import placeholder
from scopeflow.ops.control.grouping import group
from scopeflow.ops.math.clip import clip_by_global_norm
from scopeflow.ops.sparse.dense import sparse_tensor_to_dense
from scopeflow.ops.sparse.tensor import SparseTensor, convert_to_tensor_or_sparse_tensor
from scopeflow.ops.state.storage import assign
from scopeflow.train.optimizer import Optimizer
from scopeflow.train.scaffold import Scaffold
from scopeflow.train.session_run_hook import SessionRunHook
from scopeflow.train.timers import SecondOrStepTimer


class _TransformGradients(Optimizer):
    """An optimizer applying ``transform_grads_fn(grads_and_vars)`` before ``optimizer``'s
    ``apply_gradients``; gradients and slots are ``optimizer``'s."""

    def __init__(self, optimizer, transform_grads_fn, name=None):
        super().__init__(use_locking=False, name=name or optimizer.get_name())
        self._optimizer = optimizer
        self._transform_grads_fn = transform_grads_fn

    def compute_gradients(self, *args, **kwargs):
        return self._optimizer.compute_gradients(*args, **kwargs)

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = self._transform_grads_fn(grads_and_vars)
        return self._optimizer.apply_gradients(grads_and_vars, global_step, name)

    def get_slot(self, *args, **kwargs):
        return self._optimizer.get_slot(*args, **kwargs)

    def get_slot_names(self, *args, **kwargs):
        return self._optimizer.get_slot_names(*args, **kwargs)


def clip_gradients_by_norm(optimizer, clip_norm):
    """``optimizer`` (named ``ClipByNorm<name>``) applying gradients clipped together by their
    global norm: ``tf.clip_by_global_norm(gradients, clip_norm)``, as TF 1.15 does despite the
    name."""

    def clip(grads_and_vars):
        grads, variables = zip(*grads_and_vars, strict=True)
        clipped = clip_by_global_norm(grads, clip_norm)[0]
        return list(zip(clipped, variables, strict=True))

    return _TransformGradients(optimizer, clip, name="ClipByNorm" + optimizer.get_name())


def _checked_keys(keys):
    if keys is None or isinstance(keys, str):
        return keys if keys is None else [keys]
    if not isinstance(keys, (list, tuple)):
        raise TypeError(f"keys should be either a string or a list of strings. Given: {type(keys)}")
    for key in keys:
        if not isinstance(key, str):
            raise TypeError(
                "All items in the given keys list should be a string. There exist an item with "
                f"type: {type(key)}"
            )
    return keys


def forward_features(estimator, keys=None, sparse_default_values=None):
    """A new ``Estimator`` whose predictions (a dict) also hold the features ``keys`` (all
    when ``None``; a string names one), as the input gave them; a ``SparseTensor`` feature is
    made dense with its default in ``sparse_default_values``. ``PredictOutput`` export outputs
    (``predict``, ``serving_default``) get them too.

    Raises:
        TypeError: ``keys`` is not a string or a list of strings.
        ValueError: (in ``model_fn``) predictions not a dict; a key missing from the features
            or already in the predictions; a sparse feature without a default.
    """
    keys = _checked_keys(keys)

    def new_model_fn(features, labels, mode, config):
        spec = estimator.model_fn(features, labels, mode, config)
        predictions = spec.predictions
        if predictions is None:
            return spec
        if not isinstance(predictions, dict):
            raise ValueError(
                "Predictions should be a dict to be able to forward features. Given: "
                f"{type(predictions)}"
            )
        chosen = list(features.keys()) if keys is None else keys
        for key in chosen:
            if key not in features:
                raise ValueError(
                    f'keys should be exist in features. Key "{key}" is not in features dict. '
                    f"features dict has following keys: {features.keys()}. Please check "
                    "arguments of forward_features."
                )
            if key in predictions:
                raise ValueError(
                    f"Cannot forward feature key ({key}). Since it does exist in predictions. "
                    f"Existing prediction keys: {predictions.keys()}. Please check arguments "
                    "of forward_features."
                )
        for key in chosen:
            feature = convert_to_tensor_or_sparse_tensor(features[key])
            if sparse_default_values and key in sparse_default_values:
                if not isinstance(feature, SparseTensor):
                    raise ValueError(f"Feature ({key}) is expected to be a `SparseTensor`.")
                feature = sparse_tensor_to_dense(feature, default_value=sparse_default_values[key])
            if not isinstance(feature, Tensor):
                raise ValueError(
                    f"Feature ({key}) should be a Tensor. Please use `keys` argument of "
                    "forward_features to filter unwanted features, or add key to argument "
                    f"`sparse_default_values`. Type of features[{key}] is {type(feature)}."
                )
            predictions[key] = feature
        spec = spec._replace(predictions=predictions)
        for name in ("predict", "serving_default"):
            output = (spec.export_outputs or {}).get(name)
            if isinstance(output, PredictOutput):
                for key in chosen:
                    output.outputs[key] = predictions[key]
        return spec

    return Estimator(model_fn=new_model_fn, model_dir=estimator.model_dir, config=estimator.config)


class InMemoryEvaluatorHook(SessionRunHook):
    """Evaluates ``estimator`` on ``input_fn`` during its training, from the training
    session's variable values (no checkpoint): once the session is made, every
    ``every_n_iter`` training steps and at the end, writing summaries to
    ``model_dir/eval`` (``eval_<name>``). Single machine only; no custom saver or ``init_fn``.

    Raises:
        ValueError: ``every_n_iter`` not positive; a distributed ``RunConfig``; ``steps <= 0``.
    """

    def __init__(self, estimator, input_fn, steps=None, hooks=None, name=None, every_n_iter=100):
        if every_n_iter is None or every_n_iter <= 0:
            raise ValueError(f"invalid every_n_iter={every_n_iter}.")
        config = estimator.config
        if config.num_ps_replicas > 0 or config.num_worker_replicas > 1:
            raise ValueError("InMemoryEvaluator supports only single machine (aka Local) setting.")
        self._estimator = estimator
        self._input_fn = input_fn
        self._steps = steps
        self._name = name
        self._every_n_iter = every_n_iter
        self._eval_dir = os.path.join(estimator.model_dir, f"eval_{name}" if name else "eval")
        self._graph = None
        self._hooks = _checked_hooks(hooks)
        if steps is not None:
            if steps <= 0:
                raise ValueError(f"Must specify steps > 0, given: {steps}")
            self._hooks.append(evaluation.StopAfterNEvalsHook(num_evals=steps))
        self._timer = SecondOrStepTimer(every_steps=every_n_iter)

    def begin(self) -> None:
        """Builds the evaluation graph, with a placeholder for each global variable."""
        self._timer.reset()
        self._iter_count = 0
        self._graph = Graph()
        with self._graph.as_default():
            built = self._estimator._evaluate_build_graph(self._input_fn, self._hooks, None)
            self._scaffold, self._update_op, self._eval_dict, self._all_hooks = built
            self._scaffold = self._scaffold or Scaffold()
            if self._scaffold.saver is not None:
                raise ValueError("InMemoryEvaluator does not support custom saver")
            if self._scaffold.init_fn is not None:
                raise ValueError("InMemoryEvaluator does not support custom init_fn")
            variables = get_collection(GraphKeys.GLOBAL_VARIABLES)
            self._eval_vars = {v.name: v for v in variables}
            self._placeholders = {v.name: placeholder(v.dtype.base_dtype) for v in variables}

    def after_create_session(self, session, coord) -> None:
        """Matches training and evaluation variables by name and evaluates once."""
        if get_collection(GraphKeys.SAVEABLE_OBJECTS):
            raise ValueError(
                "InMemoryEvaluator does not support saveables other than global variables."
            )
        train_vars = {v.name: v for v in get_collection(GraphKeys.GLOBAL_VARIABLES)}
        shared = sorted(set(self._placeholders) & set(train_vars))
        self._train_vars = {name: train_vars[name] for name in shared}
        with self._graph.as_default():
            self._var_feed_op = group(
                [assign(self._eval_vars[n], self._placeholders[n]) for n in shared]
            )
        self._evaluate(session)

    def _evaluate(self, train_session):
        values = train_session.run(self._train_vars)
        feed = {self._placeholders[name]: value for name, value in values.items()}

        def feed_variables(scaffold, session):
            session.run(self._var_feed_op, feed_dict=feed)

        scaffold = Scaffold(init_fn=feed_variables, copy_from_scaffold=self._scaffold)
        with self._graph.as_default():
            results = evaluation.evaluate_once(
                None,
                scaffold,
                self._update_op,
                self._eval_dict,
                self._all_hooks,
                self._estimator._session_config,
            )
        evaluation.write_dict_to_summary(self._eval_dir, results, results[GraphKeys.GLOBAL_STEP])
        self._timer.update_last_triggered_step(self._iter_count)
        return results

    def after_run(self, run_context, run_values) -> None:
        """Evaluates every ``every_n_iter`` training steps."""
        self._iter_count += 1
        if self._timer.should_trigger_for_step(self._iter_count):
            self._evaluate(run_context.session)

    def end(self, session) -> None:
        """Evaluates the final model."""
        self._evaluate(session)


__all__ = [
    "InMemoryEvaluatorHook",
    "add_metrics",
    "clip_gradients_by_norm",
    "dnn_logit_fn_builder",
    "forward_features",
    "linear_logit_fn_builder",
    "make_early_stopping_hook",
    "read_eval_metrics",
    "stop_if_higher_hook",
    "stop_if_lower_hook",
    "stop_if_no_decrease_hook",
    "stop_if_no_increase_hook",
]
