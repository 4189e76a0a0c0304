"""``tf.contrib.seq2seq``'s helpers: what a ``BasicDecoder`` feeds its cell at each step and
how it picks a sample from the outputs, as TF 1.15's (``TrainingHelper`` reads the inputs,
``GreedyEmbeddingHelper`` feeds back the embedding of the argmax, ``SampleEmbeddingHelper``
of a sample, ``ScheduledEmbeddingTrainingHelper`` and ``ScheduledOutputTrainingHelper`` mix
reading and feeding back by a probability, ``InferenceHelper`` and ``CustomHelper`` take
functions).

>>> import numpy as np, scopeflow as tf
>>> with tf.Graph().as_default():
...     helper = tf.contrib.seq2seq.GreedyEmbeddingHelper(
...         tf.constant(np.eye(3, dtype=np.float32)), start_tokens=[0, 0], end_token=2)
...     finished, inputs = helper.initialize()
...     ids = helper.sample(0, tf.constant([[0.0, 1, 0], [0, 0, 1]]), None)
...     done, nxt, _ = helper.next_inputs(0, None, None, ids)
...     print(tf.Session().run([ids, done, nxt]))
[array([1, 2], dtype=int32), array([False,  True]), array([[0., 1., 0.],
       [0., 0., 1.]], dtype=float32)]
"""

from __future__ import annotations

from scopeflow.framework import dtypes, nest, tensor_shape
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.tensor import Tensor
from scopeflow.ops.array.basic import reshape, shape
from scopeflow.ops.array.cast import cast
from scopeflow.ops.array.gather import gather, gather_nd, scatter_nd
from scopeflow.ops.array.join import concat, tile
from scopeflow.ops.array.shape import size, zeros_like
from scopeflow.ops.control.cond import cond
from scopeflow.ops.control.tensor_array import TensorArray
from scopeflow.ops.math.elementwise import (
    equal,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_not,
    logical_or,
)
from scopeflow.ops.math.reduction import argmax, reduce_all, reduce_any
from scopeflow.ops.math.selection import where
from scopeflow.ops.nn.composite import embedding_lookup
from scopeflow.ops.random.sampling import multinomial, random_uniform
from scopeflow.rnn.dynamic import transpose_batch_time


def _unstack_ta(inp):
    return TensorArray(dtype=inp.dtype, size=shape(inp)[0], element_shape=inp.shape[1:]).unstack(
        inp
    )


def _sample_categorical(logits, seed):
    """One class id per row of ``logits`` (TF1's ``Categorical(logits).sample()``)."""
    return reshape(multinomial(logits, 1, seed=seed, output_dtype=dtypes.int32), [-1])


def _sample_bernoulli(probability, batch_size, seed):
    """``batch_size`` bools, each true with ``probability`` (TF1's ``bernoulli_sample``)."""
    uniform = random_uniform(
        concat([[batch_size], shape(probability)], 0), seed=seed, dtype=probability.dtype
    )
    return less(uniform, probability)


def _embedding_fn(embedding):
    if callable(embedding):
        return embedding
    return lambda ids: embedding_lookup(embedding, ids)


class Helper:
    """TF1's sampling interface of ``BasicDecoder``: ``batch_size``, ``sample_ids_shape``,
    ``sample_ids_dtype``, ``initialize() -> (finished, inputs)``, ``sample(time, outputs,
    state) -> ids`` and ``next_inputs(time, outputs, state, sample_ids) -> (finished, inputs,
    state)``."""

    @property
    def batch_size(self):
        raise NotImplementedError("batch_size has not been implemented")

    @property
    def sample_ids_shape(self):
        raise NotImplementedError("sample_ids_shape has not been implemented")

    @property
    def sample_ids_dtype(self):
        raise NotImplementedError("sample_ids_dtype has not been implemented")

    def initialize(self, name=None):
        raise NotImplementedError

    def sample(self, time, outputs, state, name=None):
        raise NotImplementedError

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        raise NotImplementedError


class CustomHelper(Helper):
    """A helper from three functions: ``initialize_fn() -> (finished, inputs)``,
    ``sample_fn(time, outputs, state)``, ``next_inputs_fn(time, outputs, state, sample_ids)``;
    samples of ``sample_ids_shape`` (default scalar) and ``sample_ids_dtype`` (int32)."""

    def __init__(
        self, initialize_fn, sample_fn, next_inputs_fn, sample_ids_shape=None,
        sample_ids_dtype=None,
    ):  # fmt: skip
        self._initialize_fn = initialize_fn
        self._sample_fn = sample_fn
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = None
        self._sample_ids_shape = tensor_shape.TensorShape(sample_ids_shape or [])
        self._sample_ids_dtype = sample_ids_dtype or dtypes.int32

    @property
    def batch_size(self):
        if self._batch_size is None:
            raise ValueError("batch_size accessed before initialize was called")
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_ids_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_ids_dtype

    def initialize(self, name=None):
        with name_scope(name, f"{type(self).__name__}Initialize"):
            finished, next_inputs = self._initialize_fn()
            if self._batch_size is None:
                self._batch_size = size(finished)
        return finished, next_inputs

    def sample(self, time, outputs, state, name=None):
        with name_scope(name, f"{type(self).__name__}Sample", (time, outputs, state)):
            return self._sample_fn(time=time, outputs=outputs, state=state)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with name_scope(name, f"{type(self).__name__}NextInputs", (time, outputs, state)):
            return self._next_inputs_fn(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids
            )


