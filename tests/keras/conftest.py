"""The Keras tests' fixtures: a fresh default graph per test (Keras keeps its session,
learning phase and layer names per graph)."""

from tests.ops.conftest import graph  # noqa: F401 - fixture
