"""A take waiting on an accumulator is served within the apply that completes it (TF's
``ConditionalAccumulatorBase``): its global step goes up at once, so the next gradient of the
old step is stale, whenever the taking thread wakes. Numbers from TF 2.21."""

from __future__ import annotations

import threading
import time

import scopeflow as tf


def test_a_waiting_take_is_served_by_the_completing_apply(graph):
    acc = tf.ConditionalAccumulator(tf.float32, shape=[1])
    grad, step = tf.placeholder(tf.float32, [1]), tf.placeholder(tf.int64, [])
    apply, take, count = (
        acc.apply_grad(grad, local_step=step),
        acc.take_grad(2),
        acc.num_accumulated(),
    )
    with tf.Session() as sess:
        taken = []
        taker = threading.Thread(target=lambda: taken.append(sess.run(take)))
        taker.start()
        time.sleep(0.2)  # the take is waiting
        for g in (1.0, 3.0, 100.0):  # the third comes at step 0, after the take: stale
            sess.run(apply, {grad: [g], step: 0})
        assert sess.run(count) == 0
        taker.join()
        sess.run(apply, {grad: [5.0], step: 1})
        assert (taken[0].tolist(), sess.run(count)) == ([2.0], 1)