class TrainingHelper(Helper):
    """Feeds the decoder ``inputs`` (``[batch, time, ...]``, or ``[time, batch, ...]`` with
    ``time_major``) step by step; row ``b`` is finished after ``sequence_length[b]`` steps.
    Samples are the argmax of the outputs.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     helper = tf.contrib.seq2seq.TrainingHelper(tf.ones([2, 3, 4]), [3, 1])
    ...     finished, inputs = helper.initialize()
    ...     done, _, _ = helper.next_inputs(0, None, None)
    ...     print(tf.Session().run([finished, done]), inputs.shape.as_list())
    [array([False, False]), array([False,  True])] [2, 4]

    Raises:
        ValueError: ``sequence_length`` is not a vector.
    """

    def __init__(self, inputs, sequence_length, time_major=False, name=None):
        with name_scope(name, "TrainingHelper", [inputs, sequence_length]):
            inputs = nest.map_structure(lambda x: convert_to_tensor(x, name="inputs"), inputs)
            self._inputs = inputs
            if not time_major:
                inputs = nest.map_structure(transpose_batch_time, inputs)
            self._input_tas = nest.map_structure(_unstack_ta, inputs)
            self._sequence_length = convert_to_tensor(sequence_length, name="sequence_length")
            if self._sequence_length.shape.ndims != 1:
                raise ValueError(
                    "Expected sequence_length to be a vector, but received shape: "
                    f"{self._sequence_length.shape}"
                )
            self._zero_inputs = nest.map_structure(lambda inp: zeros_like(inp[0, :]), inputs)
            self._batch_size = size(sequence_length)

    @property
    def inputs(self):
        return self._inputs

    @property
    def sequence_length(self):
        return self._sequence_length

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return tensor_shape.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return dtypes.int32

    def initialize(self, name=None):
        with name_scope(name, "TrainingHelperInitialize"):
            finished = equal(0, self._sequence_length)
            next_inputs = cond(
                reduce_all(finished),
                lambda: self._zero_inputs,
                lambda: nest.map_structure(lambda inp: inp.read(0), self._input_tas),
            )
            return finished, next_inputs

    def sample(self, time, outputs, name=None, **unused_kwargs):
        with name_scope(name, "TrainingHelperSample", [time, outputs]):
            return cast(argmax(outputs, axis=-1), dtypes.int32)

    def next_inputs(self, time, outputs, state, name=None, **unused_kwargs):
        with name_scope(name, "TrainingHelperNextInputs", [time, outputs, state]):
            next_time = time + 1
            finished = greater_equal(next_time, self._sequence_length)
            next_inputs = cond(
                reduce_all(finished),
                lambda: self._zero_inputs,
                lambda: nest.map_structure(lambda inp: inp.read(next_time), self._input_tas),
            )
            return finished, next_inputs, state


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
    """A ``TrainingHelper`` that, with probability ``sampling_probability`` per row and step,
    feeds the embedding of a sample from the outputs instead of the next input; the sample ids
    are -1 where it did not sample.

    Raises:
        ValueError: ``sampling_probability`` is not a scalar or a vector.
    """

    def __init__(
        self, inputs, sequence_length, embedding, sampling_probability, time_major=False,
        seed=None, scheduling_seed=None, name=None,
    ):  # fmt: skip
        with name_scope(
            name, "ScheduledEmbeddingSamplingWrapper", [embedding, sampling_probability]
        ):
            self._embedding_fn = _embedding_fn(embedding)
            self._sampling_probability = convert_to_tensor(
                sampling_probability, name="sampling_probability"
            )
            if self._sampling_probability.shape.ndims not in (0, 1):
                raise ValueError(
                    "sampling_probability must be either a scalar or a vector. saw shape: "
                    f"{self._sampling_probability.shape}"
                )
            self._seed = seed
            self._scheduling_seed = scheduling_seed
            super().__init__(inputs, sequence_length, time_major=time_major, name=name)

    def sample(self, time, outputs, state, name=None):
        with name_scope(name, "ScheduledEmbeddingTrainingHelperSample", [time, outputs, state]):
            noise = random_uniform([self.batch_size], seed=self._scheduling_seed)
            select_sample = greater(self._sampling_probability, noise)
            return where(
                select_sample,
                _sample_categorical(outputs, self._seed),
                tile([-1], [self.batch_size]),
            )

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with name_scope(
            name, "ScheduledEmbeddingTrainingHelperNextInputs", [time, outputs, state, sample_ids]
        ):
            finished, base_next_inputs, state = super().next_inputs(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids, name=name
            )

            def maybe_sample():
                where_sampling = cast(where(greater(sample_ids, -1)), dtypes.int32)
                where_not_sampling = cast(where(less_equal(sample_ids, -1)), dtypes.int32)
                sample_ids_sampling = gather(sample_ids, reshape(where_sampling, [-1]))
                inputs_not_sampling = gather(base_next_inputs, reshape(where_not_sampling, [-1]))
                sampled_next_inputs = self._embedding_fn(sample_ids_sampling)
                base_shape = shape(base_next_inputs)
                return scatter_nd(where_sampling, sampled_next_inputs, base_shape) + scatter_nd(
                    where_not_sampling, inputs_not_sampling, base_shape
                )

            next_inputs = cond(reduce_all(finished), lambda: base_next_inputs, maybe_sample)
            return finished, next_inputs, state


