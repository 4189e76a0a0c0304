"""Fixtures shared by the op tests: a fresh default graph per test, and named placeholders
built from the test module's ``SETUP`` table ({name: (dtype, shape)})."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


@pytest.fixture
def env(graph, request):
    """Named placeholders (see the module's SETUP) for the expressions of the tables, plus
    tf and np."""
    setup = getattr(request.module, "SETUP", {})
    names = {
        name: tf.placeholder(dtype, shape, name=name) for name, (dtype, shape) in setup.items()
    }
    return {"tf": tf, "np": np, **names}


@pytest.fixture
def run(graph):
    """``run(fetches, feed_dict=None)`` in a session on the test's graph (variables
    initialized first, if there are any)."""
    sess = tf.Session(graph=graph)
    initialized = []

    def _run(fetches, feed_dict=None):
        if not initialized:
            sess.run(tf.global_variables_initializer())
            initialized.append(True)
        return sess.run(fetches, feed_dict)

    yield _run
    sess.close()
