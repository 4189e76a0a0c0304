"""``tf.version`` (also ``tf.VERSION``, ``tf.GIT_VERSION``, ``tf.COMPILER_VERSION``): which
TensorFlow API scopeflow implements, and which scopeflow build this is.

``VERSION`` is ``"1.15.0"``, the TF1 release whose API scopeflow follows, so code that checks
``tf.VERSION`` takes its TF1 path; ``GIT_VERSION`` names scopeflow's own release (its
``__version__``), and ``COMPILER_VERSION`` the compiler that built the running Python
(scopeflow has no compiled core of its own).
"""

from __future__ import annotations

import platform

VERSION = "1.15.0"
GIT_VERSION = "scopeflow-0.1.0"
COMPILER_VERSION = platform.python_compiler()

__all__ = ["COMPILER_VERSION", "GIT_VERSION", "VERSION"]