class GreedyEmbeddingHelper(Helper):
    """For inference: starts from the embedding of ``start_tokens`` (``[batch]``), feeds back
    the embedding of each step's argmax; a row is finished when it emits ``end_token``.
    ``embedding`` is the ``params`` of ``embedding_lookup`` or a function of the ids.

    Raises:
        ValueError: ``start_tokens`` is not a vector or ``end_token`` not a scalar.
    """

    def __init__(self, embedding, start_tokens, end_token):
        self._embedding_fn = _embedding_fn(embedding)
        self._start_tokens = convert_to_tensor(
            start_tokens, dtype=dtypes.int32, name="start_tokens"
        )
        self._end_token = convert_to_tensor(end_token, dtype=dtypes.int32, name="end_token")
        if self._start_tokens.shape.ndims != 1:
            raise ValueError("start_tokens must be a vector")
        self._batch_size = size(start_tokens)
        if self._end_token.shape.ndims != 0:
            raise ValueError("end_token must be a scalar")
        self._start_inputs = self._embedding_fn(self._start_tokens)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return tensor_shape.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return dtypes.int32

    def initialize(self, name=None):
        return tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        del time, state
        if not isinstance(outputs, Tensor):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        return argmax(outputs, axis=-1, output_type=dtypes.int32)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        del time, outputs
        finished = equal(sample_ids, self._end_token)
        next_inputs = cond(
            reduce_all(finished),
            lambda: self._start_inputs,
            lambda: self._embedding_fn(sample_ids),
        )
        return finished, next_inputs, state


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
    """A ``GreedyEmbeddingHelper`` that feeds back a sample from ``softmax(outputs /
    softmax_temperature)`` instead of the argmax."""

    def __init__(self, embedding, start_tokens, end_token, softmax_temperature=None, seed=None):
        super().__init__(embedding, start_tokens, end_token)
        self._softmax_temperature = softmax_temperature
        self._seed = seed

    def sample(self, time, outputs, state, name=None):
        del time, state
        if not isinstance(outputs, Tensor):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        logits = outputs
        if self._softmax_temperature is not None:
            logits = outputs / self._softmax_temperature
        return _sample_categorical(logits, self._seed)


