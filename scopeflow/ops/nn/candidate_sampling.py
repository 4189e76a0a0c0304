"""Candidate samplers and accidental hits, the ops under ``tf.nn.nce_loss`` and
``tf.nn.sampled_softmax_loss``: ``LogUniformCandidateSampler``, ``UniformCandidateSampler``,
``FixedUnigramCandidateSampler`` and ``ComputeAccidentalHits``.

A sampler draws ``num_sampled`` classes from ``[0, range_max)`` (distinct ones with
``unique``) and gives each true and sampled class its expected count among the draws, with
TF's formula: ``p * num_sampled`` without ``unique``; ``1 - (1 - p) ** num_tries`` with it,
``num_tries`` being the number of draws it took to find ``num_sampled`` distinct classes.

The draws are TF's: each run reads the op's Philox4x32-10 stream (keyed by its seed attrs)
as TF's ``SimplePhilox`` does, two 32-bit words a draw, and moves the stream past
``2048 * num_sampled`` words; a seeded sampler gives TF's classes run after run.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from scopeflow.framework import dtypes, undo
from scopeflow.framework.constant import convert_to_tensor
from scopeflow.framework.graph_api import name_scope
from scopeflow.framework.registry import NOT_DIFFERENTIABLE, register_op
from scopeflow.framework.tensor_shape import TensorShape
from scopeflow.ops.core.infer import apply_op
from scopeflow.ops.random.philox import op_stream, philox_words
from scopeflow.ops.random.sampling import get_seed

_FIELDS = ["sampled_candidates", "true_expected_count", "sampled_expected_count"]
LogUniformCandidateSampler = namedtuple("LogUniformCandidateSampler", _FIELDS)
UniformCandidateSampler = namedtuple("UniformCandidateSampler", _FIELDS)
FixedUnigramCandidateSampler = namedtuple("FixedUnigramCandidateSampler", _FIELDS)
AllCandidateSampler = namedtuple("AllCandidateSampler", _FIELDS)
ComputeAccidentalHits = namedtuple("ComputeAccidentalHits", ["indices", "ids", "weights"])


def _check_int64(op_type: str, arg: str, t) -> None:
    if t.dtype.base_dtype != dtypes.int64:
        raise TypeError(
            f"Input '{arg}' of '{op_type}' Op has type {t.dtype.base_dtype.name} that does not "
            "match expected type of int64."
        )


def _check_rank(t, rank: int) -> None:
    if t.shape.ndims not in (None, rank):
        raise ValueError(
            f"Shape must be rank {rank} but is rank {t.shape.ndims}, with input shape {t.shape}"
        )


def _sampler_infer(op_type: str):
    def infer(inputs, attrs):
        (true_classes,) = inputs
        _check_int64(op_type, "true_classes", true_classes)
        _check_rank(true_classes, 2)
        batch = true_classes.shape[0].value if true_classes.shape.ndims else None
        sampled = TensorShape([attrs["num_sampled"]])
        return [
            (dtypes.int64, sampled),
            (dtypes.float32, TensorShape([batch, attrs["num_true"]])),
            (dtypes.float32, sampled),
        ]

    return infer


def _log_uniform_probability(op, classes: np.ndarray) -> np.ndarray:
    """P(k) = log((k + 2) / (k + 1)) / log(range_max + 1), as float32."""
    classes = classes.astype(np.float64)
    p = np.log((classes + 2.0) / (classes + 1.0)) / np.log1p(op._attrs["range_max"])
    return p.astype(np.float32)


def _unit_doubles(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Doubles in [0, 1) from 20 + 32 mantissa bits of two words (TF's ``RandDouble``)."""
    mantissa = ((hi & np.uint64(0xFFFFF)) << np.uint64(32)) | lo
    return (np.uint64(1023 << 52) | mantissa).view(np.float64) - 1.0


