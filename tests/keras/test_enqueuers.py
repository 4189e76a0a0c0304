"""tf.keras.utils' OrderedEnqueuer and GeneratorEnqueuer (worker threads)."""

from __future__ import annotations

import random

import pytest

import scopeflow as tf


class _Counting(tf.keras.utils.Sequence):
    def __init__(self, n):
        self.n, self.epochs = n, 0

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return (self.epochs, i)

    def on_epoch_end(self):
        self.epochs += 1


def test_ordered_enqueuer_keeps_order_across_epochs():
    seq = _Counting(4)
    enqueuer = tf.keras.utils.OrderedEnqueuer(seq)
    enqueuer.start(workers=3, max_queue_size=2)
    batches = enqueuer.get()
    got = [next(batches) for _ in range(6)]
    enqueuer.stop()
    assert [i for _, i in got] == [0, 1, 2, 3, 0, 1] and got[0][0] == 0 and got[4][0] == 1
    assert not enqueuer.is_running()


def test_ordered_enqueuer_shuffles_each_epoch_with_python_random():
    state = random.getstate()
    random.seed(0)
    enqueuer = tf.keras.utils.OrderedEnqueuer(_Counting(5), shuffle=True)
    enqueuer.start()
    batches = enqueuer.get()
    first = [next(batches)[1] for _ in range(5)]
    enqueuer.stop()
    random.setstate(state)
    assert sorted(first) == [0, 1, 2, 3, 4] and first == [2, 1, 0, 4, 3]


def test_generator_enqueuer_ends_with_the_generator_and_raises_its_errors():
    enqueuer = tf.keras.utils.GeneratorEnqueuer(iter(range(5)))
    enqueuer.start(workers=2)
    assert list(enqueuer.get()) == [0, 1, 2, 3, 4] and not enqueuer.is_running()

    def broken():
        yield 1
        raise ValueError("bad batch")

    enqueuer = tf.keras.utils.GeneratorEnqueuer(broken())
    enqueuer.start()
    batches = enqueuer.get()
    assert next(batches) == 1
    with pytest.raises(ValueError, match="bad batch"):
        next(batches)
    with pytest.raises(NotImplementedError, match="use_multiprocessing=False"):
        tf.keras.utils.GeneratorEnqueuer(iter(range(3)), use_multiprocessing=True).start(workers=2)


def test_use_multiprocessing_prepares_a_sequence_in_threads():
    enqueuer = tf.keras.utils.OrderedEnqueuer(_Counting(3), use_multiprocessing=True)
    enqueuer.start(workers=2)
    batches = enqueuer.get()
    got = [next(batches) for _ in range(4)]
    enqueuer.stop()
    assert got == [(0, 0), (0, 1), (0, 2), (1, 0)]
