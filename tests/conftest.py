"""Fixtures shared by the test packages that do not define their own (tests/metrics,
tests/summary): a fresh default graph, the named placeholders of the test module's ``SETUP``
({name: (dtype, shape)}), and a session on that graph."""

from __future__ import annotations

import numpy as np
import pytest

import scopeflow as tf


@pytest.fixture(autouse=True)
def _logging_verbosity():
    """Every test starts at the verbosity it found: a program test that sets it to ERROR
    (as real scripts do) would hide the warnings later tests look for in ``caplog``."""
    verbosity = tf.logging.get_verbosity()
    yield
    tf.logging.set_verbosity(verbosity)


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


@pytest.fixture
def env(graph, request):
    setup = getattr(request.module, "SETUP", {})
    names = {n: tf.placeholder(dtype, shape, name=n) for n, (dtype, shape) in setup.items()}
    return {"tf": tf, "np": np, **names}


@pytest.fixture
def run(graph):
    sess = tf.Session(graph=graph)
    yield lambda fetches, feed_dict=None: sess.run(fetches, feed_dict)
    sess.close()