def _log_uniform_draw(op, hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    range_max = op._attrs["range_max"]
    drawn = np.exp(_unit_doubles(hi, lo) * np.log1p(range_max)).astype(np.int64) - 1
    return drawn % range_max


def _uniform_probability(op, classes: np.ndarray) -> np.ndarray:
    return np.full(classes.shape, np.float32(1.0) / np.float32(op._attrs["range_max"]))


def _uniform_draw(op, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A 64-bit word (the first 32-bit word low) modulo ``range_max`` (TF's ``Uniform64``)."""
    words = first | (second << np.uint64(32))
    return (words % np.uint64(op._attrs["range_max"])).astype(np.int64)


def _unigram_weights(op) -> np.ndarray:
    """The weight of each class: 0 for the reserved ids, then ``unigrams ** distortion``."""
    unigrams = np.asarray(op._attrs["unigrams"], np.float32)
    weights = unigrams ** np.float32(op._attrs["distortion"])
    weights = np.concatenate([np.zeros(op._attrs["num_reserved_ids"], np.float32), weights])
    if len(weights) != op._attrs["range_max"]:
        raise ValueError(
            f"range is {op._attrs['range_max']} must be equal to weights size {len(weights)}"
        )
    return weights


def _unigram_probability(op, classes: np.ndarray) -> np.ndarray:
    weights = _unigram_weights(op)
    p = weights / np.sum(weights, dtype=np.float32)
    inside = (classes >= 0) & (classes < len(p))
    return np.where(inside, p[np.where(inside, classes, 0)], np.float32(0.0))  # 0 outside


def _alias_table(weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias table as TF's ``DistributionSampler`` builds it: each slot keeps itself
    with probability ``keep[i]`` (float32), else gives ``alias[i]``. Short and long slots are
    paired from the ends of their lists, as TF pairs them, so draws land on TF's classes."""
    n = len(weights)
    share = [float(w) / float(np.sum(weights.astype(np.float64))) * n for w in weights]
    alias = list(range(n))
    short = [i for i in range(n) if share[i] < 1.0]
    long = [i for i in range(n) if share[i] >= 1.0]
    while short and long:
        low, high = short.pop(), long.pop()
        alias[low] = high
        share[high] -= 1.0 - share[low]
        (short if share[high] < 1.0 else long).append(high)
    for i in short + long:
        share[i] = 1.0
    return np.asarray(share, np.float32), np.asarray(alias, np.int64)


def _unigram_draw(op, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """An alias-table draw: a float32 from the first word, a slot from the second."""
    keep, alias = _alias_table(_unigram_weights(op))
    r = (np.uint32(127 << 23) | (first.astype(np.uint32) & np.uint32(0x7FFFFF))).view(
        np.float32
    ) - np.float32(1.0)
    slot = (second % np.uint64(len(keep))).astype(np.int64)
    return np.where(r < keep[slot], slot, alias[slot])


class _Draws:
    """A run's draws: pairs of Philox words from a copy of the op's stream, as many as asked."""

    def __init__(self, op, draw, key: int, counter: int):
        self._op, self._draw, self._key, self._next = op, draw, key, counter

    def __call__(self, n: int) -> np.ndarray:
        blocks = (n + 1) // 2  # two draws a counter
        words = philox_words(self._key, self._next, blocks).reshape(-1, 2).astype(np.uint64)
        self._next += blocks
        return self._draw(self._op, words[:n, 0], words[:n, 1])


def _draw_unique(draw, num_sampled: int) -> tuple[np.ndarray, int]:
    """``num_sampled`` distinct classes in the order first drawn, and how many draws it took."""
    draws = np.empty(0, np.int64)
    chunk = num_sampled + num_sampled % 2  # whole counters, so no word is skipped
    while True:
        draws = np.concatenate([draws, draw(chunk)])
        _, first = np.unique(draws, return_index=True)
        if len(first) >= num_sampled:
            first = np.sort(first)[:num_sampled]
            return draws[first], int(first[-1]) + 1
        chunk *= 2


def _expected_count(p: np.ndarray, num_sampled: int, num_tries: int) -> np.ndarray:
    """TF's ``ExpectedCountHelper``, in float32 as TF computes it."""
    if num_tries == num_sampled:
        return p * np.float32(num_sampled)
    return -np.expm1(np.float32(num_tries) * np.log1p(-p))


def _check_true_classes(true_classes: np.ndarray, limit: int) -> None:
    """TF's check of the true classes: each in ``[0, limit)``."""
    bad = (true_classes < 0) | (true_classes >= limit)
    if bad.any():
        value = int(true_classes.ravel()[np.argmax(bad.ravel())])
        raise ValueError(f"`true_candidate` out of range [0, {limit}), received {value}")


def _sampler_kernel(probability, draw):
    def kernel(ctx, op, true_classes):
        num_sampled, range_max = op._attrs["num_sampled"], op._attrs["range_max"]
        if true_classes.ndim != 2 or true_classes.shape[1] != op._attrs["num_true"]:
            raise ValueError(
                f"true_classes must be a matrix with num_true={op._attrs['num_true']} columns, "
                f"got shape {list(true_classes.shape)}"
            )
        if op._attrs["unique"] and num_sampled > range_max:
            raise ValueError(
                f"Sampler's range is too small: {num_sampled} unique samples asked of "
                f"{range_max} classes."
            )
        _check_true_classes(true_classes, range_max)
        stream = op_stream(ctx, op)  # TF reserves 2048 words a sampled class
        draws = _Draws(op, draw, stream.key, stream.skip(512 * num_sampled))
        if op._attrs["unique"]:
            sampled, tries = _draw_unique(draws, num_sampled)
        else:
            sampled, tries = draws(num_sampled), num_sampled
        true_count = _expected_count(probability(op, true_classes), num_sampled, tries)
        sampled_count = _expected_count(probability(op, sampled), num_sampled, tries)
        return sampled, true_count.astype(np.float32), sampled_count.astype(np.float32)

    return kernel


for _type, _probability, _draw in (
    ("LogUniformCandidateSampler", _log_uniform_probability, _log_uniform_draw),
    ("UniformCandidateSampler", _uniform_probability, _uniform_draw),
    ("FixedUnigramCandidateSampler", _unigram_probability, _unigram_draw),
):
    register_op(
        _type,
        _sampler_infer(_type),
        kernel=_sampler_kernel(_probability, _draw),
        grad=NOT_DIFFERENTIABLE,
        stateful=True,
    )


def _all_kernel(ctx, op, true_classes):
    """Every class of ``[0, num_sampled)``, each expected once."""
    count = op._attrs["num_sampled"]
    _check_true_classes(true_classes, count)
    ones = np.ones(true_classes.shape, np.float32)
    return np.arange(count, dtype=np.int64), ones, np.ones(count, np.float32)


register_op(
    "AllCandidateSampler",
    _sampler_infer("AllCandidateSampler"),
    kernel=_all_kernel,
    grad=NOT_DIFFERENTIABLE,
)


def _sampler_attrs(op_type, num_true, num_sampled, unique, range_max, seed) -> dict:
    """The sampler op's attributes (``range_max`` ``None``: the op has none), each count
    checked as TF checks them (at least 1)."""
    counts = {"num_true": num_true, "num_sampled": num_sampled, "range_max": range_max}
    counts = {attr: value for attr, value in counts.items() if value is not None}
    for attr, value in counts.items():
        if int(value) < 1:
            raise ValueError(f"Attr '{attr}' of '{op_type}' Op passed {value} less than minimum 1.")
    seed1, seed2 = get_seed(seed)
    return {
        **{attr: int(value) for attr, value in counts.items()},
        "unique": bool(unique),
        "seed": seed1 or 0,
        "seed2": seed2 or 0,
    }


def _sample(op_type, result, true_classes, attrs, name):
    with name_scope(name, op_type, [true_classes]) as scope:
        true_classes = convert_to_tensor(true_classes, name="true_classes")
        return result(*apply_op(op_type, [true_classes], attrs, name=scope))


@undo.atomic
def log_uniform_candidate_sampler(
    true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None
):
    """Samples ``num_sampled`` classes of ``[0, range_max)`` with the log-uniform (Zipfian)
    distribution ``P(k) = log((k + 2) / (k + 1)) / log(range_max + 1)``, for classes sorted
    by decreasing frequency. Returns ``(sampled_candidates, true_expected_count,
    sampled_expected_count)``.

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     labels = tf.constant([[1], [4]], tf.int64)
    ...     s = tf.nn.log_uniform_candidate_sampler(labels, 1, 3, True, 10)
    ...     [t.shape.as_list() for t in s]
    [[3], [2, 1], [3]]
    """
    attrs = _sampler_attrs(
        "LogUniformCandidateSampler", num_true, num_sampled, unique, range_max, seed
    )
    return _sample(
        "LogUniformCandidateSampler", LogUniformCandidateSampler, true_classes, attrs, name
    )


@undo.atomic
def uniform_candidate_sampler(
    true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None
):
    """Samples ``num_sampled`` classes of ``[0, range_max)`` uniformly; returns what
    :func:`log_uniform_candidate_sampler` returns."""
    attrs = _sampler_attrs(
        "UniformCandidateSampler", num_true, num_sampled, unique, range_max, seed
    )
    return _sample("UniformCandidateSampler", UniformCandidateSampler, true_classes, attrs, name)


@undo.atomic
def fixed_unigram_candidate_sampler(
    true_classes,
    num_true,
    num_sampled,
    unique,
    range_max,
    vocab_file="",
    distortion=1.0,
    num_reserved_ids=0,
    num_shards=1,
    shard=0,
    unigrams=(),
    seed=None,
    name=None,
):
    """Samples ``num_sampled`` classes with probabilities proportional to
    ``unigrams ** distortion`` (the first ``num_reserved_ids`` classes are never drawn);
    returns what :func:`log_uniform_candidate_sampler` returns. ``vocab_file`` and
    ``num_shards`` > 1 raise NotImplementedError."""
    if vocab_file:
        raise NotImplementedError(
            "fixed_unigram_candidate_sampler(vocab_file=...) is not supported; read the counts "
            "yourself and pass them as unigrams=[...]."
        )
    if num_shards != 1 or shard != 0:
        raise NotImplementedError(
            "fixed_unigram_candidate_sampler(num_shards=...) is not supported; sample from "
            "the whole range (num_shards=1)."
        )
    op_type = "FixedUnigramCandidateSampler"
    attrs = _sampler_attrs(op_type, num_true, num_sampled, unique, range_max, seed)
    attrs.update(
        vocab_file="",
        distortion=float(distortion),
        num_reserved_ids=int(num_reserved_ids),
        num_shards=1,
        shard=0,
        unigrams=[float(u) for u in unigrams],
    )
    return _sample(op_type, FixedUnigramCandidateSampler, true_classes, attrs, name)


@undo.atomic
def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """All ``num_sampled`` classes ``[0, num_sampled)`` as the "sample", each with expected
    count 1 (for testing a sampled loss against the full one); returns what
    :func:`log_uniform_candidate_sampler` returns."""
    attrs = _sampler_attrs("AllCandidateSampler", num_true, num_sampled, unique, None, seed)
    return _sample("AllCandidateSampler", AllCandidateSampler, true_classes, attrs, name)


def learned_unigram_candidate_sampler(
    true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None
):
    """Not in scopeflow: raises NotImplementedError naming the alternatives."""
    raise NotImplementedError(
        "tf.nn.learned_unigram_candidate_sampler (a sampler that learns the class counts "
        "while it runs) is not in scopeflow; use tf.nn.fixed_unigram_candidate_sampler with "
        "the class counts as unigrams=[...], or tf.nn.log_uniform_candidate_sampler for "
        "classes sorted by frequency."
    )


def _accidental_hits_infer(inputs, attrs):
    true_classes, sampled = inputs
    _check_int64("ComputeAccidentalHits", "true_classes", true_classes)
    _check_int64("ComputeAccidentalHits", "sampled_candidates", sampled)
    _check_rank(true_classes, 2)
    _check_rank(sampled, 1)
    if true_classes.shape.ndims == 2:
        columns = true_classes.shape[1].value
        if columns is not None and columns != attrs["num_true"]:
            raise ValueError(f"Dimension must be {attrs['num_true']} but is {columns}")
    hits = TensorShape([None])
    return [(dtypes.int32, hits), (dtypes.int64, hits), (dtypes.float32, hits)]


def _accidental_hits_kernel(ctx, op, true_classes, sampled):
    """Every ``(row, position)`` where row's true class is a sampled candidate (its last
    position when sampled twice), in row-major order of the true classes."""
    if true_classes.ndim != 2 or true_classes.shape[1] != op._attrs["num_true"]:
        raise ValueError(
            f"true_classes must be a matrix with num_true={op._attrs['num_true']} columns, got "
            f"shape {list(true_classes.shape)}"
        )
    position = {int(c): i for i, c in enumerate(sampled)}
    found = [
        (row, position[int(c)])
        for row, classes in enumerate(true_classes)
        for c in classes
        if int(c) in position
    ]
    rows = np.array([r for r, _ in found], np.int32)
    ids = np.array([i for _, i in found], np.int64)
    return rows, ids, np.full(len(found), -np.finfo(np.float32).max, np.float32)


register_op(
    "ComputeAccidentalHits",
    _accidental_hits_infer,
    kernel=_accidental_hits_kernel,
    grad=NOT_DIFFERENTIABLE,
)


@undo.atomic
def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """The sampled candidates that are one of their row's true classes: ``(indices, ids,
    weights)``, the row, the candidate's position among ``sampled_candidates``, and
    ``-FLT_MAX`` to add to that logit (which removes it from a softmax).

    >>> import scopeflow as tf
    >>> with tf.Graph().as_default():
    ...     hits = tf.nn.compute_accidental_hits(
    ...         tf.constant([[1], [5]], tf.int64), tf.constant([5, 0, 1], tf.int64), 1)
    ...     print(tf.Session().run(hits.indices), tf.Session().run(hits.ids))
    [0 1] [2 0]
    """
    seed1, seed2 = get_seed(seed)
    attrs = {"num_true": int(num_true), "seed": seed1 or 0, "seed2": seed2 or 0}
    with name_scope(name, "ComputeAccidentalHits", [true_classes, sampled_candidates]) as scope:
        true_classes = convert_to_tensor(true_classes, name="true_classes")
        sampled = convert_to_tensor(sampled_candidates, name="sampled_candidates")
        outputs = apply_op("ComputeAccidentalHits", [true_classes, sampled], attrs, name=scope)
        return ComputeAccidentalHits(*outputs)


__all__ = [
    "all_candidate_sampler",
    "compute_accidental_hits",
    "fixed_unigram_candidate_sampler",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "uniform_candidate_sampler",
]
