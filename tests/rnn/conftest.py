"""The op tests' fixtures: a fresh default graph per test, ``env`` placeholders from the
module's ``SETUP`` and ``run`` in a session."""

from tests.ops.conftest import env, graph, run  # noqa: F401 - fixtures
