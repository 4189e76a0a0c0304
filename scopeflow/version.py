"""``tf.version`` (also ``tf.VERSION``, ``tf.GIT_VERSION``, ``tf.COMPILER_VERSION``): which
TensorFlow API scopeflow implements, and which scopeflow build this is.

``VERSION`` is ``"1.15.0"``, the TF1 release whose API scopeflow follows, so code that checks
``tf.VERSION`` takes its TF1 path; ``GIT_VERSION`` names scopeflow's own release (its
``__version__``), and ``COMPILER_VERSION`` the compiler that built the running Python
(scopeflow has no compiled core of its own). ``GRAPH_DEF_VERSION`` is the
``versions.producer`` that scopeflow writes into GraphDefs: that of the TensorFlow (2.21) whose
op definitions it follows.
"""

from __future__ import annotations

import platform

VERSION = "1.15.0"
GIT_VERSION = "scopeflow-0.1.0"
COMPILER_VERSION = platform.python_compiler()
GRAPH_DEF_VERSION = 2474
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0

__all__ = [
    "COMPILER_VERSION",
    "GIT_VERSION",
    "GRAPH_DEF_VERSION",
    "GRAPH_DEF_VERSION_MIN_CONSUMER",
    "GRAPH_DEF_VERSION_MIN_PRODUCER",
    "VERSION",
]