class ScheduledOutputTrainingHelper(TrainingHelper):
    """A ``TrainingHelper`` that, with probability ``sampling_probability`` per row and step,
    feeds back the cell's output (through ``next_inputs_fn`` when given) instead of the next
    input, ``auxiliary_inputs`` concatenated to either; the sample ids are 1 where it fed
    back (int32, as TF 1.15's).

    >>> import numpy as np, scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     helper = tf.contrib.seq2seq.ScheduledOutputTrainingHelper(
    ...         tf.zeros([2, 3, 4]), [3, 3], sampling_probability=1.0)
    ...     ids = helper.sample(0, tf.ones([2, 4]), None)
    ...     _, nxt, _ = helper.next_inputs(0, tf.ones([2, 4]), None, ids)
    ...     print(tf.Session().run(nxt).tolist())
    [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]

    Raises:
        ValueError: ``sampling_probability`` is not a scalar or a vector.
    """

    def __init__(
        self, inputs, sequence_length, sampling_probability, time_major=False, seed=None,
        next_inputs_fn=None, auxiliary_inputs=None, name=None,
    ):  # fmt: skip
        with name_scope(
            name, "ScheduledOutputTrainingHelper", [inputs, auxiliary_inputs, sampling_probability]
        ):
            self._sampling_probability = convert_to_tensor(
                sampling_probability, name="sampling_probability"
            )
            if self._sampling_probability.shape.ndims not in (0, 1):
                raise ValueError(
                    "sampling_probability must be either a scalar or a vector. saw shape: "
                    f"{self._sampling_probability.shape}"
                )
            maybe_concatenated_inputs = inputs
            if auxiliary_inputs is not None:
                inputs = convert_to_tensor(inputs, name="inputs")
                auxiliary_inputs = convert_to_tensor(auxiliary_inputs, name="auxiliary_inputs")
                maybe_concatenated_inputs = nest.map_structure(
                    lambda x, y: concat((x, y), -1), inputs, auxiliary_inputs
                )
                if not time_major:
                    auxiliary_inputs = nest.map_structure(transpose_batch_time, auxiliary_inputs)
            self._auxiliary_input_tas = (
                nest.map_structure(_unstack_ta, auxiliary_inputs)
                if auxiliary_inputs is not None
                else None
            )
            self._seed = seed
            self._next_inputs_fn = next_inputs_fn
            super().__init__(
                maybe_concatenated_inputs, sequence_length, time_major=time_major, name=name
            )

    def sample(self, time, outputs, state, name=None):
        with name_scope(name, "ScheduledOutputTrainingHelperSample", [time, outputs, state]):
            return cast(
                _sample_bernoulli(self._sampling_probability, self.batch_size, self._seed),
                dtypes.int32,
            )

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with name_scope(
            name, "ScheduledOutputTrainingHelperNextInputs", [time, outputs, state, sample_ids]
        ):
            finished, base_next_inputs, state = super().next_inputs(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids, name=name
            )
            sample_ids = cast(sample_ids, dtypes.bool)

            def with_auxiliary(outputs_, indices=None):
                if self._auxiliary_input_tas is None:
                    return outputs_
                auxiliary = nest.map_structure(
                    lambda ta: ta.read(time + 1), self._auxiliary_input_tas
                )
                if indices is not None:
                    auxiliary = gather_nd(auxiliary, indices)
                return nest.map_structure(lambda x, y: concat((x, y), -1), outputs_, auxiliary)

            def maybe_sample():
                if self._next_inputs_fn is None:
                    return where(sample_ids, with_auxiliary(outputs), base_next_inputs)
                where_sampling = cast(where(sample_ids), dtypes.int32)
                where_not_sampling = cast(where(logical_not(sample_ids)), dtypes.int32)
                outputs_sampling = gather_nd(outputs, where_sampling)
                inputs_not_sampling = gather_nd(base_next_inputs, where_not_sampling)
                sampled_next_inputs = with_auxiliary(
                    self._next_inputs_fn(outputs_sampling), where_sampling
                )
                base_shape = shape(base_next_inputs)
                return scatter_nd(where_sampling, sampled_next_inputs, base_shape) + scatter_nd(
                    where_not_sampling, inputs_not_sampling, base_shape
                )

            no_samples = logical_not(reduce_any(sample_ids))
            next_inputs = cond(
                logical_or(reduce_all(finished), no_samples),
                lambda: base_next_inputs,
                maybe_sample,
            )
            return finished, next_inputs, state


class InferenceHelper(Helper):
    """For inference with continuous outputs: ``sample_fn(outputs)`` gives the samples (of
    ``sample_shape`` and ``sample_dtype``), ``end_fn(samples)`` the finished rows, and the
    next inputs are the samples (through ``next_inputs_fn`` when given), starting from
    ``start_inputs``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     helper = tf.contrib.seq2seq.InferenceHelper(
    ...         lambda out: out * 2, [3], tf.float32, tf.zeros([2, 3]),
    ...         end_fn=lambda s: tf.reduce_all(s > 1, axis=1))
    ...     samples = helper.sample(0, tf.ones([2, 3]), None)
    ...     done, nxt, _ = helper.next_inputs(0, None, None, samples)
    ...     print(tf.Session().run(done).tolist(), nxt.shape.as_list())
    [True, True] [2, 3]
    """

    def __init__(
        self, sample_fn, sample_shape, sample_dtype, start_inputs, end_fn, next_inputs_fn=None
    ):
        self._sample_fn = sample_fn
        self._end_fn = end_fn
        self._sample_shape = tensor_shape.TensorShape(sample_shape)
        self._sample_dtype = sample_dtype
        self._next_inputs_fn = next_inputs_fn
        self._batch_size = shape(start_inputs)[0]
        self._start_inputs = convert_to_tensor(start_inputs, name="start_inputs")

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_dtype

    def initialize(self, name=None):
        return tile([False], [self._batch_size]), self._start_inputs

    def sample(self, time, outputs, state, name=None):
        del time, state
        return self._sample_fn(outputs)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        del time, outputs
        next_inputs = (
            sample_ids if self._next_inputs_fn is None else self._next_inputs_fn(sample_ids)
        )
        return self._end_fn(sample_ids), next_inputs, state
