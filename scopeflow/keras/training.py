"""``Model.compile``, ``fit``, ``evaluate``, ``predict`` and the ``*_on_batch`` methods, as
TF1.15's Keras runs them in graph mode: one ``Session.run`` per batch in
``backend.get_session()``, with the learning phase fed ``True`` while training.

``compile`` builds, in this order, a target placeholder per output (``dense_1_target``), the
metrics (``metrics/acc/...``, their ``total``/``count`` variables), the loss
(``loss/dense_1_loss/...``, the weighted mean over examples, times the loss weight, plus the
layers' regularization losses; sample weights only once a call passes them: see
``training_loss``); the first ``fit`` builds the training ops (``training/``:
gradients and the optimizer's updates). ``fit`` prints ``Train on N samples`` and a progress
bar per epoch; the loss shown and recorded is the mean over the epoch's examples, the
metrics are their running means (reset each epoch). ``evaluate`` returns the loss (the mean
over examples) and the metrics over all batches; ``predict`` the outputs, batch by batch.
"""

from __future__ import annotations

import numpy as np

from scopeflow.framework.graph_api import control_dependencies, name_scope
from scopeflow.keras import (
    backend,
    losses,
    metrics_base,
    object_checkpoint,
    optimizers,
    training_arrays,
    training_dataset,
    training_loss,
    training_metrics,
    training_targets,
)
from scopeflow.keras import training_generator as generators
from scopeflow.keras.training_dataset import DatasetBatches
from scopeflow.ops.control.grouping import group


def _by_output(value, names: list, what: str) -> list:
    """``value`` for each output: one value for all, a list in output order, or a dict by
    output name."""
    if isinstance(value, dict):
        unknown = sorted(set(value) - set(names))
        if unknown:
            raise ValueError(
                f"Unknown entries in {what} dictionary: {unknown}. Only expected following "
                f"keys: {names}"
            )
        return [value.get(name) for name in names]
    per_output = what in ("loss", "sample_weight_mode") or (
        what == "sample_weight" and len(names) > 1
    )
    if isinstance(value, (list, tuple)) and per_output:
        if len(value) != len(names):
            raise ValueError(
                f"When passing a list as loss, it should have one entry per model outputs. "
                f"The model has {len(names)} outputs, but you passed loss={value}"
            )
        return list(value)
    return [value] * len(names)


