"""Tests for scopeflow/ops/random/philox.py, distributions.py and libm32.py: the Philox
generator's known answers, and the random ops' values equal to TensorFlow's bit for bit.

TensorFlow 2.21's values (CPU kernels, explicit ``seed``/``seed2``, two runs of each op in one
session) are recorded in ``tests/data/tf_random_values.json`` by ``tools/tf_random_values.py``.
"""

from __future__ import annotations

import hashlib
import json
import pathlib

import numpy as np
import pytest

import scopeflow as tf
from scopeflow.ops.random import compiled, distributions
from scopeflow.ops.random.libm32 import logf, sincosf
from scopeflow.ops.random.philox import PhiloxState, philox_at, philox_words

DATA = pathlib.Path(__file__).parents[2] / "data" / "tf_random_values.json"
CASES = [case for case in json.loads(DATA.read_text())["cases"] if "runs" in case]


def _words(c: list[int]) -> int:
    return sum(w << (32 * i) for i, w in enumerate(c))


# Random123's known answers for Philox4x32-10: (counter words, key words, output words).
KNOWN = [
    ([0, 0, 0, 0], [0, 0], [0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8]),
    ([0xFFFFFFFF] * 4, [0xFFFFFFFF] * 2, [0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD]),
    (
        [0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344],
        [0xA4093822, 0x299F31D0],
        [0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1],
    ),
]


@pytest.mark.parametrize(("counter", "key", "want"), KNOWN)
def test_philox_gives_random123_known_answers(counter, key, want):
    assert philox_words(_words(key), _words(counter), 1).tolist() == [want]


def test_counters_carry_across_words_and_wrap_at_2_128():
    top = (1 << 128) - 1
    words = philox_words(3, top - 1, 3)
    assert words[2].tolist() == philox_words(3, 0, 1)[0].tolist()
    carried = philox_at(3, (1 << 64) - 1, np.array([1], np.uint64))
    assert carried.tolist() == philox_words(3, 1 << 64, 1).tolist()


def test_stream_reserves_256_counters_per_output():
    stream = PhiloxState(7, 9)
    assert (stream.key, stream.reserve(3)) == (7, 9 << 64)
    assert stream.reserve(1) == (9 << 64) + 768


def test_unseeded_streams_differ():
    assert PhiloxState(0, 0).key != PhiloxState(0, 0).key


@pytest.mark.skipif(compiled.loops() is None, reason="numba is not available")
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("draw", ["uniform", "normal", "truncated_normal"])
def test_compiled_loops_give_the_numpy_codes_bits(monkeypatch, draw, dtype):
    size = compiled.MIN_SIZE + 3
    key, counter = 2**63 + 5, (7 << 64) + 2**64 - 9  # the low counter words carry
    fast = getattr(distributions, draw)(key, counter, size, np.dtype(dtype))
    monkeypatch.setenv("SCOPEFLOW_NUMBA", "0")
    compiled.loops.cache_clear()
    try:
        slow = getattr(distributions, draw)(key, counter, size, np.dtype(dtype))
    finally:
        compiled.loops.cache_clear()
    assert fast.dtype == slow.dtype and np.array_equal(fast, slow)


def _floats(*bits: int) -> np.ndarray:
    return np.array(bits, np.uint32).view(np.float32)


def _bits(values: np.ndarray) -> list[int]:
    return values.view(np.uint32).tolist()


def test_logf_and_sincosf_give_glibcs_results_where_they_are_not_correctly_rounded():
    # glibc 2.36 (x86-64) on inputs where its result is not the correctly rounded one
    # (checked over all 2**23 inputs the Box-Muller transform can give them).
    assert _bits(logf(_floats(0x3A0B9000, 0x3E2A0610, 0x3F70AE26))) == [
        0xC0F1386B,
        0xBFE5D40F,
        0xBD7CC19D,
    ]
    sin, cos = sincosf(_floats(0x3E3BCE26, 0x40A52494))
    assert (_bits(sin), _bits(cos)) == ([0x3E3AC112, 0xBF66B355], [0x3F7BB4E0, 0x3EDDEE2A])


def matches(values: np.ndarray, run: dict) -> bool:
    """Whether ``values`` are a recorded output: its bit patterns, or its bytes' digest."""
    values = np.ascontiguousarray(values)
    if "sha256" in run:
        return hashlib.sha256(values.tobytes()).hexdigest() == run["sha256"]
    return values.view(f"u{values.dtype.itemsize}").reshape(-1).tolist() == run["bits"]


def _case_id(case: dict) -> str:
    if "input" in case:
        return f"{case['op']}-{case['input_dtype']}-{np.shape(case['input'])}-{case['dtype']}"
    bounds = "" if case["bounds"] is None else f"-{case['bounds'][0]}"
    return f"{case['op']}-{case['dtype']}-{'x'.join(map(str, case['shape']))}{bounds}"


def _build(graph, case: dict):
    attrs = {"seed": case["seed"], "seed2": case["seed2"]}
    dtype = tf.as_dtype(case["dtype"])
    if case["op"] == "RandomShuffle":
        rows = tf.range(int(np.prod(case["input"])), dtype=tf.as_dtype(case["input_dtype"]))
        return graph.create_op(case["op"], [tf.reshape(rows, case["input"])], attrs=attrs)
    if case["op"] == "Multinomial":
        logits = tf.constant(case["input"], tf.as_dtype(case["input_dtype"]))
        inputs = [logits, tf.constant(case["samples"], tf.int32)]
        return graph.create_op(case["op"], inputs, attrs={**attrs, "output_dtype": dtype})
    shape = tf.constant(case["shape"], tf.int32)
    if case["bounds"] is None:
        return graph.create_op(case["op"], [shape], attrs={**attrs, "dtype": dtype})
    low, high = (tf.constant(b, dtype) for b in case["bounds"])
    return graph.create_op("RandomUniformInt", [shape, low, high], attrs=attrs)


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_values_equal_tensorflows(case):
    with tf.Graph().as_default() as graph:
        out = _build(graph, case).outputs[0]
        with tf.Session() as sess:
            runs = [sess.run(out) for _ in case["runs"]]
    assert runs[0].dtype == np.dtype(case["dtype"])
    assert [matches(v, run) for v, run in zip(runs, case["runs"], strict=True)] == [True, True]