class TrainingMixin(generators.GeneratorTrainingMixin):
    """What ``Model`` adds to a layer to be trained."""

    def __init__(self):
        self.optimizer = None
        self.loss = None
        self.loss_weights = None
        self.sample_weight_mode = None
        self.history = None
        self.stop_training = False
        self._compiled = False
        self._functions: dict = {}
        self._function_weights: dict = {}  # each function's sample weight placeholders

    # -- compile ---------------------------------------------------------------------------

    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
        loss_weights=None,
        sample_weight_mode=None,
        weighted_metrics=None,
        target_tensors=None,
        **kwargs,
    ) -> None:
        """Sets the optimizer (a name, a ``tf.keras.optimizers`` object or a ``tf.train``
        optimizer), the loss (a name, function or ``tf.keras.losses`` object; per output
        as a list or dict) and the metrics (``["accuracy"]``...), and builds the loss.
        ``target_tensors`` (a tensor, or a list or dict by output name) replaces the target
        placeholders (see ``training_targets``)."""
        training_targets.check(target_tensors)
        self._from_serialized = kwargs.pop("from_serialized", False)  # load_model's compile
        if kwargs:
            raise TypeError(f"Invalid keyword argument(s) in `compile`: {sorted(kwargs)}")
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._compile_args = (metrics, loss_weights)
        self.loss_weights = loss_weights
        self.sample_weight_mode = self._sample_weight_mode = sample_weight_mode
        self._weighted_metrics = weighted_metrics
        self._given_targets = target_tensors
        self._functions = {}
        self._function_weights = {}
        if self.outputs:
            self._build_loss()

    def _build_loss(self) -> None:
        metrics = self._compile_args[0]
        weight_modes = self._sample_weight_mode
        names = self.output_names
        self._temporal = [
            mode == "temporal" for mode in _by_output(weight_modes, names, "sample_weight_mode")
        ]
        loss_fns = [  # None: an output left out of training (no target), as TF's
            fn if fn is None or isinstance(fn, losses.Loss) else losses.get(fn)
            for fn in _by_output(self.loss, names, "loss")
        ]
        self._loss_fns = loss_fns
        given = training_targets.given(getattr(self, "_given_targets", None), names)
        # keras.estimator's model_fn gives the input_fn's labels (and unit weights) instead
        self._targets = getattr(self, "_target_tensors", None) or [
            None
            if fn is None
            else target
            if target is not None
            else backend.placeholder(
                ndim=len(y.shape.as_list()), dtype=y.dtype.base_dtype, name=f"{name}_target"
            )
            for y, name, target, fn in zip(self.outputs, names, given, loss_fns, strict=True)
        ]
        modes = _by_output(weight_modes, names, "sample_weight_mode")
        self._compile_weight_modes = modes
        self._weight_modes = list(modes)
        self._weight_tensors = getattr(self, "_sample_weight_tensors", None)
        # (output index, name, metric, weighted), each made once
        self._metric_specs = training_metrics.collect(
            self, metrics, self._weighted_metrics, loss_fns
        )
        self._metric_values = {}
        # as tf_keras: each output's loss has a running Mean when there are several outputs
        self._output_loss_metrics = [
            metrics_base.Mean(name=f"{name}_loss")
            for name, fn in zip(names, loss_fns, strict=True)
            if len(names) > 1 and fn is not None
        ]
        with name_scope("metrics"):  # as tf_keras: the unweighted metrics once, at compile
            for index, (i, metric_name, wrapper, weighted) in enumerate(self._metric_specs):
                if not weighted:
                    with name_scope(metric_name):
                        value = wrapper(self._targets[i], self.outputs[i])
                    self._metric_values[index] = value
        self._build_weighted()

    def _build_weighted(self) -> None:
        training_loss.build_weighted(self, _by_output(self.loss_weights, self.output_names, "loss"))

    @staticmethod
    def _check_target(fn, y, name) -> None:
        if fn is None:
            raise ValueError(f"No loss given for the output {name}.")

    @property
    def run_eagerly(self) -> bool:
        """False: scopeflow's Keras runs graphs in a session, as tf.keras in graph mode."""
        return False

    @run_eagerly.setter
    def run_eagerly(self, value) -> None:
        if value:
            raise NotImplementedError(
                "run_eagerly=True is not supported: scopeflow's Keras runs graphs in a session "
                "(as tf.keras with tf.disable_v2_behavior()); leave it False."
            )

    @property
    def metrics_names(self) -> list:
        """``["loss", ...]``: the names of what ``evaluate`` and ``train_on_batch`` return."""
        names = ["loss"]
        if len(self.outputs or ()) > 1:
            names += [metric.name for metric in getattr(self, "_output_loss_metrics", [])]
        return names + [name for name, _, _ in getattr(self, "_metrics", [])]

    @property
    def metrics(self) -> list:
        """The compiled metrics' running means."""
        return [wrapper for _, wrapper, _ in getattr(self, "_metrics", [])]

    def reset_metrics(self) -> None:
        """Zeros the compiled metrics' running means (and the outputs' losses')."""
        wrappers = [*self.metrics, *getattr(self, "_output_loss_metrics", [])]
        variables = [v for wrapper in wrappers for v in wrapper.variables]
        backend.batch_set_value(metrics_base.zeroed(variables))

    # -- the functions a batch runs ---------------------------------------------------------

    def _fetches(self, mode: str) -> list:
        if mode == "predict":
            return list(self.outputs)
        values = [self.total_loss]
        if len(self.outputs) > 1:
            values += self._output_loss_results
        return values + [result for _, _, result in self._metrics]

    def _begin(self, mode: str, arrays: list) -> None:
        """As tf_keras when a loop or a batch call starts: each output's sample weight mode
        follows whether this call passes weights (``arrays`` holds them after the targets);
        where the mode and the sample weights made disagree, the weights, weighted metrics
        and loss are made again, and ``mode``'s function with them (the other mode's keeps
        the loss it was made with, as TF's)."""
        if mode == "predict":
            self._function(mode)
            return
        given = len(arrays) > len(self._fed_inputs()) + len(self._fed_outputs())
        self._weight_modes = training_loss.weight_modes(self._compile_weight_modes, given)
        rebuild = self._weight_tensors is None and any(
            (mode_ is None) != (weight is None)
            for mode_, weight in zip(self._weight_modes, self._sample_weights, strict=True)
        )
        if rebuild:
            self._build_weighted()
        self._function(mode, rebuild)

    def _function(self, mode: str, rebuild: bool = False):
        if mode not in self._functions or rebuild:
            self._require_compiled(mode)
            fetches = self._fetches(mode)
            if mode == "train":
                backend.learning_phase()  # as TF: the train function feeds the placeholder
                with name_scope("training"):
                    updates = self.optimizer.get_updates(
                        loss=self.total_loss, params=self._collected_trainable_weights
                    )
                    updates += self._updates_for_own_inputs()
                with name_scope("training"), control_dependencies(fetches[:1]):
                    fetches = [*fetches, group(*updates)]
                object_checkpoint.restore_optimizer(self)
            else:  # as tf_keras: the state updates (stateful layers'), after the first fetch
                scope = "evaluation" if mode == "test" else mode
                with name_scope(scope), control_dependencies(fetches[:1]):
                    fetches = [*fetches, group(*self._own_state_updates())]
            self._functions[mode] = fetches
            if mode != "predict":
                weights = [self._sample_weights[i] for i in self._fed_outputs()]
                self._function_weights[mode] = [w for w in weights if w is not None]
        return self._functions[mode]

    def _require_compiled(self, mode: str) -> None:
        if mode != "predict" and not self._compiled:
            raise RuntimeError(
                "You must compile your model before training/testing. Use "
                "`model.compile(optimizer, loss)`."
            )

    def _fed_inputs(self) -> list:
        """The inputs Keras feeds (placeholders: not those of ``Input(tensor=...)``)."""
        return [x for x in self.inputs if training_targets.is_fed(x)]

    def _fed_outputs(self) -> list:
        """The indices of the outputs whose targets Keras feeds (not given tensors)."""
        return [
            i for i, t in enumerate(self._targets) if t is not None and training_targets.is_fed(t)
        ]

    def _run(self, mode: str, arrays: list):
        fetches = self._function(mode)
        feeds = self._fed_inputs()
        if mode != "predict":
            fed = self._fed_outputs()
            feeds += [self._targets[i] for i in fed] + self._function_weights[mode]
        # as tf_keras: weights passed to a function made without them are not fed
        feed_dict = dict(zip(feeds, arrays, strict=False))
        state = backend._state()
        if mode == "train" and state.learning_phase is not None and state.fixed_phase is None:
            feed_dict[state.learning_phase] = True
        # tensors a callback fetches along (TensorBoard's histograms), given their values
        extra = getattr(self, "_fetch_callbacks", {}).get(mode, {})
        results = backend.get_session().run([*fetches, *extra], feed_dict)
        for value, callback in zip(results[len(fetches) :], extra.values(), strict=True):
            callback(value)
        return results[: len(self._fetches(mode))]

    # -- data ------------------------------------------------------------------------------

    def _standardize(self, data, tensors, names, what: str, sparse=None) -> list:
        if data is None and not tensors:  # Input(tensor=...) / target_tensors: not fed
            return []
        if isinstance(data, dict):
            data = [data[name] for name in names]
        elif not isinstance(data, (list, tuple)):
            data = [data]
        if len(data) != len(tensors):
            raise ValueError(
                f"Error when checking model {what}: the list of Numpy arrays that you are "
                "passing to your model is not the size the model expected. Expected to see "
                f"{len(tensors)} array(s), for inputs {list(names)} but instead got the "
                f"following list of {len(data)} arrays: {str(data)[:200]}..."
            )
        arrays = []
        for index, (array, tensor, name) in enumerate(zip(data, tensors, names, strict=True)):
            array = np.asarray(array)
            expected = tensor.shape.as_list()
            if array.ndim == 1 and len(expected) != 1:
                array = np.expand_dims(array, 1)
            elif sparse and sparse[index] and array.ndim == len(expected) - 1:
                array = np.expand_dims(array, -1)  # class ids of each step: (batch, time, 1)
            if array.ndim != len(expected):
                raise ValueError(
                    f"Error when checking {what}: expected {name} to have {len(expected)} "
                    f"dimensions, but got array with shape {array.shape}"
                )
            for got, want in zip(array.shape[1:], expected[1:], strict=True):
                if want is not None and got != want:
                    raise ValueError(
                        f"Error when checking {what}: expected {name} to have shape "
                        f"{tuple(expected[1:])} but got array with shape {array.shape[1:]}"
                    )
            arrays.append(array)
        return arrays

    def _prepare(self, x, y, mode: str, sample_weight=None, class_weight=None) -> list:
        x, y, sample_weight = training_dataset.tensor_values((x, y, sample_weight))
        if hasattr(self, "_ensure_built"):
            self._ensure_built(x)
            if self.optimizer is not None and not self._compiled:
                self._build_loss()
        fed_inputs = self._fed_inputs()
        input_names = [
            n
            for x, n in zip(self.inputs, self.input_names, strict=True)
            if any(x is f for f in fed_inputs)
        ]
        arrays = self._standardize(x, fed_inputs, input_names, "input")
        if mode == "predict":
            return arrays
        self._require_compiled(mode)
        fed = self._fed_outputs()
        if not fed and y is not None:
            raise training_targets.expected_no_data(y)
        if fed and y is None:
            raise ValueError("Please provide as model targets either a single array or a list.")
        names = [self.output_names[i] for i in fed]
        loss_fns = [self._loss_fns[i] for i in fed]
        sparse = [
            fn is losses.sparse_categorical_crossentropy
            or isinstance(fn, losses.SparseCategoricalCrossentropy)
            for fn in loss_fns
        ]
        targets = self._standardize(y, [self._targets[i] for i in fed], names, "target", sparse)
        outputs = [self.outputs[i] for i in fed]
        for target, output, fn, is_sparse in zip(targets, outputs, loss_fns, sparse, strict=True):
            out = output.shape.as_list()
            if not is_sparse and out[-1] is not None and target.shape[-1] != out[-1]:
                name = getattr(fn, "__name__", getattr(fn, "name", "loss"))
                raise ValueError(
                    f"A target array with shape {target.shape} was passed for an output of "
                    f"shape {tuple(out)} while using as loss `{name}`. This loss expects "
                    "targets to have the same shape as the output."
                )
        counts = {len(a) for a in arrays}
        target_counts = {len(a) for a in targets}
        if len(counts) == 1 and len(target_counts) == 1 and counts != target_counts:
            raise ValueError(
                "Input arrays should have the same number of samples as target arrays. Found "
                f"{counts.pop()} input samples and {target_counts.pop()} target samples."
            )
        sample_weights = _by_output(sample_weight, self.output_names, "sample_weight")
        class_weights = training_arrays.class_weights(class_weight, self.output_names)
        if all(sample_weights[i] is None and not class_weights[i] for i in fed):
            return arrays + targets  # as tf_keras: no weights fed, none made
        weights = [
            training_arrays.example_weights(
                target, sample_weights[i], class_weights[i], self._temporal[i]
            )
            for target, i in zip(targets, fed, strict=True)
        ]
        return arrays + targets + weights

    # -- loops -----------------------------------------------------------------------------

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose=1,
        callbacks=None,
        validation_split=0.0,
        validation_data=None,
        shuffle=True,
        class_weight=None,
        sample_weight=None,
        initial_epoch=0,
        steps_per_epoch=None,
        validation_steps=None,
        validation_freq=1,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        **kwargs,
    ):
        """Trains on NumPy arrays (or a generator or ``Sequence``: see ``fit_generator``) for
        ``epochs`` epochs of ``batch_size`` (32) examples; returns the ``History``
        (``history.history["loss"]``...).

        >>> import numpy as np, scopeflow as tf
        >>> with tf.Graph().as_default():
        ...     model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
        ...     model.compile("sgd", "mse")
        ...     history = model.fit(np.ones((8, 2)), np.zeros((8, 1)), epochs=2, verbose=0)
        >>> sorted(history.history), len(history.history["loss"])
        (['loss'], 2)
        """
        generators.check_keywords(kwargs)
        if generators.takes(x, batch_size, y, sample_weight, validation_split):
            return self.fit_generator(
                x,
                steps_per_epoch,
                epochs,
                verbose,
                callbacks,
                validation_data,
                validation_steps,
                validation_freq,
                class_weight,
                max_queue_size,
                workers,
                use_multiprocessing,
                shuffle,
                initial_epoch,
            )
        items = training_dataset.steps_input(
            (x, y, sample_weight), steps_per_epoch, "steps_per_epoch"
        )
        if items is not None:  # as tf.keras: each step trains on all the arrays (or tensors)
            if validation_split:
                raise NotImplementedError(
                    "validation_split with steps_per_epoch is not supported by scopeflow's "
                    "Keras; pass validation_data=(x_val, y_val) and validation_steps."
                )
            if validation_data is not None:
                validation_data = tuple(validation_data)
                validation_data = training_dataset.steps_input(
                    validation_data, validation_steps, "validation_steps"
                ) or training_dataset.RepeatArrays(validation_data)
            return self.fit_generator(
                items,
                steps_per_epoch,
                epochs,
                verbose,
                callbacks,
                validation_data,
                validation_steps,
                validation_freq,
                class_weight,
                workers=0,
                initial_epoch=initial_epoch,
            )
        arrays = self._prepare(x, y, "train", sample_weight, class_weight)
        batch_size = training_arrays.batch_size_for(self, batch_size, arrays)
        validation = None
        if generators.is_dataset(validation_data):
            validation = DatasetBatches(validation_data, validation_steps, "validation_steps")
        elif generators.is_generator_or_sequence(validation_data):
            raise ValueError(
                "When fitting on arrays, `validation_data` must be arrays (x_val, y_val[, "
                "val_sample_weights]) or a tf.data dataset; to validate on a generator or "
                "Sequence, fit on one (fit_generator)."
            )
        elif validation_data is not None:
            if len(validation_data) not in (2, 3):
                raise ValueError(
                    "When passing a `validation_data` argument, it must contain either 2 items "
                    "(x_val, y_val), or 3 items (x_val, y_val, val_sample_weights), or "
                    f"alternatively it could be a dataset or a dataset iterator. However we "
                    f"received `validation_data` as a {type(validation_data).__name__} with "
                    f"{len(validation_data)} items."
                )
            validation = self._prepare(*validation_data[:2], "test", *validation_data[2:])
        elif validation_split and 0.0 < validation_split < 1.0:
            split_at = int(len(arrays[0]) * (1.0 - validation_split))
            validation = [a[split_at:] for a in arrays]
            arrays = [a[:split_at] for a in arrays]
        return training_arrays.fit(
            self,
            arrays,
            validation,
            batch_size,
            epochs,
            verbose,
            callbacks,
            shuffle,
            initial_epoch,
            validation_freq,
        )

    def evaluate(
        self,
        x=None,
        y=None,
        batch_size=None,
        verbose=1,
        sample_weight=None,
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        **kwargs,
    ):
        """The loss (mean over examples) and metrics on ``x``, ``y`` (or a generator or
        ``Sequence``: see ``evaluate_generator``): a scalar, or a list in ``metrics_names``
        order."""
        generators.check_keywords(kwargs, "evaluate")
        if generators.takes(x, batch_size, y, sample_weight):
            return self.evaluate_generator(
                x, steps, callbacks, max_queue_size, workers, use_multiprocessing, verbose
            )
        items = training_dataset.steps_input((x, y, sample_weight), steps, "steps")
        if items is not None:  # as tf.keras: each step evaluates all the arrays (or tensors)
            return self.evaluate_generator(items, steps, callbacks, workers=0, verbose=verbose)
        arrays = self._prepare(x, y, "test", sample_weight)
        batch_size = training_arrays.batch_size_for(self, batch_size, arrays)
        results = training_arrays.evaluate(self, arrays, batch_size, callbacks, verbose)
        return results[0] if len(results) == 1 else results

    def predict(
        self,
        x,
        batch_size=None,
        verbose=0,
        steps=None,
        callbacks=None,
        max_queue_size=10,
        workers=1,
        use_multiprocessing=False,
        **kwargs,
    ):
        """The model's outputs on ``x``, computed ``batch_size`` (32) examples at a time (or
        on a generator or ``Sequence``: see ``predict_generator``)."""
        generators.check_keywords(kwargs, "predict")
        if generators.takes(x, batch_size):
            return self.predict_generator(
                x, steps, callbacks, max_queue_size, workers, use_multiprocessing, verbose
            )
        items = training_dataset.steps_input((x,), steps, "steps")
        if items is not None:  # as tf.keras: each step predicts on all the arrays (or tensors)
            return self.predict_generator(items, steps, callbacks, workers=0)
        arrays = self._prepare(x, None, "predict")
        batch_size = training_arrays.batch_size_for(self, batch_size, arrays)
        outs = training_arrays.predict(self, arrays, batch_size, callbacks, verbose)
        return outs[0] if len(outs) == 1 else outs

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, reset_metrics=True):
        """One training step on one batch; the loss and metrics of that batch."""
        arrays = self._prepare(x, y, "train", sample_weight, class_weight)
        return self._on_batch("train", arrays, reset_metrics)

    def test_on_batch(self, x, y=None, sample_weight=None, reset_metrics=True):
        """The loss and metrics of one batch, without training."""
        return self._on_batch("test", self._prepare(x, y, "test", sample_weight), reset_metrics)

    def predict_on_batch(self, x):
        """The model's outputs on one batch."""
        outs = self._run("predict", self._prepare(x, None, "predict"))
        return outs[0] if len(outs) == 1 else outs

    def _on_batch(self, mode, arrays, reset_metrics: bool):
        self._begin(mode, arrays)
        outs = self._run(mode, arrays)
        if reset_metrics:
            self.reset_metrics()
        outs = [np.float32(v) for v in outs]
        return outs[0] if len(outs) == 1 else outs
